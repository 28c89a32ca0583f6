"""`kodeklar anonymise`: re-run anonymisation on raw transcripts without re-transcribing (a
changed name list, threshold or review decisions), or redact a plain text file for a quick
check."""
from __future__ import annotations

from pathlib import Path

import click

from kodeklar.commands import common
from kodeklar.core.errors import UserError


@click.command("anonymise")
@click.argument("transcripts", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder, as for `kodeklar run` (anonymised/, reports/, private/).")
@common.config_option
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Encrypted key file (default OUT/private/key.kodeklar); created if missing.")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Review decisions: the review sheet (private/review/NAME.review.csv) or the "
                   "file the review page saves; columns in anonymise/decisions.py.")
@click.option("--text", "text_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Print a plain text file with names and identifiers replaced by labels "
                   "(a quick check; no key file is read or written).")
@common.options_from("output", only=("lang",))
def command(transcripts, out, config_path, key_path, decisions_path, text_path, **kw):
    """Anonymise raw TRANSCRIPT.json files into OUT as `kodeklar run` does: every configured
    format into OUT/anonymised, the reports, the review sheet, the manifest entry."""
    from kodeklar.app import batch, prepare, text
    from kodeklar.commands import progress
    from kodeklar.config import override

    config = common.build_config(config_path, kw)
    if text_path is not None:
        if transcripts:
            raise UserError("give either transcripts or --text, not both")
        config.anonymise.check()
        click.echo(text.redact_text_file(text_path, config.anonymise), nl=False)
        return 0
    if not transcripts:
        raise UserError("no transcripts given (or use --text FILE)")
    if out is None:
        raise UserError("missing -o/--out folder for the anonymised transcripts")
    config = override(config, "run", anonymise=True)
    settings = prepare.prepare(config, out, key_path, decisions_path,
                               stages=("anonymise", "export"), passphrase=common.passphrase)
    with progress.Renderer() as on_event:
        return batch.reanonymise(list(transcripts), settings, on_event)
