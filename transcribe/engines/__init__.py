"""Speech engines, registered by name. An engine module defines `load(model_dir, options)`
returning an object with `name`, `version`,
`transcribe(audio, options, max_tokens=None) -> Decoded` (`max_tokens` bounds the tokens of
each 30 s window).
Adding an engine means adding one module and one line here."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Word

ENGINES = {
    "faster-whisper": "transcribe.engines.faster_whisper",
    "openai-whisper": "transcribe.engines.openai_whisper",
}


@dataclass
class DecodedSegment:
    """One segment as Whisper decoded it, with the statistics the guards judge it by."""
    start: float
    end: float
    text: str
    words: list[Word]
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


@dataclass
class Decoded:
    language: str
    language_probability: float
    segments: Iterator[DecodedSegment]        # a generator: long audio is decoded lazily
    language_probs: dict[str, float] = field(default_factory=dict)  # filled when detected


def load(name: str, model_dir: Path, options):
    try:
        module = ENGINES[name]
    except KeyError:
        raise UserError(f"unknown engine '{name}' (choose from: {', '.join(ENGINES)})") from None
    return importlib.import_module(module).load(model_dir, options)
