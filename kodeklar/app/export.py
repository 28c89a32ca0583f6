"""Writing transcripts in the formats QDA programs import: the export stage of `run` and
the `kodeklar export` command share `formats`."""
from __future__ import annotations

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


def export(transcripts: list[Path], out: Path, output, media: str | None = None,
           on_event: events.OnEvent = events.ignore) -> list[Path]:
    """Export saved transcripts into `out` as the config's `output` options say (formats,
    qdpx options; a relative `qdpx_project` is inside `out`); `media` is the recording, with
    '{name}' standing for each transcript's name. Returns the written paths; a transcript
    that is not anonymised is announced with a warning event."""
    from kodeklar import exporters
    from kodeklar.app import redact_audio
    from kodeklar.core.files import write_atomic
    from kodeklar.core.transcript import load
    from kodeklar.exporters import qdpx

    if not output.formats:
        raise UserError("--format names no format")
    for fmt in output.formats:
        exporters.module(fmt)  # a typo fails before any work
    project = Path(output.qdpx_project) if output.qdpx_project else None
    if project is not None and "qdpx" not in output.formats:
        raise UserError("--qdpx-project writes a qdpx project: add qdpx to --format")
    if media and len(transcripts) > 1 and "{name}" not in media:
        raise UserError("--media names one file but several transcripts were given; "
                        "use '{name}' in it, e.g. --media '{name}.m4a'")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {out} ({e.strerror})") from None
    per_transcript = [f for f in output.formats if not (f == "qdpx" and project is not None)]
    recordings, written = [], []
    for path in transcripts:
        transcript = load(path)
        name = path.name.removesuffix(".json")
        if not transcript.anonymised:
            on_event(events.RecordingWarning(name, f"{path.name} is not anonymised; "
                                          "do not share what is exported from it"))
        link = redact_audio.shareable_copy(Path(media.replace("{name}", name)), out, name) \
            if media else None
        recordings.append((transcript, link))
        options = exporters.Options(media=link, embed_media=output.qdpx_embed_media,
                                    text_timestamps=output.qdpx_timestamps)
        written += formats(transcript, per_transcript, out, name, options)
    if project is not None:
        target = qdpx.project_path(out, project)
        options = exporters.Options(embed_media=output.qdpx_embed_media,
                                    text_timestamps=output.qdpx_timestamps)
        written.append(write_atomic(target, qdpx.project(target.stem, recordings, options)))
    return written
