"""Word document: a heading with the recording's pseudonym, date, duration and speakers,
then one paragraph per turn, `[hh:mm:ss] Speaker: text`, and `[uhørbart hh:mm:ss–hh:mm:ss]`
where speech has no words; words the recogniser was unsure of are in (parentheses), as in
txt. NVivo imports paragraphs that
start with a timestamp as transcript rows; every QDA program opens it as text."""
from __future__ import annotations

import io

from kodeklar.exporters import (Options, Turn, low_confidence, marked_text, overlap_note, turns,
                                turns_and_gaps, untranscribed_marker)
from kodeklar.core.timefmt import clock
from kodeklar.core.transcript import Transcript

EXTENSION = "docx"


def render(transcript: Transcript, options: Options = Options()) -> bytes:
    import docx

    doc = docx.Document()
    # the template's own metadata names python-docx and a date; say what this is instead
    props = doc.core_properties
    props.author = props.last_modified_by = "kodeklar"
    props.title = transcript.source.name
    props.comments = ""
    props.language = transcript.language

    ts = turns(transcript)
    doc.add_heading(transcript.source.name, level=1)
    meta = [("Dato", transcript.provenance.created[:10] or "ukjent"),
            ("Varighet", clock(transcript.source.duration)),
            ("Talere", ", ".join(dict.fromkeys(t.speaker for t in ts)) or "ingen"),
            ("Anonymisert", "ja" if transcript.anonymised else "NEI")]
    if options.media:
        meta.append(("Lydfil", options.media.name))
    for key, value in meta:
        p = doc.add_paragraph()
        p.add_run(f"{key}: ").bold = True
        p.add_run(value)
    threshold = low_confidence(transcript)
    for t in turns_and_gaps(transcript):
        p = doc.add_paragraph()
        if isinstance(t, Turn):
            p.add_run(f"[{clock(t.start)}] {t.speaker}{overlap_note(t)}:").bold = True
            p.add_run(f" {marked_text(t, threshold)}")
        else:
            p.add_run(untranscribed_marker(t)).italic = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
