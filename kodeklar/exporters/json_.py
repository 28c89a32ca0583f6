"""The Transcript itself, the canonical output every other format is made from."""
from __future__ import annotations

from kodeklar.transcript import Transcript

EXTENSION = "json"


def render(transcript: Transcript, media: str | None = None) -> str:
    return transcript.to_json() + "\n"
