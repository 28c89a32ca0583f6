"""`kodeklar export`: write saved transcripts in the formats QDA programs import."""
from __future__ import annotations

from pathlib import Path

import click

from kodeklar.exporters import FORMATS


@click.command("export", short_help="Write transcripts as docx, txt, NVivo, ELAN, REFI-QDA, ...")
@click.argument("transcripts", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "formats", default="docx,txt", show_default=True,
              help=f"Comma-separated formats: {', '.join(FORMATS)}.")
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option("--media", default=None, metavar="FILE",
              help="The recording (or its redacted copy); '{name}' stands for the transcript's "
                   "name, e.g. 'lyd/{name}.m4a'. Copied to OUT/media/NAME.ext (owner-only), "
                   "which the qdpx and eaf files link.")
@click.option("--embed-media", is_flag=True,
              help="qdpx: put the audio inside the project instead of linking OUT/media.")
@click.option("--text-timestamps", is_flag=True,
              help="qdpx: write #hh:mm:ss.sss# before each turn (QualCoder syncs from these).")
@click.option("--project-file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="qdpx: one project holding every transcript given, e.g. study.qdpx "
                   "(instead of one .qdpx per transcript); a relative path is inside OUT.")
def command(transcripts: tuple[Path, ...], formats: str, out_dir: Path, media: str | None,
            embed_media: bool, text_timestamps: bool, project_file: Path | None):
    """Export TRANSCRIPT.json files (kodeklar transcripts) to OUT, one file per format."""
    from kodeklar import exporters, redact_audio
    from kodeklar.exporters import qdpx
    from kodeklar.core.errors import UserError
    from kodeklar.core.files import write_atomic
    from kodeklar.core.transcript import load

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if not wanted:
        raise UserError("--format names no format")
    mods = {f: exporters.module(f) for f in wanted}  # a typo fails before any work
    if project_file is not None and "qdpx" not in mods:
        raise UserError("--project-file writes a qdpx project: add qdpx to --format")
    if media and len(transcripts) > 1 and "{name}" not in media:
        raise UserError("--media names one file but several transcripts were given; "
                        "use '{name}' in it, e.g. --media '{name}.m4a'")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {out_dir} ({e.strerror})") from None
    recordings = []
    for path in transcripts:
        transcript = load(path)
        name = path.name.removesuffix(".json")
        if not transcript.anonymised:
            click.echo(f"kodeklar: warning: {path.name} is not anonymised; "
                       "do not share what is exported from it", err=True)
        link = redact_audio.shareable_copy(Path(media.replace("{name}", name)), out_dir, name) \
            if media else None
        recordings.append((transcript, link))
        options = exporters.Options(media=link, embed_media=embed_media,
                                    text_timestamps=text_timestamps)
        for fmt in mods:
            if fmt == "qdpx" and project_file is not None:
                continue
            click.echo(str(exporters.export(transcript, fmt, out_dir, name, options)))
    if project_file is not None:
        target = qdpx.project_path(out_dir, project_file)
        options = exporters.Options(embed_media=embed_media, text_timestamps=text_timestamps)
        click.echo(str(write_atomic(target, qdpx.project(target.stem, recordings, options))))
