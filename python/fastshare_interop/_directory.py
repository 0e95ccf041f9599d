"""Where blocks live: the ``directory=`` keyword, else ``FASTSHARE_DIRECTORY``, else
``/dev/shm/fastshare`` (``<tmp>/fastshare`` where ``/dev/shm`` does not exist), as on the Java side.
Thread-safe."""
from __future__ import annotations

import os
import stat
import tempfile

from .errors import AllocationError, FastShareError

ENVIRONMENT_VARIABLE = "FASTSHARE_DIRECTORY"
OWNERS = ".owners"


def default_directory() -> str:
    """The directory used when neither the keyword nor the environment variable names one."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return "/dev/shm/fastshare"
    return os.path.join(tempfile.gettempdir(), "fastshare")


def resolve(directory: str | os.PathLike | None) -> str:
    """The absolute block directory for a call."""
    chosen = directory if directory is not None else os.environ.get(ENVIRONMENT_VARIABLE) or default_directory()
    return os.path.abspath(os.fspath(chosen))


def ensure(path: str) -> str:
    """Creates the block directory and its lease directory (owner-only, ``rwx------``) if missing, as
    the Java side does; an existing directory is left as it is. Raises FastShareError when it cannot
    be created or is not a writable directory."""
    for d in (path, os.path.join(path, OWNERS)):
        try:
            os.makedirs(d, mode=0o700, exist_ok=True)
        except FileExistsError:
            pass
        except OSError as e:
            raise FastShareError(f"cannot create block directory {d}: {e}; create it or choose another "
                                 "directory") from e
    try:
        st = os.lstat(path)
    except OSError as e:
        raise FastShareError(f"block directory {path} cannot be read: {e}") from e
    if not stat.S_ISDIR(st.st_mode) or not os.access(path, os.W_OK):
        raise FastShareError(f"block directory {path} is not a writable directory")
    return path


def free_bytes(path: str) -> int:
    """Bytes available to this process in the directory's filesystem, -1 when unknown."""
    try:
        st = os.statvfs(path)
        return st.f_bavail * st.f_frsize
    except OSError:
        return -1


def full_error(what: str, path: str, cause: BaseException | None = None) -> AllocationError:
    """The one message for a full block filesystem (the Java side's wording)."""
    return AllocationError(f"shared memory is full: {what} {path} ({free_bytes(path)} bytes free); release "
                           "blocks, run cleanup, or enlarge the filesystem (Docker --shm-size, Kubernetes "
                           "emptyDir sizeLimit)")
