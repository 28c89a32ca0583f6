"""The recovery of originals: where each redaction's original text lies in the raw
transcript. Only the private outputs (the originals report, the private review sheet and
page) show what it finds."""
from __future__ import annotations

import re

from kodeklar.core.transcript import Redaction, Segment, Transcript


def _words_in(seg: Segment, start: float, end: float) -> str:
    """The text of the words whose middle falls in [start, end]."""
    return "".join(w.text for w in seg.words if start <= (w.start + w.end) / 2 <= end).strip()


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
