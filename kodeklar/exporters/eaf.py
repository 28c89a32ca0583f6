"""ELAN annotation document (EAF 3.0): one tier per speaker, one annotation per segment;
where the diariser's turns are kept, also one tier per speaker with when they spoke, so
that speech over another speaker's words shows (a word has one speaker); and a media
descriptor that links the shareable audio: an absolute `file://` URL, which
ELAN tries first, and the path relative to the .eaf, which it tries when the folder has
moved."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from kodeklar.exporters import Options, created, one_line, speaker_name
from kodeklar.core.timefmt import millis
from kodeklar.core.transcript import Transcript

EXTENSION = "eaf"
LINKS_MEDIA = True

MIME_TYPES = {"wav": "audio/x-wav", "mp3": "audio/mpeg", "m4a": "audio/mp4",
              "aac": "audio/aac", "ogg": "audio/ogg", "flac": "audio/flac",
              "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# the tiers of the diariser's turns: when each speaker talks, overlap included
TURN_TIER = "taletur"


def render(transcript: Transcript, options: Options = Options()) -> bytes:
    from lxml import etree

    root = etree.Element("ANNOTATION_DOCUMENT", nsmap={"xsi": XSI})
    root.set(f"{{{XSI}}}noNamespaceSchemaLocation", "http://www.mpi.nl/tools/elan/EAFv3.0.xsd")
    root.set("AUTHOR", "kodeklar")
    root.set("DATE", created(transcript))
    root.set("FORMAT", "3.0")
    root.set("VERSION", "3.0")
    header = etree.SubElement(root, "HEADER", MEDIA_FILE="", TIME_UNITS="milliseconds")
    media = options.media
    if media:
        media = media.absolute()
        relative = Path(os.path.relpath(media, options.folder or Path.cwd())).as_posix()
        etree.SubElement(header, "MEDIA_DESCRIPTOR", MEDIA_URL=media.as_uri(),
                         MIME_TYPE=MIME_TYPES.get(media.suffix[1:].lower(), "audio/*"),
                         RELATIVE_MEDIA_URL=quote(relative if relative.startswith("../")
                                                  else f"./{relative}"))
    time_order = etree.SubElement(root, "TIME_ORDER")

    # (tier id, linguistic type, participant, start ms, end ms, text)
    annotations = []
    for seg in transcript.segments:
        text = one_line(seg.text)
        if text:
            name = speaker_name(transcript, seg.speaker)
            annotations.append((name, "tale", name, *_span(seg.start, seg.end), text))
    for turn in transcript.turns:
        name = speaker_name(transcript, turn.speaker)
        annotations.append((f"{name} {TURN_TIER}", TURN_TIER, name, *_span(turn.start, turn.end), ""))

    # one time slot per distinct time, in time order, as ELAN writes them
    slots = {value: f"ts{i}" for i, value in
             enumerate(sorted({t for a in annotations for t in a[3:5]}), start=1)}
    for value, slot in slots.items():
        etree.SubElement(time_order, "TIME_SLOT", TIME_SLOT_ID=slot, TIME_VALUE=str(value))
    tiers: dict[str, etree._Element] = {}
    for n, (tier_id, kind, participant, start, end, text) in enumerate(annotations, start=1):
        tier = tiers.get(tier_id)
        if tier is None:
            tier = tiers[tier_id] = etree.Element("TIER", TIER_ID=tier_id, PARTICIPANT=participant,
                                                  LINGUISTIC_TYPE_REF=kind)
        ann = etree.SubElement(etree.SubElement(tier, "ANNOTATION"), "ALIGNABLE_ANNOTATION",
                               ANNOTATION_ID=f"a{n}", TIME_SLOT_REF1=slots[start],
                               TIME_SLOT_REF2=slots[end])
        etree.SubElement(ann, "ANNOTATION_VALUE").text = text
    prop = etree.SubElement(header, "PROPERTY", NAME="lastUsedAnnotationId")
    prop.text = str(len(annotations))
    root.extend(tiers.values())
    for kind in ("tale", TURN_TIER):
        etree.SubElement(root, "LINGUISTIC_TYPE", LINGUISTIC_TYPE_ID=kind, TIME_ALIGNABLE="true",
                         GRAPHIC_REFERENCES="false")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _span(start: float, end: float) -> tuple[int, int]:
    first = millis(start)
    # ELAN drops an annotation of zero length
    return first, max(millis(end), first + 1)
