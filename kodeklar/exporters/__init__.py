"""Exporters: one module per format, each with `EXTENSION` and
`render(transcript, media=None) -> str | bytes`. `media` is the file name of the audio the
QDA program should link to. Adding a format means adding one module and one line here."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from kodeklar.transcript import Segment, Transcript, UserError, write_atomic

# format name -> module in kodeklar.exporters
FORMATS = {
    "json": "json_",
    "txt": "txt",
    "srt": "srt",
    "vtt": "vtt",
    "rttm": "rttm",
    "docx": "docx_",
    "maxqda": "maxqda",
    "nvivo": "nvivo",
    "atlasti": "atlasti",
    "eaf": "eaf",
    "qdpx": "qdpx",
}

# Windows QDA programs read a text file without a byte order mark in the local code page,
# which garbles æ, ø and å
BOM = "\ufeff"

# shown where a segment has no speaker, so that every line still names one
UNKNOWN_SPEAKER = "Ukjent"

# another speaker's diariser turn must cover this much of a turn (seconds) to be marked as
# talking at the same time: shorter is a backchannel at a turn edge or a boundary error
MIN_OVERLAP = 0.5


def module(fmt: str):
    name = FORMATS.get(fmt)
    if name is None:
        raise UserError(f"unknown export format '{fmt}'; choose from: {', '.join(FORMATS)}")
    return importlib.import_module(f"kodeklar.exporters.{name}")


def export(transcript: Transcript, fmt: str, out_dir: Path, basename: str,
           media: str | None = None) -> Path:
    """Write `out_dir/basename.<ext>` in format `fmt` and return its path."""
    mod = module(fmt)
    return write_atomic(Path(out_dir) / f"{basename}.{mod.EXTENSION}",
                        mod.render(transcript, media=media))


def speaker_name(transcript: Transcript, speaker_id: str | None) -> str:
    return transcript.speaker_label(speaker_id) or UNKNOWN_SPEAKER


@dataclass
class Turn:
    """Consecutive segments of one speaker: the unit most QDA programs code."""
    start: float
    end: float
    speaker_id: str | None
    speaker: str
    text: str
    segments: list[Segment]
    overlaps: list[str] = field(default_factory=list)  # names of others talking meanwhile


def turns(transcript: Transcript) -> list[Turn]:
    out: list[Turn] = []
    for seg in transcript.segments:
        text = one_line(seg.text)
        if not text:
            continue
        if out and out[-1].speaker_id == seg.speaker:
            last = out[-1]
            last.end = max(last.end, seg.end)
            last.text = f"{last.text} {text}"
            last.segments.append(seg)
        else:
            out.append(Turn(seg.start, max(seg.start, seg.end), seg.speaker,
                            speaker_name(transcript, seg.speaker), text, [seg]))
    for t in out:
        t.overlaps = _talking_meanwhile(transcript, t)
    return out


def _talking_meanwhile(transcript: Transcript, turn: Turn) -> list[str]:
    """Names of the other speakers whose diariser turns cover MIN_OVERLAP of `turn`."""
    held: dict[str, float] = {}
    for d in transcript.turns:
        if d.speaker != turn.speaker_id:
            shared = min(d.end, turn.end) - max(d.start, turn.start)
            if shared > 0:
                held[d.speaker] = held.get(d.speaker, 0.0) + shared
    return [speaker_name(transcript, s) for s, seconds in held.items() if seconds >= MIN_OVERLAP]


def overlap_note(turn: Turn) -> str:
    """The mark txt and docx put after the speaker of a turn with someone talking meanwhile."""
    return f" (samtidig med {', '.join(turn.overlaps)})" if turn.overlaps else ""


def created(transcript: Transcript) -> str:
    """The transcript's creation time as an XML Schema dateTime, which EAF and REFI-QDA
    require; the epoch stands in for a missing or unreadable one."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(transcript.provenance.created)
    except ValueError:
        when = datetime.fromtimestamp(0, timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.isoformat(timespec="seconds")


def one_line(text: str) -> str:
    """Line- and tab-based formats break on a newline or tab inside the text."""
    return " ".join(text.split())
