"""SharedData: a value written once to shared memory and loaded by many processes, each decoding and
mapping it once."""
from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

import fastshare_interop as fs
from conftest import block_files


def test_shared_data_properties_and_release(blockdir):
    model = {"weights": np.arange(1000, dtype=np.float32), "name": "tiny"}
    with fs.SharedData(model) as shared:
        assert shared.token == "FSHR:shm:" + shared.name and shared.name in block_files(blockdir)
        assert shared.size == fs.blocks()[0].size
        first = fs.SharedData.load(shared.token)
        assert fs.SharedData.load(shared.token) is first
        assert fs.SharedData.load(shared.name) is first  # a block name works as well as the token
    assert block_files(blockdir) == []
    assert fs.SharedData.load(shared.token) is first  # cached values outlive the block
    fs.SharedData.clear_cache()
    with pytest.raises(fs.BlockNotFoundError):
        fs.SharedData.load(shared.token)


def test_small_values_are_shared_too(blockdir):
    shared = fs.SharedData(b"x")
    assert shared.token.startswith("FSHR:shm:")
    assert fs.SharedData.load(shared.token) == b"x"
    shared.release()


def _worker(token, directory):
    value = fs.SharedData.load(token, directory=directory)
    again = fs.SharedData.load(token, directory=directory)
    with open("/proc/self/maps") as f:
        mappings = sum(1 for line in f if token[9:] in line)
    return float(value["v"].sum()), value is again, mappings


def test_four_worker_processes_map_the_block_once_each(blockdir):
    with fs.SharedData({"v": np.ones(1_000_000, dtype=np.float32)}) as shared:
        with multiprocessing.get_context("spawn").Pool(4) as pool:
            results = pool.starmap(_worker, [(shared.token, blockdir)] * 4)
    assert results == [(1_000_000.0, True, 1)] * 4
