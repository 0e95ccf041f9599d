"""Shared fixtures: every test gets its own block directory on /dev/shm (tmpfs, the real thing),
removed afterwards; tests that need Java get its class path from ``--java-classpath`` (the Maven
module passes it) or ``FASTSHARE_JAVA_CLASSPATH``, and skip visibly without it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)


def pytest_addoption(parser):
    parser.addoption("--java-classpath", default=os.environ.get("FASTSHARE_JAVA_CLASSPATH"),
                     help="class path with fastshare-core and the Java test peer (io.fastshare.python.JavaPeer)")
    parser.addoption("--java", default=os.environ.get("FASTSHARE_JAVA", "java"), help="java executable")


@pytest.fixture
def blockdir(monkeypatch):
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    path = os.path.join(base or os.environ.get("TMPDIR", "/tmp"), "fastshare-pytest-" + uuid.uuid4().hex)
    monkeypatch.setenv("FASTSHARE_DIRECTORY", path)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def block_files(directory: str) -> list[str]:
    if not os.path.isdir(directory):
        return []
    return sorted(n for n in os.listdir(directory) if n.startswith("FSHR_"))


class JavaPeer:
    """Runs io.fastshare.python.JavaPeer commands in a child JVM."""

    def __init__(self, java: str, classpath: str) -> None:
        self.java = java
        self.classpath = classpath

    def command(self, *args: str) -> list[str]:
        return [self.java, "-Xmx256m", "-cp", self.classpath, "io.fastshare.python.JavaPeer", *args]

    def run(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"JavaPeer {args} failed ({done.returncode}): {done.stdout}\n{done.stderr}"
        return done.stdout


@pytest.fixture
def java_peer(request) -> JavaPeer:
    classpath = request.config.getoption("--java-classpath")
    if not classpath:
        pytest.skip("no Java class path: run through Maven (fastshare-python-tests) or set FASTSHARE_JAVA_CLASSPATH")
    return JavaPeer(request.config.getoption("--java"), classpath)


def python_child(code: str, *args: str, **kwargs) -> subprocess.Popen:
    """Starts a Python child that imports this package from the source tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = PACKAGE_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                            stdin=subprocess.PIPE, text=True, **kwargs)
