"""The batch manifest, `OUT/manifest.json`: per recording, its pseudonymous name, input
hash, the key of each finished stage, timings and the error if one failed.

It holds no original file names (they often contain the informant's name): the mapping
from input file to pseudonymous name is kept in `OUT/private/sources.json`. Both are
rewritten atomically after every recording, so a killed batch leaves a consistent
manifest and a re-run continues from it."""
from __future__ import annotations

import contextlib
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
        self.touched: set[str] = set()   # the recordings this process writes

    def named(self, path: Path) -> str | None:
        """The name `path` was given, if it has one."""
        return self.sources.get(source_key(path), {}).get("name")

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
        """The entry of one recording, to be updated and saved by this process. Read afresh
        the first time: another process (an array task) may have written it since."""
        if name not in self.touched:
            self.touched.add(name)
            fresh = _read_json(self.path, {"recordings": {}})["recordings"].get(name)
            if fresh is not None:
                self.data["recordings"][name] = fresh
        return self.data["recordings"].setdefault(name, {"stages": {}})

    def save(self) -> None:
        with FileLock(self.out / ".manifest.lock").held():
            on_disk = _read_json(self.path, {"recordings": {}})
            self.data["recordings"] = {**on_disk["recordings"], **{
                name: self.data["recordings"][name] for name in self.touched}}
            self.sources = {**_read_json(self.sources_path, {}), **self.sources}
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


class FileLock:
    """An advisory lock (flock) on a file. It dies with the process, so a kill -9 leaves
    none behind; on a cluster's shared file system it holds across nodes where that file
    system supports flock (NFSv4, Lustre and GPFS as usually mounted)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd = None

    def acquire(self, wait: bool) -> bool:
        """Takes the lock, waiting for it if `wait`; False if another process holds it."""
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise UserError(f"cannot write in output folder {self.path.parent} ({e.strerror})") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            return False
        return True

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None

    @contextlib.contextmanager
    def held(self):
        self.acquire(wait=True)
        try:
            yield self
        finally:
            self.release()


class OutputLock(FileLock):
    """One `kodeklar run` per output folder: a second one refuses at once instead of
    interleaving writes."""

    def __init__(self, out: Path):
        super().__init__(out / ".kodeklar.lock")

    def __enter__(self):
        if not self.acquire(wait=False):
            raise UserError(f"another kodeklar run is using {self.path.parent}; "
                            f"wait for it to finish or choose another output folder")
        os.ftruncate(self.fd, 0)
        os.write(self.fd, str(os.getpid()).encode())
        return self

    def __exit__(self, *exc):
        self.release()


def recording_lock(out: Path, name: str) -> FileLock:
    """Held by whoever works on one recording: an array task of a Slurm job, or `kodeklar
    run` while it is at that recording."""
    # beside the folder's other lock files, out of the outputs (names are pseudonyms)
    return FileLock(make_private(out / ".locks") / f"{name}.lock")


def busy_recordings(out: Path) -> list[str]:
    """The recordings another process is working on now."""
    busy = []
    for path in sorted((out / ".locks").glob("*.lock")):
        lock = FileLock(path)
        if lock.acquire(wait=False):
            lock.release()
        else:
            busy.append(path.stem)
    return busy
