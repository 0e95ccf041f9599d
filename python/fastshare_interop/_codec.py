"""Codecs: how Python values become a block's metadata and buffers and back, compatible with the
Java side's ``raw`` codec (one array, metadata = Java type tag) and ``json`` codec (metadata = Java
class name, line feed, JSON document; arrays out of band as ``{"$fshr.buffer": n}``). See
docs/codecs.md and docs/python.md. Stateless, thread-safe."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np

from . import _format as fmt
from .errors import CodecError

RAW = "raw"
JSON = "json"
REFERENCE = "$fshr.buffer"

# Java type tag of the raw codec -> element type it must carry
RAW_TAGS = {
    "byte[]": fmt.BYTES, "ByteBuffer": fmt.BYTES, "String": fmt.UTF8, "short[]": fmt.INT16,
    "char[]": fmt.UTF16, "int[]": fmt.INT32, "long[]": fmt.INT64, "float[]": fmt.FLOAT32,
    "double[]": fmt.FLOAT64,
}
_TAG_OF = {fmt.BYTES.code: "byte[]", fmt.INT16.code: "short[]", fmt.UTF16.code: "char[]",
           fmt.INT32.code: "int[]", fmt.INT64.code: "long[]", fmt.FLOAT32.code: "float[]",
           fmt.FLOAT64.code: "double[]"}
# numpy dtype (kind, itemsize) -> element type
_BY_DTYPE = {("u", 1): fmt.BYTES, ("i", 1): fmt.INT8, ("i", 2): fmt.INT16, ("u", 2): fmt.UTF16,
             ("i", 4): fmt.INT32, ("i", 8): fmt.INT64, ("f", 4): fmt.FLOAT32, ("f", 8): fmt.FLOAT64}
_LONG_MIN, _LONG_MAX = -(1 << 63), (1 << 63) - 1


@dataclass(frozen=True)
class Source:
    """One buffer to write: its element type, shape and bytes (C-contiguous, little-endian)."""

    element_type: fmt.ElementType
    shape: tuple[int, ...]
    data: memoryview


@dataclass(frozen=True)
class Encoded:
    codec_id: str
    metadata: bytes
    sources: list[Source]


def _array_source(array: np.ndarray, for_raw: bool) -> Source:
    element_type = _BY_DTYPE.get((array.dtype.kind, array.dtype.itemsize))
    if element_type is None:
        raise CodecError(f"numpy dtype {array.dtype} has no block element type; use float32, float64, int8, "
                         "uint8, int16, uint16, int32 or int64")
    if not 1 <= array.ndim <= fmt.MAX_RANK:
        raise CodecError(f"a {array.ndim}-dimensional array cannot be written: the format keeps 1 to "
                         f"{fmt.MAX_RANK} dimensions")
    if for_raw and element_type is fmt.INT8:
        element_type = fmt.BYTES  # Java's raw byte[] carries BYTES; inside JSON, INT8 is kept
    array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    return Source(element_type, tuple(int(d) for d in array.shape), memoryview(array).cast("B"))


def _bytes_source(value) -> Source:
    view = memoryview(value)
    if not view.c_contiguous:
        view = memoryview(view.tobytes())
    view = view.cast("B")
    return Source(fmt.BYTES, (len(view),), view)


def encode(value) -> Encoded:
    """Encodes a value: bytes-likes, str and numpy arrays through ``raw``, everything else through
    ``json``. Raises CodecError for values neither can carry."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return Encoded(RAW, b"byte[]", [_bytes_source(value)])
    if isinstance(value, str):
        data = _utf8(value)
        return Encoded(RAW, b"String", [Source(fmt.UTF8, (len(data),), memoryview(data))])
    if isinstance(value, np.ndarray) and value.ndim > 0:
        source = _array_source(value, for_raw=True)
        return Encoded(RAW, _TAG_OF[source.element_type.code].encode("ascii"), [source])
    return _encode_json(value)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise CodecError(f"string is not valid Unicode (lone surrogate): {e}") from e


def _java_type(value) -> str:
    if isinstance(value, dict):
        return "java.util.LinkedHashMap"
    if isinstance(value, (list, tuple)):
        return "java.util.ArrayList"
    if isinstance(value, bool):
        return "java.lang.Boolean"
    if isinstance(value, int):
        return "java.lang.Long" if _LONG_MIN <= value <= _LONG_MAX else "java.math.BigInteger"
    if isinstance(value, float):
        return "java.lang.Double"
    if isinstance(value, str):
        return "java.lang.String"
    return "java.lang.Object"


def _encode_json(value) -> Encoded:
    sources: list[Source] = []

    def convert(v):
        if v is None or isinstance(v, (bool, str, int)):
            return v
        if isinstance(v, float):
            if not math.isfinite(v):
                raise CodecError(f"{v} cannot travel in JSON (Java's reader refuses NaN and infinities); put "
                                 "it in a numpy array instead")
            return v
        if isinstance(v, np.generic):
            return convert(v.item())
        if isinstance(v, np.ndarray):
            if v.ndim == 0:
                return convert(v.item())
            sources.append(_array_source(v, for_raw=False))
            return {REFERENCE: len(sources) - 1}
        if isinstance(v, (bytes, bytearray, memoryview)):
            sources.append(_bytes_source(v))
            return {REFERENCE: len(sources) - 1}
        if isinstance(v, dict):
            out = {}
            for k, item in v.items():
                if isinstance(k, bool) or not isinstance(k, (str, int)):
                    raise CodecError(f"dict key {k!r} of type {type(k).__name__} cannot travel: keys must be str "
                                     "(or int, sent as its decimal string)")
                out[str(k)] = convert(item)
            return out
        if isinstance(v, (list, tuple)):
            return [convert(item) for item in v]
        raise CodecError(f"cannot encode {type(v).__name__}: fastshare_interop carries numpy arrays, bytes, str, "
                         "int, float, bool, None and dicts/lists/tuples of them")

    root = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
    try:
        document = json.dumps(convert(root), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except RecursionError as e:
        raise CodecError("value is nested too deeply (or contains itself)") from e
    metadata = _java_type(root).encode("utf-8") + b"\n" + _utf8(document)
    return Encoded(JSON, metadata, sources)


# ------------------------------------------------------------------------------------------ decoding

def buffer_value(block: memoryview, buffer: fmt.Buffer, readonly: bool):
    """A buffer as a Python value: a numpy array of its element type and shape (a view of `block`
    when readonly, else a private copy); a rank-1 BYTES buffer as a memoryview (bytearray when not
    readonly); UTF8 as str."""
    data = block[buffer.offset:buffer.offset + buffer.length]
    element_type = buffer.element_type
    if element_type is fmt.UTF8:
        try:
            return str(data, "utf-8")
        except UnicodeDecodeError as e:
            raise CodecError(f"UTF8 buffer is not valid UTF-8: {e}") from e
    if element_type is fmt.BYTES and len(buffer.shape) == 1:
        return data.toreadonly() if readonly else bytearray(data)
    array = np.frombuffer(data, dtype=element_type.dtype).reshape(buffer.shape)
    if readonly:
        return array
    return array.copy()


def decode(preamble: fmt.Preamble, block: memoryview, readonly: bool):
    """Decodes a validated block's payload. Raises CodecError for an unknown codec or bad metadata."""
    codec = preamble.header.codec_id
    if codec == RAW:
        return _decode_raw(preamble, block, readonly)
    if codec == JSON:
        return _decode_json(preamble, block, readonly)
    raise CodecError(f"block was written with codec '{codec}', which Python cannot decode (raw and json can); "
                     "use open() to reach its buffers")


def _decode_raw(preamble: fmt.Preamble, block: memoryview, readonly: bool):
    tag = preamble.metadata.decode("ascii", errors="replace")
    element_type = RAW_TAGS.get(tag)
    if element_type is None or len(preamble.buffers) != 1:
        raise CodecError(f"raw block has unknown content '{tag}' with {len(preamble.buffers)} buffers")
    buffer = preamble.buffers[0]
    if buffer.element_type is not element_type:
        raise CodecError(f"raw block says {tag} but its buffer holds {buffer.element_type.name}")
    return buffer_value(block, buffer, readonly)


def _decode_json(preamble: fmt.Preamble, block: memoryview, readonly: bool):
    metadata = preamble.metadata
    newline = metadata.find(b"\n")
    if newline <= 0:
        raise CodecError("JSON block metadata does not start with a type name")
    buffers = preamble.buffers

    def hook(obj: dict):
        if len(obj) == 1 and REFERENCE in obj:
            index = obj[REFERENCE]
            if type(index) is not int or not 0 <= index < len(buffers):
                raise CodecError(f"JSON names out-of-band buffer {index!r}, the block has {len(buffers)}")
            return buffer_value(block, buffers[index], readonly)
        return obj

    try:
        return json.loads(metadata[newline + 1:].decode("utf-8"), object_hook=hook)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise CodecError(f"cannot decode a JSON payload of {metadata[:newline].decode('utf-8', 'replace')}: "
                         f"{e}") from e
