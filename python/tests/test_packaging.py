"""The package installs offline with `pip install --no-build-isolation ./python`."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import PACKAGE_ROOT


def test_pip_installs_offline_without_build_isolation(tmp_path):
    target = tmp_path / "site"
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps",
                           "--target", str(target), PACKAGE_ROOT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    check = subprocess.run([sys.executable, "-c", "import fastshare_interop as fs; print(fs.__file__, fs.__version__)"],
                           env=dict(os.environ, PYTHONPATH=str(target)), capture_output=True, text=True, cwd=tmp_path)
    assert check.returncode == 0 and check.stdout.startswith(str(target)), check.stdout + check.stderr
    assert (target / "bin" / "fastshare-interop").exists()
    assert not os.path.exists(os.path.join(PACKAGE_ROOT, "build"))  # nothing left in the source tree
