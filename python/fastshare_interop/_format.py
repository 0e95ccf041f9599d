"""The block format (docs/block-format.md): layout constants, the element types, planning a block's
preamble, and validating one before anything it points at is trusted. Stateless, thread-safe."""
from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from ._crc32c import Crc32c, crc32c
from .errors import CorruptBlockError

MAGIC = b"FSHR"
VERSION = 1
HEADER_LENGTH = 128
ENTRY_LENGTH = 64
ALIGNMENT = 64
WRITING = 0
COMMITTED = 0x54494D43  # ASCII "CMIT" little-endian
COMMIT_OFFSET = 8
FLAG_PAYLOAD_CRC = 1
MAX_BUFFER_COUNT = 65536
MAX_METADATA_LENGTH = 256 * 1024 * 1024
MAX_RANK = 4
_LONG_MAX = (1 << 63) - 1

# magic, version, headerLength, commitState, flags, totalLength, created, expires, owner, pid,
# bufferCount, metadataLength, metadataOffset, payloadCrc, headerCrc, codecId, reserved
HEADER = struct.Struct("<4sHHIIQqq16sqIIQII16s24x")
# offset, length, elementType, rank, reserved, shape[4], reserved
ENTRY = struct.Struct("<QQBB6x4Q8x")
assert HEADER.size == HEADER_LENGTH and ENTRY.size == ENTRY_LENGTH


@dataclass(frozen=True)
class ElementType:
    """One element type of the buffer table."""

    code: int
    name: str
    size: int
    dtype: np.dtype


ELEMENT_TYPES = {
    0: ElementType(0, "BYTES", 1, np.dtype("u1")),
    1: ElementType(1, "UTF8", 1, np.dtype("u1")),
    2: ElementType(2, "INT8", 1, np.dtype("i1")),
    3: ElementType(3, "INT16", 2, np.dtype("<i2")),
    4: ElementType(4, "INT32", 4, np.dtype("<i4")),
    5: ElementType(5, "INT64", 8, np.dtype("<i8")),
    6: ElementType(6, "FLOAT32", 4, np.dtype("<f4")),
    7: ElementType(7, "FLOAT64", 8, np.dtype("<f8")),
    8: ElementType(8, "UTF16", 2, np.dtype("<u2")),
}
BYTES, UTF8, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, UTF16 = (ELEMENT_TYPES[i] for i in range(9))


@dataclass(frozen=True)
class Buffer:
    """One validated buffer-table entry."""

    offset: int
    length: int
    element_type: ElementType
    shape: tuple[int, ...]


@dataclass(frozen=True)
class Header:
    """The validated (or, for a peek, identity-checked) fixed header."""

    commit_state: int
    flags: int
    total_length: int
    created_millis: int
    expires_millis: int
    owner: bytes
    pid: int
    buffer_count: int
    metadata_length: int
    metadata_offset: int
    payload_crc: int
    header_crc: int
    codec_id: str

    @property
    def committed(self) -> bool:
        return self.commit_state == COMMITTED

    @property
    def has_payload_crc(self) -> bool:
        return bool(self.flags & FLAG_PAYLOAD_CRC)

    @property
    def preamble_length(self) -> int:
        return self.metadata_offset + self.metadata_length


@dataclass(frozen=True)
class Preamble:
    """A validated header, buffer table and codec metadata."""

    header: Header
    buffers: tuple[Buffer, ...]
    metadata: bytes


def align(position: int) -> int:
    return (position + ALIGNMENT - 1) // ALIGNMENT * ALIGNMENT


def _corrupt(label: str, problem: str) -> CorruptBlockError:
    return CorruptBlockError(f"block {label} is corrupt: {problem}")


# ------------------------------------------------------------------------------------------ writing

def plan(codec_id: str, metadata: bytes, specs: list[tuple[ElementType, tuple[int, ...]]], owner: bytes,
         pid: int, created_millis: int, expires_millis: int, payload_crc: bool) -> Preamble:
    """Lays out a block: buffer offsets 64-byte aligned after the metadata, total length at the end of
    the last buffer. Raises ValueError when the codec id, metadata or buffer count exceed the format."""
    if not 1 <= len(codec_id) <= 16 or any(not 0x20 < ord(c) < 0x7F for c in codec_id):
        raise ValueError(f"codec id must be 1..16 printable ASCII characters: {codec_id!r}")
    if len(specs) > MAX_BUFFER_COUNT:
        raise ValueError(f"too many buffers: {len(specs)} > {MAX_BUFFER_COUNT}")
    if len(metadata) > MAX_METADATA_LENGTH:
        raise ValueError(f"codec metadata too large: {len(metadata)} bytes > {MAX_METADATA_LENGTH}")
    metadata_offset = HEADER_LENGTH + ENTRY_LENGTH * len(specs)
    position = metadata_offset + len(metadata)
    buffers = []
    for element_type, shape in specs:
        if not 1 <= len(shape) <= MAX_RANK:
            raise ValueError(f"rank {len(shape)} is outside 1..{MAX_RANK}")
        position = align(position)
        count = 1
        for d in shape:
            count *= d
        length = count * element_type.size
        buffers.append(Buffer(position, length, element_type, tuple(shape)))
        position += length
    if position > _LONG_MAX:
        raise ValueError("block too large")
    header = Header(WRITING, FLAG_PAYLOAD_CRC if payload_crc else 0, position, created_millis, expires_millis,
                    owner, pid, len(specs), len(metadata), metadata_offset, 0, 0, codec_id)
    return Preamble(header, tuple(buffers), bytes(metadata))


def encode_preamble(preamble: Preamble, commit_state: int, payload_crc: int = 0) -> bytearray:
    """Header, table and metadata as bytes, with the header checksum computed over the final bytes."""
    h = preamble.header
    out = bytearray(h.preamble_length)
    HEADER.pack_into(out, 0, MAGIC, VERSION, HEADER_LENGTH, 0, h.flags, h.total_length, h.created_millis,
                     h.expires_millis, h.owner, h.pid, h.buffer_count, h.metadata_length, h.metadata_offset,
                     payload_crc if h.has_payload_crc else 0, 0, h.codec_id.encode("ascii"))
    for i, b in enumerate(preamble.buffers):
        shape = list(b.shape) + [0] * (MAX_RANK - len(b.shape))
        ENTRY.pack_into(out, HEADER_LENGTH + ENTRY_LENGTH * i, b.offset, b.length, b.element_type.code,
                        len(b.shape), *shape)
    out[h.metadata_offset:h.preamble_length] = preamble.metadata
    struct.pack_into("<I", out, 84, crc32c(out))  # commit state and CRC field are still zero here
    struct.pack_into("<I", out, COMMIT_OFFSET, commit_state)
    return out


# ---------------------------------------------------------------------------------------- validation

def check_identity(block, actual_length: int, label: str) -> tuple:
    """Checks size, magic, version and header length; returns the unpacked header tuple."""
    if actual_length < HEADER_LENGTH or len(block) < HEADER_LENGTH:
        raise _corrupt(label, f"truncated: {actual_length} bytes, shorter than the {HEADER_LENGTH}-byte header")
    fields = HEADER.unpack_from(block, 0)
    if fields[0] != MAGIC:
        raise _corrupt(label, "bad magic: not a fastshare block")
    if fields[1] != VERSION:
        raise _corrupt(label, f"format version {fields[1]} is not supported (this library reads version "
                              f"{VERSION}); upgrade fastshare on the reading side")
    if fields[2] != HEADER_LENGTH:
        raise _corrupt(label, f"header length {fields[2]} != {HEADER_LENGTH}")
    return fields


def _header(fields: tuple, codec_id: str) -> Header:
    (_, _, _, commit, flags, total, created, expires, owner, pid, count, meta_len, meta_off, payload_crc,
     header_crc, _) = fields
    return Header(commit, flags, total, created, expires, owner, pid, count, meta_len, meta_off, payload_crc,
                  header_crc, codec_id)


def peek(block, actual_length: int, label: str) -> Header:
    """Lenient header read for listings and janitors: accepts a block still being written. Raises
    CorruptBlockError when the bytes are no header of this format or a field is out of range."""
    fields = check_identity(block, actual_length, label)
    commit, total, created, expires = fields[3], fields[5], fields[6], fields[7]
    if commit not in (WRITING, COMMITTED):
        raise _corrupt(label, f"invalid commit state 0x{commit:x}")
    if total < HEADER_LENGTH or total < actual_length or total > _LONG_MAX:
        raise _corrupt(label, f"length mismatch: header says {total} bytes, file has {actual_length}")
    if created < 0 or expires < 0:
        raise _corrupt(label, "negative timestamp")
    return _header(fields, "")


def decode_header(block, actual_length: int, label: str) -> Header:
    """Validation steps 1 to 7 of docs/block-format.md on the first 128 bytes."""
    fields = check_identity(block, actual_length, label)
    commit, flags, total, created, expires = fields[3], fields[4], fields[5], fields[6], fields[7]
    count, meta_len, meta_off = fields[10], fields[11], fields[12]
    if commit == WRITING:
        raise _corrupt(label, "not committed: its writer has not finished or died mid-write; the janitor "
                              "reclaims it once the writer is gone")
    if commit != COMMITTED:
        raise _corrupt(label, f"invalid commit state 0x{commit:x}")
    if flags & ~FLAG_PAYLOAD_CRC:
        raise _corrupt(label, f"unknown flags 0x{flags:x}")
    if total != actual_length:
        raise _corrupt(label, f"length mismatch: header says {total} bytes, block has {actual_length} "
                              "(truncated or overwritten)")
    if created < 0 or expires < 0:
        raise _corrupt(label, "negative timestamp")
    if count > MAX_BUFFER_COUNT:
        raise _corrupt(label, f"buffer count {count} out of range")
    if meta_len > MAX_METADATA_LENGTH:
        raise _corrupt(label, f"metadata length {meta_len} out of range")
    if meta_off != HEADER_LENGTH + ENTRY_LENGTH * count:
        raise _corrupt(label, f"metadata offset {meta_off} does not follow the buffer table")
    if meta_off + meta_len > total:
        raise _corrupt(label, f"buffer table and metadata ({meta_off + meta_len} bytes) extend past the end "
                              f"of the block ({total} bytes)")
    raw_id = fields[15]
    end = raw_id.find(b"\0")
    text, rest = (raw_id, b"") if end < 0 else (raw_id[:end], raw_id[end:])
    if not text:
        raise _corrupt(label, "empty codec id")
    if any(c <= 0x20 or c >= 0x7F for c in text) or rest.strip(b"\0"):
        raise _corrupt(label, "invalid codec id")
    return _header(fields, text.decode("ascii"))


def decode_preamble(header: Header, block, label: str) -> Preamble:
    """Validation steps 8 and 9: header checksum, then every buffer-table entry. `block` holds at
    least the preamble (header, table, metadata)."""
    length = header.preamble_length
    if len(block) < length:
        raise _corrupt(label, "truncated preamble")
    crc = Crc32c()
    crc.update(memoryview(block)[0:COMMIT_OFFSET])
    crc.update(b"\0\0\0\0")
    crc.update(memoryview(block)[12:84])
    crc.update(b"\0\0\0\0")
    crc.update(memoryview(block)[88:length])
    if crc.value() != header.header_crc:
        raise _corrupt(label, "header checksum mismatch")
    buffers = []
    previous_end = length
    for i in range(header.buffer_count):
        offset, size, code, rank, *dims = ENTRY.unpack_from(block, HEADER_LENGTH + ENTRY_LENGTH * i)
        element_type = ELEMENT_TYPES.get(code)
        if element_type is None:
            raise _corrupt(label, f"buffer {i} has unknown element type {code}")
        if not 1 <= rank <= MAX_RANK:
            raise _corrupt(label, f"buffer {i} has rank {rank}")
        if offset > _LONG_MAX or size > _LONG_MAX:
            raise _corrupt(label, f"buffer {i} has a negative offset or length")
        shape = tuple(dims[:rank])
        count = 1
        for d in shape:
            if d > _LONG_MAX:
                raise _corrupt(label, f"buffer {i} has a negative dimension")
            count *= d
        if count > _LONG_MAX or count * element_type.size != size:
            raise _corrupt(label, f"buffer {i} length {size} does not match its shape and element type")
        if offset < previous_end or offset % ALIGNMENT:
            raise _corrupt(label, f"buffer {i} at offset {offset} overlaps the previous data or is not "
                                  "64-byte aligned")
        end = offset + size
        if end > header.total_length:
            raise _corrupt(label, f"buffer {i} ({size} bytes at {offset}) extends past the end of the block "
                                  f"({header.total_length} bytes)")
        buffers.append(Buffer(offset, size, element_type, shape))
        previous_end = end
    metadata = bytes(memoryview(block)[header.metadata_offset:length])
    return Preamble(header, tuple(buffers), metadata)


def payload_crc(preamble: Preamble, block) -> int:
    """CRC32C of every buffer's bytes in table order, padding excluded."""
    crc = Crc32c()
    view = memoryview(block)
    for b in preamble.buffers:
        crc.update(view[b.offset:b.offset + b.length])
    return crc.value()


def verify_payload(preamble: Preamble, block, label: str) -> None:
    """Validation step 10: the payload checksum, when the block carries one."""
    if preamble.header.has_payload_crc and payload_crc(preamble, block) != preamble.header.payload_crc:
        raise _corrupt(label, "payload checksum mismatch")


def validate(block, label: str) -> Preamble:
    """Every check of docs/block-format.md, in order, on a complete block (bytes, mmap, memoryview)."""
    header = decode_header(block, len(block), label)
    preamble = decode_preamble(header, block, label)
    verify_payload(preamble, block, label)
    return preamble
