"""REFI-QDA project (.qdpx), the exchange format of NVivo, ATLAS.ti, MAXQDA, QualCoder and
others: a zip of `project.qde` and `sources/`.

A recording with audio is an AudioSource whose Transcript (a text file in `sources/`) has a
SyncPoint where every turn starts and ends and a TranscriptSelection per turn; without
audio the transcript is a TextSource with a PlainTextSelection per turn. Every selection
is coded with its speaker's code (programs that ignore case membership, QualCoder among
them, still show who spoke), and each speaker is also a Case holding their turns.

The audio is linked as `relative://NAME.ext` against an absolute `basePath` (the folder the
shareable copy lies in), or stored in the zip as `internal://` (`embed_media`)."""
from __future__ import annotations

import os
import shutil
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

from kodeklar import __version__
from kodeklar.exporters import Options, Turn, created, turns
# `#hh:mm:ss.sss#`, which QualCoder syncs a transcript from as ATLAS.ti does
from kodeklar.exporters.atlasti import stamp
from kodeklar.core.timefmt import clock, millis
from kodeklar.core.transcript import Transcript

EXTENSION = "qdpx"
LINKS_MEDIA = True
NS = "urn:QDA-XML:project:1.0"
# GUIDs derive from the recording's hash and the speaker's name, so exporting twice gives
# the same project and programs that merge projects recognise the same source and code
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kodeklar/refi-qda")
# a fixed date keeps the archive identical from one export to the next
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def guid(key: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def render(transcript: Transcript, options: Options = Options()) -> Callable[[BinaryIO], None]:
    return project(transcript.source.name, [(transcript, options.media)], options)


def project_path(folder: Path, name: str | Path) -> Path:
    """Where a study project named `name` goes: inside `folder` unless absolute, always
    ending in .qdpx (the programs' open dialogs filter on it)."""
    target = Path(folder) / name
    return target if target.suffix.lower() == ".qdpx" else target.with_name(f"{target.name}.qdpx")


@dataclass
class Text:
    """A recording's transcript as the project stores it: one line per turn, and where in
    it each turn's `Speaker: text` starts and ends (characters)."""
    content: str
    spans: list[tuple[int, int, Turn]] = field(default_factory=list)


def layout(transcript: Transcript, timestamps: bool) -> Text:
    lines, spans, position = [], [], 0
    for t in turns(transcript):
        prefix = f"{stamp(t.start)} " if timestamps else ""
        line = f"{prefix}{t.speaker}: {t.text}"
        spans.append((position + len(prefix), position + len(line), t))
        lines.append(line)
        position += len(line) + 1  # the newline
    return Text("".join(f"{line}\n" for line in lines), spans)


def project(name: str, recordings: list[tuple[Transcript, Path | None]],
            options: Options = Options()) -> Callable[[BinaryIO], None]:
    """One project holding every recording (at least one) with the audio file it links,
    or None: each a source, every speaker a code, a case per speaker per recording and,
    with several recordings, a case per speaker name (role) across them. Returns a
    function that writes the .qdpx into an open binary file: embedded audio is streamed
    from disk, never held in memory."""
    from lxml import etree

    def el(parent, tag, **attrs):
        return etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)

    when = max(created(t) for t, _ in recordings)
    user = guid("user")
    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS}, name=name,
                         origin=f"kodeklar {__version__}", creatingUserGUID=user,
                         creationDateTime=when)
    linked = [m.absolute() for _, m in recordings if m is not None and not options.embed_media]
    base = Path(os.path.commonpath([m.parent for m in linked])) if linked else None
    if base is not None:
        # QualCoder joins basePath and the relative path as strings: end with the separator
        root.set("basePath", f"{base.as_posix().rstrip('/')}/")
    el(el(root, "Users"), "User", guid=user, name="kodeklar")

    texts = [layout(t, options.text_timestamps) for t, _ in recordings]
    speakers = list(dict.fromkeys(t.speaker for text in texts for _, _, t in text.spans))
    if speakers:
        codes = el(el(root, "CodeBook"), "Codes")
        for speaker in speakers:
            el(codes, "Code", guid=guid(f"code/{speaker}"), name=speaker, isCodable="true")

    # (case guid, name) -> selection guids
    cases: dict[tuple[str, str], list[str]] = {}
    sources = etree.Element(f"{{{NS}}}Sources")
    files: dict[str, bytes | Path] = {}
    for (transcript, media), text in zip(recordings, texts):
        sha = transcript.source.sha256
        rec = transcript.source.name
        text_guid = guid(f"{sha}/transcript")
        files[f"{text_guid}.txt"] = text.content.encode("utf-8")
        dated = {"creatingUser": user, "creationDateTime": created(transcript)}
        if media is None:
            source = el(sources, "TextSource", guid=guid(f"{sha}/text"), name=f"{rec}.txt",
                        plainTextPath=f"internal://{text_guid}.txt", **dated)
            holder = source
        else:
            media = media.absolute()
            if options.embed_media:
                member = f"{guid(f'{sha}/audio')}{media.suffix.lower()}"
                files[member] = media
                path = f"internal://{member}"
            else:
                path = f"relative://{media.relative_to(base).as_posix()}"
            source = el(sources, "AudioSource", guid=guid(f"{sha}/audio"), name=media.name,
                        path=path, **dated)
            holder = el(source, "Transcript", guid=text_guid, name=f"{rec}.txt",
                        plainTextPath=f"internal://{text_guid}.txt", **dated)
            for i, (start, end, t) in enumerate(text.spans):
                el(holder, "SyncPoint", guid=guid(f"{sha}/sync/{i}/start"),
                   timeStamp=str(millis(t.start)), position=str(start))
                el(holder, "SyncPoint", guid=guid(f"{sha}/sync/{i}/end"),
                   timeStamp=str(millis(t.end)), position=str(end))
        for i, (start, end, t) in enumerate(text.spans):
            sel = guid(f"{sha}/turn/{i}")
            label = f"{t.speaker} {clock(t.start)}"
            if media is None:
                selection = el(holder, "PlainTextSelection", guid=sel, name=label,
                               startPosition=str(start), endPosition=str(end), **dated)
            else:
                selection = el(holder, "TranscriptSelection", guid=sel, name=label,
                               fromSyncPoint=guid(f"{sha}/sync/{i}/start"),
                               toSyncPoint=guid(f"{sha}/sync/{i}/end"), **dated)
            coding = el(selection, "Coding", guid=guid(f"{sha}/coding/{i}"), **dated)
            el(coding, "CodeRef", targetGUID=guid(f"code/{t.speaker}"))
            own = (guid(f"{sha}/case/{t.speaker}"),
                   t.speaker if len(recordings) == 1 else f"{rec}: {t.speaker}")
            cases.setdefault(own, []).append(sel)
            if len(recordings) > 1:
                cases.setdefault((guid(f"case/{t.speaker}"), t.speaker), []).append(sel)

    if cases:
        parent = el(root, "Cases")
        for (case_guid, case_name), selections in cases.items():
            case = el(parent, "Case", guid=case_guid, name=case_name)
            for sel in selections:
                el(case, "SelectionRef", targetGUID=sel)
    root.append(sources)
    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def write(f: BinaryIO) -> None:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(zipfile.ZipInfo("project.qde", date_time=ZIP_DATE), qde,
                       compress_type=zipfile.ZIP_DEFLATED)
            for member, data in files.items():
                info = zipfile.ZipInfo(f"sources/{member}", date_time=ZIP_DATE)
                if isinstance(data, bytes):
                    z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                else:
                    # audio is compressed already (or PCM that deflates little): stored
                    with open(data, "rb") as src, z.open(info, "w", force_zip64=True) as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
    return write
