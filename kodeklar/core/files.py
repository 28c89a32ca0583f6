"""The one way kodeklar writes a file: atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable

from kodeklar.core.errors import UserError


def write_atomic(path: str | os.PathLike, data: str | bytes | Callable[[BinaryIO], None],
                 mode: int | None = None) -> Path:
    """Write `data` to `path` so that a reader, or a crash, never sees a partial file:
    a temporary file in the same folder, fsync, then rename over the target. `data` is
    text, bytes, or a function that writes into the open binary file (for outputs too large
    to hold in memory, such as redacted audio). `mode` sets the file's permissions (e.g.
    0o600 for private outputs)."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise UserError(f"cannot write in {path.parent} ({e.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(f)
            else:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise UserError(f"cannot write {path} ({e.strerror})") from None
        raise
    return path
