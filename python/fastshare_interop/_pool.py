"""Pooled blocks (docs/block-format.md, "Pooled blocks"): reading, taking and releasing blocks that a
Java process published in a slot of a segment file under ``<block directory>/.pool/``. Python does
not create segments; it speaks the slot protocol's reader side with the standard library's byte-range
locks (``fcntl.lockf``), which are the same POSIX record locks Java's ``FileChannel.tryLock`` takes.

A slot is *pinned* (pin byte locked shared) while anything of it is read or mapped: the owner reuses a
slot only when it can lock that byte exclusively. A zero-copy read keeps its pin exactly as long as
its mapping lives, i.e. until the last numpy view of it is garbage (a ``weakref.finalize`` on the
mapping drops the pin). POSIX record locks belong to the process and vanish when any descriptor of
the file is closed, so each segment has one descriptor per process, kept while any pin or call uses
it and closed only when none does (then no lock is held that closing could drop).

Thread-safe: a registry lock guards the segment table, a per-segment lock the pin counts and the
state-lock sections (POSIX locks do not exclude threads of one process).
"""
from __future__ import annotations

import errno
import fcntl
import mmap
import os
import re
import stat
import struct
import threading
import time
import weakref
from dataclasses import dataclass, field

from . import _format as fmt
from .errors import BlockNotFoundError, CorruptBlockError, FastShareError, InvalidTokenError

POOL_DIRECTORY = ".pool"
MAGIC = b"FSHP"
VERSION = 1
DATA_OFFSET = 4096
MAX_SLOTS = 32
SLOT_TABLE = 256
ENTRY_LENGTH = 64
SEGMENT_ACTIVE = 1
FREE, WRITING, PUBLISHED, CLAIMED = 0, 1, 2, 3

_KEY = re.compile(r"(FSHP_[0-9a-f]{32})\.(0|[1-9][0-9]?)\.([1-9][0-9]{0,17})")
_HEADER = struct.Struct("<4sHHIIQQ16sqq")  # magic .. pid, 64 bytes
_ENTRY = struct.Struct("<I4xQQq")  # state, generation, blockLength, stateMillis


@dataclass(frozen=True)
class SlotRef:
    """One publication of a pooled block: segment file name, slot index, generation."""

    segment: str
    slot: int
    generation: int

    @property
    def key(self) -> str:
        return f"{self.segment}.{self.slot}.{self.generation}"


def parse_key(key: str) -> SlotRef:
    """Parses ``FSHP_<32 hex>.<slot>.<generation>``; raises InvalidTokenError otherwise."""
    match = _KEY.fullmatch(key)
    if not match or int(match.group(2)) >= MAX_SLOTS:
        shown = key if len(key) <= 80 else key[:80] + "..."
        raise InvalidTokenError(f"invalid pooled block key: {shown!r}")
    return SlotRef(match.group(1), int(match.group(2)), int(match.group(3)))


@dataclass
class _Segment:
    path: str
    fd: int
    writable: bool
    users: int = 0
    pins: dict = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)


_registry_lock = threading.Lock()
_segments: dict[str, _Segment] = {}


def _forget_after_fork() -> None:
    # a forked child holds none of the parent's locks: it starts with no segments
    global _registry_lock
    _registry_lock = threading.Lock()
    for segment in _segments.values():
        try:
            os.close(segment.fd)
        except OSError:
            pass
    _segments.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


def _not_found(ref: SlotRef, why: str) -> BlockNotFoundError:
    return BlockNotFoundError(f"pooled block {ref.key} not found: {why}")


def _use(directory: str, ref: SlotRef) -> _Segment:
    path = os.path.join(directory, POOL_DIRECTORY, ref.segment)
    with _registry_lock:
        segment = _segments.get(path)
        if segment is None:
            segment = _open_segment(path, ref)
            _segments[path] = segment
        segment.users += 1
        return segment


def _open_segment(path: str, ref: SlotRef) -> _Segment:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise _not_found(ref, "its segment is gone (released by its owner, or reclaimed)") from None
    except OSError as e:
        raise FastShareError(f"cannot inspect pool segment {path}: {e}") from e
    if not stat.S_ISREG(st.st_mode) or st.st_nlink > 1:
        raise _not_found(ref, f"{path} is not a segment fastshare wrote (not a regular file, or hard-linked)")
    flags = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    writable = True
    try:
        fd = os.open(path, os.O_RDWR | flags)
    except PermissionError:
        writable = False
        try:
            fd = os.open(path, os.O_RDONLY | flags)
        except OSError as e:
            raise FastShareError(f"cannot open pool segment {path}: {e}") from e
    except FileNotFoundError:
        raise _not_found(ref, "its segment is gone") from None
    except OSError as e:
        raise FastShareError(f"cannot open pool segment {path}: {e}") from e
    fst = os.fstat(fd)
    if (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(fst.st_mode):
        os.close(fd)
        raise _not_found(ref, f"{path} changed while being opened")
    return _Segment(path, fd, writable)


def _done(segment: _Segment) -> None:
    with _registry_lock:
        segment.users -= 1
        if segment.users == 0 and not any(segment.pins.values()):
            _segments.pop(segment.path, None)
            os.close(segment.fd)  # no lock of this process is held on it: closing drops nothing


def _pin(segment: _Segment, slot: int) -> bool:
    with segment.lock:
        count = segment.pins.get(slot, 0)
        if count == 0:
            try:
                fcntl.lockf(segment.fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, SLOT_TABLE + ENTRY_LENGTH * slot + 1)
            except OSError as e:
                if e.errno in (errno.EACCES, errno.EAGAIN):
                    return False
                raise FastShareError(f"cannot pin slot {slot} of {segment.path}: {e}") from e
        segment.pins[slot] = count + 1
        return True


def _unpin(segment: _Segment, slot: int) -> None:
    with segment.lock:
        count = segment.pins.get(slot, 0) - 1
        segment.pins[slot] = max(count, 0)
        if count == 0:
            fcntl.lockf(segment.fd, fcntl.LOCK_UN, 1, SLOT_TABLE + ENTRY_LENGTH * slot + 1)


def _header(segment: _Segment, ref: SlotRef) -> tuple[int, int]:
    """Checks the segment header against the file size; returns (slotCount, slotSize)."""
    data = os.pread(segment.fd, _HEADER.size, 0)
    size = os.fstat(segment.fd).st_size
    if len(data) < _HEADER.size:
        raise CorruptBlockError(f"pool segment {ref.segment} is corrupt: truncated")
    magic, version, header_length, state, slot_count, slot_size, data_offset, *_ = _HEADER.unpack(data)
    if magic != MAGIC or version != VERSION or header_length != DATA_OFFSET or data_offset != DATA_OFFSET:
        raise CorruptBlockError(f"pool segment {ref.segment} is corrupt: not a version {VERSION} segment")
    if state != SEGMENT_ACTIVE:
        raise _not_found(ref, "its segment was given back by its owner")
    if not 1 <= slot_count <= MAX_SLOTS or slot_size <= 0 or slot_size % 4096 \
            or DATA_OFFSET + slot_count * slot_size != size:
        raise CorruptBlockError(f"pool segment {ref.segment} is corrupt: slot count {slot_count}, slot size "
                                f"{slot_size} and file size {size} do not agree")
    return slot_count, slot_size


def _entry(segment: _Segment, slot: int) -> tuple[int, int, int]:
    state, generation, length, _ = _ENTRY.unpack(os.pread(segment.fd, _ENTRY.size, SLOT_TABLE + ENTRY_LENGTH * slot))
    return state, generation, length


def _set_state(segment: _Segment, ref: SlotRef, expected: int, new: int) -> bool:
    """Under the slot's state lock: if the entry is `expected` with the token's generation, stores
    `new` (stamp first, state word last). Returns whether it did."""
    if not segment.writable:
        raise FastShareError(f"pool segment {segment.path} is read-only for this process: cannot take or release")
    offset = SLOT_TABLE + ENTRY_LENGTH * ref.slot
    with segment.lock:
        fcntl.lockf(segment.fd, fcntl.LOCK_EX, 1, offset)  # held for microseconds by whoever has it
        try:
            state, generation, _ = _entry(segment, ref.slot)
            if state != expected or generation != ref.generation:
                return False
            os.pwrite(segment.fd, struct.pack("<q", int(time.time() * 1000)), offset + 24)
            if new == FREE:
                os.pwrite(segment.fd, struct.pack("<Q", 0), offset + 16)
            os.pwrite(segment.fd, struct.pack("<I", new), offset)
            return True
        finally:
            fcntl.lockf(segment.fd, fcntl.LOCK_UN, 1, offset)


@dataclass
class PinnedBlock:
    """A validated pooled block, mapped read-only and pinned until `close` or the mapping's last view."""

    ref: SlotRef
    mapping: mmap.mmap
    preamble: fmt.Preamble
    _finalizer: weakref.finalize

    def view(self) -> memoryview:
        return memoryview(self.mapping).toreadonly()

    def close(self) -> None:
        """Unmaps and unpins now, unless views escaped (then that happens with the last of them)."""
        try:
            self.mapping.close()
        except BufferError:
            return
        self._finalizer()


def open_block(directory: str, key: str, claim: bool = False) -> PinnedBlock:
    """Pins, checks and maps a pooled block; with `claim`, claims it first (exactly one claimer wins).
    Raises BlockNotFoundError when it was released, taken, reclaimed or its slot reused,
    CorruptBlockError when the segment or the block fails validation."""
    ref = parse_key(key)
    segment = _use(directory, ref)
    pinned = False
    try:
        slot_count, slot_size = _header(segment, ref)
        if ref.slot >= slot_count:
            raise _not_found(ref, "the segment has no such slot")
        if not _pin(segment, ref.slot):
            raise _not_found(ref, "its slot is being written again (released and reused)")
        pinned = True
        _header(segment, ref)
        state, generation, length = _entry(segment, ref.slot)
        if state != PUBLISHED or generation != ref.generation:
            raise _not_found(ref, "it was released, taken or reclaimed")
        if length == 0:
            # A release writes the length before the state word: caught in between, the slot is being freed.
            raise _not_found(ref, "it was released just now")
        if not fmt.HEADER_LENGTH <= length <= slot_size:
            raise CorruptBlockError(f"pooled block {ref.key} is corrupt: block length {length} does not fit its "
                                    f"{slot_size}-byte slot")
        if claim and not _set_state(segment, ref, PUBLISHED, CLAIMED):
            raise _not_found(ref, "another reader took it just now; a token can be taken once")
        try:
            mapping = mmap.mmap(segment.fd, length, access=mmap.ACCESS_READ, offset=DATA_OFFSET + ref.slot * slot_size)
        except (OSError, ValueError) as e:
            raise CorruptBlockError(f"pooled block {ref.key} cannot be mapped: {e}") from e
        try:
            preamble = fmt.validate(mapping, ref.key)
        except BaseException:
            mapping.close()
            raise
    except BaseException:
        if claim and pinned:
            _free_claimed(segment, ref)
        if pinned:
            _unpin(segment, ref.slot)
        _done(segment)
        raise
    finalizer = weakref.finalize(mapping, _let_go, segment, ref, claim)
    return PinnedBlock(ref, mapping, preamble, finalizer)


def _free_claimed(segment: _Segment, ref: SlotRef) -> None:
    try:
        _set_state(segment, ref, CLAIMED, FREE)
    except (OSError, FastShareError):
        pass  # the janitor frees a CLAIMED slot once its pin is gone


def _let_go(segment: _Segment, ref: SlotRef, claimed: bool) -> None:
    if claimed:
        _free_claimed(segment, ref)  # the taker is done: the slot goes back to its owner
    _unpin(segment, ref.slot)
    _done(segment)


def release(directory: str, key: str) -> bool:
    """Frees a published block's slot (the owner reuses it once no reader pins it). Idempotent."""
    ref = parse_key(key)
    try:
        segment = _use(directory, ref)
    except BlockNotFoundError:
        return False
    try:
        slot_count, _ = _header(segment, ref)
        return ref.slot < slot_count and _set_state(segment, ref, PUBLISHED, FREE)
    except BlockNotFoundError:
        return False
    finally:
        _done(segment)
