#!/usr/bin/env python3
"""Reads a fastshare block with nothing but the spec in docs/block-format.md and Python's stdlib.

Usage:
    read_block.py <block file | FSHR:inl:token | FSHR:shm:token> [--dir DIR]

Prints one JSON object: the header fields and, for each buffer, its element type, shape and the
SHA-256 of its bytes. With NumPy installed, a buffer becomes an array with
numpy.frombuffer(data, dtype=DTYPES[code], count=length // size, offset=offset).reshape(shape).
The header CRC32C is not checked here (the standard library has no CRC32C).
"""
import base64
import hashlib
import json
import os
import struct
import sys

HEADER = struct.Struct("<4sHHIIQqq16sqIIQII16s24x")  # 128 bytes, see the header table
ENTRY = struct.Struct("<QQBB6x4Q8x")                   # 64 bytes, see the buffer-table entry table
COMMITTED = 0x54494D43
ELEMENTS = {0: ("BYTES", 1), 1: ("UTF8", 1), 2: ("INT8", 1), 3: ("INT16", 2), 4: ("INT32", 4),
            5: ("INT64", 8), 6: ("FLOAT32", 4), 7: ("FLOAT64", 8), 8: ("UTF16", 2)}
DTYPES = {0: "u1", 1: "u1", 2: "i1", 3: "<i2", 4: "<i4", 5: "<i8", 6: "<f4", 7: "<f8", 8: "<u2"}


class CorruptBlock(Exception):
    pass


def load(arg, directory):
    if arg.startswith("FSHR:inl:"):
        data = arg[len("FSHR:inl:"):]
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    if arg.startswith("FSHR:shm:"):
        name = arg[len("FSHR:shm:"):]
        if len(name) != 37 or not name.startswith("FSHR_") or any(c not in "0123456789abcdef" for c in name[5:]):
            raise ValueError("invalid token")
        arg = os.path.join(directory, name)
    fd = os.open(arg, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not os.path.isfile("/proc/self/fd/%d" % fd):
            raise CorruptBlock("not a regular file")
        with os.fdopen(fd, "rb") as f:
            return f.read()
    except BaseException:
        raise


def parse(block):
    if len(block) < 128:
        raise CorruptBlock("shorter than the header")
    (magic, version, header_length, commit, flags, total, created, expires, owner, pid,
     count, meta_len, meta_off, payload_crc, header_crc, codec) = HEADER.unpack_from(block, 0)
    if magic != b"FSHR" or version != 1 or header_length != 128:
        raise CorruptBlock("bad magic, version or header length")
    if commit != COMMITTED:
        raise CorruptBlock("not committed")
    if flags & ~1:
        raise CorruptBlock("unknown flags")
    if total != len(block):
        raise CorruptBlock("length mismatch")
    if count > 65536 or meta_off != 128 + 64 * count or meta_off + meta_len > total:
        raise CorruptBlock("bad table or metadata bounds")
    buffers = []
    end = meta_off + meta_len
    for i in range(count):
        offset, length, code, rank, *shape = ENTRY.unpack_from(block, 128 + 64 * i)
        if code not in ELEMENTS or not 1 <= rank <= 4:
            raise CorruptBlock("bad entry %d" % i)
        name, size = ELEMENTS[code]
        elements = 1
        for d in shape[:rank]:
            elements *= d
        if elements * size != length or offset % 64 or offset < end or offset + length > total:
            raise CorruptBlock("bad entry %d" % i)
        end = offset + length
        data = block[offset:offset + length]
        buffers.append({"elementType": name, "dtype": DTYPES[code], "shape": list(shape[:rank]),
                        "offset": offset, "length": length, "sha256": hashlib.sha256(data).hexdigest()})
    return {
        "version": version, "flags": flags, "totalLength": total, "createdMillis": created,
        "expiresMillis": expires, "owner": owner.hex(), "pid": pid,
        "codec": codec.rstrip(b"\0").decode("ascii"),
        "metadata": block[meta_off:meta_off + meta_len].decode("utf-8", "replace"),
        "buffers": buffers,
    }


def main(argv):
    directory = "/dev/shm/fastshare"
    if "--dir" in argv:
        i = argv.index("--dir")
        directory = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(json.dumps(parse(load(argv[1], directory))))
    except (CorruptBlock, ValueError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
