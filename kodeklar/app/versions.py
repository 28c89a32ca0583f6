"""A version per stage for the cache keys, derived from the code and data that make the
stage's result, so that it is never forgotten: after an edit of `transcribe/guards.py` a
re-run re-transcribes, after an edit of an exporter it re-exports."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from kodeklar import __version__

ROOT = Path(__file__).resolve().parents[2]

# stage -> (paths that make its result, paths under them that belong to another stage)
SOURCES = {
    "transcribe": (("transcribe",), ("transcribe/diarise", "transcribe/assign.py")),
    "diarise": (("transcribe/diarise", "transcribe/assign.py"), ()),
    "anonymise": (("anonymise",), ("anonymise/ner/train.py",)),
    "export": (("kodeklar/exporters", "kodeklar/app/redact_audio.py"), ()),
}


def _files(paths: tuple[str, ...], skip: tuple[str, ...], root: Path) -> list[Path]:
    found = []
    for p in paths:
        path = root / p
        found += sorted(path.rglob("*")) if path.is_dir() else [path]
    skipped = tuple(root / s for s in skip)
    return [f for f in found if f.is_file() and "__pycache__" not in f.parts
            and not any(f == s or s in f.parents for s in skipped)]


@functools.cache
def version(stage: str, root: Path = ROOT) -> str:
    """kodeklar's version and a sha256 over the stage's files (names and contents)."""
    paths, skip = SOURCES[stage]
    h = hashlib.sha256()
    for f in _files(paths, skip, root):
        h.update(str(f.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return f"{__version__}+{h.hexdigest()[:16]}"
