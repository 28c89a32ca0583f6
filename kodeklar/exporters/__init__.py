"""Exporters: one module per format, each with `EXTENSION` and
`render(transcript, options)` returning str, bytes, or a function that writes into an open
binary file (what `write_atomic` takes). Adding a format means adding one module and
one line here."""
from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from pathlib import Path

from kodeklar.core.timefmt import clock
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic
from kodeklar.core.transcript import Segment, Span, Transcript

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


@dataclass(frozen=True)
class Options:
    """How an export refers to the recording (qdpx and eaf link it, docx names it)."""
    media: Path | None = None       # the shareable audio: an existing file, never the input
    folder: Path | None = None      # where the export is written; set by `export`
    embed_media: bool = False       # qdpx: the audio inside the project (internal://)
    text_timestamps: bool = False   # qdpx: `#hh:mm:ss.sss#` before each turn's text


def module(fmt: str):
    name = FORMATS.get(fmt)
    if name is None:
        raise UserError(f"unknown export format '{fmt}'; choose from: {', '.join(FORMATS)}")
    return importlib.import_module(f"kodeklar.exporters.{name}")


def links_media(fmt: str) -> bool:
    """Whether the format refers to the audio by path, so a shareable copy must exist."""
    return getattr(module(fmt), "LINKS_MEDIA", False)


def export(transcript: Transcript, fmt: str, out_dir: Path, basename: str,
           options: Options = Options()) -> Path:
    """Write `out_dir/basename.<ext>` in format `fmt` and return its path."""
    mod = module(fmt)
    rendered = mod.render(transcript, dataclasses.replace(options, folder=Path(out_dir).absolute()))
    return write_atomic(Path(out_dir) / f"{basename}.{mod.EXTENSION}", rendered)


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
    """The transcript's creation time as an XML Schema dateTime in UTC (`…Z`), which EAF
    and REFI-QDA require and QualCoder expects; the epoch stands in for a missing or
    unreadable one, and a time without a zone is taken as UTC."""
    from datetime import datetime, timezone

    try:
        when = datetime.fromisoformat(transcript.provenance.created)
    except ValueError:
        when = datetime.fromtimestamp(0, timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def one_line(text: str) -> str:
    """Line- and tab-based formats break on a newline or tab inside the text."""
    return " ".join(text.split())


def untranscribed_marker(span: Span) -> str:
    """Where speech was heard but no words came out: the coder listens there."""
    return f"[uhørbart {clock(span.start)}–{clock(span.end)}]"


def turns_and_gaps(transcript: Transcript) -> list[Turn | Span]:
    """The turns with the untranscribed stretches between them, in time order."""
    return sorted([*turns(transcript), *transcript.untranscribed], key=lambda x: x.start)


def low_confidence(transcript: Transcript) -> float:
    """The word probability under which the transcription marked a word as uncertain: the
    threshold recorded in the transcript's provenance, else the transcription default."""
    from transcribe.options import TranscribeOptions

    value = transcript.provenance.params.get("low_confidence")
    return value if isinstance(value, (int, float)) else TranscribeOptions.low_confidence


def uncertain_runs(seg: Segment, threshold: float) -> list[tuple[int, int]]:
    """[first, last] word indexes of each run of consecutive words under `threshold` in a
    segment flagged `low_confidence`."""
    if "low_confidence" not in seg.flags:
        return []
    runs: list[tuple[int, int]] = []
    for i, w in enumerate(seg.words):
        if w.p < threshold and w.text.strip():
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
    return runs


def marked_text(turn: Turn, threshold: float) -> str:
    """The turn's text with each run of uncertain words in (parentheses), as transcription
    conventions mark what the transcriber heard but is unsure of. A segment whose words do
    not join to its text is left unmarked."""
    parts = []
    for seg in turn.segments:
        runs = uncertain_runs(seg, threshold)
        if not runs or "".join(w.text for w in seg.words).strip() != seg.text:
            parts.append(one_line(seg.text))
            continue
        words = [w.text for w in seg.words]
        for a, b in runs:
            lead = words[a][:len(words[a]) - len(words[a].lstrip())]
            words[a] = f"{lead}({words[a].lstrip()}"
            words[b] = f"{words[b].rstrip()})"
        parts.append(one_line("".join(words)))
    return " ".join(p for p in parts if p)

