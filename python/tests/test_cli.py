"""python -m fastshare_interop cleanup|list with the original's flags."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

import fastshare_interop as fs
from conftest import PACKAGE_ROOT, block_files


def cli(*args, directory=None):
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    if directory:
        env["FASTSHARE_DIRECTORY"] = directory
    return subprocess.run([sys.executable, "-m", "fastshare_interop", *args], env=env, capture_output=True, text=True,
                          timeout=60)


def test_list_and_cleanup(blockdir):
    live = fs.write(np.ones(10), threshold=0)
    expired = fs.write(np.ones(10), threshold=0, ttl=0.01)
    out = cli("list", directory=blockdir)
    assert out.returncode == 0 and live[9:] in out.stdout and "2 blocks" in out.stdout
    listed = json.loads(cli("list", "--json", directory=blockdir).stdout)
    assert {b["name"]: b["state"] for b in listed} == {live[9:]: "LIVE", expired[9:]: "EXPIRED"}
    dry = cli("cleanup", "--dry-run", "--verbose", directory=blockdir)
    assert dry.returncode == 0 and f"would reclaim {expired[9:]} EXPIRED" in dry.stdout
    assert len(block_files(blockdir)) == 2
    quiet = cli("cleanup", "--quiet", "--grace", "0", directory=blockdir)
    assert quiet.returncode == 0 and quiet.stdout == ""
    assert block_files(blockdir) == [live[9:]]  # the live owner (this process) keeps its block
    assert cli("cleanup", "-n", "-v", "-q", "--dir", blockdir).returncode == 0


def test_usage_errors_exit_2(blockdir):
    assert cli("frobnicate").returncode == 2
    assert cli("cleanup", "--grace", "soon").returncode == 2
