"""Zero-copy reads are read-only views of the mapping; readonly=False gives private copies."""
from __future__ import annotations

import os

import numpy as np
import pytest

import fastshare_interop as fs


def mappings_of(directory: str) -> int:
    with open("/proc/self/maps") as f:
        return sum(1 for line in f if directory in line)


def test_default_read_is_a_read_only_view_of_the_mapping(blockdir):
    array = np.arange(100_000, dtype=np.float32)
    token = fs.write(array, threshold=0)
    view = fs.read(token)
    assert not view.flags.writeable and not view.flags.owndata
    with pytest.raises(ValueError):
        view[0] = 1
    with pytest.raises(ValueError):
        view.setflags(write=True)
    assert mappings_of(blockdir) == 1
    fs.release(token)
    np.testing.assert_array_equal(view, array)  # released: the mapping keeps the data valid
    del view
    assert mappings_of(blockdir) == 0


def test_readonly_false_gives_private_writable_copies(blockdir):
    value = {"a": np.arange(10, dtype=np.int64), "b": b"bytes"}
    token = fs.write(value, threshold=0)
    copy = fs.read(token, readonly=False)
    assert copy["a"].flags.writeable and copy["a"].flags.owndata
    copy["a"][0] = 99
    assert isinstance(copy["b"], bytearray)
    copy["b"][0] = ord("B")
    assert mappings_of(blockdir) == 0
    again = fs.read(token)
    assert again["a"][0] == 0 and again["b"] == b"bytes"


def test_inline_reads_are_read_only_too(blockdir):
    token = fs.write(np.arange(10, dtype=np.float64))
    assert token.startswith("FSHR:inl:")
    assert not fs.read(token).flags.writeable
    assert fs.read(token, readonly=False).flags.writeable


def test_bytes_views_are_read_only(blockdir):
    view = fs.read(fs.write(b"x" * 2_000_000))
    assert isinstance(view, memoryview) and view.readonly
    with pytest.raises(TypeError):
        view[0] = 1


def test_open_gives_views_and_unmaps_on_exit(blockdir):
    token = fs.write({"v": np.arange(1000, dtype=np.float32), "name": "x"}, threshold=0)
    with fs.open(token) as block:
        assert block.codec == "json" and block.metadata.startswith(b"java.util.LinkedHashMap\n")
        assert block.value["v"].sum() == np.arange(1000).sum() and not block.value["v"].flags.writeable
        assert len(block.buffers) == 1 and block.buffers[0].shape == (1000,)
        assert mappings_of(blockdir) == 1
    assert mappings_of(blockdir) == 0
    with pytest.raises(ValueError):
        _ = block.buffers


def test_views_escaping_open_keep_the_mapping_alive(blockdir):
    token = fs.write(np.arange(1000, dtype=np.float32), threshold=0)
    with fs.open(token) as block:
        escaped = block.value
    fs.release(token)
    assert escaped[999] == 999  # still mapped, still valid
    del escaped, block
    assert mappings_of(blockdir) == 0


def test_take_returns_views_of_an_unlinked_block(blockdir):
    token = fs.write(np.arange(1000, dtype=np.int32), threshold=0)
    value = fs.take(token)
    assert os.listdir(blockdir) == [".owners"]
    assert value[-1] == 999 and not value.flags.writeable
