"""Read a CTranslate2 `model.bin` into numpy arrays, without CTranslate2.

The file is what `ctranslate2.specs.ModelSpec._serialize` writes (binary version 6),
little-endian, no padding:

    u32  binary version (6)
    str  spec name, e.g. "WhisperSpec"
    u32  spec revision (Whisper: 3)
    u32  number of variables, then for each:
         str  name, scopes joined by "/" ("encoder/layer_0/self_attention/linear_0/weight")
         u8   rank, then rank × u32 dimensions
         u8   dtype: 0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16
         u32  number of bytes, then the raw row-major data
    u32  number of aliases, then for each: str alias, str name of the variable it shares

where `str` is a u16 length counting a trailing NUL, then the UTF-8 bytes and the NUL.
Scalars (rank 0) carry configuration, e.g. `decoder/activation`, and strings are stored
as int8 arrays. A quantised weight `W` (int8, or int16) comes with `W_scale` (float32,
one per output row for int8, one scalar for int16) such that `W ≈ stored / scale`.
"""
from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

from kodeklar.core.errors import UserError

BINARY_VERSION = 6
DTYPES = ("float32", "int8", "int16", "int32", "float16", "bfloat16")


@dataclass
class CT2Model:
    spec: str
    revision: int
    variables: dict  # name → numpy array; aliases included


def read(path: Path) -> CT2Model:
    """The arrays are copy-on-write views of the mapped file: a 3 GB large-v3 is paged in
    as it is used, not read and copied first."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    except OSError as e:
        raise UserError(f"cannot read {path} ({e.strerror})") from None
    except ValueError:  # an empty file cannot be mapped
        raise UserError(f"{path} is not a readable CTranslate2 model (empty)") from None
    try:
        return _parse(data)
    except (struct.error, ValueError, KeyError, UnicodeDecodeError):
        raise UserError(f"{path} is not a readable CTranslate2 model (truncated or corrupt)") from None


def _parse(data) -> CT2Model:
    import numpy as np

    pos = 0

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def string() -> str:
        nonlocal pos
        n = take("H")
        raw = data[pos:pos + n]
        if n == 0 or len(raw) != n or raw[-1] != 0:
            raise ValueError("bad string")
        pos += n
        return raw[:-1].decode("utf-8")

    version = take("I")
    if version != BINARY_VERSION:
        raise UserError(f"CTranslate2 model binary version {version} is not supported "
                        f"(expected {BINARY_VERSION}); re-convert the model with a recent ctranslate2")
    spec = string()
    revision = take("I")
    variables = {}
    for _ in range(take("I")):
        name = string()
        shape = tuple(take("I") for _ in range(take("B")))
        dtype_id = take("B")
        nbytes = take("I")
        if dtype_id >= len(DTYPES):
            raise ValueError("unknown dtype")
        # numpy has no bfloat16: it is the upper half of a float32
        dtype = np.dtype("uint16" if DTYPES[dtype_id] == "bfloat16" else DTYPES[dtype_id]).newbyteorder("<")
        count = int(np.prod(shape, dtype=np.int64))
        if count * dtype.itemsize != nbytes or pos + nbytes > len(data):
            raise ValueError("bad size")
        array = np.frombuffer(data, dtype=dtype, count=count, offset=pos).reshape(shape)
        if DTYPES[dtype_id] == "bfloat16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        variables[name] = array
        pos += nbytes
    for _ in range(take("I")):
        alias, target = string(), string()
        variables[alias] = variables[target]
    if pos != len(data):
        raise ValueError("trailing bytes")
    return CT2Model(spec, revision, variables)
