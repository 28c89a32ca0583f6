"""WebVTT: one cue per segment, the speaker as a voice tag `<v Speaker>`."""
from __future__ import annotations

from kodeklar.exporters import Options, one_line, speaker_name
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "vtt"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(transcript: Transcript, options: Options = Options()) -> str:
    out = ["WEBVTT\n"]
    for seg in transcript.segments:
        if not seg.text.strip():
            continue
        # a voice annotation ends at ">", so the speaker name must not contain one
        voice = _escape(speaker_name(transcript, seg.speaker))
        out.append(f"{clock(seg.start, 3)} --> {clock(max(seg.start, seg.end), 3)}\n"
                   f"<v {voice}>{_escape(one_line(seg.text))}\n")
    return "\n".join(out)
