"""Malformed tokens are refused before any file is touched; missing blocks are BlockNotFoundError."""
from __future__ import annotations

import os

import numpy as np
import pytest

import fastshare_interop as fs
from conftest import block_files

BAD = [
    "", "FSHR", "FSHR:", "FSHR:shm:", "FSHR:shm:FSHR_", "FSHR:shm:FSHR_" + "A" * 32, "FSHR:shm:FSHR_" + "0" * 31,
    "FSHR:shm:FSHR_" + "0" * 33, "FSHR:shm:../../etc/passwd", "FSHR:shm:/etc/passwd", "FSHR:shm:FSHR_" + "0" * 31 + "/",
    "FSHR:shm:FSHR_" + "0" * 32 + "\n", "FSHR:shm:.owners/x", "FSHR:shm:FSHR_%2f" + "0" * 29, "fshr:shm:FSHR_" + "0" * 32,
    "FSHR:SHM:FSHR_" + "0" * 32, " FSHR:shm:FSHR_" + "0" * 32, "FSHR:xyz:abc", "FSHR:inl:", "FSHR:inl:A", "FSHR:inl:AAAA=",
    "FSHR:inl:!!!!", "FSHR:inl:AA AA", "FSHR:inl:" + "A" * 100, "FSHR:shm:FSHR_" + "٠" * 32, "FSHR:inl:\x00",
    "FSHR:shm:FSHR_" + "0" * 30 + "\ud800a", "FSHR:redis:abc", "FSHR:1shm:abc", "FSHR::abc", "FSHR:shm",
    "FSHR:abcdefghijklmnopq:x", "FSHR:pool:" + "a" * 256, "FSHR:pool:FSHP_" + "0" * 32 + ".1.1/",
]


@pytest.mark.parametrize("token", BAD)
def test_malformed_tokens_are_invalid(blockdir, token):
    for call in (fs.read, fs.take, fs.open):
        with pytest.raises(fs.InvalidTokenError):
            call(token)
    try:
        # release only parses: a well-formed inline token owns no block, whatever it holds
        assert fs.release(token) is False and token.startswith("FSHR:inl:")
    except fs.InvalidTokenError:
        pass
    assert not os.path.exists(blockdir)  # nothing was created or touched


@pytest.mark.parametrize("token", [None, 42, b"FSHR:inl:AAAA"])
def test_non_string_tokens_are_invalid(blockdir, token):
    with pytest.raises(fs.InvalidTokenError):
        fs.read(token)


def test_oversized_inline_token_is_refused_before_decoding(blockdir):
    token = fs.write(np.zeros(1000, dtype=np.float64), threshold=10 ** 9)
    with pytest.raises(fs.InvalidTokenError, match="inline limit"):
        fs.read(token, max_inline_size=1000)
    assert fs.read(token).shape == (1000,)


def test_missing_block_is_not_found(blockdir):
    token = "FSHR:shm:FSHR_" + "0" * 32
    for call in (fs.read, fs.take, fs.open):
        with pytest.raises(fs.BlockNotFoundError):
            call(token)
    assert fs.release(token) is False


def test_release_is_idempotent_and_inline_tokens_own_nothing(blockdir):
    token = fs.write(np.ones(10), threshold=0)
    assert fs.release(token) is True
    assert fs.release(token) is False
    assert fs.release(fs.write(np.ones(10))) is False
    assert block_files(blockdir) == []


def test_unknown_store_kinds_are_named(blockdir):
    with pytest.raises(fs.InvalidTokenError, match="'redis'"):
        fs.read("FSHR:redis:some-key")
