"""Owner leases (docs/janitor.md): a writer process holds an exclusive kernel lock on
``.owners/<ownerId hex>.lease`` for its whole life, so any janitor, Java or Python, can tell a live
writer from a dead one. The lock is a POSIX record lock over the whole file (``fcntl.lockf``), the
same lock Java's ``FileChannel.tryLock`` takes on Linux, so the two interoperate.

POSIX record locks belong to the process and are dropped when *any* descriptor of the file is
closed in that process. This module therefore keeps one descriptor per lease and never lets a probe
open a lease held by this process. Locks are not inherited across ``fork()``: a forked child forgets
the parent's leases and takes its own on its first write.

Thread-safe (a module lock guards the registry).
"""
from __future__ import annotations

import atexit
import errno
import fcntl
import os
import stat
import threading
import time
from dataclasses import dataclass

from ._directory import OWNERS
from .errors import FastShareError

SUFFIX = ".lease"


@dataclass
class Lease:
    """A held lease: owner id, the locked descriptor and the file."""

    owner: bytes
    fd: int
    path: str


_lock = threading.RLock()
_held: dict[str, Lease] = {}  # block directory -> this process's lease there
_held_owners: set[bytes] = set()


def lease_path(directory: str, owner: bytes) -> str:
    return os.path.join(directory, OWNERS, owner.hex() + SUFFIX)


def acquire(directory: str) -> Lease:
    """Returns this process's lease in a block directory, creating and locking it on first use.
    Raises FastShareError when the lease file cannot be created or locked."""
    with _lock:
        lease = _held.get(directory)
        if lease is not None:
            return lease
        owner = os.urandom(16)
        path = lease_path(directory, owner)
        _held_owners.add(owner)
        fd = -1
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            info = (f"owner={owner.hex()}\npid={os.getpid()}\nstarted="
                    f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\nruntime=python\n")
            os.pwrite(fd, info.encode("utf-8"), 0)
        except OSError as e:
            if fd >= 0:
                os.close(fd)
                _unlink_quietly(path)
            _held_owners.discard(owner)
            raise FastShareError(f"cannot create owner lease {path}: {e}") from e
        lease = Lease(owner, fd, path)
        _held[directory] = lease
        return lease


def held_by_this_process(owner: bytes) -> bool:
    """True when this process holds (or is acquiring) the lease of that owner: such a lease file
    must never be opened here, since closing the second descriptor would drop the lock."""
    with _lock:
        return owner in _held_owners


def release_all() -> None:
    """Deletes and unlocks every lease of this process (at interpreter exit). Blocks written under
    them then count as orphaned for janitors."""
    with _lock:
        for lease in _held.values():
            _unlink_quietly(lease.path)  # deleted while still locked: a probe can never see it unlocked
            try:
                os.close(lease.fd)
            except OSError:
                pass
        _held.clear()
        _held_owners.clear()


def _forget_after_fork() -> None:
    # The child holds none of the parent's locks; closing the inherited descriptors cannot affect the
    # parent's locks (they belong to the parent process), and the files stay the parent's.
    global _lock
    _lock = threading.RLock()
    for lease in _held.values():
        try:
            os.close(lease.fd)
        except OSError:
            pass
    _held.clear()
    _held_owners.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(release_all)


# ------------------------------------------------------------------------------------------- probing

ALIVE, DEAD, MISSING, DELETED, UNKNOWN = "HELD", "DEAD", "MISSING", "DELETED", "UNKNOWN"


def probe(directory: str, owner: bytes, delete: bool = False) -> str:
    """Asks the kernel whether an owner is alive: takes a *shared* lock on its lease through a
    read-only descriptor (conflicting with the owner's exclusive lock, not with other probes). Returns
    HELD or UNKNOWN (treat as alive), DEAD or MISSING (dead), or DELETED when `delete` removed a dead
    owner's lease while holding its lock."""
    if held_by_this_process(owner):
        return ALIVE
    path = lease_path(directory, owner)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return MISSING
    except OSError:
        return UNKNOWN
    if not stat.S_ISREG(st.st_mode):
        return MISSING  # never open a FIFO or follow a link: no lease file means no live owner
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return MISSING
    except OSError:
        return UNKNOWN
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as e:
            return ALIVE if e.errno in (errno.EACCES, errno.EAGAIN) else UNKNOWN
        if not delete:
            return DEAD
        try:
            os.unlink(path)
            return DELETED
        except FileNotFoundError:
            return MISSING
        except OSError as e:
            raise FastShareError(f"cannot delete stale lease {path}: {e}") from e
    finally:
        os.close(fd)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
