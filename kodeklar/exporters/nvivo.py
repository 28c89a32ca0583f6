"""NVivo transcript rows: tab-delimited `Timespan<TAB>Speaker<TAB>Content`, one row per
turn, with a header row. NVivo's "Import Transcript Entries" needs a valid timespan on
every line and the same number of tabs on every line; it keeps tenths of a second."""
from __future__ import annotations

from kodeklar.exporters import BOM, Options, one_line, turns
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "nvivo.txt"


def render(transcript: Transcript, options: Options = Options()) -> str:
    rows = ["Timespan\tSpeaker\tContent"]
    for t in turns(transcript):
        rows.append(f"{clock(t.start, 1)}-{clock(t.end, 1)}\t{one_line(t.speaker)}\t{t.text}")
    return BOM + "\r\n".join(rows) + "\r\n"
