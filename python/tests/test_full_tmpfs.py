"""A full block filesystem: writes fail cleanly with AllocationError (or fall back inline), never
leave a partial file, never crash. Needs root to mount a small tmpfs; skipped visibly otherwise."""
from __future__ import annotations

import os
import subprocess
import tempfile

import numpy as np
import pytest

import fastshare_interop as fs
from conftest import block_files


@pytest.fixture
def small_tmpfs():
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root: full-filesystem test skipped")
    mount_point = tempfile.mkdtemp(prefix="fastshare-full-")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", mount_point],
                          capture_output=True, text=True)
    if done.returncode != 0:
        os.rmdir(mount_point)
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): full-filesystem test skipped")
    try:
        yield os.path.join(mount_point, "blocks")
    finally:
        subprocess.run(["umount", "-l", mount_point], check=False)
        os.rmdir(mount_point)


def test_full_filesystem_fails_cleanly_and_leaves_no_partial_file(small_tmpfs):
    tokens = []
    errors = 0
    for i in range(40):
        try:
            tokens.append(fs.write(np.full(100_000, i, dtype=np.float32), threshold=0, fallback=False,
                                   directory=small_tmpfs))
        except fs.AllocationError as e:
            assert "shared memory is full" in str(e)
            errors += 1
    assert tokens and errors
    assert sorted(block_files(small_tmpfs)) == sorted(t[9:] for t in tokens)  # only committed blocks
    for i, token in enumerate(tokens):
        assert fs.read(token, directory=small_tmpfs)[0] == i
    # the check before writing passed, the write itself hit ENOSPC: still clean
    from fastshare_interop import _directory
    original = _directory.free_bytes
    _directory.free_bytes = lambda path: -1
    try:
        with pytest.raises(fs.AllocationError):
            fs.write(np.zeros(1_000_000, dtype=np.float32), threshold=0, fallback=False, directory=small_tmpfs)
    finally:
        _directory.free_bytes = original
    assert sorted(block_files(small_tmpfs)) == sorted(t[9:] for t in tokens)
    # the inline fallback carries what shared memory cannot
    token = fs.write(np.ones(100_000, dtype=np.float32), threshold=0, directory=small_tmpfs)
    assert token.startswith("FSHR:inl:") and fs.read(token).sum() == 100_000
    with pytest.raises(fs.AllocationError, match="inline"):
        fs.write(np.ones(100_000, dtype=np.float32), threshold=0, directory=small_tmpfs, max_inline_size=1000)
    for token in tokens:
        fs.release(token, directory=small_tmpfs)
    assert fs.write(np.ones(100_000, dtype=np.float32), threshold=0, directory=small_tmpfs).startswith("FSHR:shm:")
