"""Writing transcripts in the formats QDA programs import: the export stage of `run` and
the `kodeklar export` command share `formats`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kodeklar.app import events
from kodeklar.core.errors import UserError


def formats(transcript, wanted: list[str], folder: Path, name: str, options,
            mode: int | None = None) -> list[Path]:
    """`folder/name.<ext>` for every format in `wanted`; `mode` for transcripts that are
    not anonymised (owner-only)."""
    from kodeklar import exporters

    written = []
    for fmt in wanted:
        p = exporters.export(transcript, fmt, folder, name, options)
        if mode is not None:
            p.chmod(mode)
        written.append(p)
    return written


@dataclass
class Request:
    """What `kodeklar export` writes: the command line first, the project config second."""
    formats: list[str]
    media: str | None = None            # the recording; '{name}' stands for the transcript's name
    embed_media: bool = False
    text_timestamps: bool = False
    project: Path | None = None         # one .qdpx of every transcript (relative: inside OUT)


def request(config, formats: list[str] | None, media: str | None, embed_media: bool | None,
            text_timestamps: bool | None, project: Path | None) -> Request:
    o = config.output
    wanted = formats if formats is not None else list(o.formats)
    if not wanted:
        raise UserError("--format names no format")
    return Request(formats=wanted, media=media,
                   embed_media=o.qdpx_embed_media if embed_media is None else embed_media,
                   text_timestamps=o.qdpx_timestamps if text_timestamps is None else text_timestamps,
                   project=project if project is not None else (Path(o.qdpx_project) if o.qdpx_project else None))


def export(transcripts: list[Path], out: Path, req: Request,
           on_event: events.OnEvent = events.ignore) -> list[Path]:
    """Export saved transcripts into `out`. Returns the written paths; a transcript that is
    not anonymised is announced with a Warning event."""
    from kodeklar import exporters
    from kodeklar.app import redact_audio
    from kodeklar.core.files import write_atomic
    from kodeklar.core.transcript import load
    from kodeklar.exporters import qdpx

    for fmt in req.formats:
        exporters.module(fmt)  # a typo fails before any work
    if req.project is not None and "qdpx" not in req.formats:
        raise UserError("--project-file writes a qdpx project: add qdpx to --format")
    if req.media and len(transcripts) > 1 and "{name}" not in req.media:
        raise UserError("--media names one file but several transcripts were given; "
                        "use '{name}' in it, e.g. --media '{name}.m4a'")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {out} ({e.strerror})") from None
    per_transcript = [f for f in req.formats if not (f == "qdpx" and req.project is not None)]
    recordings, written = [], []
    for path in transcripts:
        transcript = load(path)
        name = path.name.removesuffix(".json")
        if not transcript.anonymised:
            on_event(events.RecordingWarning(name, f"{path.name} is not anonymised; "
                                          "do not share what is exported from it"))
        link = redact_audio.shareable_copy(Path(req.media.replace("{name}", name)), out, name) \
            if req.media else None
        recordings.append((transcript, link))
        options = exporters.Options(media=link, embed_media=req.embed_media,
                                    text_timestamps=req.text_timestamps)
        written += formats(transcript, per_transcript, out, name, options)
    if req.project is not None:
        target = qdpx.project_path(out, req.project)
        options = exporters.Options(embed_media=req.embed_media, text_timestamps=req.text_timestamps)
        written.append(write_atomic(target, qdpx.project(target.stem, recordings, options)))
    return written
