"""The Transcript: the one data structure every stage reads and writes.

This module is the contract between `transcribe/`, `anonymise/` and the application. Like
all of `kodeklar.core` it imports nothing of ours outside the core, so both stage packages
may depend on it and on nothing else of kodeklar.

Text conventions:
- `Segment.text` is the segment's words joined: `"".join(w.text for w in words).strip()`.
  A word's text keeps its leading space, as Whisper emits it (" Hei").
- Character offsets in a `Redaction` index into the *original* segment text (before
  replacement); in an anonymised Transcript they are re-based onto the anonymised text,
  so that `segment.text[char_start:char_end] == replacement`.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kodeklar.core.errors import UserError, open_input
from kodeklar.core.files import write_atomic

SCHEMA_ID = "kodeklar.transcript/1"
SCHEMA_PATH = Path(__file__).with_name("transcript.schema.json")


@dataclass
class Word:
    start: float
    end: float
    text: str
    p: float = 1.0
    speaker: str | None = None


@dataclass
class Segment:
    id: int
    start: float
    end: float
    text: str
    speaker: str | None = None
    words: list[Word] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def segment_from_dict(d: dict[str, Any]) -> Segment:
    return Segment(**{**d, "words": [Word(**w) for w in d.get("words", [])]})


@dataclass
class Speaker:
    id: str
    label: str


@dataclass
class SpeakerTurn:
    """Who speaks when, as the diariser heard it; turns of two speakers may overlap."""
    start: float
    end: float
    speaker: str


@dataclass
class Redaction:
    id: str
    segment: int
    char_start: int
    char_end: int
    start: float
    end: float
    category: str
    replacement: str
    detector: str
    score: float
    decided_by: str = "rule"  # "rule" or "human" (a review decision)


@dataclass
class ReviewItem:
    """Something a human should look at: left in the text, possibly identifying.
    kind: capitalised | low_score | number | age | date | occupation | diagnosis | ..."""
    id: str
    segment: int
    char_start: int
    char_end: int
    start: float
    end: float
    kind: str
    category: str = ""
    detector: str = ""
    score: float = 0.0


@dataclass
class Span:
    """A stretch of the recording, in seconds."""
    start: float
    end: float


@dataclass
class Source:
    name: str
    sha256: str
    duration: float
    channels: int | None = None
    sample_rate: int | None = None
    damage: str = ""                  # what of the recording could not be decoded, if anything


@dataclass
class Provenance:
    tool: str
    engine: str
    model: str
    model_sha256: str
    params: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    # later stages add their own record here: {"diarise": {...}, "anonymise": {...}}
    stages: dict[str, Any] = field(default_factory=dict)


@dataclass
class Transcript:
    source: Source
    provenance: Provenance
    language: str
    segments: list[Segment] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    turns: list[SpeakerTurn] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    # speech the recogniser left without words even on a second try: listen to these
    untranscribed: list[Span] = field(default_factory=list)
    anonymised: bool = False
    schema: str = SCHEMA_ID

    def speaker_label(self, speaker_id: str | None) -> str:
        """The display label of a speaker id: its role name if one is set, else the id."""
        for s in self.speakers:
            if s.id == speaker_id:
                return s.label
        return speaker_id or ""

    def words(self):
        for seg in self.segments:
            yield from seg.words

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {"schema": d.pop("schema"), **d}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Transcript":
        segs = [segment_from_dict(s) for s in d.get("segments", [])]
        return cls(
            schema=d["schema"],
            source=Source(**d["source"]),
            provenance=Provenance(**d["provenance"]),
            language=d["language"],
            segments=segs,
            speakers=[Speaker(**s) for s in d.get("speakers", [])],
            turns=[SpeakerTurn(**t) for t in d.get("turns", [])],
            redactions=[Redaction(**r) for r in d.get("redactions", [])],
            review=[ReviewItem(**r) for r in d.get("review", [])],
            untranscribed=[Span(**u) for u in d.get("untranscribed", [])],
            anonymised=d.get("anonymised", False),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(data: dict[str, Any]) -> None:
    """Raise UserError naming the first place where `data` breaks the Transcript schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        # the validator's own message may quote transcript text; name the rule instead
        raise UserError(f"not a valid kodeklar transcript: at {where}: "
                        f"fails '{error.validator}' of the schema")


def load(path: str | os.PathLike) -> Transcript:
    """Read and validate a Transcript JSON file."""
    path = Path(path)
    with open_input(path) as f:
        raw = f.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UserError(f"{path}: not a JSON file ({type(e).__name__})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: not a valid kodeklar transcript: top level is not an object")
    try:
        validate(data)
    except UserError as e:
        raise UserError(f"{path}: {e}") from None
    return Transcript.from_dict(data)


def save(transcript: Transcript, path: str | os.PathLike) -> Path:
    return write_atomic(path, transcript.to_json() + "\n")
