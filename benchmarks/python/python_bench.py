#!/usr/bin/env python3
"""Python interop benchmark: 100 MB float32 arrays through fastshare_interop, in one Python process
against a pickle round trip, and between a Python and a Java process against a Unix domain socket
stream. Run by benchmarks/run.sh (rows land in results.md / results.csv, suite "python"); alone:

    PYTHONPATH=python python3 benchmarks/python/python_bench.py --jar benchmarks/target/fastshare-benchmarks.jar \\
        --csv /tmp/python.csv [--size 100MB] [--iterations 9] [--warmup 2] [--dir /dev/shm]

Every timed operation ends with the receiver holding the data: a numpy array (a read-only view of the
shared mapping, or a private copy, as labelled) or a Java float[]. Operations run round-robin, so load
changes on a shared machine hit all of them alike. Medians, min and 90th percentile in nanoseconds.
"""
from __future__ import annotations

import argparse
import os
import pickle
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import numpy as np

import fastshare_interop as fs

SUITE = "python"
TYPE = "float[]"


def parse_size(text: str) -> int:
    units = {"KB": 10 ** 3, "MB": 10 ** 6, "GB": 10 ** 9}
    for unit, factor in units.items():
        if text.upper().endswith(unit):
            return int(float(text[:-len(unit)]) * factor)
    return int(text)


class Peer:
    """The Java peer (io.fastshare.bench.python.InteropPeer) on pipes."""

    def __init__(self, java: str, jar: str, directory: str, elements: int) -> None:
        self.process = subprocess.Popen([java, "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-cp", jar,
                                         "io.fastshare.bench.python.InteropPeer", directory, str(elements)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self.ask(None) == "READY"

    def ask(self, line: str | None) -> str:
        if line is not None:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer or answer.startswith("ERROR"):
            raise RuntimeError(f"Java peer: {answer!r}")
        return answer

    def close(self) -> None:
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        self.process.wait(60)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jar", required=True)
    parser.add_argument("--java", default=shutil.which("java") or "java")
    parser.add_argument("--csv", required=True)
    parser.add_argument("--size", default="100MB")
    parser.add_argument("--iterations", type=int, default=9)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--dir", default="/dev/shm", help="parent of the temporary block directory")
    parser.add_argument("--open-sizes", default="1MB,100MB,1GB", help="block sizes whose open() latency is timed")
    args = parser.parse_args(argv)

    size = parse_size(args.size)
    elements = size // 4
    directory = os.path.join(args.dir, "fastshare-pybench-" + uuid.uuid4().hex)
    socket_dir = tempfile.mkdtemp(prefix="fastshare-pybench-uds-")
    array = (np.arange(elements) % 1000).astype(np.float32)
    received = np.empty(elements, dtype=np.float32)  # the socket receiver's buffer, touched once
    received.fill(0)
    peer = Peer(args.java, args.jar, directory, elements)

    def fastshare_view():
        token = fs.write(array, threshold=0, directory=directory)
        view = fs.read(token, directory=directory)
        assert view[-1] == array[-1]
        fs.release(token, directory=directory)
        del view  # unmaps: the freed block's pages go back to the filesystem inside the timing

    def fastshare_copy():
        token = fs.write(array, threshold=0, directory=directory)
        copy = fs.read(token, readonly=False, directory=directory)
        assert copy[-1] == array[-1]
        fs.release(token, directory=directory)

    def pickle_round_trip():
        copy = pickle.loads(pickle.dumps(array, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy[-1] == array[-1]

    def python_to_java_fastshare():
        token = fs.write(array, threshold=0, directory=directory)
        assert peer.ask("take " + token).startswith("OK")

    def java_to_python_fastshare(readonly: bool):
        def run():
            token = peer.ask("write")[len("TOKEN "):]
            value = fs.take(token, readonly=readonly, directory=directory)
            assert value[-1] == array[-1]
        return run

    def uds(path_name: str, python_sends: bool):
        path = os.path.join(socket_dir, path_name)

        def run():
            if os.path.exists(path):
                os.unlink(path)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
                server.bind(path)
                server.listen(1)
                if python_sends:
                    peer.process.stdin.write("uds-recv " + path + "\n")
                    peer.process.stdin.flush()
                    connection, _ = server.accept()
                    with connection:
                        connection.sendall(memoryview(array).cast("B"))
                    assert peer.ask(None).startswith("OK")
                else:
                    peer.process.stdin.write("uds-send " + path + "\n")
                    peer.process.stdin.flush()
                    connection, _ = server.accept()
                    view = memoryview(received).cast("B")
                    done = 0
                    with connection:
                        while done < len(view):
                            n = connection.recv_into(view[done:])
                            if n == 0:
                                raise RuntimeError("stream ended early")
                            done += n
                    assert peer.ask(None) == "SENT" and received[-1] == array[-1]
        return run

    operations = {
        "python fastshare write+read(view)+release": fastshare_view,
        "python fastshare write+read(copy)+release": fastshare_copy,
        "python pickle round trip (dumps+loads)": pickle_round_trip,
        "python->java fastshare write+take(copy)": python_to_java_fastshare,
        "python->java Unix socket stream": uds("p2j", True),
        "java->python fastshare write+take(view)": java_to_python_fastshare(True),
        "java->python fastshare write+take(copy)": java_to_python_fastshare(False),
        "java->python Unix socket stream": uds("j2p", False),
    }
    samples: dict[str, list[int]] = {name: [] for name in operations}
    # phases of the single-process path, timed apart (write alone, read alone), for the report
    phases: dict[str, list[int]] = {"python fastshare write": [], "python fastshare read(view)": [],
                                    "python fastshare open() of the block": []}
    opens: dict[int, list[int]] = {}  # block size -> open()+close latencies
    try:
        for round_number in range(args.warmup + args.iterations):
            for name, operation in operations.items():
                start = time.perf_counter_ns()
                operation()
                elapsed = time.perf_counter_ns() - start
                if round_number >= args.warmup:
                    samples[name].append(elapsed)
            start = time.perf_counter_ns()
            token = fs.write(array, threshold=0, directory=directory)
            written = time.perf_counter_ns()
            view = fs.read(token, directory=directory)
            read = time.perf_counter_ns()
            with fs.open(token, directory=directory) as block:
                opened = time.perf_counter_ns()
                assert block.buffers[0][-1] == array[-1]
            del view
            fs.release(token, directory=directory)
            if round_number >= args.warmup:
                phases["python fastshare write"].append(written - start)
                phases["python fastshare read(view)"].append(read - written)
                phases["python fastshare open() of the block"].append(opened - read)
        for open_size in [parse_size(t) for t in args.open_sizes.split(",") if t]:
            token = fs.write(np.zeros(open_size // 4, dtype=np.float32), threshold=0, directory=directory)
            values = []
            for _ in range(args.warmup + max(args.iterations, 21)):
                start = time.perf_counter_ns()
                with fs.open(token, directory=directory) as block:
                    elapsed = time.perf_counter_ns() - start
                    assert block.size >= open_size
                values.append(elapsed)
            fs.release(token, directory=directory)
            opens[open_size // 4 * 4] = values[args.warmup:]
    finally:
        peer.close()
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(socket_dir, ignore_errors=True)

    rows = []
    measured = [(name, elements * 4, values) for name, values in {**samples, **phases}.items()]
    measured += [("python fastshare open()", size, values) for size, values in opens.items()]
    for name, size, values in measured:
        values = sorted(values)
        median = statistics.median(values)
        p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
        rows.append(f'{SUITE},"{name}",{TYPE},{size},{len(values)},{median:.0f},{values[0]:.0f},{p90:.0f},'
                    f'{values[-1]:.0f},{size / median:.3f}')
        print(f"{name:48} {size:>11} B median {median / 1e6:9.3f} ms  [min {values[0] / 1e6:.3f}, p90 {p90 / 1e6:.3f}]")
    with open(args.csv, "w") as f:
        f.write("suite,operation,type,bytes,samples,median_ns,min_ns,p90_ns,max_ns,median_gb_per_s\n")
        f.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
