"""Token grammar (docs/block-format.md, "Tokens"): parsed strictly before any file is touched.
Stateless, thread-safe."""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from .errors import InvalidTokenError

PREFIX = "FSHR:"
SHARED_PREFIX = PREFIX + "shm:"
INLINE_PREFIX = PREFIX + "inl:"
#: Largest inline block a reader accepts by default (the Java side's maxInlineSize default).
MAX_INLINE_SIZE = 16 * 1024 * 1024

_BLOCK_NAME = re.compile(r"FSHR_[0-9a-f]{32}")
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


def is_block_name(name: object) -> bool:
    """True for ``FSHR_`` followed by 32 lower-case hex digits, nothing else."""
    return isinstance(name, str) and _BLOCK_NAME.fullmatch(name) is not None


def abbreviate(token: object) -> str:
    """At most 64 printable ASCII characters of a token, for messages."""
    text = str(token)
    out = "".join(c if 0x20 <= ord(c) < 0x7F else "?" for c in text[:60])
    return "'" + out + ("...'" if len(text) > 60 else "'")


def parse(token: object, max_inline_size: int = MAX_INLINE_SIZE) -> Shared | Inline:
    """Parses a token; raises InvalidTokenError for anything not exactly of the grammar."""
    if not isinstance(token, str) or not token:
        raise InvalidTokenError("empty token: expected FSHR:shm:FSHR_<32 hex> or FSHR:inl:<base64url>"
                                if not token else f"a token is a str, not {type(token).__name__}")
    if token.startswith(SHARED_PREFIX):
        name = token[len(SHARED_PREFIX):]
        if not is_block_name(name):
            raise InvalidTokenError(f"invalid block name in token {abbreviate(token)}: expected FSHR_ followed "
                                    "by 32 lower-case hex digits")
        return Shared(name)
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
    raise InvalidTokenError(f"not a fastshare token: {abbreviate(token)} (expected FSHR:shm:FSHR_<32 hex> or "
                            "FSHR:inl:<base64url>)")
