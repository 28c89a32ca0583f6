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
              help="Review decisions (CSV from private/review/, with the decision column filled).")
def command(inputs, out, config_path, key_path, decisions_path, **kw):
    """Transcribe, diarise, anonymise and export every recording in INPUTS (files or
    folders, searched recursively) into OUT. Safe to kill and re-run: finished work is kept."""
    from kodeklar import batch

    config = common.build_config(config_path, kw)
    settings = prepare(config, out, key_path, decisions_path)
    sys.exit(batch.run_batch(list(inputs), settings))


def prepare(config, out: Path, key_path: Path | None, decisions_path: Path | None,
            stages=("transcribe", "diarise", "anonymise", "export")):
    """Everything that can fail for the whole batch fails here, before any recording:
    the model, the key file and its passphrase, the decisions file."""
    from kodeklar import batch, manifest, pipeline
    from transcribe import models

    batch.prepare_output(out)
    settings = pipeline.Settings(config=config, out=out, stages=tuple(stages),
                                 model=models.resolve(config.transcribe.model))
    if "anonymise" in stages and config.run.anonymise:
        config.anonymise.check()
        key_path = key_path or Path(config.output.key_file or out / "private" / "key.kodeklar")
        if key_path.parent == out / "private":
            manifest.private_dir(out)
        settings.key_file = key_path
        settings.passphrase, settings.pseudonyms = open_key(key_path)
        if decisions_path is not None:
            from anonymise import decisions

            settings.decisions = decisions.load(decisions_path)
            settings.decisions_sha256 = models.sha256_file(decisions_path)
    return settings


def open_key(key_path: Path):
    """The project's pseudonym key: opened with its passphrase, or created (asking twice)."""
    from anonymise import keyfile
    from anonymise.pseudonyms import Pseudonyms

    if key_path.exists():
        secret = common.passphrase()
        return secret, keyfile.load(key_path, secret)
    return common.passphrase(confirm=True), Pseudonyms()
