"""Review decisions: a human's verdict on what the anonymiser did and left, read from a CSV
(commas or semicolons, UTF-8 with or without a byte order mark). The review sheet
(OUT/private/review/NAME.review.csv) and the review page's "save" button write this format.

Columns (any others, such as time, speaker, text or item, are read past):
- recording: the recording's pseudonym (`intervju-01`); empty = every recording.
- segment, char_start, char_end: where, as offsets into the raw segment text (the
  transcript in OUT/private/raw/), for every kind of row.
- kind: `redaction` (a row about a redaction the anonymiser made), `added` (a stretch a
  human marks that nothing found), or the review item's kind (capitalised, number, age,
  low_score, …).
- decision: `redact` or `keep`; empty = not decided yet (the row is read past).
  `keep` on a redaction undoes it (a false positive: the original text stays); `keep` on a
  review item takes it off the list. `redact` on a redaction confirms it; on a review item
  or an `added` row it redacts the stretch.
- category (optional): with `redact`, the category to redact as (PERSON, PLACE,
  ORGANISATION, NUMBER, …): on a redaction it changes the category, and with it the
  replacement. Empty = as found.
- reviewer, date (optional): who decided, and when (YYYY-MM-DD); the report records them
  with each decision and signs the review off as complete when every item has one."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from kodeklar.core.errors import UserError

COLUMNS = ("recording", "segment", "char_start", "char_end", "kind", "decision")
OPTIONAL = ("category", "reviewer", "date")
VERDICTS = ("redact", "keep")
REDACTION = "redaction"
ADDED = "added"


@dataclass(frozen=True)
class Decision:
    recording: str
    segment: int
    char_start: int
    char_end: int
    kind: str
    decision: str
    category: str = ""
    reviewer: str = ""
    date: str = ""

    def applies_to(self, recording: str) -> bool:
        return self.recording in ("", recording)

    def record(self) -> dict:
        """What the anonymised transcript's provenance keeps of the decision: where, what
        and who, never text."""
        return {"segment": self.segment, "char_start": self.char_start,
                "char_end": self.char_end, "kind": self.kind, "decision": self.decision,
                "category": self.category, "reviewer": self.reviewer, "date": self.date}


def _int(value: str, column: str, where: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UserError(f"{where}: {column} is not a whole number") from None
    if number < 0:
        raise UserError(f"{where}: {column} is negative")
    return number


def _category(value: str, where: str) -> str:
    from anonymise.categories import CATEGORIES, TABLE

    category = value.strip().upper()
    if category and category not in TABLE:
        # the Norwegian label as the page shows it ("STED") names a category too
        by_label = {c.label: c.name for c in TABLE.values()}
        if category not in by_label:
            raise UserError(f"{where}: unknown category '{value.strip()}' "
                            f"(choose from: {', '.join(CATEGORIES)})")
        category = by_label[category]
    return category


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
        extra = {c: (row.get(c) or "").strip() for c in OPTIONAL}
        d = Decision(row["recording"].strip(), _int(row["segment"], "segment", where),
                     _int(row["char_start"], "char_start", where),
                     _int(row["char_end"], "char_end", where), row["kind"].strip(), verdict,
                     _category(extra["category"], where), extra["reviewer"], extra["date"])
        if d.char_end <= d.char_start:
            raise UserError(f"{where}: char_end must be greater than char_start")
        decisions.append(d)
    return decisions
