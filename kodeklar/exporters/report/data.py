"""The report of one recording as plain data: its counts (`summary`), the whole report
(`build_report`), whether it is signed off, and the items a human decides on (`items`)."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import Any

from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Redaction, ReviewItem, Segment, Transcript
from kodeklar.exporters import low_confidence, uncertain_runs, untranscribed_marker
from kodeklar.exporters.lang import words
from kodeklar.exporters.report.originals import _words_in, found_originals


def _speaker(transcript: Transcript, segments: dict[int, Segment], seg_id: int) -> str:
    seg = segments.get(seg_id)
    return transcript.speaker_label(seg.speaker) if seg else ""


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
    command that applies decisions (`writers.review_files`)."""
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
