"""The Python side of the cross-language JUnit tests (io.fastshare.python.*Test). Commands:

    peer.py describe TOKEN...   one JSON line per token describing the value read (type, dtype, shape,
                                SHA-256 of the array bytes, writeable flag)
    peer.py write               writes the values the Java tests expect, prints "TOKEN <label> <token>",
                                then holds its lease until stdin closes
    peer.py take                for each token read from stdin, races to take it: "WON <token>" / "LOST <token>"
    peer.py load TOKEN          SharedData.load twice: "LOADED <sum> <same object> <mappings of the block>"
    peer.py release TOKEN...    "RELEASED <token> <True|False>" per token
"""
import hashlib
import json
import sys

import numpy as np

import fastshare_interop as fs


def describe(value):
    if isinstance(value, np.ndarray):
        return {"type": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape),
                "sha256": hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest(),
                "writeable": bool(value.flags.writeable)}
    if isinstance(value, (memoryview, bytes, bytearray)):
        return {"type": type(value).__name__, "length": len(value), "sha256": hashlib.sha256(value).hexdigest(),
                "writeable": not (isinstance(value, memoryview) and value.readonly) and not isinstance(value, bytes)}
    if isinstance(value, dict):
        return {"type": "dict", "items": {k: describe(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"type": "list", "items": [describe(v) for v in value]}
    return {"type": type(value).__name__, "value": value}


def written_values():
    return {
        "floats": np.arange(300_000, dtype=np.float32) * np.float32(0.5),
        "doubles2d": np.sqrt(np.arange(60_000, dtype=np.float64)).reshape(200, 300),
        "ints": np.arange(-50_000, 50_000, dtype=np.int32),
        "longs": np.arange(100_000, dtype=np.int64) * 3_000_000_000,
        "shorts": np.arange(-30_000, 30_000, dtype=np.int16),
        "chars": np.arange(60_000, dtype=np.uint16),
        "ubytes": (np.arange(250_000) % 256).astype(np.uint8),
        "sbytes": (np.arange(250_000) % 256 - 128).astype(np.int8),
        "bytes": b"hello from python " * 20_000,
        "string": "héllo from python ✓ " * 10_000,
        "embeddings": {"model": "minilm", "ids": [f"id-{i}" for i in range(1000)],
                       "vectors": (np.arange(1000 * 384) % 1000).astype(np.float32) * np.float32(0.25)},
        "checksummed": np.arange(300_000, dtype=np.float32),
        "map": {"a": np.arange(5000, dtype=np.float64), "b": [np.arange(2000, dtype=np.int32), 7, "x"],
                "c": {"d": np.arange(3000, dtype=np.int16)}},
    }


def main(argv):
    command = argv[1]
    if command == "describe":
        for token in argv[2:]:
            try:
                print(json.dumps(describe(fs.read(token))), flush=True)
            except fs.FastShareError as e:
                print(json.dumps({"type": "error", "error": type(e).__name__, "message": str(e)}), flush=True)
        return 0
    if command == "write":
        for label, value in written_values().items():
            print(f"TOKEN {label} {fs.write(value, threshold=0, checksum=label == 'checksummed')}", flush=True)
        small = {"model": "tiny", "ids": ["x"], "vectors": np.arange(4, dtype=np.float32)}
        print(f"TOKEN inline {fs.write(small)}", flush=True)
        print("READY", flush=True)
        sys.stdin.read()
        return 0
    if command == "take":
        for line in sys.stdin:
            token = line.strip()
            try:
                value = fs.take(token)
                print(f"WON {token} {float(np.asarray(value).sum())}", flush=True)
            except fs.BlockNotFoundError:
                print(f"LOST {token}", flush=True)
        return 0
    if command == "release":
        for token in argv[2:]:
            print(f"RELEASED {token} {fs.release(token)}", flush=True)
        return 0
    if command == "load":
        token = argv[2]
        value = fs.SharedData.load(token)
        same = fs.SharedData.load(token) is value
        with open("/proc/self/maps") as f:
            mappings = sum(1 for line in f if token[len("FSHR:shm:"):] in line)
        total = float(np.asarray(value["vectors"] if isinstance(value, dict) else value, dtype=np.float64).sum())
        print(f"LOADED {total} {same} {mappings}", flush=True)
        return 0
    print("unknown command " + command, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
