"""Forged, truncated and planted blocks: validate before trust. Only FastShareError subclasses may
come out, never a crash, and nothing outside the block directory is touched."""
from __future__ import annotations

import base64
import os
import pathlib
import random
import struct

import numpy as np
import pytest

import fastshare_interop as fs
from fastshare_interop import _crc32c, _format as fmt


def block_path(directory, token):
    return os.path.join(directory, token.split(":")[2])


def recompute_header_crc(data: bytearray) -> None:
    """The format's header checksum rule, written from the spec: commit state and CRC field zeroed."""
    meta_off, = struct.unpack_from("<Q", data, 72)
    meta_len, = struct.unpack_from("<I", data, 68)
    end = min(len(data), meta_off + meta_len) if meta_off < len(data) else len(data)
    copy = bytearray(data[:end])
    copy[8:12] = b"\0\0\0\0"
    copy[84:88] = b"\0\0\0\0"
    struct.pack_into("<I", data, 84, _crc32c.crc32c(copy))


def plant(directory, data) -> str:
    name = "FSHR_" + os.urandom(16).hex()
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)
    return "FSHR:shm:" + name


def valid_block(blockdir, checksum=False) -> bytearray:
    token = fs.write({"v": np.arange(100, dtype=np.float32), "w": np.arange(7, dtype=np.int16)}, threshold=0,
                     checksum=checksum)
    with open(block_path(blockdir, token), "rb") as f:
        data = bytearray(f.read())
    fs.release(token)
    return data


FIELDS = [  # (offset, struct format) of every header field and of the first table entry's fields
    (4, "<H"), (6, "<H"), (8, "<I"), (12, "<I"), (16, "<Q"), (24, "<q"), (32, "<q"), (64, "<I"), (68, "<I"),
    (72, "<Q"), (80, "<I"), (128, "<Q"), (136, "<Q"), (144, "<B"), (145, "<B"), (152, "<Q"), (160, "<Q"),
]
VALUES = [0, 1, 63, 64, 65, 2 ** 31, 2 ** 32 - 1, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1]


@pytest.mark.parametrize("offset,form", FIELDS)
@pytest.mark.parametrize("fix_crc", [False, True])
def test_forged_fields_are_corrupt_or_still_valid(blockdir, offset, form, fix_crc):
    base = valid_block(blockdir)
    for value in VALUES:
        data = bytearray(base)
        bits = struct.calcsize(form) * 8
        v = value % (1 << bits)
        if form == "<q":
            v = v - (1 << 64) if v >= 1 << 63 else v
        struct.pack_into(form, data, offset, v)
        if fix_crc:
            recompute_header_crc(data)
        if data == base:
            continue
        exercise(blockdir, data)


def exercise(blockdir, data):
    token = plant(blockdir, bytes(data))
    for call in (fs.read, fs.open):
        try:
            result = call(token)
            if isinstance(result, fs.Opened):
                _ = result.value
                result.close()
        except fs.FastShareError:
            pass
    inline = "FSHR:inl:" + base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()
    try:
        fs.read(inline)
    except fs.FastShareError:
        pass
    fs.release(token)


def test_header_crc_mismatch_is_corrupt(blockdir):
    data = valid_block(blockdir)
    data[200] ^= 1  # inside the metadata
    with pytest.raises(fs.CorruptBlockError, match="header checksum"):
        fs.read(plant(blockdir, data))
    with pytest.raises(fs.InvalidTokenError, match="header checksum"):
        fs.read("FSHR:inl:" + base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode())


def test_payload_checksum_is_verified_when_present(blockdir):
    data = valid_block(blockdir, checksum=True)
    header = fmt.decode_header(data, len(data), "x")
    preamble = fmt.decode_preamble(header, data, "x")
    data[preamble.buffers[0].offset + 5] ^= 0x40
    with pytest.raises(fs.CorruptBlockError, match="payload checksum"):
        fs.read(plant(blockdir, data))
    with pytest.raises(fs.CorruptBlockError, match="payload checksum"):
        fs.open(plant(blockdir, data))


def test_uncommitted_block_is_refused(blockdir):
    data = valid_block(blockdir)
    struct.pack_into("<I", data, 8, 0)
    with pytest.raises(fs.CorruptBlockError, match="not committed"):
        fs.read(plant(blockdir, data))


def test_truncated_blocks_at_every_boundary(blockdir):
    data = valid_block(blockdir)
    header = fmt.decode_header(data, len(data), "x")
    preamble = fmt.decode_preamble(header, data, "x")
    cuts = {0, 1, 4, 8, 12, 16, 64, 127, 128, 191, 192, header.preamble_length - 1, header.preamble_length,
            len(data) - 1}
    for b in preamble.buffers:
        cuts.update({b.offset, b.offset + 1, b.offset + b.length - 1})
    for cut in sorted(c for c in cuts if 0 <= c < len(data)):
        for fix in (False, True):
            truncated = bytearray(data[:cut])
            if fix and cut >= 128:
                struct.pack_into("<Q", truncated, 16, cut)
                recompute_header_crc(truncated)
            token = plant(blockdir, truncated)
            with pytest.raises(fs.FastShareError):
                fs.read(token)
            with pytest.raises(fs.FastShareError):
                fs.take(token)
            fs.release(token)


def test_random_mutations_only_raise_fastshare_errors(blockdir):
    rng = random.Random(14)
    base = valid_block(blockdir, checksum=True)
    for _ in range(600):
        data = bytearray(base)
        for _ in range(rng.randint(1, 3)):
            kind = rng.random()
            if kind < 0.5:
                i = rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
            elif kind < 0.8:
                i = rng.randrange(0, 256)
                data[i:i + 8] = rng.randbytes(8)
            else:
                del data[rng.randrange(len(data)):]
        if len(data) >= 128 and rng.random() < 0.85:
            recompute_header_crc(data)
        exercise(blockdir, data)


@pytest.mark.parametrize("kind", ["symlink", "symlink-passwd", "hardlink", "fifo", "directory"])
def test_planted_files_are_never_followed_or_opened(blockdir, kind):
    real = fs.write(np.arange(1000, dtype=np.float64), threshold=0)
    os.mkdir(os.path.join(blockdir, "canary"))  # same filesystem, so a hard link can be planted
    outside = pathlib.Path(blockdir, "canary", "outside")
    with open(block_path(blockdir, real), "rb") as f:
        outside.write_bytes(f.read())
    name = "FSHR_" + os.urandom(16).hex()
    path = os.path.join(blockdir, name)
    if kind == "symlink":
        os.symlink(outside, path)
    elif kind == "symlink-passwd":
        os.symlink("/etc/passwd", path)
    elif kind == "hardlink":
        os.link(outside, path)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        os.mkdir(path)
    token = "FSHR:shm:" + name
    for call in (fs.read, fs.take, fs.open):
        with pytest.raises(fs.BlockNotFoundError):
            call(token)
    result = fs.cleanup(grace=0)
    assert name in [n for n, _ in result.skipped] and result.cleaned == []
    assert name not in [b.name for b in fs.blocks()]
    if kind == "hardlink":
        assert fs.release(token) is True  # unlinks the planted name only, as Java's release does
    else:
        assert fs.release(token) is False
        assert os.path.lexists(path)
    assert outside.read_bytes()[:4] == b"FSHR"
    fs.release(real)


def test_a_block_name_hard_linked_to_this_process_lease_never_drops_the_lock(blockdir):
    from fastshare_interop import _lease
    fs.write(np.ones(10), threshold=0)
    lease = _lease.acquire(blockdir)
    planted = os.path.join(blockdir, "FSHR_" + os.urandom(16).hex())
    os.link(lease.path, planted)
    for call in (fs.read, fs.take, fs.open):
        with pytest.raises(fs.BlockNotFoundError):
            call("FSHR:shm:" + os.path.basename(planted))
    fs.blocks()
    fs.cleanup(grace=0)
    # another process must still find the lease locked
    import subprocess, sys
    probe = subprocess.run([sys.executable, "-c", "import fcntl, os, sys\n"
                            "fd = os.open(sys.argv[1], os.O_RDONLY)\n"
                            "try:\n    fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)\nexcept OSError:\n"
                            "    sys.exit(7)\n", lease.path])
    assert probe.returncode == 7
    os.unlink(planted)
