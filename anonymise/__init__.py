"""Norwegian anonymisation: detect names, identifiers and indirect identifiers in text, and
pseudonymise a Transcript consistently across a project.

    import anonymise
    anonymise.detect("Kari bor i Halden", language="nb")

Imports nothing heavy at module level: spaCy loads when the NER recognizer first runs."""
from __future__ import annotations

from anonymise.options import AnonymiseOptions
from anonymise.span import Span

__all__ = ["AnonymiseOptions", "Span", "detect", "anonymise_transcript"]


def detect(text: str, language: str = "nb", options: AnonymiseOptions | None = None) -> list[Span]:
    """Spans of `text` to redact or review, each with category, score, detector and reason.
    Spans scoring under `options.threshold` are left out: they are review candidates, which
    `anonymise_transcript` reports."""
    from anonymise.registry import analyze

    options = options or AnonymiseOptions(language=language)
    return [s for s in analyze(text, options) if s.score >= options.threshold]


def anonymise_transcript(transcript, options, pseudonyms, decisions=None):
    from anonymise.redact import anonymise_transcript as run

    return run(transcript, options, pseudonyms, decisions)
