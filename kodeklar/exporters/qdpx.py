"""REFI-QDA project (.qdpx), the exchange format of NVivo, ATLAS.ti, MAXQDA, QualCoder and
others: a zip of `project.qde` and `sources/`. The recording is an AudioSource whose
Transcript (a text file in `sources/`) has a SyncPoint where every turn starts and ends,
and a TranscriptSelection per turn; each speaker is a Case holding their turns."""
from __future__ import annotations

import io
import uuid
import zipfile
from urllib.parse import quote

from kodeklar import __version__
from kodeklar.exporters import created, turns
from kodeklar.timefmt import clock, millis
from kodeklar.transcript import Transcript

EXTENSION = "qdpx"
NS = "urn:QDA-XML:project:1.0"
# GUIDs derive from the recording's hash, so exporting twice gives the same project and
# programs that merge projects recognise the same source
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kodeklar/refi-qda")


def render(transcript: Transcript, media: str | None = None) -> bytes:
    from lxml import etree

    def guid(what: str) -> str:
        return str(uuid.uuid5(GUID_NAMESPACE, f"{transcript.source.sha256}/{what}"))

    def el(parent, tag, **attrs):
        return etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)

    when = created(transcript)
    user = guid("user")
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS}, name=transcript.source.name,
                         origin=f"kodeklar {__version__}", creatingUserGUID=user,
                         creationDateTime=when)
    el(el(root, "Users"), "User", guid=user, name="kodeklar")

    ts = turns(transcript)
    lines, syncs, selections = [], [], []
    position = 0
    for i, t in enumerate(ts):
        line = f"{t.speaker}: {t.text}"
        start, end = guid(f"sync/{i}/start"), guid(f"sync/{i}/end")
        syncs += [(start, millis(t.start), position), (end, millis(t.end), position + len(line))]
        selections.append((guid(f"turn/{i}"), f"{t.speaker} {clock(t.start)}", start, end, t))
        lines.append(line)
        position += len(line) + 1  # the newline
    text = "\n".join(lines) + "\n"

    speakers = list(dict.fromkeys(t.speaker for t in ts))
    if speakers:
        cases = el(root, "Cases")
        for name in speakers:
            case = el(cases, "Case", guid=guid(f"case/{name}"), name=name)
            for sel_guid, _, _, _, t in selections:
                if t.speaker == name:
                    el(case, "SelectionRef", targetGUID=sel_guid)

    audio_attrs = {"guid": guid("audio"), "name": transcript.source.name,
                   "creatingUser": user, "creationDateTime": when}
    if media:
        audio_attrs["path"] = f"relative://{quote(media)}"
    audio = el(el(root, "Sources"), "AudioSource", **audio_attrs)
    text_guid = guid("transcript")
    tr = el(audio, "Transcript", guid=text_guid, name=transcript.source.name,
            plainTextPath=f"internal://{text_guid}.txt", creatingUser=user,
            creationDateTime=when)
    for sync_guid, ms, pos in syncs:
        el(tr, "SyncPoint", guid=sync_guid, timeStamp=str(ms), position=str(pos))
    for sel_guid, name, start, end, _ in selections:
        el(tr, "TranscriptSelection", guid=sel_guid, name=name, fromSyncPoint=start,
           toSyncPoint=end)

    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("project.qde", qde),
                           (f"sources/{text_guid}.txt", text.encode("utf-8"))):
            # a fixed date keeps the archive identical from one export to the next
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
