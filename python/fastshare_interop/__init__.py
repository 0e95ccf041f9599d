"""fastshare_interop: hand large values between Python and Java processes through shared memory,
by token, in the block format of fastshare for Java (docs/block-format.md).

    token = write(numpy_array)          # FSHR:shm:FSHR_<hex> or, when small, FSHR:inl:<base64url>
    value = read(token)                 # read-only numpy views of the shared mapping
    value = take(token)                 # read once, then the block is gone
    release(token)
    with open(token) as block: block.value, block.buffers
    shared = SharedData(model); SharedData.load(shared.token); SharedData.clear_cache()
    cleanup(dry_run=True); blocks()

Standard library and numpy only. See docs/python.md.
"""
from ._api import DEFAULT_THRESHOLD, Opened, SharedData, open, read, release, take, write
from ._directory import ENVIRONMENT_VARIABLE, default_directory
from ._janitor import BlockInfo, CleanupResult, blocks, cleanup
from ._tokens import MAX_INLINE_SIZE
from .errors import (AllocationError, BlockNotFoundError, CodecError, CorruptBlockError, FastShareError,
                     InvalidTokenError)

__version__ = "0.1.0"

__all__ = [
    "write", "read", "take", "release", "open", "SharedData", "Opened", "cleanup", "blocks", "BlockInfo",
    "CleanupResult", "FastShareError", "InvalidTokenError", "BlockNotFoundError", "CorruptBlockError",
    "AllocationError", "CodecError", "DEFAULT_THRESHOLD", "MAX_INLINE_SIZE", "ENVIRONMENT_VARIABLE",
    "default_directory",
]
