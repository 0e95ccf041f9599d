"""A PEP 517 build backend with nothing but the standard library.

The machines this project runs on have setuptools but not the ``wheel`` package, which setuptools
before 70.1 needs to build any wheel, and nothing can be downloaded; so ``pip install
--no-build-isolation ./python`` builds the wheel here: the package's .py files plus the dist-info
(METADATA, WHEEL, entry_points.txt, RECORD). PEP 660 editable installs get a .pth file pointing at
the source tree.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

NAME = "fastshare_interop"
DIST = "fastshare_interop"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _version() -> str:
    with open(os.path.join(ROOT, NAME, "__init__.py"), encoding="utf-8") as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


def _metadata() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (f"Metadata-Version: 2.1\nName: fastshare-interop\nVersion: {_version()}\n"
            "Summary: Zero-copy shared-memory handoff between Python and fastshare for Java, by token\n"
            "License: Apache-2.0\nRequires-Python: >=3.10\nRequires-Dist: numpy\n"
            f"Description-Content-Type: text/markdown\n\n{readme}")


_WHEEL = "Wheel-Version: 1.0\nGenerator: fastshare_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
_ENTRY_POINTS = "[console_scripts]\nfastshare-interop = fastshare_interop.__main__:main\n"


def _dist_info_files() -> dict[str, bytes]:
    info = f"{DIST}-{_version()}.dist-info"
    return {f"{info}/METADATA": _metadata().encode(), f"{info}/WHEEL": _WHEEL.encode(),
            f"{info}/entry_points.txt": _ENTRY_POINTS.encode(), f"{info}/top_level.txt": f"{NAME}\n".encode()}


def _package_files() -> dict[str, bytes]:
    files = {}
    for name in sorted(os.listdir(os.path.join(ROOT, NAME))):
        if name.endswith(".py"):
            with open(os.path.join(ROOT, NAME, name), "rb") as f:
                files[f"{NAME}/{name}"] = f.read()
    return files


def _write_wheel(directory: str, files: dict[str, bytes]) -> str:
    name = f"{DIST}-{_version()}-py3-none-any.whl"
    info = f"{DIST}-{_version()}.dist-info"
    records = []
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{path},sha256={digest},{len(data)}")
        records.append(f"{info}/RECORD,,")
        wheel.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    for path, data in _dist_info_files().items():
        target = os.path.join(metadata_directory, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    return f"{DIST}-{_version()}.dist-info"


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, {**_package_files(), **_dist_info_files()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, {f"{DIST}.pth": (ROOT + "\n").encode(), **_dist_info_files()})


def build_sdist(sdist_directory, config_settings=None):
    base = f"{DIST}-{_version()}"
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        for path in ["pyproject.toml", "README.md", "build_support/fastshare_build.py",
                     *(f"{NAME}/{n}" for n in sorted(os.listdir(os.path.join(ROOT, NAME))) if n.endswith(".py"))]:
            sdist.add(os.path.join(ROOT, path), arcname=f"{base}/{path}")
        pkg_info = _metadata().encode()
        entry = tarfile.TarInfo(f"{base}/PKG-INFO")
        entry.size = len(pkg_info)
        sdist.addfile(entry, io.BytesIO(pkg_info))
    return name
