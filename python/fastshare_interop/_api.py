"""The public functions: write, read, take, release, open, SharedData. Thread-safe."""
from __future__ import annotations

import datetime
import logging
import os
import threading
import time

from . import _codec, _directory, _format as fmt, _lease, _pool, _store, _tokens
from .errors import AllocationError, CodecError, CorruptBlockError, InvalidTokenError

log = logging.getLogger("fastshare_interop")

#: Payloads whose block is smaller than this travel inside the token (the Java side's default).
DEFAULT_THRESHOLD = 1_000_000

_inline_owner = os.urandom(16)


def _renew_inline_owner() -> None:
    global _inline_owner
    _inline_owner = os.urandom(16)


os.register_at_fork(after_in_child=_renew_inline_owner)


def _ttl_millis(ttl) -> int:
    if ttl is None:
        return 0
    seconds = ttl.total_seconds() if isinstance(ttl, datetime.timedelta) else float(ttl)
    if not seconds > 0:
        raise ValueError(f"ttl must be positive: {ttl!r}")
    return max(1, round(seconds * 1000))


def _plan(encoded: _codec.Encoded, owner: bytes, ttl, checksum: bool) -> fmt.Preamble:
    now = int(time.time() * 1000)
    ttl_ms = _ttl_millis(ttl)
    try:
        return fmt.plan(encoded.codec_id, encoded.metadata, [(s.element_type, s.shape) for s in encoded.sources],
                        owner, os.getpid(), now, now + ttl_ms if ttl_ms else 0, checksum)
    except ValueError as e:
        raise CodecError(f"payload cannot be laid out as a block: {e}") from e


def write(obj, *, threshold: int = DEFAULT_THRESHOLD, ttl=None, directory=None, checksum: bool = False,
          fallback: bool = True, max_inline_size: int = _tokens.MAX_INLINE_SIZE) -> str:
    """Writes a value and returns its token.

    Blocks smaller than `threshold` bytes travel inline in the token (``FSHR:inl:...``); larger ones
    become a block file (``FSHR:shm:FSHR_...``) owned by this process's lease. `ttl` (seconds or a
    timedelta) lets the janitor reclaim the block once passed; `checksum` adds a payload CRC32C. When
    the block filesystem is full and `fallback` is on, blocks up to `max_inline_size` go inline.

    Raises CodecError for values that cannot travel, AllocationError when shared memory cannot take
    the block (and the inline fallback is off or impossible).
    """
    return _write(obj, threshold, ttl, directory, checksum, fallback, max_inline_size)[0]


def _write(obj, threshold, ttl, directory, checksum, fallback, max_inline_size) -> tuple[str, int, str | None]:
    encoded = _codec.encode(obj)
    path = _directory.resolve(directory)
    planned = _plan(encoded, _inline_owner, ttl, checksum)
    size = planned.header.total_length
    if size < threshold:
        return _inline(planned, encoded, checksum, max_inline_size, "inline placement"), size, None
    try:
        _directory.ensure(path)
        lease = _lease.acquire(path)
        preamble = _plan(encoded, lease.owner, ttl, checksum)
        name = _store.write(path, preamble, encoded.sources, checksum)
        return _tokens.SHARED_PREFIX + name, size, name
    except AllocationError as e:
        if not fallback:
            raise
        if size > max_inline_size:
            raise AllocationError(f"{e}; the inline fallback is not possible either: the payload ({size} bytes) "
                                  f"is over the inline limit of {max_inline_size} bytes") from e
        log.warning("fastshare falls back to an inline token for a %d-byte payload: %s", size, e)
        return _inline(planned, encoded, checksum, max_inline_size, "fallback"), size, None


def _inline(preamble: fmt.Preamble, encoded: _codec.Encoded, checksum: bool, max_inline_size: int,
            why: str) -> str:
    size = preamble.header.total_length
    if size > max_inline_size:
        raise AllocationError(f"payload of {size} bytes is over the inline limit of {max_inline_size} bytes ({why}); "
                              "write it to shared memory or raise max_inline_size")
    return _tokens.Inline(_store.encode_inline(preamble, encoded.sources, checksum)).value


# ------------------------------------------------------------------------------------------- reading

class Opened:
    """An open block: the validated header fields, the zero-copy buffers and the decoded value, all
    views of one read-only mapping (or of the inline token's bytes).

    Use it as a context manager: on exit the mapping is unmapped, unless views escaped the ``with``
    block, in which case it lives on until the last of them is garbage (touching them stays safe).
    Not thread-safe.
    """

    def __init__(self, preamble: fmt.Preamble, block: memoryview,
                 mapped: _store.MappedBlock | _pool.PinnedBlock | None, token: str) -> None:
        self._preamble = preamble
        self._block: memoryview | None = block
        self._mapped = mapped
        self.token = token
        self._value_cached = False
        self._value = None

    @property
    def codec(self) -> str:
        """The codec id the block was written with (``raw``, ``json``, ...)."""
        return self._preamble.header.codec_id

    @property
    def metadata(self) -> bytes:
        """The codec metadata (raw: the Java type tag; json: class name, line feed, JSON)."""
        return self._preamble.metadata

    @property
    def size(self) -> int:
        """The block's total length in bytes."""
        return self._preamble.header.total_length

    @property
    def owner(self) -> str:
        """Hex owner id of the writer."""
        return self._preamble.header.owner.hex()

    @property
    def created(self) -> float:
        """Creation time, seconds since the epoch."""
        return self._preamble.header.created_millis / 1000

    @property
    def expires(self) -> float | None:
        """Expiry time, seconds since the epoch, or None without a TTL."""
        e = self._preamble.header.expires_millis
        return e / 1000 if e else None

    @property
    def buffers(self) -> list:
        """Every buffer as a read-only view (numpy array; memoryview for rank-1 bytes; str for UTF-8)."""
        block = self._checked()
        return [_codec.buffer_value(block, b, True) for b in self._preamble.buffers]

    @property
    def value(self):
        """The decoded payload, arrays as read-only views of the block. Raises CodecError."""
        if not self._value_cached:
            self._value = _codec.decode(self._preamble, self._checked(), True)
            self._value_cached = True
        return self._value

    def _checked(self) -> memoryview:
        if self._block is None:
            raise ValueError("the block was closed")
        return self._block

    def close(self) -> None:
        """Drops this object's references to the mapping and unmaps it when nothing else views it."""
        self._block = None
        self._value = None
        mapped, self._mapped = self._mapped, None
        if mapped is not None:
            mapped.close()  # unless views escaped: then the mapping (and a pool pin) goes with the last of them

    def __enter__(self) -> "Opened":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Opened({_tokens.abbreviate(self.token)}, codec={self.codec}, size={self.size})"


def _open(token: str, directory, max_inline_size: int, take: bool) -> Opened:
    parsed = _tokens.parse(token, max_inline_size)
    if isinstance(parsed, _tokens.Inline):
        try:
            preamble = fmt.validate(parsed.data, "inline token")
        except CorruptBlockError as e:
            raise InvalidTokenError(f"inline token does not hold a valid block: {e}") from e
        return Opened(preamble, memoryview(parsed.data), None, token)
    path = _directory.resolve(directory)
    if isinstance(parsed, _tokens.Pooled):
        pinned = _pool.open_block(path, parsed.key, claim=take)
        return Opened(pinned.preamble, pinned.view(), pinned, token)
    mapped = _store.map_block(path, parsed.name)
    if take:
        try:
            _store.claim(path, parsed.name)
        except BaseException:
            mapped.close()
            raise
    return Opened(mapped.preamble, mapped.view(), mapped, token)


def open(token: str, *, directory=None, max_inline_size: int = _tokens.MAX_INLINE_SIZE) -> Opened:  # noqa: A001
    """Opens a block for zero-copy access: validates it in full (the payload checksum too, when the
    block carries one) and maps it read-only; nothing is copied. Use as a context manager.

    Raises InvalidTokenError, BlockNotFoundError, CorruptBlockError.
    """
    return _open(token, directory, max_inline_size, False)


def read(token: str, *, readonly: bool = True, directory=None, max_inline_size: int = _tokens.MAX_INLINE_SIZE):
    """Reads a value. With `readonly` (the default) arrays are read-only numpy views of the shared
    mapping, which stays mapped while any of them lives; ``readonly=False`` returns private, writable
    copies and unmaps at once.

    Raises InvalidTokenError, BlockNotFoundError, CorruptBlockError, CodecError.
    """
    return _value(_open(token, directory, max_inline_size, False), readonly)


def take(token: str, *, readonly: bool = True, directory=None, max_inline_size: int = _tokens.MAX_INLINE_SIZE):
    """Reads a value and deletes its block: a claim-once handoff. Of several processes (Java or Python)
    taking the same token exactly one gets the value, the others get BlockNotFoundError. The block is
    validated, then unlinked, then decoded, so nothing is left if the taker crashes. Inline tokens
    are simply read.

    Raises as read().
    """
    return _value(_open(token, directory, max_inline_size, True), readonly)


def _value(opened: Opened, readonly: bool):
    if readonly:
        return _codec.decode(opened._preamble, opened._checked(), True)
    with opened:
        return _codec.decode(opened._preamble, opened._checked(), False)


def release(token: str, *, directory=None) -> bool:
    """Deletes the block a token names; any process may. Readers that already mapped it keep valid
    data. Returns False when it was already gone, and for inline tokens (they own no memory).

    Raises InvalidTokenError.
    """
    parsed = _tokens.parse(token, _tokens.MAX_INLINE_SIZE)
    if isinstance(parsed, _tokens.Inline):
        return False
    if isinstance(parsed, _tokens.Pooled):
        return _pool.release(_directory.resolve(directory), parsed.key)
    return _store.delete(_directory.resolve(directory), parsed.name)


# -------------------------------------------------------------------------------------- broadcasting

class SharedData:
    """A value shared with many readers: always written to shared memory (never inline), no TTL.

    ``SharedData(obj)`` writes it; hand ``.token`` (or ``.name``) to the workers, which call
    ``SharedData.load(token)``: each process decodes and maps a token once and then returns the cached
    value (read-only views). Release the block with ``release()`` or a ``with`` block; if the
    writing process dies, the janitor reclaims it. Thread-safe.
    """

    _cache: dict[tuple[str, str], object] = {}
    _cache_lock = threading.Lock()

    def __init__(self, obj, *, directory=None, checksum: bool = False) -> None:
        token, size, name = _write(obj, 0, None, directory, checksum, False, _tokens.MAX_INLINE_SIZE)
        self.token: str = token
        self.name: str = name
        self.size: int = size
        self._directory = directory

    @classmethod
    def load(cls, token: str, *, directory=None):
        """Returns the value of a shared block (a token or a block name), decoding it once per
        process; later calls return the same object. Values stay valid after the block is released.

        Raises as read().
        """
        if _tokens.is_block_name(token):
            token = _tokens.SHARED_PREFIX + token
        key = (token, _directory.resolve(directory))
        with cls._cache_lock:
            if key in cls._cache:
                return cls._cache[key]
        value = read(token, directory=directory)
        with cls._cache_lock:
            return cls._cache.setdefault(key, value)

    @classmethod
    def clear_cache(cls) -> None:
        """Forgets every loaded value, so their mappings can go; later loads read again."""
        with cls._cache_lock:
            cls._cache.clear()

    def release(self) -> bool:
        """Deletes the block. Idempotent; returns False when it was already gone."""
        return release(self.token, directory=self._directory)

    def __enter__(self) -> "SharedData":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"SharedData(name={self.name}, size={self.size})"
