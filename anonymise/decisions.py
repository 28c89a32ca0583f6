"""Review decisions: a human's verdict on review candidates, read from a CSV with the columns
recording,segment,char_start,char_end,kind,decision (decision: redact | keep, or empty for
not decided yet), separated by commas or semicolons. Offsets index the raw segment text, as
in the review items of an anonymised Transcript."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from kodeklar.core.errors import UserError

COLUMNS = ("recording", "segment", "char_start", "char_end", "kind", "decision")
VERDICTS = ("redact", "keep")


@dataclass(frozen=True)
class Decision:
    recording: str
    segment: int
    char_start: int
    char_end: int
    kind: str
    decision: str

    def applies_to(self, recording: str) -> bool:
        return self.recording in ("", recording)


def _int(value: str, column: str, where: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UserError(f"{where}: {column} is not a whole number") from None
    if number < 0:
        raise UserError(f"{where}: {column} is negative")
    return number


def load(path: str | os.PathLike) -> list[Decision]:
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
        # Excel with Norwegian settings saves CSV with semicolons
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        rows = list(reader)
        header = reader.fieldnames or []
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise UserError(f"{path}: cannot read decisions ({type(e).__name__})") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}; "
                        f"expected {','.join(COLUMNS)}")
    decisions = []
    for line, row in enumerate(rows, start=2):
        where = f"{path}, line {line}"
        if None in row or any(row[c] is None for c in COLUMNS):
            raise UserError(f"{where}: wrong number of fields")
        verdict = row["decision"].strip().lower()
        if not verdict:
            continue  # not decided yet: the candidate stays on the review list
        if verdict not in VERDICTS:
            raise UserError(f"{where}: decision must be 'redact' or 'keep'")
        d = Decision(row["recording"].strip(), _int(row["segment"], "segment", where),
                     _int(row["char_start"], "char_start", where),
                     _int(row["char_end"], "char_end", where), row["kind"].strip(), verdict)
        if d.char_end <= d.char_start:
            raise UserError(f"{where}: char_end must be greater than char_start")
        decisions.append(d)
    return decisions
