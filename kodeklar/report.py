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
from kodeklar.core.timefmt import clock
from kodeklar.core.files import write_atomic
from kodeklar.core.transcript import Redaction, ReviewItem, Segment, Transcript

REVIEW_COLUMNS = ["recording", "segment", "char_start", "char_end", "kind", "time", "speaker",
                  "text", "decision"]
REDACTION_FIELDS = ["id", "segment", "start", "end", "time", "speaker", "category",
                    "replacement", "detector", "score", "decided_by"]
REVIEW_FIELDS = ["id", "segment", "start", "end", "time", "speaker", "kind", "text",
                 "category", "detector", "score"]

BATCH_FIELDS = ["recording", "status", "error", "duration", "redactions", "by_category",
                "human_redacted", "human_kept", "review", "untranscribed"]

VOICE_NOTE = ("Stemmen i lydopptaket er fortsatt en personopplysning: en person kan kjennes "
              "igjen på stemmen, også i lydfilen der navn og steder er erstattet med pipetone "
              "eller stillhet. Lydfiler skal lagres og deles som personopplysninger.")
CHECKLIST = [
    "Direkte identifikatorer (navn, fødselsnummer, telefon, adresse, e-post) er fjernet.",
    "Indirekte identifikatorer (yrke, arbeidssted, alder, diagnose, sjeldne hendelser) er "
    "vurdert, og alle punkter under «Til manuell kontroll» er gått gjennom.",
    "Koblingsnøkkelen er lagret atskilt fra transkripsjonene, kryptert, og bare prosjektet "
    "har tilgang.",
    "Lydopptakene lagres og slettes slik samtykket og godkjenningen (REK/Sikt) sier.",
]
SIGN_OFF_FIELDS = ["Gjennomgått av (navn)", "Rolle", "Dato", "Signatur"]


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


def build_report(transcript: Transcript, *, key_file: str | None, settings: dict,
                 audio_spans: list[tuple[float, float]] | None = None) -> dict[str, Any]:
    """The report of one recording as plain data, as the JSON file holds it. The redacted
    audio's spans come from `audio_spans`, else from what the pipeline recorded in the
    anonymise stage's provenance."""
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
    p = transcript.provenance
    return {
        "report": "kodeklar.redaction-report/1",
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
        "audio_redactions": [{"start": s, "end": e} for s, e in audio_spans],
        "key_file": key_file,
        "provenance": {"tool": p.tool, "created": p.created, "engine": p.engine,
                       "model": p.model, "model_sha256": p.model_sha256, "params": p.params,
                       "stages": p.stages},
        "settings": settings,
        "voice_note": VOICE_NOTE,
        "sign_off": {"checklist": CHECKLIST, "fields": {f: "" for f in SIGN_OFF_FIELDS}},
    }


def write_report(transcript: Transcript, out_dir: Path, basename: str, *, key_file: str | None,
                 settings: dict, audio_spans: list[tuple[float, float]] | None = None
                 ) -> list[Path]:
    """Write `basename.report.html`, `.report.json` and `.report.csv` into `out_dir`."""
    data = build_report(transcript, key_file=key_file, settings=settings,
                        audio_spans=audio_spans)
    out_dir = Path(out_dir)
    fields = ["row"] + list(dict.fromkeys(REDACTION_FIELDS + REVIEW_FIELDS))
    rows = ([{"row": "redaction", **r} for r in data["redactions"]]
            + [{"row": "review", **c} for c in data["review"]]
            + [{"row": "untranscribed", **u} for u in data["untranscribed"]])
    return [write_atomic(out_dir / f"{basename}.report.html", _report_html(data)),
            write_atomic(out_dir / f"{basename}.report.json", _json(data)),
            write_atomic(out_dir / f"{basename}.report.csv", _csv(fields, rows))]


def write_batch_report(reports: list[dict], out_dir: Path) -> list[Path]:
    """The batch summary, `batch-report.html/.json/.csv`: one row per recording, from
    `summary()` dicts, which may also carry `name`, `status` and `error` (a failed
    recording has no counts)."""
    rows = []
    for r in reports:
        failed = bool(r.get("error")) or r.get("status") == "failed"
        rows.append({"recording": r.get("name") or r.get("recording", ""),
                     "status": r.get("status") or ("failed" if failed else "done"),
                     "error": r.get("error", ""),
                     "duration": clock(r["duration"]) if "duration" in r else "",
                     "redactions": r.get("redactions", ""),
                     "by_category": "; ".join(f"{k}: {v}"
                                              for k, v in r.get("by_category", {}).items()),
                     "human_redacted": r.get("human_redacted", ""),
                     "human_kept": r.get("human_kept", ""),
                     "review": r.get("review", ""),
                     "untranscribed": r.get("untranscribed", "")})
    totals = Counter()
    for r in reports:
        totals.update(r.get("by_category", {}))
    data = {"report": "kodeklar.batch-report/1",
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


def write_review_sheet(transcript: Transcript, out_path: Path, recording: str) -> Path:
    """A CSV of the residual-risk candidates with an empty `decision` column, for a human
    to fill with `redact` or `keep`; `anonymise.decisions.load` reads it back."""
    rows = [{**c, "recording": recording, "decision": ""} for c in _review_rows(transcript)]
    return write_atomic(out_path, _csv(REVIEW_COLUMNS, rows))


def originals(anonymised: Transcript, raw: Transcript) -> dict[str, tuple[str, str]]:
    """For every redaction of `anonymised`, its original text in `raw` and how it was
    found: `text` or `time` (or `not found`).

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
    found: dict[str, tuple[str, str]] = {}
    for seg_id, reds in by_segment.items():
        raw_seg = raw_segs.get(seg_id)
        if raw_seg is None:
            found.update({r.id: ("", "not found") for r in reds})
            continue
        by_text = _by_text(anon_segs.get(seg_id), sorted(reds, key=lambda r: r.char_start),
                           raw_seg.text)
        for r in reds:
            if r.id in by_text:
                found[r.id] = (by_text[r.id], "text")
            else:
                words = _words_in(raw_seg, r.start, r.end)
                found[r.id] = (words, "time") if words else ("", "not found")
    return found


def _by_text(seg: Segment | None, reds: list[Redaction], raw_text: str) -> dict[str, str]:
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
            out[r.id] = match.group(i + 1)
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
.check li{list-style:none;margin:.4em 0}.check li:before{content:"\\2610  ";font-size:1.2em}
.sign td{height:2.2em}.sign td:first-child{width:30%}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}
@media print{body{margin:0}h2{page-break-after:avoid}}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[Any]], numeric: set[int] = frozenset()) -> str:
    if not rows:
        return "<p>Ingen.</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{_e(v)}</td>' if i in numeric
                                    else f"<td>{_e(v)}</td>" for i, v in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            f"</body>\n</html>\n")


def _report_html(d: dict) -> str:
    c = d["summary"]
    p = d["provenance"]
    parts = [f"<h1>Anonymiseringsrapport: {_e(d['recording'])}</h1>",
             f"<p>Laget {_e(d['generated'])} av {_e(p['tool'])}.</p>"]
    if not d["anonymised"]:
        parts.append('<p class="warn">Transkripsjonen er <strong>ikke</strong> anonymisert.</p>')
    if d["source"].get("damage"):
        parts.append('<p class="warn">Lydfilen kan være avkortet eller skadet; sjekk opptaket '
                     f'({_e(d["source"]["damage"])}).</p>')
    parts.append(_table(["", ""], [
        ["Opptak (pseudonym)", d["recording"]],
        ["Varighet", clock(d["source"]["duration"])],
        ["SHA-256 for lydfilen", d["source"]["sha256"]],
        ["Erstatninger i teksten", c["redactions"]],
        ["Erstattet etter manuell vurdering", c["human_redacted"]],
        ["Beholdt etter manuell vurdering", c["human_kept"]],
        ["Til manuell kontroll", c["review"]],
        ["Tale uten tekst (uhørbart)", c.get("untranscribed", 0)]]))
    parts += ["<h2>Erstatninger per kategori</h2>",
              _table(["Kategori", "Antall"], [[k, v] for k, v in c["by_category"].items()], {1}),
              "<h2>Erstatninger per regel (detektor)</h2>",
              _table(["Detektor", "Antall"], [[k, v] for k, v in c["by_detector"].items()], {1}),
              "<h2>Alle erstatninger</h2>",
              "<p>Originalteksten står ikke i denne rapporten; den finnes bare i "
              "koblingsnøkkelen.</p>",
              _table(["ID", "Tid", "Taler", "Kategori", "Erstattet med", "Detektor", "Sikkerhet",
                      "Avgjort av"],
                     [[r["id"], r["time"], r["speaker"], r["category"], r["replacement"],
                       r["detector"], f"{r['score']:.2f}",
                       "menneske" if r["decided_by"] == "human" else "regel"]
                      for r in d["redactions"]], {6}),
              "<h2>Beholdt etter manuell vurdering</h2>",
              "<p>Kandidater et menneske har vurdert og valgt å beholde i teksten.</p>",
              _table(["Segment", "Tid", "Taler", "Type"],
                     [[k["segment"], k["time"], k["speaker"], k["kind"]]
                      for k in d["human_kept"]]),
              "<h2>Til manuell kontroll (restrisiko)</h2>",
              "<p>Tekst som står igjen i den anonymiserte transkripsjonen og som kan peke ut en "
              "person. Et menneske må vurdere hvert punkt (gjennomgangsarket: "
              "<code>redact</code> eller <code>keep</code>). Tale uten tekst (uhørbart) er ikke "
              "vurdert for identifiserende innhold: lytt til opptaket der.</p>",
              _table(["ID", "Tid", "Taler", "Type", "Tekst", "Kategori", "Detektor", "Sikkerhet"],
                     [[r["id"], r["time"], r["speaker"], r["kind"], r["text"], r["category"],
                       r["detector"], f"{r['score']:.2f}" if r["detector"] else ""]
                      for r in d["review"]]
                     + [[u["id"], u["time"], "", u["kind"], u["text"], "", "", ""]
                        for u in d["untranscribed"]], {7})]
    if d["audio_redactions"]:
        parts += ["<h2>Sensurert lyd</h2>",
                  "<p>I den sensurerte lydfilen er disse tidsrommene erstattet:</p>",
                  _table(["Fra", "Til"], [[clock(a["start"], 3), clock(a["end"], 3)]
                                          for a in d["audio_redactions"]])]
    parts += ["<h2>Koblingsnøkkel</h2>",
              f"<p>{_e(d['key_file'])}</p>" if d["key_file"] else
              "<p>Ingen koblingsnøkkel ble skrevet for dette opptaket.</p>",
              "<h2>Lyd og stemme</h2>", f'<p class="note">{_e(VOICE_NOTE)}</p>',
              "<h2>Versjoner, modeller og innstillinger</h2>",
              _table(["", ""], [["Verktøy", p["tool"]], ["Talegjenkjenning", p["engine"]],
                                ["Modell", p["model"]], ["Modellens SHA-256", p["model_sha256"]],
                                ["Transkribert", p["created"]]]),
              "<h3>Parametre og senere trinn</h3>",
              f"<pre>{_e(json.dumps({'params': p['params'], 'stages': p['stages']}, ensure_ascii=False, indent=1))}</pre>",
              "<h3>Innstillinger for kjøringen</h3>",
              f"<pre>{_e(json.dumps(d['settings'], ensure_ascii=False, indent=1))}</pre>",
              "<h2>Kontroll og godkjenning</h2>",
              '<ul class="check">' + "".join(f"<li>{_e(i)}</li>" for i in CHECKLIST) + "</ul>",
              '<table class="sign">' + "".join(f"<tr><td>{_e(f)}</td><td></td></tr>"
                                               for f in SIGN_OFF_FIELDS) + "</table>"]
    return _page(f"Anonymiseringsrapport: {d['recording']}", "\n".join(parts))


def _batch_html(s: dict) -> str:
    parts = ["<h1>Samlerapport for kjøringen</h1>",
             f"<p>Laget {_e(s['generated'])}. {s['recordings']} opptak, {s['failed']} feilet; "
             f"{s['redactions']} erstatninger; {s['review']} punkter til manuell kontroll.</p>",
             "<h2>Erstatninger per kategori, alle opptak</h2>",
             _table(["Kategori", "Antall"], [[k, v] for k, v in s["by_category"].items()], {1}),
             "<h2>Opptak</h2>",
             _table(["Opptak", "Status", "Varighet", "Erstatninger", "Per kategori",
                     "Erstattet etter vurdering", "Beholdt etter vurdering", "Til kontroll",
                     "Feil"],
                    [[r["recording"], r["status"], r["duration"], r["redactions"],
                      r["by_category"], r["human_redacted"], r["human_kept"], r["review"],
                      r["error"]] for r in s["rows"]], {3, 5, 6, 7}),
             "<h2>Lyd og stemme</h2>", f'<p class="note">{_e(VOICE_NOTE)}</p>']
    return _page("Samlerapport", "\n".join(parts))
