"""`kodeklar export`: write saved transcripts in the formats QDA programs import."""
from __future__ import annotations

from pathlib import Path

import click

from kodeklar.commands import common


@click.command("export", short_help="Write transcripts as docx, txt, NVivo, ELAN, REFI-QDA, ...")
@click.argument("transcripts", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@common.config_option
@common.options_from("output", only=("formats", "qdpx_embed_media", "qdpx_timestamps",
                                     "qdpx_project"),
                     help={"qdpx_project": "One project holding every transcript given, e.g. "
                                           "study.qdpx (instead of one .qdpx per transcript); "
                                           "a relative path is inside OUT."})
@click.option("--media", default=None, metavar="FILE",
              help="The recording (or its redacted copy); '{name}' stands for the transcript's "
                   "name, e.g. 'lyd/{name}.m4a'. Copied to OUT/media/NAME.ext (owner-only), "
                   "which the qdpx and eaf files link.")
def command(transcripts: tuple[Path, ...], out_dir: Path, config_path, media: str | None, **kw):
    """Export TRANSCRIPT.json files (kodeklar transcripts) to OUT, one file per format
    (default: the config's output.formats)."""
    from kodeklar.app import events, export

    def on_event(event):
        if isinstance(event, events.RecordingWarning):
            click.echo(f"kodeklar: warning: {event.message}", err=True)

    config = common.build_config(config_path, kw)
    for path in export.export(list(transcripts), out_dir, config.output, media, on_event):
        click.echo(str(path))
