"""MAXQDA "Transcript with timestamps": one paragraph per turn, `Speaker: text`, with
f4/f5 timestamps `#hh:mm:ss-d#`.

A timestamp marks where the text after it starts (f4/f5 put it at the end of a
paragraph, when the next one begins). So each paragraph ends with the time the next turn
starts, the last one with the time it ends, and a first turn that does not start at zero
is preceded by its start on a line of its own: clicking a turn plays from its start."""
from __future__ import annotations

from kodeklar.exporters import BOM, Options, turns
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "maxqda.txt"


def stamp(seconds: float) -> str:
    return f"#{clock(seconds, 1, '-')}#"


def render(transcript: Transcript, options: Options = Options()) -> str:
    ts = turns(transcript)
    out = []
    if ts and clock(ts[0].start, 1) != clock(0, 1):
        out.append(stamp(ts[0].start))
    for t, after in zip(ts, ts[1:] + [None]):
        out.append(f"{t.speaker}: {t.text} {stamp(after.start if after else t.end)}")
    return BOM + "\r\n".join(out) + "\r\n"
