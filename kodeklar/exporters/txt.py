"""Plain text: one paragraph per turn, `[hh:mm:ss] Speaker: text`."""
from __future__ import annotations

from kodeklar.exporters import turns
from kodeklar.timefmt import clock
from kodeklar.transcript import Transcript

EXTENSION = "txt"


def render(transcript: Transcript, media: str | None = None) -> str:
    return "".join(f"[{clock(t.start)}] {t.speaker}: {t.text}\n\n" for t in turns(transcript))
