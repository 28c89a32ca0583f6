"""Plain text: one paragraph per turn, `[hh:mm:ss] Speaker: text`."""
from __future__ import annotations

from kodeklar.exporters import Options, turns
from kodeklar.timefmt import clock
from kodeklar.transcript import Transcript

EXTENSION = "txt"


def render(transcript: Transcript, options: Options = Options()) -> str:
    return "".join(f"[{clock(t.start)}] {t.speaker}: {t.text}\n\n" for t in turns(transcript))
