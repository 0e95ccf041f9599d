"""Leases, kill -9 and cleanup: Python's janitor follows docs/janitor.md, and the Java janitor sees a
live Python writer as live and a killed one as dead."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import fastshare_interop as fs
from conftest import PACKAGE_ROOT, block_files

WRITER = os.path.join(os.path.dirname(__file__), "writer_child.py")


class Writer:
    def __init__(self, directory, count=2, incomplete=False):
        env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
        args = [sys.executable, WRITER, directory, str(count)] + (["--incomplete"] if incomplete else [])
        self.process = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.tokens, self.owner, self.writing = [], None, None
        for line in self.process.stdout:
            kind, _, rest = line.strip().partition(" ")
            if kind == "TOKEN":
                self.tokens.append(rest)
            elif kind == "OWNER":
                self.owner = rest
            elif kind == "WRITING":
                self.writing = os.path.basename(rest)
                break
            elif kind == "READY":
                break
        assert self.owner, "writer did not start"

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self.process.stdout.close()
        self.process.stdin.close()


def states(directory):
    return {b.name: b.state for b in fs.blocks(directory=directory)}


def test_lease_is_held_with_a_kernel_lock_while_the_writer_lives(blockdir):
    writer = Writer(blockdir)
    lease = os.path.join(blockdir, ".owners", writer.owner + ".lease")
    assert os.stat(lease).st_mode & 0o777 == 0o600
    assert set(states(blockdir).values()) == {"LIVE"}
    result = fs.cleanup(grace=0)
    assert result.cleaned == [] and result.leases_reclaimed == []
    writer.kill9()
    assert set(states(blockdir).values()) == {"ORPHANED"}
    assert os.path.exists(lease)  # a killed process cannot delete its lease; the lock is gone
    # within the grace period nothing is reclaimed, only reported
    kept = fs.cleanup()
    assert kept.cleaned == [] and len(kept.skipped) == 2
    # a reader still gets the handoff from the dead writer
    assert fs.read(writer.tokens[0])[0] == 0
    os.utime(lease, (time.time() - 10, time.time() - 10))
    dry = fs.cleanup(dry_run=True, grace=0)
    assert len(dry.cleaned) == 2 and dry.leases_reclaimed == [writer.owner] and len(block_files(blockdir)) == 2
    result = fs.cleanup(grace=0)
    assert sorted(s for _, s, _ in result.cleaned) == ["ORPHANED", "ORPHANED"]
    assert result.leases_reclaimed == [writer.owner] and not os.path.exists(lease)
    assert block_files(blockdir) == []


def test_half_written_block_of_a_killed_writer_is_incomplete(blockdir):
    writer = Writer(blockdir, count=0, incomplete=True)
    assert states(blockdir) == {writer.writing: "LIVE"}
    with pytest.raises(fs.CorruptBlockError, match="not committed"):
        fs.read("FSHR:shm:" + writer.writing)
    writer.kill9()
    assert states(blockdir) == {writer.writing: "INCOMPLETE"}
    assert [s for _, s, _ in fs.cleanup(grace=0).cleaned] == ["INCOMPLETE"]


def test_own_blocks_are_never_reclaimed_and_expired_ones_at_once(blockdir):
    live = fs.write(np.ones(10), threshold=0)
    expiring = fs.write(np.ones(10), threshold=0, ttl=0.05)
    time.sleep(0.1)
    assert states(blockdir) == {live[9:]: "LIVE", expiring[9:]: "EXPIRED"}
    result = fs.cleanup()  # default grace: expired blocks need none
    assert result.cleaned == [(expiring[9:], "EXPIRED", os.path.getsize(os.path.join(blockdir, live[9:])))]
    assert block_files(blockdir) == [live[9:]]


def test_corrupt_files_wait_for_the_grace_period_since_their_modification(blockdir):
    fs.write(np.ones(10), threshold=0)
    name = "FSHR_" + "ab" * 16
    path = os.path.join(blockdir, name)
    with open(path, "wb") as f:
        f.write(b"garbage")
    assert states(blockdir)[name] == "CORRUPT"
    assert fs.cleanup(grace=3600).cleaned == []
    os.utime(path, (time.time() - 7200, time.time() - 7200))
    assert [c[0] for c in fs.cleanup(grace=3600).cleaned] == [name]


def test_other_files_are_never_touched(blockdir):
    fs.write(np.ones(10), threshold=0)
    for other in ("notes.txt", "FSHR_123", "FSHR_" + "A" * 32):
        with open(os.path.join(blockdir, other), "w") as f:
            f.write("x")
    fs.cleanup(grace=0)
    assert {"notes.txt", "FSHR_123", "FSHR_" + "A" * 32} <= set(os.listdir(blockdir))


def test_java_janitor_sees_a_live_python_writer_live_and_a_killed_one_dead(blockdir, java_peer):
    writer = Writer(blockdir)
    out = java_peer.run("states", blockdir)
    assert sorted(out.split()) == sorted(f"{t[9:]}=LIVE" for t in writer.tokens) or out.count("=LIVE") == 2, out
    writer.kill9()
    out = java_peer.run("states", blockdir)
    assert out.count("=ORPHANED") == 2, out
    out = java_peer.run("cleanup", blockdir)
    assert "cleaned=2" in out, out
    assert block_files(blockdir) == []


def test_blocks_survive_a_multiprocessing_child_and_the_resource_tracker(blockdir):
    """Blocks are plain files, never multiprocessing.shared_memory segments: the resource tracker that
    unlinks leaked segments at exit knows nothing of them."""
    import multiprocessing
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        token = pool.apply(_write_in_child, (blockdir,))
    time.sleep(0.5)  # the child and its resource tracker have exited
    assert fs.read(token).sum() == 1000
    assert states(blockdir) == {token[9:]: "ORPHANED"}


def _write_in_child(directory):
    from multiprocessing import resource_tracker  # noqa: F401  (started, as in any multiprocessing app)
    return fs.write(np.ones(1000, dtype=np.float32), threshold=0, directory=directory)


def test_forked_child_takes_its_own_lease(blockdir):
    parent_token = fs.write(np.ones(10), threshold=0)
    pid = os.fork()
    if pid == 0:
        try:
            token = fs.write(np.ones(10), threshold=0)
            os._exit(0 if fs.blocks()[0].owner != fs.blocks()[1].owner and token else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # the child exited and deleted its own lease; the parent's lease and block are untouched
    st = states(blockdir)
    assert st[parent_token[9:]] == "LIVE" and sorted(st.values()) == ["LIVE", "ORPHANED"]


def test_python_janitor_sees_a_live_java_writer_live_and_a_killed_one_dead(blockdir, java_peer):
    java = subprocess.Popen(java_peer.command("hold", blockdir), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        tokens = [java.stdout.readline().split()[1] for _ in range(2)]
        owner = java.stdout.readline().split()[1]
        # Python's shared-lock probe meets the JVM's exclusive FileChannel lock
        assert states(blockdir) == {t[9:]: "LIVE" for t in tokens}
        assert fs.cleanup(grace=0).cleaned == []
        assert fs.read(tokens[1]) == "held by java"
        java.send_signal(signal.SIGKILL)
        java.wait(30)
    finally:
        if java.poll() is None:
            java.kill()
        java.stdout.close()
        java.stdin.close()
    assert states(blockdir) == {t[9:]: "ORPHANED" for t in tokens}
    lease = os.path.join(blockdir, ".owners", owner + ".lease")
    os.utime(lease, (time.time() - 10, time.time() - 10))
    result = fs.cleanup(grace=0)
    assert sorted(s for _, s, _ in result.cleaned) == ["ORPHANED", "ORPHANED"]
    assert result.leases_reclaimed == [owner] and not os.path.exists(lease)
