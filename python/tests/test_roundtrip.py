"""Values written by Python read back by Python: every element type, shapes, inline and shared."""
from __future__ import annotations

import datetime
import os

import numpy as np
import pytest

import fastshare_interop as fs
from conftest import block_files

DTYPES = ["float32", "float64", "int8", "uint8", "int16", "uint16", "int32", "int64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(0,), (7,), (300_000,), (3, 4), (2, 3, 4), (2, 2, 2, 2)])
def test_arrays_round_trip_with_dtype_and_shape(blockdir, dtype, shape):
    array = (np.arange(int(np.prod(shape))) % 100).astype(dtype).reshape(shape)
    token = fs.write(array)
    value = fs.read(token)
    if dtype in ("int8", "uint8") and len(shape) == 1:
        # a rank-1 byte array at the root is Java's byte[]: it reads back as a read-only memoryview
        assert isinstance(value, memoryview) and value.readonly
        assert bytes(value) == array.tobytes()
    else:
        assert isinstance(value, np.ndarray)
        # int8 at the root travels as Java's byte[] (BYTES), so it comes back unsigned
        assert value.dtype == np.dtype("uint8" if dtype == "int8" else dtype) and value.shape == shape
        assert value.tobytes() == array.tobytes()
        if dtype != "int8":
            np.testing.assert_array_equal(value, array)
    fs.release(token)
    assert block_files(blockdir) == []


def test_big_endian_and_strided_arrays_are_written_little_endian_and_contiguous(blockdir):
    big = np.arange(10, dtype=">f8")
    strided = np.arange(20, dtype=np.int32)[::2]
    np.testing.assert_array_equal(fs.read(fs.write(big, threshold=0)), big)
    np.testing.assert_array_equal(fs.read(fs.write(strided, threshold=0)), strided)


@pytest.mark.parametrize("value", [b"", b"hello", bytearray(b"\x00\xff" * 5000), memoryview(b"abc" * 1000)])
def test_bytes_likes_read_back_as_bytes(blockdir, value):
    for threshold in (0, fs.DEFAULT_THRESHOLD):
        read = fs.read(fs.write(value, threshold=threshold))
        assert read == bytes(value)


@pytest.mark.parametrize("text", ["", "hello", "héllo wörld ✓ 𝄞", "x" * 2_000_000])
def test_strings_round_trip(blockdir, text):
    assert fs.read(fs.write(text)) == text


def test_structures_with_arrays_anywhere(blockdir):
    value = {
        "model": "minilm",
        "ids": ["a", "b"],
        "vectors": np.random.default_rng(1).random((2, 384), dtype=np.float32),
        "nested": [{"k": np.arange(5, dtype=np.int64)}, 3, 2.5, None, True, b"raw"],
        "signed": np.array([-1, 2], dtype=np.int8),
        "big": 10 ** 30,
    }
    for threshold in (0, fs.DEFAULT_THRESHOLD):
        read = fs.read(fs.write(value, threshold=threshold))
        assert read["model"] == "minilm" and read["ids"] == ["a", "b"]
        np.testing.assert_array_equal(read["vectors"], value["vectors"])
        assert read["vectors"].dtype == np.float32
        np.testing.assert_array_equal(read["nested"][0]["k"], np.arange(5))
        assert read["nested"][1:5] == [3, 2.5, None, True]
        assert read["nested"][5] == b"raw"
        assert read["signed"].dtype == np.int8 and list(read["signed"]) == [-1, 2]
        assert read["big"] == 10 ** 30


@pytest.mark.parametrize("value", [42, 2.5, True, [1, 2], (1, "a"), {"a": 1}, np.float32(1.5), np.array(3)])
def test_scalars_and_small_structures(blockdir, value):
    expected = value.item() if isinstance(value, (np.generic, np.ndarray)) else value
    expected = list(expected) if isinstance(expected, tuple) else expected
    assert fs.read(fs.write(value)) == expected


@pytest.mark.parametrize("value", [object(), {1.5: "x"}, float("nan"), {"a": float("inf")},
                                   np.zeros(3, dtype=np.complex64), np.zeros(3, dtype=bool),
                                   np.zeros((1, 1, 1, 1, 1), dtype=np.float32)])
def test_values_that_cannot_travel_raise_codec_error(blockdir, value):
    with pytest.raises(fs.CodecError):
        fs.write(value)
    assert block_files(blockdir) == []


def test_threshold_chooses_inline_or_shared(blockdir):
    small = np.zeros(10, dtype=np.float32)
    assert fs.write(small).startswith("FSHR:inl:")
    assert fs.write(small, threshold=0).startswith("FSHR:shm:FSHR_")
    large = np.zeros(300_000, dtype=np.float32)
    assert fs.write(large).startswith("FSHR:shm:")
    assert fs.write(large, threshold=10_000_000).startswith("FSHR:inl:")


def test_directory_keyword_beats_the_environment(blockdir, tmp_path):
    other = str(tmp_path / "blocks")
    token = fs.write(np.ones(4), threshold=0, directory=other)
    assert len(block_files(other)) == 1 and block_files(blockdir) == []
    with pytest.raises(fs.BlockNotFoundError):
        fs.read(token)
    np.testing.assert_array_equal(fs.read(token, directory=other), np.ones(4))
    assert fs.release(token, directory=other)


def test_block_files_are_private_and_directories_owner_only(blockdir):
    token = fs.write(np.ones(4), threshold=0)
    name = token.split(":")[2]
    assert os.stat(os.path.join(blockdir, name)).st_mode & 0o777 == 0o600
    assert os.stat(blockdir).st_mode & 0o777 == 0o700
    assert os.stat(os.path.join(blockdir, ".owners")).st_mode & 0o777 == 0o700


def test_ttl_and_checksum_are_recorded(blockdir):
    token = fs.write(np.ones(1000), threshold=0, ttl=datetime.timedelta(minutes=3), checksum=True)
    with fs.open(token) as block:
        assert block.expires - block.created == pytest.approx(180, abs=0.01)
    info = fs.blocks()[0]
    assert info.state == "LIVE" and info.mine and info.expires is not None
    with pytest.raises(ValueError):
        fs.write(np.ones(10), ttl=0)
