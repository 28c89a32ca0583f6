"""Plain text: one paragraph per turn, `[hh:mm:ss] Speaker: text`; a turn during which
someone else talks too is marked `Speaker (samtidig med Other):`, a paragraph
`[uhørbart hh:mm:ss–hh:mm:ss]` stands where speech has no words, and words the
recogniser was unsure of (under the low-confidence threshold) are in (parentheses)."""
from __future__ import annotations

from kodeklar.exporters import (Options, Turn, low_confidence, marked_text, overlap_note,
                                turns_and_gaps, untranscribed_marker)
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "txt"


def render(transcript: Transcript, options: Options = Options()) -> str:
    threshold = low_confidence(transcript)
    return "".join(f"[{clock(t.start)}] {t.speaker}{overlap_note(t)}: "
                   f"{marked_text(t, threshold)}\n\n"
                   if isinstance(t, Turn) else f"{untranscribed_marker(t)}\n\n"
                   for t in turns_and_gaps(transcript))
