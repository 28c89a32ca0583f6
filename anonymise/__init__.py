"""Norwegian anonymisation: detect names, identifiers and indirect identifiers in text, and
pseudonymise a Transcript consistently across a project.

    import anonymise
    anonymise.detect("Kari bor i Halden", language="nb")          # -> [Span, ...]
    anonymise.anonymise_transcript(transcript, options, pseudonyms, decisions)

Around these: `categories` (every category with its label, generalise wording and whether
it is redacted or reviewed), `recognizers.build` (every recognizer by name; those that run
for some options: `registry.recognizers`), `options.AnonymiseOptions` (the `[anonymise]`
config table), `pseudonyms.Pseudonyms` (entity -> pseudonym, serialisable),
`keyfile.save/load` (the registry encrypted with a passphrase), `decisions.load` (a
reviewer's CSV), `identifiers.*` (fødselsnummer, organisasjonsnummer, kontonummer validators).

Replacement labels are Norwegian and numbered per category by first appearance in the
project: [PERSON-1], [STED-1], [ORG-1], [TELEFON-1], [FØDSELSNUMMER-1], ...

Imports nothing heavy at module level: presidio-analyzer (and with it spaCy) loads at the first
`detect`, the NER model when it first runs."""
from __future__ import annotations

# the offline and no-telemetry switches, before any library is imported
import kodeklar.core.offline  # noqa: F401
from anonymise.options import AnonymiseOptions
from anonymise.span import Span

__all__ = ["AnonymiseOptions", "Span", "detect", "anonymise_transcript"]


def detect(text: str, language: str = "nb", options: AnonymiseOptions | None = None) -> list[Span]:
    """Spans of `text` to redact or flag, each with category, score, detector and reason.
    Spans scoring under `options.threshold` are left out: they are review candidates, which
    `anonymise_transcript` reports. Indirect identifiers (AGE, DATE, OCCUPATION, DIAGNOSIS)
    are included; `anonymise_transcript` flags them for review unless `redact_indirect`."""
    from anonymise.registry import analyze

    options = options or AnonymiseOptions(language=language)
    return [s for s in analyze(text, options) if s.score >= options.threshold]


def anonymise_transcript(transcript, options, pseudonyms, decisions=None):
    """A new, anonymised Transcript (see anonymise.redact)."""
    from anonymise.redact import anonymise_transcript as run

    return run(transcript, options, pseudonyms, decisions)
