"""Block files: the commit protocol on the writing side and validate-before-trust on the reading side
(docs/block-format.md). Every call works on its own file and descriptors; thread-safe."""
from __future__ import annotations

import errno
import mmap
import os
import stat
import struct
from dataclasses import dataclass

from . import _format as fmt
from ._codec import Source
from ._directory import free_bytes, full_error
from .errors import AllocationError, BlockNotFoundError, CorruptBlockError, FastShareError

_CHUNK = 1 << 30  # one pwrite never asks for more than the kernel's 2 GiB cap
_FULL = (errno.ENOSPC, errno.EDQUOT)

#: Called with the block path after the payload is written and before the commit marker. A hook for
#: crash tests, normally None.
before_commit = None


def new_block_name() -> str:
    return "FSHR_" + os.urandom(16).hex()


def _pwrite_all(fd: int, data, offset: int) -> None:
    view = memoryview(data).cast("B")
    done = 0
    while done < len(view):
        done += os.pwrite(fd, view[done:done + _CHUNK], offset + done)


def write(directory: str, preamble: fmt.Preamble, sources: list[Source], checksum: bool) -> str:
    """Writes and commits a block file; returns its name. The file is created 0600 with
    O_CREAT|O_EXCL|O_NOFOLLOW, filled with pwrite (a full tmpfs fails with ENOSPC, never SIGBUS), and
    committed last; on any failure it is deleted. Raises AllocationError when the filesystem is full
    or the file cannot be created, FastShareError on other I/O errors."""
    size = preamble.header.total_length
    free = free_bytes(directory)
    if 0 <= free < size:
        raise full_error(f"a {size}-byte block does not fit in", directory)
    name = new_block_name()
    path = os.path.join(directory, name)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as e:
        if e.errno in _FULL:
            raise full_error(f"cannot create a {size}-byte block in", directory, e) from e
        raise AllocationError(f"cannot create block file {path}: {e}") from e
    committed = False
    try:
        _pwrite_all(fd, fmt.encode_preamble(preamble, fmt.WRITING), 0)
        crc = fmt.Crc32c() if checksum else None
        for buffer, source in zip(preamble.buffers, sources):
            _pwrite_all(fd, source.data, buffer.offset)
            if crc is not None:
                crc.update(source.data)
        if os.fstat(fd).st_size < size:
            # the block ends in padding before an empty buffer: readers check the size against the header
            _pwrite_all(fd, b"\0", size - 1)
        if crc is not None:
            _pwrite_all(fd, fmt.encode_preamble(preamble, fmt.WRITING, crc.value()), 0)
        if before_commit is not None:
            before_commit(path)
        _pwrite_all(fd, struct.pack("<I", fmt.COMMITTED), fmt.COMMIT_OFFSET)
        committed = True
    except OSError as e:
        if e.errno in _FULL:
            raise full_error(f"cannot write a {size}-byte block to", directory, e) from e
        raise AllocationError(f"cannot write block {path}: {e}") from e
    finally:
        os.close(fd)
        if not committed:
            try:
                os.unlink(path)
            except OSError:
                pass
    return name


def encode_inline(preamble: fmt.Preamble, sources: list[Source], checksum: bool) -> bytes:
    """The committed block as bytes, for an inline token."""
    out = bytearray(preamble.header.total_length)
    crc = fmt.Crc32c() if checksum else None
    for buffer, source in zip(preamble.buffers, sources):
        out[buffer.offset:buffer.offset + buffer.length] = source.data
        if crc is not None:
            crc.update(source.data)
    head = fmt.encode_preamble(preamble, fmt.COMMITTED, crc.value() if crc is not None else 0)
    out[:len(head)] = head
    return bytes(out)


# --------------------------------------------------------------------------------------------- reading

def not_found(directory: str, name: str) -> BlockNotFoundError:
    return BlockNotFoundError(f"block {name} not found in {directory}: it was released or taken, expired and was "
                              "reclaimed, or was written on another host or in another IPC namespace (check "
                              "that both processes share the block directory)")


@dataclass
class MappedBlock:
    """A validated block file mapped read-only. The mapping lives as long as any view of it."""

    name: str
    path: str
    mapping: mmap.mmap
    preamble: fmt.Preamble

    def view(self) -> memoryview:
        return memoryview(self.mapping).toreadonly()

    def close(self) -> None:
        """Unmaps now, unless views escaped (then the mapping goes with the last of them)."""
        try:
            self.mapping.close()
        except BufferError:
            pass


def open_file(directory: str, name: str) -> tuple[int, os.stat_result]:
    """Opens a block file for reading without following links, refusing anything but a regular file
    with one link (a planted FIFO would block, a symlink or hard link could point anywhere)."""
    path = os.path.join(directory, name)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise not_found(directory, name) from None
    except OSError as e:
        raise FastShareError(f"cannot inspect block {path}: {e}") from e
    if not stat.S_ISREG(st.st_mode):
        raise BlockNotFoundError(f"block {name} not found: {path} is not a regular file (symlink, FIFO or "
                                 "directory), so it is not a block and was not opened")
    if st.st_nlink > 1:
        raise BlockNotFoundError(f"block {name} not found: {path} has {st.st_nlink} hard links, so it is not a "
                                 "block fastshare wrote and was not opened")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise not_found(directory, name) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise BlockNotFoundError(f"block {name} not found: {path} is a symbolic link") from e
        raise FastShareError(f"cannot open block {path}: {e}") from e
    fst = os.fstat(fd)
    if not stat.S_ISREG(fst.st_mode) or (fst.st_dev, fst.st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        raise BlockNotFoundError(f"block {name} not found: {path} changed while being opened")
    return fd, fst


def map_block(directory: str, name: str, verify_payload: bool = True) -> MappedBlock:
    """Opens, maps and validates a block file (every check of the spec, payload checksum included
    unless `verify_payload` is False). Raises BlockNotFoundError or CorruptBlockError."""
    fd, st = open_file(directory, name)
    try:
        size = st.st_size
        if size < fmt.HEADER_LENGTH:
            head = os.pread(fd, fmt.HEADER_LENGTH, 0)
            fmt.check_identity(head, size, name)  # raises: truncated
        try:
            mapping = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as e:
            raise CorruptBlockError(f"block {name} cannot be mapped: {e}") from e
    finally:
        os.close(fd)
    try:
        header = fmt.decode_header(mapping, size, name)
        preamble = fmt.decode_preamble(header, mapping, name)
        if verify_payload:
            fmt.verify_payload(preamble, mapping, name)
    except BaseException:
        mapping.close()
        raise
    return MappedBlock(name, os.path.join(directory, name), mapping, preamble)


def claim(directory: str, name: str) -> None:
    """Unlinks a block for take(): of several takers exactly one succeeds."""
    try:
        os.unlink(os.path.join(directory, name))
    except FileNotFoundError:
        raise BlockNotFoundError(f"block {name} was taken or released by another reader just now; a token can "
                                 "be taken once") from None
    except OSError as e:
        raise FastShareError(f"cannot claim block {name}: {e}") from e


def delete(directory: str, name: str) -> bool:
    """Unlinks a block file if it is a regular file; False when it was already gone."""
    path = os.path.join(directory, name)
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False  # something planted under a block name: not ours to delete
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False
    except OSError as e:
        raise FastShareError(f"cannot release block {name}: {e}") from e
