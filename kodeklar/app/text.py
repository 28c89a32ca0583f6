"""`kodeklar anonymise --text FILE`: a plain text file redacted for a quick check, through
the same anonymisation as a transcript, without a key."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from kodeklar.core.errors import UserError, open_input
from kodeklar.core.transcript import Provenance, Segment, Source, Transcript


def as_transcript(text: str, name: str, sha256: str, language: str) -> Transcript:
    """A text as a transcript without times: each non-empty line one segment, numbered by
    its line (empty lines get no segment but keep their number)."""
    segments = [Segment(i + 1, 0.0, 0.0, line.strip())
                for i, line in enumerate(text.splitlines()) if line.strip()]
    return Transcript(Source(name, sha256, 0.0), Provenance("kodeklar", "text", "", "", {}),
                      language, segments)


def redact_text_file(path: Path, options) -> str:
    """The file's text with every redaction as a label; one line = one segment."""
    import anonymise
    from anonymise.pseudonyms import Pseudonyms

    with open_input(path) as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    # no key: surrogates would need one to stay consistent, so every replacement is a label
    options = dataclasses.replace(options, actions={
        k: ("label" if v == "surrogate" else v) for k, v in options.actions.items()})
    t = as_transcript(text, path.name, hashlib.sha256(raw).hexdigest(), options.language)
    done = {seg.id: seg.text for seg in anonymise.anonymise_transcript(t, options, Pseudonyms()).segments}
    lines = text.splitlines(keepends=True)
    return "".join(line.replace(line.strip(), done[i + 1]) if line.strip() else line
                   for i, line in enumerate(lines))
