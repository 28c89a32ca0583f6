"""The writers: each report's files (HTML, JSON, CSV) in their folder, and where the
review of a recording happens (`review_files`)."""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from kodeklar.core.files import write_atomic
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript
from kodeklar.exporters.lang import category
from kodeklar.exporters.report.data import _speaker, build_report
from kodeklar.exporters.report.html_ import _batch_html, _report_html
from kodeklar.exporters.report.originals import originals
from kodeklar.exporters.report.sheets import BATCH_FIELDS, REDACTION_FIELDS, REVIEW_FIELDS, _csv


def review_files(name: str, *, raw: str, key: str | None) -> dict[str, str]:
    """Where the review of recording `name` happens, relative to the output folder, and the
    command that applies the decisions there (`kodeklar anonymise` into the same folder):
    from the sheet, and from the file the page saves. `raw`: the raw transcript, relative
    to the output folder; `key`: the key file where it is not the default
    (OUT/private/key.kodeklar)."""
    sheet = f"private/review/{name}.review.csv"
    key_option = f" --key {key}" if key else ""

    def command(decisions: str) -> str:
        return f"kodeklar anonymise {raw} -o .{key_option} --decisions {decisions}"
    return {"page": f"private/review/{name}.review.html", "sheet": sheet,
            "shareable_page": f"reports/{name}.review.html", "command": command(sheet),
            # the file the page saves, wherever the browser put it
            "page_command": command(f"{name}.decisions.csv")}


def write_report(transcript: Transcript, out_dir: Path, basename: str, *, key_file: str | None,
                 settings: dict, audio_spans: list[tuple[float, float]] | None = None,
                 lang: str = "nb", review_files: dict[str, str] | None = None) -> list[Path]:
    """Write `basename.report.html`, `.report.json` and `.report.csv` into `out_dir`."""
    data = build_report(transcript, key_file=key_file, settings=settings,
                        audio_spans=audio_spans, lang=lang, review_files=review_files)
    out_dir = Path(out_dir)
    fields = ["row"] + list(dict.fromkeys(REDACTION_FIELDS + REVIEW_FIELDS + ["words", "p"]))
    rows = ([{"row": "redaction", **r} for r in data["redactions"]]
            + [{"row": "review", **c} for c in data["review"]]
            + [{"row": "untranscribed", **u} for u in data["untranscribed"]]
            + [{"row": "low_confidence", **u} for u in data["low_confidence"]["stretches"]])
    return [write_atomic(out_dir / f"{basename}.report.html", _report_html(data)),
            write_atomic(out_dir / f"{basename}.report.json", _json(data)),
            write_atomic(out_dir / f"{basename}.report.csv", _csv(fields, rows))]


def write_batch_report(reports: list[dict], out_dir: Path, lang: str = "nb") -> list[Path]:
    """The batch summary, `batch-report.html/.json/.csv`: one row per recording, from
    `summary()` dicts, which may also carry `name`, `status`, `error` (a failed recording
    has no counts) and `warnings` (a list: cut off, untranscribed stretches, …)."""
    rows = []
    for r in reports:
        failed = bool(r.get("error")) or r.get("status") == "failed"
        rows.append({"recording": r.get("name") or r.get("recording", ""),
                     "status": r.get("status") or ("failed" if failed else "done"),
                     "error": r.get("error", ""),
                     "warnings": " | ".join(r.get("warnings") or []),
                     "duration": clock(r["duration"]) if "duration" in r else "",
                     "redactions": r.get("redactions", ""),
                     "by_category": "; ".join(f"{category(k, lang)}: {v}"
                                              for k, v in r.get("by_category", {}).items()),
                     "human_redacted": r.get("human_redacted", ""),
                     "human_kept": r.get("human_kept", ""),
                     "review": r.get("review", ""),
                     "untranscribed": r.get("untranscribed", "")})
    totals = Counter()
    for r in reports:
        totals.update(r.get("by_category", {}))
    data = {"report": "kodeklar.batch-report/1",
            "lang": lang,
            "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "recordings": len(reports),
            "failed": sum(1 for r in reports if r.get("error") or r.get("status") == "failed"),
            "redactions": sum(r.get("redactions", 0) for r in reports),
            "by_category": dict(totals.most_common()),
            "review": sum(r.get("review", 0) for r in reports),
            "rows": rows}
    out_dir = Path(out_dir)
    return [write_atomic(out_dir / "batch-report.html", _batch_html(data)),
            write_atomic(out_dir / "batch-report.json", _json(data)),
            write_atomic(out_dir / "batch-report.csv", _csv(BATCH_FIELDS, rows))]


def write_originals_report(anonymised: Transcript, raw: Transcript, out_dir: Path,
                           basename: str) -> Path:
    """A CSV of every redaction with its original text, for the research team only:
    written with mode 0600, and the pipeline puts it under OUT/private/."""
    segments = {s.id: s for s in anonymised.segments}
    found = originals(anonymised, raw)
    rows = []
    for r in sorted(anonymised.redactions, key=lambda r: (r.start, r.id)):
        original, method = found[r.id]
        rows.append({"id": r.id, "segment": r.segment, "time": clock(r.start, 1),
                     "speaker": _speaker(anonymised, segments, r.segment),
                     "category": r.category, "replacement": r.replacement,
                     "original": original, "found_by": method, "detector": r.detector,
                     "score": r.score, "decided_by": r.decided_by})
    fields = ["id", "segment", "time", "speaker", "category", "replacement", "original",
              "found_by", "detector", "score", "decided_by"]
    return write_atomic(Path(out_dir) / f"{basename}.originals.csv", _csv(fields, rows),
                        mode=0o600)


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
