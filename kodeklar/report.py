"""Redaction reports for ethics reviewers (REK, Sikt, personvernombud), the batch
summary, the private report of originals, and the review sheet a human fills in.

What the shareable reports may show: times, speakers, categories, replacements, detectors,
scores and who decided; and the text of residual-risk candidates, which is text left in the
anonymised transcript. What they never show: the original text of a redaction. That goes
only into `write_originals_report`, which the pipeline writes under OUT/private/."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kodeklar.exporters import untranscribed_marker
from kodeklar.exporters.lang import category, kind, words
from kodeklar.core.timefmt import clock
from kodeklar.core.files import write_atomic
from kodeklar.core.transcript import Redaction, ReviewItem, Segment, Transcript

# the review sheet: the columns anonymise.decisions reads, and what a human needs to decide
REVIEW_COLUMNS = ["recording", "item", "segment", "char_start", "char_end", "kind", "time",
                  "speaker", "text", "category", "decision", "reviewer", "date"]
REDACTION_FIELDS = ["id", "segment", "start", "end", "time", "speaker", "category",
                    "replacement", "detector", "score", "decided_by"]
REVIEW_FIELDS = ["id", "segment", "start", "end", "time", "speaker", "kind", "text",
                 "category", "detector", "score"]

BATCH_FIELDS = ["recording", "status", "error", "warnings", "duration", "redactions",
                "by_category", "human_redacted", "human_kept", "review", "untranscribed"]


def _speaker(transcript: Transcript, segments: dict[int, Segment], seg_id: int) -> str:
    seg = segments.get(seg_id)
    return transcript.speaker_label(seg.speaker) if seg else ""


def _words_in(seg: Segment, start: float, end: float) -> str:
    """The text of the words whose middle falls in [start, end]."""
    return "".join(w.text for w in seg.words if start <= (w.start + w.end) / 2 <= end).strip()


def _review_text(seg: Segment, item: ReviewItem, redactions: list[Redaction]) -> str:
    """A review candidate's text, taken from the anonymised segment.

    Review offsets index the raw segment text (so that decisions apply on a re-run). They
    hold in the anonymised text before the segment's first replacement; after one, the
    shift is unknown here, and the words at the candidate's time are taken instead."""
    if all(r.char_start >= item.char_end for r in redactions):
        return seg.text[item.char_start:item.char_end]
    words = _words_in(seg, item.start, item.end)
    trimmed = words.strip(".,;:!?«»\"'()")
    return trimmed if len(trimmed) == item.char_end - item.char_start else words


def _review_rows(transcript: Transcript) -> list[dict[str, Any]]:
    segments = {s.id: s for s in transcript.segments}
    rows = []
    for c in sorted(transcript.review, key=lambda c: (c.start, c.id)):
        seg = segments.get(c.segment)
        in_seg = [r for r in transcript.redactions if r.segment == c.segment]
        rows.append({"id": c.id, "segment": c.segment, "char_start": c.char_start,
                     "char_end": c.char_end, "start": c.start, "end": c.end,
                     "time": clock(c.start, 1),
                     "speaker": _speaker(transcript, segments, c.segment), "kind": c.kind,
                     "text": _review_text(seg, c, in_seg) if seg else "",
                     "category": c.category, "detector": c.detector, "score": c.score})
    return rows


def _anonymise_stage(transcript: Transcript) -> dict[str, Any]:
    stage = transcript.provenance.stages.get("anonymise")
    return stage if isinstance(stage, dict) else {}


def summary(transcript: Transcript) -> dict[str, Any]:
    """The counts of one recording: small, JSON-ready, kept in the batch manifest and
    summed up by `write_batch_report`."""
    reds = transcript.redactions
    return {"recording": transcript.source.name,
            "duration": transcript.source.duration,
            "redactions": len(reds),
            "by_category": dict(Counter(r.category for r in reds).most_common()),
            "by_detector": dict(Counter(r.detector for r in reds).most_common()),
            "human_redacted": sum(1 for r in reds if r.decided_by == "human"),
            "human_kept": len(_anonymise_stage(transcript).get("human_kept") or []),
            "review": len(transcript.review),
            "untranscribed": len(transcript.untranscribed)}


def _low_confidence(transcript: Transcript, threshold: float) -> list[dict[str, Any]]:
    """Where the recogniser was unsure: times and counts, never the words (the report
    shows no transcript text but what a human must judge)."""
    from kodeklar.exporters import uncertain_runs

    out = []
    for seg in transcript.segments:
        for a, b in uncertain_runs(seg, threshold):
            words = seg.words[a:b + 1]
            out.append({"segment": seg.id, "start": words[0].start, "end": words[-1].end,
                        "time": clock(words[0].start, 1),
                        "speaker": transcript.speaker_label(seg.speaker),
                        "words": len(words), "p": round(min(w.p for w in words), 2)})
    return out


def _decisions(transcript: Transcript, segments: dict[int, Segment]) -> list[dict[str, Any]]:
    """Each human decision the anonymiser applied, with the time and speaker of its segment."""
    return [{**d, "time": clock(segments[d["segment"]].start) if d["segment"] in segments
             else "", "speaker": _speaker(transcript, segments, d["segment"])}
            for d in _anonymise_stage(transcript).get("decisions") or []]


def sign_off(transcript: Transcript) -> dict[str, Any]:
    """Whether every item has a human decision with a reviewer and a date: no review item
    left, every redaction decided by a human, and every decision signed."""
    decided = _anonymise_stage(transcript).get("decisions") or []
    items = len(transcript.redactions) + len(transcript.review) + \
        len(_anonymise_stage(transcript).get("human_kept") or [])
    unsigned = sum(1 for d in decided if not (d.get("reviewer") and d.get("date")))
    left = len(transcript.review) + \
        sum(1 for r in transcript.redactions if r.decided_by != "human") + unsigned
    who = sorted({f"{d['reviewer']}, {d['date']}" for d in decided
                  if d.get("reviewer") and d.get("date")})
    return {"items": items, "left": min(left, items), "complete": left == 0, "by": who}


def build_report(transcript: Transcript, *, key_file: str | None, settings: dict,
                 audio_spans: list[tuple[float, float]] | None = None, lang: str = "nb",
                 review_files: dict[str, str] | None = None) -> dict[str, Any]:
    """The report of one recording as plain data, as the JSON file holds it. The redacted
    audio's spans come from `audio_spans`, else from what the pipeline recorded in the
    anonymise stage's provenance. `review_files` names the review page, the sheet and the
    command that applies decisions (`review_files()`)."""
    from kodeklar.exporters import low_confidence

    segments = {s.id: s for s in transcript.segments}
    redactions = [{"id": r.id, "segment": r.segment, "start": r.start, "end": r.end,
                   "time": clock(r.start, 1), "speaker": _speaker(transcript, segments, r.segment),
                   "category": r.category, "replacement": r.replacement, "detector": r.detector,
                   "score": r.score, "decided_by": r.decided_by}
                  for r in sorted(transcript.redactions, key=lambda r: (r.start, r.id))]
    stage = _anonymise_stage(transcript)
    if audio_spans is None:
        audio_spans = (stage.get("redacted_audio") or {}).get("spans") or []
    kept = [{"segment": k.get("segment"), "kind": k.get("kind", ""),
             "speaker": _speaker(transcript, segments, k.get("segment")),
             "time": clock(segments[k["segment"]].start) if k.get("segment") in segments else ""}
            for k in stage.get("human_kept") or []]
    threshold = low_confidence(transcript)
    p = transcript.provenance
    w = words(lang)
    return {
        "report": "kodeklar.redaction-report/1",
        "lang": lang,
        "recording": transcript.source.name,
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "source": {"sha256": transcript.source.sha256, "duration": transcript.source.duration,
                   "damage": transcript.source.damage},
        "anonymised": transcript.anonymised,
        "summary": summary(transcript),
        "redactions": redactions,
        "human_kept": kept,
        "review": _review_rows(transcript),
        "untranscribed": [{"id": f"U{i}", "start": u.start, "end": u.end, "time": clock(u.start, 1),
                           "kind": "untranscribed", "text": untranscribed_marker(u)}
                          for i, u in enumerate(transcript.untranscribed, 1)],
        "low_confidence": {"threshold": threshold,
                           "stretches": _low_confidence(transcript, threshold)},
        "review_files": review_files or {},
        "decisions": _decisions(transcript, segments),
        "audio_redactions": [{"start": s, "end": e} for s, e in audio_spans],
        "key_file": key_file,
        "provenance": {"tool": p.tool, "created": p.created, "engine": p.engine,
                       "model": p.model, "model_sha256": p.model_sha256, "params": p.params,
                       "stages": p.stages},
        "settings": settings,
        "voice_note": w["voice_note"],
        "sign_off": {**sign_off(transcript), "checklist": w["checklist"],
                     "fields": {f: "" for f in w["sign_fields"]}},
    }


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


def items(anonymised: Transcript, raw: Transcript | None) -> list[dict[str, Any]]:
    """Everything a human decides on, in time order, each with the decision already made
    (`decision`, `reviewer`, `date`; empty where none): every redaction (kind `redaction`,
    with its original text and where that lies in the raw segment), every stretch a human
    kept (item K1…, decision `keep`), both only with `raw`; and every review item. Offsets
    index the raw segment text, as anonymise.decisions wants them. With the decisions made
    shown again, a file saved after a second look holds them all."""
    segments = {s.id: s for s in anonymised.segments}
    stage = _anonymise_stage(anonymised)
    signed = {(d["segment"], d["char_start"], d["char_end"]): d
              for d in stage.get("decisions") or []}

    def decided(segment: int, a: int, b: int, decision: str) -> dict[str, str]:
        d = signed.get((segment, a, b), {}) if decision else {}
        return {"decision": decision, "reviewer": d.get("reviewer", ""),
                "date": d.get("date", "")}

    out = [{**c, "item": c["id"], **decided(0, 0, 0, "")} for c in _review_rows(anonymised)]
    if raw is not None:
        raw_segs = {s.id: s for s in raw.segments}
        found = found_originals(anonymised, raw)
        for r in anonymised.redactions:
            text, _, where = found[r.id]
            if where is None:
                continue  # no offsets to decide on: the originals report says so
            a, b = where
            out.append({"item": r.id, "segment": r.segment, "char_start": a, "char_end": b,
                        "start": r.start, "end": r.end, "kind": "redaction",
                        "time": clock(r.start, 1),
                        "speaker": _speaker(anonymised, segments, r.segment),
                        "text": text, "category": r.category,
                        "replacement": r.replacement, "detector": r.detector,
                        "score": r.score, "decided_by": r.decided_by,
                        **decided(r.segment, a, b, "redact" if r.decided_by == "human" else "")})
        for n, k in enumerate(stage.get("human_kept") or [], 1):
            seg = raw_segs.get(k.get("segment"))
            a, b = k.get("char_start", 0), k.get("char_end", 0)
            if seg is None or not 0 <= a < b <= len(seg.text):
                continue
            out.append({"item": f"K{n}", "segment": seg.id, "char_start": a, "char_end": b,
                        "start": seg.start, "end": seg.end, "kind": k.get("kind", ""),
                        "time": clock(seg.start, 1), "speaker": _speaker(raw, raw_segs, seg.id),
                        "text": seg.text[a:b], "category": "",
                        **decided(seg.id, a, b, "keep")})
    return sorted(out, key=lambda i: (i["start"], i["segment"], i["char_start"]))


def write_review_sheet(transcript: Transcript, out_path: Path, recording: str,
                       raw: Transcript | None = None) -> Path:
    """The review sheet: every item of `items()`, with the `decision` column empty or as
    decided before, for a human to fill with `redact` or `keep` (and optionally a category,
    their name and the date); `anonymise.decisions.load` reads it back. With `raw`, redactions are rows too,
    with their original text: the sheet belongs under OUT/private/."""
    rows = [{**i, "recording": recording} for i in items(transcript, raw)]
    return write_atomic(out_path, _csv(REVIEW_COLUMNS, rows))


def found_originals(anonymised: Transcript, raw: Transcript
                    ) -> dict[str, tuple[str, str, tuple[int, int] | None]]:
    """For every redaction of `anonymised`: its original text in `raw`, how that was found
    (`text`, `time` or `not found`), and where it lies in the raw segment text, [start, end)
    (None where the words found by time cannot be placed in the text).

    The two transcripts share segment ids, and the text around the replacements is the
    raw text unchanged; so a segment's anonymised text, cut at its replacements, is a
    pattern the raw text matches, and the gaps are the originals. Where that fails (text
    edited after anonymisation), or where two replacements touch so that the split
    between them is a guess, the raw words whose middle falls in the redaction's time
    span are taken instead."""
    raw_segs = {s.id: s for s in raw.segments}
    anon_segs = {s.id: s for s in anonymised.segments}
    by_segment: dict[int, list[Redaction]] = {}
    for r in anonymised.redactions:
        by_segment.setdefault(r.segment, []).append(r)
    found: dict[str, tuple[str, str, tuple[int, int] | None]] = {}
    for seg_id, reds in by_segment.items():
        raw_seg = raw_segs.get(seg_id)
        if raw_seg is None:
            found.update({r.id: ("", "not found", None) for r in reds})
            continue
        by_text = _by_text(anon_segs.get(seg_id), sorted(reds, key=lambda r: r.char_start),
                           raw_seg.text)
        for r in reds:
            if r.id in by_text:
                a, b = by_text[r.id]
                found[r.id] = (raw_seg.text[a:b], "text", (a, b))
                continue
            words = _words_in(raw_seg, r.start, r.end)
            at = raw_seg.text.find(words) if words else -1
            found[r.id] = ((words, "time", (at, at + len(words)) if at >= 0 else None)
                           if words else ("", "not found", None))
    return found


def originals(anonymised: Transcript, raw: Transcript) -> dict[str, tuple[str, str]]:
    """For every redaction of `anonymised`, its original text in `raw` and how it was
    found (`found_originals`)."""
    return {rid: (text, method)
            for rid, (text, method, _) in found_originals(anonymised, raw).items()}


def _by_text(seg: Segment | None, reds: list[Redaction], raw_text: str
             ) -> dict[str, tuple[int, int]]:
    if seg is None:
        return {}
    pattern, literals, cursor = [], [], 0
    for r in reds:
        if r.char_start < cursor or seg.text[r.char_start:r.char_end] != r.replacement:
            return {}  # offsets that do not fit the text: trust only the times
        literals.append(seg.text[cursor:r.char_start])
        pattern += [re.escape(literals[-1]), "(.+?)"]
        cursor = r.char_end
    literals.append(seg.text[cursor:])
    match = re.fullmatch("".join(pattern) + re.escape(literals[-1]), raw_text, re.DOTALL)
    if not match:
        return {}
    out = {}
    for i, r in enumerate(reds):
        touches_previous = i > 0 and not literals[i].strip()
        touches_next = i + 1 < len(reds) and not literals[i + 1].strip()
        if not (touches_previous or touches_next):
            out[r.id] = match.span(i + 1)
    return out


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


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:2px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:.6em 1em}
.warn{background:#fde8e8;border-left:4px solid #c62828;padding:.6em 1em}
.ok{background:#e6f4ea;border-left:4px solid #1e7e34;padding:.6em 1em}
.check li{list-style:none;margin:.4em 0}.check li:before{content:"\\2610  ";font-size:1.2em}
.sign td{height:2.2em}.sign td:first-child{width:30%}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}
@media print{body{margin:0}h2{page-break-after:avoid}}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[Any]], numeric: set[int] = frozenset(),
           empty: str = "Ingen.") -> str:
    if not rows:
        return f"<p>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{esc(v)}</td>' if i in numeric
                                    else f"<td>{esc(v)}</td>" for i, v in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(title: str, body: str, lang: str, css: str = "", script: str = "") -> str:
    """A whole self-contained HTML page: its style (and script) inline, nothing fetched."""
    script = f"<script>{script}</script>\n" if script else ""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n"
            f"{body}\n{script}</body>\n</html>\n")


def _report_html(d: dict) -> str:
    lang = d["lang"]
    w = words(lang)
    c = d["summary"]
    p = d["provenance"]

    def table(headers, rows, numeric=frozenset()):
        return _table([w[h] for h in headers], rows, numeric, w["none"])

    parts = [f"<h1>{esc(w['report'])}: {esc(d['recording'])}</h1>",
             f"<p>{esc(w['made_by'].format(when=d['generated'], tool=p['tool']))}</p>"]
    if not d["anonymised"]:
        parts.append(f'<p class="warn">{w["not_anonymised"]}</p>')
    if d["source"].get("damage"):
        parts.append(f'<p class="warn">{esc(w["damage"].format(what=d["source"]["damage"]))}</p>')
    so = d["sign_off"]
    parts.append(f'<p class="{"ok" if so["complete"] else "warn"}" id="sign-off-status">'
                 + esc(w["signed_off"].format(n=so["items"], who="; ".join(so["by"]))
                      if so["complete"] else
                      w["not_signed_off"].format(left=so["left"], n=so["items"])) + "</p>")
    low = d["low_confidence"]
    parts.append(_table(["", ""], [
        [w["recording"], d["recording"]],
        [w["duration"], clock(d["source"]["duration"])],
        [w["sha256"], d["source"]["sha256"]],
        [w["redactions"], c["redactions"]],
        [w["human_redacted"], c["human_redacted"]],
        [w["human_kept"], c["human_kept"]],
        [w["to_review"], c["review"]],
        [w["untranscribed"], c.get("untranscribed", 0)],
        [w["low_confidence"], len(low["stretches"])]]))
    files = d["review_files"]
    if files:
        parts += [f"<h2>{esc(w['how_title'])}</h2>", "<ul>",
                  f"<li>{esc(w['how_page'].format(page=files['page']))}</li>",
                  f"<li>{esc(w['how_sheet'].format(sheet=files['sheet']))}</li>", "</ul>",
                  f"<p>{esc(w['how_command'])}</p>", f"<pre>{esc(files['command'])}</pre>"]
    parts += [f"<h2>{esc(w['by_category'])}</h2>",
              table(["category", "count"],
                    [[category(k, lang), v] for k, v in c["by_category"].items()], {1}),
              f"<h2>{esc(w['by_detector'])}</h2>",
              table(["detector", "count"], [[k, v] for k, v in c["by_detector"].items()], {1}),
              f"<h2>{esc(w['all_redactions'])}</h2>", f"<p>{esc(w['no_originals'])}</p>",
              table(["id", "time", "speaker", "category", "replacement", "detector", "score",
                     "decided_by"],
                    [[r["id"], r["time"], r["speaker"], category(r["category"], lang),
                      r["replacement"],
                      r["detector"], f"{r['score']:.2f}",
                      w["human"] if r["decided_by"] == "human" else w["rule"]]
                     for r in d["redactions"]], {6}),
              f"<h2>{esc(w['human_kept'])}</h2>", f"<p>{esc(w['kept_intro'])}</p>",
              table(["segment", "time", "speaker", "kind"],
                    [[k["segment"], k["time"], k["speaker"], kind(k["kind"], d["lang"])]
                     for k in d["human_kept"]]),
              f"<h2>{esc(w['decisions_title'])}</h2>",
              table(["segment", "time", "speaker", "kind", "decision", "category", "reviewer",
                     "date"],
                    [[x["segment"], x["time"], x["speaker"], kind(x["kind"], d["lang"]),
                      w.get(x["decision"], x["decision"]), category(x["category"], lang),
                      x["reviewer"],
                      x["date"]] for x in d["decisions"]]),
              f"<h2>{esc(w['review_title'])}</h2>", f"<p>{esc(w['review_intro'])}</p>",
              table(["id", "time", "speaker", "kind", "text", "category", "detector", "score"],
                    [[r["id"], r["time"], r["speaker"], kind(r["kind"], d["lang"]), r["text"],
                      category(r["category"], lang),
                      r["detector"], f"{r['score']:.2f}" if r["detector"] else ""]
                     for r in d["review"]]
                    + [[u["id"], u["time"], "", kind(u["kind"], d["lang"]), u["text"], "", "", ""]
                       for u in d["untranscribed"]], {7}),
              f"<h2>{esc(w['low_title'])}</h2>",
              f"<p>{esc(w['low_intro'].format(threshold=low['threshold']))}</p>",
              table(["segment", "time", "speaker", "words", "score"],
                    [[x["segment"], x["time"], x["speaker"], x["words"], f"{x['p']:.2f}"]
                     for x in low["stretches"]], {3, 4})]
    if d["audio_redactions"]:
        parts += [f"<h2>{esc(w['audio_title'])}</h2>", f"<p>{esc(w['audio_intro'])}</p>",
                  table(["from", "to"], [[clock(a["start"], 3), clock(a["end"], 3)]
                                         for a in d["audio_redactions"]])]
    parts += [f"<h2>{esc(w['key_title'])}</h2>",
              f"<p>{esc(d['key_file'])}</p>" if d["key_file"] else f"<p>{esc(w['no_key'])}</p>",
              f"<h2>{esc(w['voice_title'])}</h2>", f'<p class="note">{esc(w["voice_note"])}</p>',
              f"<h2>{esc(w['versions'])}</h2>",
              _table(["", ""], [[w["tool"], p["tool"]], [w["engine"], p["engine"]],
                                [w["model"], p["model"]], [w["model_sha256"], p["model_sha256"]],
                                [w["transcribed"], p["created"]]]),
              f"<h3>{esc(w['params'])}</h3>",
              f"<pre>{esc(json.dumps({'params': p['params'], 'stages': p['stages']}, ensure_ascii=False, indent=1))}</pre>",
              f"<h3>{esc(w['settings'])}</h3>",
              f"<pre>{esc(json.dumps(d['settings'], ensure_ascii=False, indent=1))}</pre>",
              f"<h2>{esc(w['sign_title'])}</h2>",
              '<ul class="check">' + "".join(f"<li>{esc(i)}</li>" for i in so["checklist"])
              + "</ul>",
              '<table class="sign">' + "".join(f"<tr><td>{esc(f)}</td><td></td></tr>"
                                               for f in so["fields"]) + "</table>"]
    return page(f"{w['report']}: {d['recording']}", "\n".join(parts), d["lang"])


def _batch_html(s: dict) -> str:
    w = words(s["lang"])
    parts = [f"<h1>{esc(w['batch_title'])}</h1>",
             f"<p>{esc(w['batch_made'].format(when=s['generated'], n=s['recordings'], failed=s['failed'], redactions=s['redactions'], review=s['review']))}</p>",
             f"<h2>{esc(w['batch_by_category'])}</h2>",
             _table([w["category"], w["count"]],
                    [[category(k, s["lang"]), v] for k, v in s["by_category"].items()],
                    {1}, w["none"]),
             f"<h2>{esc(w['recordings'])}</h2>",
             _table([w[k] for k in ("recording", "status", "duration", "redactions",
                                    "per_category", "human_redacted", "human_kept",
                                    "to_review", "errors", "warnings")],
                    [[r["recording"], w.get(f"status_{r['status']}", r["status"]),
                      r["duration"], r["redactions"], r["by_category"], r["human_redacted"],
                      r["human_kept"], r["review"], r["error"], r["warnings"]]
                     for r in s["rows"]], {3, 5, 6, 7}, w["none"]),
             f"<h2>{esc(w['voice_title'])}</h2>", f'<p class="note">{esc(w["voice_note"])}</p>']
    return page(w["batch_title"], "\n".join(parts), s["lang"])
