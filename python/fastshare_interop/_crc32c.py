"""CRC32C (Castagnoli), the checksum of the block format, without a compiled extension.

Small inputs (headers, metadata) go through a byte-wise table loop. Large inputs (payload checksums)
are split into many equal lanes that numpy advances together, 8 bytes per step through four 16-bit
tables; the lanes' CRCs are then joined with the standard "shift by n zero bytes" combination, which
is linear in GF(2) and so can itself be done with tables. Thread-safe: the tables are built once at
import and never written.
"""
from __future__ import annotations

import numpy as np

_POLY = 0x82F63B78  # reflected Castagnoli polynomial


def _byte_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table.append(c)
    return table


_T8 = _byte_table()
_T8_NP = np.array(_T8, dtype=np.uint32)


def _shift_tables() -> np.ndarray:
    """Tables T[k][b]: the CRC register contribution of byte b followed by k zero bytes (k = 0..7)."""
    tables = np.empty((8, 256), dtype=np.uint32)
    tables[0] = _T8_NP
    for k in range(1, 8):
        prev = tables[k - 1]
        tables[k] = (prev >> 8) ^ _T8_NP[prev & 0xFF]
    return tables


_T_BYTES = _shift_tables()
# 16-bit tables: W[j][v] for the j-th 16-bit word (little-endian) of an 8-byte step, combining two
# byte tables, so one step needs four gathers instead of eight.
_W16 = np.empty((4, 65536), dtype=np.uint32)
_lo = np.arange(65536, dtype=np.uint32) & 0xFF
_hi = np.arange(65536, dtype=np.uint32) >> 8
for _j in range(4):
    # byte 2j is followed by 7-2j bytes in the step, byte 2j+1 by 6-2j bytes
    _W16[_j] = _T_BYTES[7 - 2 * _j][_lo] ^ _T_BYTES[6 - 2 * _j][_hi]
del _lo, _hi, _j

_SMALL = 1 << 13  # below this, the plain table loop beats numpy's per-call overhead
_LANES = 1 << 14


def _update_small(crc: int, data) -> int:
    table = _T8
    for b in bytes(data):
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


def _lanes_raw(words: np.ndarray) -> np.ndarray:
    """Raw CRC register (initial value 0, no final xor) of each row of a (lanes, steps) uint64 array.

    Rows are far apart in memory, so the array is walked in blocks of 8 steps (one cache line per
    lane), each transposed into step-major order; every step is then four gathers over contiguous
    vectors, with preallocated outputs.
    """
    lanes, steps = words.shape
    crc = np.zeros(lanes, dtype=np.uint64)
    x = np.empty(lanes, dtype=np.uint64)
    index = np.empty(lanes, dtype=np.intp)
    acc = np.empty(lanes, dtype=np.uint32)
    part = np.empty(lanes, dtype=np.uint32)
    mask = np.uint64(0xFFFF)
    shifts = (np.uint64(16), np.uint64(32), np.uint64(48))
    w0, w1, w2, w3 = _W16
    for start in range(0, steps, 8):
        for row in np.ascontiguousarray(words[:, start:start + 8].T):
            np.bitwise_xor(row, crc, out=x)
            np.bitwise_and(x, mask, out=index, casting="unsafe")
            np.take(w0, index, out=acc)
            for table, shift in ((w1, shifts[0]), (w2, shifts[1])):
                np.right_shift(x, shift, out=crc)
                np.bitwise_and(crc, mask, out=index, casting="unsafe")
                np.take(table, index, out=part)
                acc ^= part
            np.right_shift(x, shifts[2], out=index, casting="unsafe")
            np.take(w3, index, out=part)
            acc ^= part
            crc[:] = acc
    return crc.astype(np.uint32)


def _gf2_times(matrix: list[int], vector: int) -> int:
    out = 0
    i = 0
    while vector:
        if vector & 1:
            out ^= matrix[i]
        vector >>= 1
        i += 1
    return out


def _compose(a: list[int], b: list[int]) -> list[int]:
    """The operator "b, then a"."""
    return [_gf2_times(a, b[n]) for n in range(32)]


# _POWERS[k]: the operator advancing a raw CRC register over 2**k zero bytes.
_ONE_BIT = [_POLY] + [1 << n for n in range(31)]
_POWERS: list[list[int]] = []


def _power(k: int) -> list[int]:
    while len(_POWERS) <= k:
        if not _POWERS:
            op = _ONE_BIT
            for _ in range(3):  # 8 bits
                op = _compose(op, op)
            _POWERS.append(op)
        else:
            _POWERS.append(_compose(_POWERS[-1], _POWERS[-1]))
    return _POWERS[k]


def _operator(length: int) -> list[int]:
    result = [1 << n for n in range(32)]
    k = 0
    while length:
        if length & 1:
            result = _compose(_power(k), result)
        length >>= 1
        k += 1
    return result


def _shift(crc: int, length: int) -> int:
    """Advances a raw CRC register over `length` zero bytes."""
    k = 0
    while length:
        if length & 1:
            crc = _gf2_times(_power(k), crc)
        length >>= 1
        k += 1
    return crc


def _byte_tables(matrix: list[int]) -> np.ndarray:
    """Splits an operator into four 256-entry tables, one per byte of the register."""
    tables = np.zeros((4, 256), dtype=np.uint32)
    for k in range(4):
        t = np.zeros(1, dtype=np.uint32)
        for bit in range(8):
            t = np.concatenate((t, t ^ np.uint32(matrix[8 * k + bit])))
        tables[k] = t
    return tables


def _combine_lanes(crcs: np.ndarray, lane_len: int) -> int:
    """Raw CRC of the concatenated lanes from each lane's raw CRC: a pairwise tree, one level per
    doubling of the span, each level a vectorised table lookup."""
    matrix = _operator(lane_len)
    crcs = crcs.astype(np.uint32)
    while len(crcs) > 1:
        t = _byte_tables(matrix)
        left = crcs[0::2]
        shifted = t[0][left & 0xFF] ^ t[1][(left >> 8) & 0xFF] ^ t[2][(left >> 16) & 0xFF] ^ t[3][left >> 24]
        crcs = shifted ^ crcs[1::2]
        matrix = _compose(matrix, matrix)
    return int(crcs[0])


class Crc32c:
    """Incremental CRC32C. Not thread-safe (one instance per computation)."""

    __slots__ = ("_crc",)

    def __init__(self) -> None:
        self._crc = 0xFFFFFFFF  # register, inverted at the start as CRC32C defines

    def update(self, data) -> "Crc32c":
        """Adds bytes (any C-contiguous buffer) to the checksum and returns self."""
        view = memoryview(data).cast("B") if not isinstance(data, (bytes, bytearray)) else memoryview(data)
        n = len(view)
        pos = 0
        while n - pos >= _SMALL:
            remaining = n - pos
            lanes = _LANES
            while lanes > 1 and lanes * 1024 > remaining:
                lanes //= 2
            lane_len = (remaining // (lanes * 64)) * 64  # whole cache lines per lane, see _lanes_raw
            body = lanes * lane_len
            words = np.frombuffer(view[pos:pos + body], dtype="<u8").reshape(lanes, lane_len // 8)
            raw = _combine_lanes(_lanes_raw(words), lane_len)
            self._crc = _shift(self._crc, body) ^ raw
            pos += body
        if pos < n:
            self._crc = _update_small(self._crc, view[pos:])
        return self

    def value(self) -> int:
        """Returns the CRC32C of everything added so far, as an unsigned 32-bit integer."""
        return self._crc ^ 0xFFFFFFFF


def crc32c(data) -> int:
    """Returns the CRC32C of a bytes-like object (unsigned 32-bit)."""
    return Crc32c().update(data).value()
