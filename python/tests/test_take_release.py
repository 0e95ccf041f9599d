"""take is a claim-once handoff, also across processes; release is idempotent."""
from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

import fastshare_interop as fs
from conftest import block_files


def test_take_once(blockdir):
    token = fs.write(np.arange(10, dtype=np.float32), threshold=0)
    np.testing.assert_array_equal(fs.take(token), np.arange(10))
    with pytest.raises(fs.BlockNotFoundError):
        fs.take(token)
    with pytest.raises(fs.BlockNotFoundError):
        fs.read(token)
    assert block_files(blockdir) == []


def test_take_of_an_inline_token_just_reads(blockdir):
    token = fs.write("hi")
    assert fs.take(token) == "hi" and fs.take(token) == "hi"


def test_corrupt_block_is_not_deleted_by_take(blockdir):
    token = fs.write(np.arange(10, dtype=np.float32), threshold=0)
    path = f"{blockdir}/{token[9:]}"
    with open(path, "r+b") as f:
        f.seek(0)
        f.write(b"XXXX")
    with pytest.raises(fs.CorruptBlockError):
        fs.take(token)
    assert block_files(blockdir) == [token[9:]]
    fs.release(token)


def _taker(token, directory, start, results):
    start.wait()
    try:
        value = fs.take(token, directory=directory)
        results.put(("won", float(np.asarray(value).sum())))
    except fs.BlockNotFoundError:
        results.put(("lost", 0.0))


def test_take_race_between_python_processes_has_exactly_one_winner(blockdir):
    context = multiprocessing.get_context("spawn")
    for _ in range(2):
        token = fs.write(np.ones(100_000, dtype=np.float32), threshold=0)
        start, results = context.Event(), context.Queue()
        takers = [context.Process(target=_taker, args=(token, blockdir, start, results)) for _ in range(4)]
        for p in takers:
            p.start()
        start.set()
        outcomes = sorted(results.get(timeout=60) for _ in takers)
        for p in takers:
            p.join(60)
        assert [o[0] for o in outcomes] == ["lost", "lost", "lost", "won"]
        assert outcomes[-1][1] == 100_000
        assert block_files(blockdir) == []
