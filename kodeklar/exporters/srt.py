"""SubRip subtitles: one cue per segment, the speaker before the text."""
from __future__ import annotations

from kodeklar.exporters import Options, one_line, speaker_name
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "srt"


def render(transcript: Transcript, options: Options = Options()) -> str:
    cues = []
    for seg in transcript.segments:
        if not seg.text.strip():
            continue
        cues.append(f"{len(cues) + 1}\n"
                    f"{clock(seg.start, 3, ',')} --> {clock(max(seg.start, seg.end), 3, ',')}\n"
                    f"{speaker_name(transcript, seg.speaker)}: {one_line(seg.text)}\n")
    return "\n".join(cues)
