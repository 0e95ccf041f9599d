"""Pooled blocks: Python's reader side of the slot protocol (docs/block-format.md, "Pooled blocks"),
against segment files built here byte by byte from the spec. The Java owner side is exercised by
fastshare-python-tests (PooledBlocksTest)."""
from __future__ import annotations

import base64
import fcntl
import os
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

import fastshare_interop as fs

SLOT_SIZE = 64 * 1024


def inline_block(value) -> bytes:
    token = fs.write(value, threshold=10 ** 9)
    data = token[len("FSHR:inl:"):]
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def make_segment(directory, blocks, slots=4, state=1, generation=5):
    """A segment as an owner would leave it: header, slot table, each block PUBLISHED in its slot."""
    pool = os.path.join(directory, ".pool")
    os.makedirs(pool, exist_ok=True)
    name = "FSHP_" + os.urandom(16).hex()
    data = bytearray(4096 + slots * SLOT_SIZE)
    struct.pack_into("<4sHHIIQQ16sqq", data, 0, b"FSHP", 1, 4096, state, slots, SLOT_SIZE, 4096, b"\1" * 16,
                     int(time.time() * 1000), os.getpid())
    tokens = []
    for slot, block in enumerate(blocks):
        struct.pack_into("<I4xQQq", data, 256 + 64 * slot, 2, generation, len(block), int(time.time() * 1000))
        data[4096 + slot * SLOT_SIZE:4096 + slot * SLOT_SIZE + len(block)] = block
        tokens.append(f"FSHR:pool:{name}.{slot}.{generation}")
    path = os.path.join(pool, name)
    with open(path, "wb") as f:
        f.write(data)
    return path, tokens


def slot_state(path, slot):
    """Reads a slot's state word from another process: closing a descriptor of the segment here would
    drop this process's pins on it (POSIX record locks belong to the process)."""
    code = ("import os, struct, sys\nfd = os.open(sys.argv[1], os.O_RDONLY)\n"
            "print(struct.unpack('<I', os.pread(fd, 4, 256 + 64 * int(sys.argv[2])))[0])\n")
    return int(subprocess.run([sys.executable, "-c", code, path, str(slot)], capture_output=True, text=True).stdout)


def pin_is_held(path, slot) -> bool:
    """Asks from another process whether anyone pins the slot (an exclusive lock on its pin byte fails)."""
    code = ("import fcntl, os, sys\nfd = os.open(sys.argv[1], os.O_RDWR)\ntry:\n"
            "    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, int(sys.argv[2]))\nexcept OSError:\n    sys.exit(7)\n")
    return subprocess.run([sys.executable, "-c", code, path, str(256 + 64 * slot + 1)]).returncode == 7


def test_read_open_take_release(blockdir):
    path, tokens = make_segment(blockdir, [inline_block(np.arange(1000, dtype=np.float32)),
                                           inline_block({"v": np.arange(10, dtype=np.int64), "s": "x"}),
                                           inline_block("hello"), inline_block(b"bytes")])
    array = fs.read(tokens[0])
    assert array.dtype == np.float32 and array[999] == 999 and not array.flags.writeable
    with fs.open(tokens[1]) as block:
        assert block.value["s"] == "x" and list(block.value["v"]) == list(range(10))
    assert fs.take(tokens[2]) == "hello"
    assert slot_state(path, 2) == 0  # FREE again once the taker is done
    with pytest.raises(fs.BlockNotFoundError):
        fs.take(tokens[2])
    assert fs.release(tokens[3]) is True and slot_state(path, 3) == 0
    assert fs.release(tokens[3]) is False
    with pytest.raises(fs.BlockNotFoundError):
        fs.read(tokens[3])


def test_a_zero_copy_read_pins_the_slot_until_its_last_view_dies(blockdir):
    path, tokens = make_segment(blockdir, [inline_block(np.arange(1000, dtype=np.float32))])
    view = fs.read(tokens[0])
    assert pin_is_held(path, 0)
    part = view[10:20]
    del view
    assert pin_is_held(path, 0)
    del part
    assert not pin_is_held(path, 0)
    copy = fs.read(tokens[0], readonly=False)
    assert not pin_is_held(path, 0) and copy.flags.writeable
    with fs.open(tokens[0]) as block:
        assert block.buffers[0][5] == 5 and pin_is_held(path, 0)
    assert not pin_is_held(path, 0)


def test_a_taken_block_stays_claimed_while_its_views_live(blockdir):
    path, tokens = make_segment(blockdir, [inline_block(np.arange(1000, dtype=np.float32))])
    value = fs.take(tokens[0])
    assert slot_state(path, 0) == 3 and pin_is_held(path, 0)  # CLAIMED, pinned
    assert value.sum() == np.arange(1000).sum()
    del value
    assert slot_state(path, 0) == 0 and not pin_is_held(path, 0)


def test_stale_and_missing_references_are_not_found(blockdir):
    path, tokens = make_segment(blockdir, [inline_block("x")])
    name = os.path.basename(path)
    for token in (f"FSHR:pool:{name}.0.6", f"FSHR:pool:{name}.0.4", f"FSHR:pool:{name}.3.5",
                  f"FSHR:pool:{name}.31.5", "FSHR:pool:FSHP_" + "0" * 32 + ".0.1"):
        for call in (fs.read, fs.take, fs.open):
            with pytest.raises(fs.BlockNotFoundError):
                call(token)
        assert fs.release(token) is False
    # a slot an owner is writing again (pin byte held exclusively) is not found
    fd = os.open(path, os.O_RDWR)
    code = ("import fcntl, os, sys, time\nfd = os.open(sys.argv[1], os.O_RDWR)\n"
            "fcntl.lockf(fd, fcntl.LOCK_EX, 1, 257)\nprint('held', flush=True)\nsys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(fs.BlockNotFoundError, match="written again"):
        fs.read(tokens[0])
    holder.stdin.close()
    holder.wait(30)
    os.close(fd)
    assert fs.read(tokens[0]) == "x"


def test_a_release_caught_between_length_and_state_is_not_found(blockdir):
    # A release writes the slot's length (0) before its state word: a reader in between sees PUBLISHED
    # with length 0, which is a block going away, not a corrupt one.
    path, tokens = make_segment(blockdir, [inline_block("x")])
    with open(path, "r+b") as f:
        f.seek(256 + 16)
        f.write(struct.pack("<Q", 0))
    for call in (fs.read, fs.take, fs.open):
        with pytest.raises(fs.BlockNotFoundError, match="released"):
            call(tokens[0])


@pytest.mark.parametrize("token", ["FSHR:pool:", "FSHR:pool:FSHP_" + "0" * 32, "FSHR:pool:FSHP_" + "0" * 32 + ".32.1",
                                   "FSHR:pool:FSHP_" + "0" * 32 + ".01.1", "FSHR:pool:FSHP_" + "0" * 32 + ".1.0",
                                   "FSHR:pool:FSHP_" + "0" * 32 + ".1.1.", "FSHR:pool:FSHP_" + "A" * 32 + ".1.1",
                                   "FSHR:pool:FSHP_" + "0" * 32 + ".1." + "9" * 19, "FSHR:pool:../x.1.1"])
def test_malformed_pool_tokens_are_invalid(blockdir, token):
    for call in (fs.read, fs.take, fs.open, fs.release):
        with pytest.raises(fs.InvalidTokenError):
            call(token)


def test_retired_and_corrupt_segments(blockdir):
    _, retired = make_segment(blockdir, [inline_block("x")], state=2)
    with pytest.raises(fs.BlockNotFoundError):
        fs.read(retired[0])
    path, tokens = make_segment(blockdir, [inline_block("x")])
    with open(path, "r+b") as f:
        f.truncate(4096 + SLOT_SIZE)
    with pytest.raises(fs.CorruptBlockError):
        fs.read(tokens[0])
    path, tokens = make_segment(blockdir, [inline_block(np.arange(100, dtype=np.float64))])
    with open(path, "r+b") as f:
        f.seek(4096 + 195)
        f.write(b"\xff")  # inside the block's metadata: header checksum
    with pytest.raises(fs.CorruptBlockError, match="checksum"):
        fs.read(tokens[0])
    assert not pin_is_held(path, 0)
    with open(path, "r+b") as f:
        f.seek(256 + 16)
        f.write(struct.pack("<Q", SLOT_SIZE + 1))  # block length past the slot
    with pytest.raises(fs.CorruptBlockError):
        fs.read(tokens[0])


def test_python_janitor_and_listing_leave_the_pool_alone(blockdir):
    path, _ = make_segment(blockdir, [inline_block("x")])
    fs.write(np.ones(10), threshold=0)
    assert len(fs.blocks()) == 1
    fs.cleanup(grace=0)
    assert os.path.exists(path)
