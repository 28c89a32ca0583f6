"""`kodeklar export`: write saved transcripts in the formats QDA programs import."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("export", short_help="Write transcripts as docx, txt, NVivo, ELAN, REFI-QDA, ...")
@click.argument("transcripts", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "formats", default="docx,txt", show_default=True,
              help="Comma-separated formats: json, txt, srt, vtt, rttm, docx, maxqda, nvivo, "
                   "atlasti, eaf, qdpx.")
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option("--media", default=None, metavar="FILE",
              help="Audio file name the QDA program should link to; '{name}' stands for the "
                   "transcript's name, e.g. '{name}.m4a'.")
def command(transcripts: tuple[Path, ...], formats: str, out_dir: Path, media: str | None):
    """Export TRANSCRIPT.json files (kodeklar transcripts) to OUT, one file per format."""
    from kodeklar import exporters
    from kodeklar.transcript import UserError, load

    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if not wanted:
        raise UserError("--format names no format")
    mods = {f: exporters.module(f) for f in wanted}  # a typo fails before any work
    if media and len(transcripts) > 1 and "{name}" not in media:
        raise UserError("--media names one file but several transcripts were given; "
                        "use '{name}' in it, e.g. --media '{name}.m4a'")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {out_dir} ({e.strerror})") from None
    for path in transcripts:
        transcript = load(path)
        name = path.name.removesuffix(".json")
        if not transcript.anonymised:
            click.echo(f"kodeklar: warning: {path.name} is not anonymised; "
                       "do not share what is exported from it", err=True)
        link = media.replace("{name}", name) if media else None
        for fmt in mods:
            written = exporters.export(transcript, fmt, out_dir, name, media=link)
            click.echo(str(written))
