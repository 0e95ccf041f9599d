"""Token grammar (docs/block-format.md, "Tokens" and "Pooled blocks"): parsed strictly before any file
is touched.
Stateless, thread-safe."""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from ._pool import parse_key  # the pool key grammar lives with the slot protocol
from .errors import InvalidTokenError

PREFIX = "FSHR:"
SHARED_PREFIX = PREFIX + "shm:"
INLINE_PREFIX = PREFIX + "inl:"
POOL_PREFIX = PREFIX + "pool:"
#: Largest inline block a reader accepts by default (the Java side's maxInlineSize default).
MAX_INLINE_SIZE = 16 * 1024 * 1024

MAX_KEY_LENGTH = 255

_BLOCK_NAME = re.compile(r"FSHR_[0-9a-f]{32}")
# token = "FSHR:" kind ":" key (docs/block-format.md, "Tokens")
_KIND = re.compile(r"[a-z][a-z0-9]{0,15}")
_KEY = re.compile(r"[A-Za-z0-9_.\-]+")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Shared:
    """A token naming a block file of the block directory."""

    name: str

    @property
    def value(self) -> str:
        return SHARED_PREFIX + self.name


@dataclass(frozen=True)
class Inline:
    """A token carrying the block bytes themselves."""

    data: bytes

    @property
    def value(self) -> str:
        return INLINE_PREFIX + base64.urlsafe_b64encode(self.data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Pooled:
    """A token naming a pooled block: segment, slot and generation (docs/block-format.md)."""

    key: str

    @property
    def value(self) -> str:
        return POOL_PREFIX + self.key


def is_block_name(name: object) -> bool:
    """True for ``FSHR_`` followed by 32 lower-case hex digits, nothing else."""
    return isinstance(name, str) and _BLOCK_NAME.fullmatch(name) is not None


def abbreviate(token: object) -> str:
    """At most 64 printable ASCII characters of a token, for messages."""
    text = str(token)
    out = "".join(c if 0x20 <= ord(c) < 0x7F else "?" for c in text[:60])
    return "'" + out + ("...'" if len(text) > 60 else "'")


def parse(token: object, max_inline_size: int = MAX_INLINE_SIZE) -> Shared | Inline | Pooled:
    """Parses a token; raises InvalidTokenError for anything not exactly of the grammar."""
    if not isinstance(token, str) or not token:
        raise InvalidTokenError("empty token: expected FSHR:<kind>:<key> or FSHR:inl:<base64url>"
                                if not token else f"a token is a str, not {type(token).__name__}")
    if token.startswith(INLINE_PREFIX):
        encoded = token[len(INLINE_PREFIX):]
        if len(encoded) > (max_inline_size * 4 + 2) // 3:
            raise InvalidTokenError(f"inline token of {len(token)} characters exceeds the inline limit of "
                                    f"{max_inline_size} bytes; raise max_inline_size if this is expected")
        if token.endswith("="):
            raise InvalidTokenError("inline token must not carry base64 padding")
        if not _BASE64URL.fullmatch(encoded) or len(encoded) % 4 == 1:
            raise InvalidTokenError("inline token is not valid base64url")
        try:
            return Inline(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        except (binascii.Error, ValueError) as e:
            raise InvalidTokenError(f"inline token is not valid base64url: {e}") from e
    colon = token.find(":", len(PREFIX))
    if not token.startswith(PREFIX) or colon < 0:
        raise InvalidTokenError(f"not a fastshare token: {abbreviate(token)} (expected FSHR:<kind>:<key>, such as "
                                "FSHR:shm:FSHR_<32 hex>, or FSHR:inl:<base64url>)")
    kind, key = token[len(PREFIX):colon], token[colon + 1:]
    if not _KIND.fullmatch(kind) or kind == "inl":
        raise InvalidTokenError(f"invalid token kind {abbreviate(kind)}: expected 1 to 16 lower-case letters or "
                                "digits, starting with a letter, other than inl")
    if len(key) > MAX_KEY_LENGTH or not _KEY.fullmatch(key):
        raise InvalidTokenError(f"invalid key in token {abbreviate(token)}: expected 1 to {MAX_KEY_LENGTH} "
                                "characters of A-Z a-z 0-9 _ . -")
    if kind == "shm":
        if not is_block_name(key):
            raise InvalidTokenError(f"invalid block name in token {abbreviate(token)}: expected FSHR_ followed "
                                    "by 32 lower-case hex digits")
        return Shared(key)
    if kind == "pool":
        return Pooled(parse_key(key).key)
    raise InvalidTokenError(f"token kind '{kind}' names a block store fastshare_interop cannot read (it reads shm, "
                            "pool and inl tokens)")
