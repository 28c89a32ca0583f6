"""Plain text: one paragraph per turn, `[hh:mm:ss] Speaker: text`; a turn during which
someone else talks too is marked `Speaker (samtidig med Other):`."""
from __future__ import annotations

from kodeklar.exporters import overlap_note, turns
from kodeklar.timefmt import clock
from kodeklar.transcript import Transcript

EXTENSION = "txt"


def render(transcript: Transcript, media: str | None = None) -> str:
    return "".join(f"[{clock(t.start)}] {t.speaker}{overlap_note(t)}: {t.text}\n\n"
                   for t in turns(transcript))
