"""A Python writer process for lifecycle tests: writes blocks into the directory given as argv[1],
prints ``TOKEN <token>`` per block and ``OWNER <hex>``, optionally leaves one block half-written
(``--incomplete``: pauses before its commit marker), then waits until killed or stdin closes."""
import sys
import time

import numpy as np

import fastshare_interop as fs
from fastshare_interop import _lease, _store

directory = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1
for i in range(count):
    print("TOKEN " + fs.write(np.full(50_000, i, dtype=np.float32), threshold=0, directory=directory), flush=True)
print("OWNER " + _lease.acquire(fs._directory.ensure(fs._directory.resolve(directory))).owner.hex(), flush=True)
if "--incomplete" in sys.argv:
    def pause(path):
        print("WRITING " + path, flush=True)
        while True:
            time.sleep(60)
    _store.before_commit = pause
    fs.write(np.zeros(10_000, dtype=np.float64), threshold=0, directory=directory)
print("READY", flush=True)
sys.stdin.read()
