"""Compare two `kodeklar run` output folders, for a change that must not change outputs.

    python bench/compare_outputs.py OUT_BEFORE OUT_AFTER

Text outputs are compared after masking what differs between any two runs (creation times,
timings, ids, checksums of the run's own files, the output folder's path); docx by its text,
qdpx member by member. The key file is encrypted with a fresh salt, so only its presence is
compared. Prints the files only one side has and those that differ; exit status 1 if any."""
from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

MASKS = [re.compile(p) for p in (
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^\"<\s,]*",            # ISO times
    r'"(seconds|resumed_seconds)": [\d.]+',                   # timings
    r'"(model_)?sha256": "[0-9a-f]+"', r'"key": "[0-9a-f]{64}"',
    r'(guid|GUID)="[^"]*"|"[0-9a-f-]{36}"', r'DATE="[^"]*"',
)]
AUDIO = (".wav", ".mp3", ".flac", ".m4a")


def masked(text: str, out: Path) -> str:
    text = text.replace(str(out.resolve()), "OUT")  # the output folder's own path
    for pattern in MASKS:
        text = pattern.sub("<masked>", text)
    return text


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())


def qdpx_members(path: Path, out: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: masked(z.read(n).decode("utf-8", "replace"), out)
                for n in sorted(z.namelist()) if not n.endswith(AUDIO)}


def same(rel: str, before: Path, after: Path) -> bool:
    a, b = before / rel, after / rel
    if a.suffix == ".docx":
        return docx_text(a) == docx_text(b)
    if a.suffix == ".qdpx":
        return qdpx_members(a, before) == qdpx_members(b, after)
    if a.suffix == ".kodeklar":
        return True
    if a.suffix in AUDIO:
        return a.read_bytes() == b.read_bytes()
    return masked(a.read_text("utf-8"), before) == masked(b.read_text("utf-8"), after)


def files(out: Path) -> set[str]:
    # the cache holds keys of code versions, and locks hold process ids: not outputs
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
            and "cache" not in p.parts and ".locks" not in p.parts and not p.name.endswith(".lock")}


def main() -> int:
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    fb, fa = files(before), files(after)
    print("only before:", sorted(fb - fa))
    print("only after:", sorted(fa - fb))
    differ = [rel for rel in sorted(fb & fa) if not same(rel, before, after)]
    for rel in differ:
        print("differs:", rel)
    print(f"{len(fb & fa) - len(differ)} equal, {len(differ)} differ")
    return 1 if differ or fb != fa else 0


if __name__ == "__main__":
    sys.exit(main())
