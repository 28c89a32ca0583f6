"""The Transcript itself, the canonical output every other format is made from."""
from __future__ import annotations

from kodeklar.exporters import Options
from kodeklar.core.transcript import Transcript

EXTENSION = "json"


def render(transcript: Transcript, options: Options = Options()) -> str:
    return transcript.to_json() + "\n"
