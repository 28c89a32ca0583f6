"""`kodeklar run IN… -o OUT`: the whole flow over a batch of recordings."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kodeklar.commands import common


@click.command("run")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (anonymised/, reports/, private/, manifest.json).")
@common.config_option
@common.options_from("transcribe", "diarise", "run", "output")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Encrypted key file (default OUT/private/key.kodeklar); keep it apart from the transcripts.")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Review decisions: the review sheet (private/review/NAME.review.csv) or the "
                   "file the review page saves; columns in anonymise/decisions.py.")
@common.no_cache_option
def command(inputs, out, config_path, key_path, decisions_path, no_cache, **kw):
    """Transcribe, diarise, anonymise and export every recording in INPUTS (files or
    folders, searched recursively) into OUT. Safe to kill and re-run: finished work is kept."""
    from kodeklar.app import batch, prepare
    from kodeklar.commands import progress

    config = common.build_config(config_path, kw)
    settings = prepare.prepare(config, out, key_path, decisions_path, passphrase=common.passphrase,
                               no_cache=common.no_cache_stages(no_cache))
    with progress.Renderer() as on_event:
        status = batch.run(list(inputs), settings, on_event)
    sys.exit(status)
