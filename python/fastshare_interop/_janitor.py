"""Listing and cleanup with the same rules as the Java janitor (docs/janitor.md): states LIVE,
EXPIRED, ORPHANED, INCOMPLETE, CORRUPT; owner liveness from kernel locks on lease files, never from
process ids; a grace period measured from a block's last write. Safe to run next to Java and Python
janitors at once. Thread-safe."""
from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, field

from . import _directory, _format as fmt, _lease, _store, _tokens
from .errors import BlockNotFoundError, CorruptBlockError, FastShareError

LIVE, EXPIRED, ORPHANED, INCOMPLETE, CORRUPT = "LIVE", "EXPIRED", "ORPHANED", "INCOMPLETE", "CORRUPT"
#: Default grace period, seconds.
DEFAULT_GRACE = 60.0
#: Youngest lease file a cleanup probes and deletes, whatever the grace period.
MIN_LEASE_AGE = 2.0


@dataclass(frozen=True)
class BlockInfo:
    """One block of the directory as a janitor sees it."""

    name: str
    size: int
    state: str
    owner: str | None
    pid: int
    created: float | None
    expires: float | None
    age: float
    mine: bool

    @property
    def token(self) -> str:
        return _tokens.SHARED_PREFIX + self.name


@dataclass
class CleanupResult:
    """What a cleanup reclaimed (or, in a dry run, would reclaim), skipped and failed to delete."""

    cleaned: list[tuple[str, str, int]] = field(default_factory=list)  # (name, state, bytes)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    bytes_reclaimed: int = 0
    dry_run: bool = False
    leases_reclaimed: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.cleaned)


@dataclass
class _Examined:
    name: str
    path: str
    info: BlockInfo | None
    problem: str | None
    last_written: float


def _grace_seconds(grace) -> float:
    seconds = grace.total_seconds() if hasattr(grace, "total_seconds") else float(grace)
    if seconds < 0:
        raise ValueError(f"grace must not be negative: {grace!r}")
    return seconds


class _Scan:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.liveness: dict[bytes, bool] = {}
        self.now = time.time()

    def alive(self, owner: bytes) -> bool:
        if _lease.held_by_this_process(owner):
            return True
        if owner not in self.liveness:
            self.liveness[owner] = _lease.probe(self.directory, owner) in (_lease.ALIVE, _lease.UNKNOWN)
        return self.liveness[owner]

    def all(self) -> list[_Examined]:
        try:
            names = sorted(n for n in os.listdir(self.directory) if _tokens.is_block_name(n))
        except FileNotFoundError:
            return []
        except OSError as e:
            raise FastShareError(f"cannot list block directory {self.directory}: {e}") from e
        out = []
        for name in names:
            examined = self.examine(name)
            if examined is not None:
                out.append(examined)
        return out

    def examine(self, name: str) -> _Examined | None:
        path = os.path.join(self.directory, name)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError as e:
            return _Examined(name, path, None, f"cannot read file attributes: {e}", 0)
        if not stat.S_ISREG(st.st_mode):
            return _Examined(name, path, None, "not a regular file (symlink, FIFO or directory): left alone", 0)
        if st.st_nlink > 1:
            # fastshare never links a block: a second name may be this process's lease file, and opening
            # then closing a descriptor on it would drop the lease's lock
            return _Examined(name, path, None, f"{st.st_nlink} hard links, so not a block fastshare wrote: left alone",
                             0)
        modified = st.st_mtime
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as e:
            return _Examined(name, path, None, f"cannot read: {e}", 0)
        try:
            size = os.fstat(fd).st_size
            head = os.pread(fd, fmt.HEADER_LENGTH, 0)
        except OSError as e:
            return _Examined(name, path, None, f"cannot read: {e}", 0)
        finally:
            os.close(fd)
        try:
            header = fmt.peek(head, size, name)
        except CorruptBlockError:
            return self.classify(name, path, size, modified, None, "not a fastshare block header")
        if not header.committed:
            return self.classify(name, path, size, modified, header, "not committed")
        try:
            mapped = _store.map_block(self.directory, name, verify_payload=False)
            mapped.mapping.close()
        except BlockNotFoundError:
            return None
        except CorruptBlockError as e:
            return self.classify(name, path, size, modified, header, str(e), corrupt=True)
        except FastShareError as e:
            return _Examined(name, path, None, f"cannot read: {e}", 0)
        return self.classify(name, path, size, modified, header, None)

    def classify(self, name, path, size, modified, header, problem, corrupt=False) -> _Examined:
        now = self.now
        if header is None:
            info = BlockInfo(name, size, CORRUPT, None, -1, None, None, max(0.0, now - modified), False)
            return _Examined(name, path, info, problem, modified)
        owner = header.owner
        mine = _lease.held_by_this_process(owner)
        created = header.created_millis / 1000
        expires = header.expires_millis / 1000 if header.expires_millis else None
        last_written = max(created, modified)
        if corrupt:
            state, last_written = CORRUPT, modified
        elif not header.committed:
            state = LIVE if mine or self.alive(owner) else INCOMPLETE
        elif expires is not None and now >= expires:
            state = EXPIRED
        else:
            state = LIVE if mine or self.alive(owner) else ORPHANED
        info = BlockInfo(name, size, state, owner.hex(), header.pid, created, expires, max(0.0, now - created), mine)
        return _Examined(name, path, info, problem, last_written)


def blocks(*, directory=None) -> list[BlockInfo]:
    """Every block of the directory, sorted by name, with its state. Files that are not regular files
    or cannot be read are left out. Raises FastShareError when the directory cannot be listed."""
    scan = _Scan(_directory.resolve(directory))
    return [e.info for e in scan.all() if e.info is not None]


def cleanup(dry_run: bool = False, grace=DEFAULT_GRACE, *, directory=None) -> CleanupResult:
    """Reclaims expired blocks at once; orphaned, incomplete and corrupt ones once `grace` seconds (or a
    timedelta) have passed since their last write; and stale leases of dead owners. Never touches a
    live block of another process. Deletion failures are collected, not raised; a block another
    janitor removed first is reported as skipped.

    Raises FastShareError when the directory cannot be listed.
    """
    grace_s = _grace_seconds(grace)
    path = _directory.resolve(directory)
    scan = _Scan(path)
    result = CleanupResult(dry_run=dry_run)
    for examined in scan.all():
        info = examined.info
        if info is None:
            result.skipped.append((examined.name, examined.problem or "unreadable"))
            continue
        if info.state == LIVE:
            continue
        if info.state != EXPIRED:
            idle = scan.now - examined.last_written
            if idle < grace_s:
                result.skipped.append((info.name, f"{info.state.lower()}, within the grace period "
                                                  f"({int((grace_s - max(idle, 0)) * 1000)} ms left)"))
                continue
        if not dry_run:
            try:
                os.unlink(examined.path)
            except FileNotFoundError:
                result.skipped.append((info.name, "already gone: reclaimed or released by another process"))
                continue
            except OSError as e:
                result.failed.append((info.name, f"cannot delete {examined.path}: {e}"))
                continue
        result.cleaned.append((info.name, info.state, info.size))
        result.bytes_reclaimed += info.size
    _reclaim_leases(path, scan.now, max(grace_s, MIN_LEASE_AGE), dry_run, result)
    return result


def _reclaim_leases(directory: str, now: float, min_age: float, dry_run: bool, result: CleanupResult) -> None:
    owners = os.path.join(directory, _directory.OWNERS)
    try:
        names = sorted(os.listdir(owners))
    except FileNotFoundError:
        return
    except OSError as e:
        result.failed.append((_directory.OWNERS, f"cannot list leases: {e}"))
        return
    for file_name in names:
        if not file_name.endswith(_lease.SUFFIX):
            continue
        hex_id = file_name[:-len(_lease.SUFFIX)]
        if len(hex_id) != 32 or any(c not in "0123456789abcdef" for c in hex_id):
            continue
        owner = bytes.fromhex(hex_id)
        if _lease.held_by_this_process(owner):
            continue
        try:
            st = os.lstat(os.path.join(owners, file_name))
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < min_age:
            continue
        try:
            outcome = _lease.probe(directory, owner, delete=not dry_run)
        except FastShareError as e:
            result.failed.append((f"{_directory.OWNERS}/{file_name}", str(e)))
            continue
        if outcome in (_lease.DEAD, _lease.DELETED):
            result.leases_reclaimed.append(hex_id)
