"""ELAN annotation document (EAF 3.0): one tier per speaker, one annotation per segment,
and a media descriptor that links the shareable audio: an absolute `file://` URL, which
ELAN tries first, and the path relative to the .eaf, which it tries when the folder has
moved."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from kodeklar.exporters import Options, created, one_line, speaker_name
from kodeklar.timefmt import millis
from kodeklar.transcript import Transcript

EXTENSION = "eaf"
LINKS_MEDIA = True

MIME_TYPES = {"wav": "audio/x-wav", "mp3": "audio/mpeg", "m4a": "audio/mp4",
              "aac": "audio/aac", "ogg": "audio/ogg", "flac": "audio/flac",
              "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"


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

    tiers: dict[str, etree._Element] = {}
    n = 0
    for seg in transcript.segments:
        text = one_line(seg.text)
        if not text:
            continue
        name = speaker_name(transcript, seg.speaker)
        tier = tiers.get(name)
        if tier is None:
            tier = tiers[name] = etree.Element("TIER", TIER_ID=name, PARTICIPANT=name,
                                               LINGUISTIC_TYPE_REF="tale")
        n += 1
        start, end = millis(seg.start), millis(seg.end)
        # ELAN drops an annotation of zero length
        end = max(end, start + 1)
        for slot, value in ((f"ts{2 * n - 1}", start), (f"ts{2 * n}", end)):
            etree.SubElement(time_order, "TIME_SLOT", TIME_SLOT_ID=slot, TIME_VALUE=str(value))
        ann = etree.SubElement(etree.SubElement(tier, "ANNOTATION"), "ALIGNABLE_ANNOTATION",
                               ANNOTATION_ID=f"a{n}", TIME_SLOT_REF1=f"ts{2 * n - 1}",
                               TIME_SLOT_REF2=f"ts{2 * n}")
        etree.SubElement(ann, "ANNOTATION_VALUE").text = text
    prop = etree.SubElement(header, "PROPERTY", NAME="lastUsedAnnotationId")
    prop.text = str(n)
    root.extend(tiers.values())
    etree.SubElement(root, "LINGUISTIC_TYPE", LINGUISTIC_TYPE_ID="tale", TIME_ALIGNABLE="true",
                     GRAPHIC_REFERENCES="false")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
