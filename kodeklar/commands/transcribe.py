"""`kodeklar transcribe FILES… -o DIR`: timestamped transcripts, not anonymised."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kodeklar.commands import common


@click.command("transcribe")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; transcripts go to OUT/transcripts/ (owner-only: not anonymised).")
@common.config_option
@common.transcribe_options
@common.diarise_options
@click.option("--diarise/--no-diarise", "diarise", default=False, help="Also find who spoke when.")
@click.option("--format", "formats", help="Comma-separated formats (default json,txt,docx,srt,vtt).")
@click.option("--keep-names", is_flag=True, default=None,
              help="Name outputs after the input files (default: intervju-01, …).")
def command(inputs, out, config_path, **kw):
    """Transcribe recordings (files or folders) with Whisper, offline. The transcripts are
    NOT anonymised: use `kodeklar run` for shareable output."""
    from kodeklar import batch
    from kodeklar.commands.run import prepare

    kw["anonymise"] = False
    config = common.build_config(config_path, kw)
    settings = prepare(config, out, None, None, stages=("transcribe", "diarise", "export"))
    sys.exit(batch.run_batch(list(inputs), settings))
