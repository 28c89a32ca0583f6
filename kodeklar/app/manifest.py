"""The batch manifest, `OUT/manifest.json`: per recording, its pseudonymous name, input
hash, the key of each finished stage, timings and the error if one failed.

It holds no original file names (they often contain the informant's name): the mapping
from input file to pseudonymous name is kept in `OUT/private/sources.json`. Both are
rewritten atomically after every recording, so a killed batch leaves a consistent
manifest and a re-run continues from it."""
from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
from pathlib import Path

from kodeklar import __version__
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def make_private(folder: Path) -> Path:
    """Create `folder` (if needed) readable by the owner only."""
    folder.mkdir(exist_ok=True)
    os.chmod(folder, PRIVATE_DIR_MODE)
    return folder


def private_dir(out: Path, *parts: str) -> Path:
    """A folder under OUT/private, each level readable by the owner only."""
    path = make_private(out / "private")
    for part in parts:
        path = make_private(path / part)
    return path


def source_key(path: Path) -> str:
    """Identifies an input file for naming even when it cannot be read (missing, broken)."""
    return "path:" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]


class Manifest:
    def __init__(self, out: Path):
        self.out = out
        self.path = out / "manifest.json"
        self.sources_path = out / "private" / "sources.json"
        self.data = _read_json(self.path, {"tool": f"kodeklar {__version__}", "recordings": {}})
        self.sources = _read_json(self.sources_path, {})   # source key -> {"name", "input"}

    def name_for(self, path: Path, keep_names: bool, prefix: str) -> str:
        key = source_key(path)
        if key in self.sources:
            return self.sources[key]["name"]
        if keep_names:
            name = path.stem
            taken = {s["name"] for s in self.sources.values()}
            base, n = name, 1
            while name in taken:
                n += 1
                name = f"{base}-{n}"
        else:
            name = f"{prefix}-{len(self.sources) + 1:02d}"
        self.sources[key] = {"name": name, "input": str(path.resolve())}
        return name

    def recording(self, name: str) -> dict:
        return self.data["recordings"].setdefault(name, {"stages": {}})

    def save(self) -> None:
        self.data["updated"] = now()
        write_atomic(self.path, json.dumps(self.data, ensure_ascii=False, indent=1) + "\n")
        private_dir(self.out)
        write_atomic(self.sources_path, json.dumps(self.sources, ensure_ascii=False, indent=1) + "\n",
                     mode=PRIVATE_FILE_MODE)


def _read_json(path: Path, default: dict) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError):
        raise UserError(f"{path}: damaged (not JSON); move it away to start this output folder afresh") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: damaged (not a JSON object); move it away to start afresh")
    return data


class OutputLock:
    """One `kodeklar run` per output folder: a second one refuses at once instead of
    interleaving writes. The lock dies with the process, so a kill -9 leaves none behind."""

    def __init__(self, out: Path):
        self.path = out / ".kodeklar.lock"
        self.fd = None

    def __enter__(self):
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise UserError(f"cannot write in output folder {self.path.parent} ({e.strerror})") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise UserError(f"another kodeklar run is using {self.path.parent}; "
                            f"wait for it to finish or choose another output folder") from None
        os.ftruncate(self.fd, 0)
        os.write(self.fd, str(os.getpid()).encode())
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
