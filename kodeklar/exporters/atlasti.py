"""ATLAS.ti multimedia transcript: one paragraph per turn, opened by the time the turn
starts, `#hh:mm:ss.mmm# Speaker: text`, and a last timestamp where the last turn ends.

ATLAS.ti links the text between two timestamps to that stretch of the media, so every
turn sits between its own start and the next turn's start. (A file ATLAS.ti will not
sync can be replaced by the `maxqda` export: ATLAS.ti also reads f4/f5 timestamps.)"""
from __future__ import annotations

from kodeklar.exporters import BOM, Options, turns
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "atlasti.txt"


def stamp(seconds: float) -> str:
    return f"#{clock(seconds, 3)}#"


def render(transcript: Transcript, options: Options = Options()) -> str:
    ts = turns(transcript)
    out = [f"{stamp(t.start)} {t.speaker}: {t.text}" for t in ts]
    if ts:
        out.append(stamp(max(t.end for t in ts)))
    return BOM + "\r\n".join(out) + "\r\n"
