"""The CSV sheets: the columns of the report's, the batch summary's and the review sheet's
CSV files, how a cell is written, and the review sheet a human fills in."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from kodeklar.core.files import write_atomic
from kodeklar.core.transcript import Transcript
from kodeklar.exporters.report.data import items

# the review sheet: the columns anonymise.decisions reads, and what a human needs to decide
REVIEW_COLUMNS = ["recording", "item", "segment", "char_start", "char_end", "kind", "time",
                  "speaker", "text", "category", "decision", "reviewer", "date"]
# the report's CSV: the columns of its redaction rows and of its review rows
REDACTION_FIELDS = ["id", "segment", "start", "end", "time", "speaker", "category",
                    "replacement", "detector", "score", "decided_by"]
REVIEW_FIELDS = ["id", "segment", "start", "end", "time", "speaker", "kind", "text",
                 "category", "detector", "score"]
# the batch summary's CSV: a row per recording
BATCH_FIELDS = ["recording", "status", "error", "warnings", "duration", "redactions",
                "by_category", "human_redacted", "human_kept", "review", "untranscribed"]


def _cell(value: Any) -> Any:
    # a cell starting with = + - @ is run as a formula by spreadsheet programs
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    # the byte order mark makes Excel read UTF-8 (æ, ø, å) rather than the local code page
    buf.write("\ufeff")
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()


def write_review_sheet(transcript: Transcript, out_path: Path, recording: str,
                       raw: Transcript | None = None) -> Path:
    """The review sheet: every item of `items()`, with the `decision` column empty or as
    decided before, for a human to fill with `redact` or `keep` (and optionally a category,
    their name and the date); `anonymise.decisions.load` reads it back. With `raw`, redactions are rows too,
    with their original text: the sheet belongs under OUT/private/."""
    rows = [{**i, "recording": recording} for i in items(transcript, raw)]
    return write_atomic(out_path, _csv(REVIEW_COLUMNS, rows))
