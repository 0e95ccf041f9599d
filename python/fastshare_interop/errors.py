"""The exceptions of fastshare_interop, mirroring the Java library's hierarchy
(``io.fastshare.FastShareException`` and its subclasses)."""
from __future__ import annotations


class FastShareError(Exception):
    """Base class of every error this package raises on purpose."""


class InvalidTokenError(FastShareError, ValueError):
    """The string is not a well-formed token, or an inline token does not hold a valid block."""


class BlockNotFoundError(FastShareError, LookupError):
    """No block of that name exists: released, taken, reclaimed, or written in another directory."""


class CorruptBlockError(FastShareError):
    """The block file is not a valid, committed block: it failed validation and nothing of it was used."""


class AllocationError(FastShareError):
    """The block could not be created: the block filesystem is full or not writable."""


class CodecError(FastShareError):
    """The value cannot be encoded, or the payload cannot be decoded (unknown codec, bad metadata)."""
