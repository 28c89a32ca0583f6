"""`kodeklar export`: write saved transcripts in the formats QDA programs import."""
from __future__ import annotations

from pathlib import Path

import click

from kodeklar.commands import common
from kodeklar.core.options import comma_list
from kodeklar.exporters import FORMATS


@click.command("export", short_help="Write transcripts as docx, txt, NVivo, ELAN, REFI-QDA, ...")
@click.argument("transcripts", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "formats", default=None,
              help=f"Comma-separated formats: {', '.join(FORMATS)} "
                   "(default: the config's output.formats).")
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@common.config_option
@click.option("--media", default=None, metavar="FILE",
              help="The recording (or its redacted copy); '{name}' stands for the transcript's "
                   "name, e.g. 'lyd/{name}.m4a'. Copied to OUT/media/NAME.ext (owner-only), "
                   "which the qdpx and eaf files link.")
@click.option("--embed-media", is_flag=True, default=None,
              help="qdpx: put the audio inside the project instead of linking OUT/media.")
@click.option("--text-timestamps", is_flag=True, default=None,
              help="qdpx: write #hh:mm:ss.sss# before each turn (QualCoder syncs from these).")
@click.option("--project-file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="qdpx: one project holding every transcript given, e.g. study.qdpx "
                   "(instead of one .qdpx per transcript); a relative path is inside OUT.")
def command(transcripts: tuple[Path, ...], formats: str | None, out_dir: Path, config_path,
            media: str | None, embed_media: bool | None, text_timestamps: bool | None,
            project_file: Path | None):
    """Export TRANSCRIPT.json files (kodeklar transcripts) to OUT, one file per format."""
    from kodeklar.app import events, export
    from kodeklar.config import load_config

    def on_event(event):
        if isinstance(event, events.RecordingWarning):
            click.echo(f"kodeklar: warning: {event.message}", err=True)

    wanted = comma_list(formats) if formats is not None else None
    req = export.request(load_config(config_path), wanted, media, embed_media,
                         text_timestamps, project_file)
    for path in export.export(list(transcripts), out_dir, req, on_event):
        click.echo(str(path))
