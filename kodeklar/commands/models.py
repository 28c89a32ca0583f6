"""`kodeklar models`: which Whisper models are usable offline, and fetching one elsewhere."""
from __future__ import annotations

from pathlib import Path

import click


@click.group("models", invoke_without_command=True)
@click.pass_context
def command(ctx):
    """List the models available offline (name, path, size, checksum)."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.console import Console
    from rich.table import Table

    from transcribe import models

    table = Table(title="Whisper models available offline")
    for col in ("name", "origin", "size", "sha256", "path"):
        table.add_column(col)
    for info in models.available():
        table.add_row(info.name, info.origin, f"{info.size / 1e6:.0f} MB", info.sha256[:16] + "…",
                      str(info.path))
    Console().print(table)


@command.command("download")
@click.argument("name")
@click.option("--to", "to", required=True, type=click.Path(file_okay=False, path_type=Path))
def download(name, to):
    """For a machine WITH internet: fetch CTranslate2 model NAME (e.g. large-v3, or a
    Hugging Face repo id such as NbAiLab/nb-whisper-large) into a folder to copy to the
    offline machine and pass with --model."""
    import os

    # the one command meant for a machine with internet: lift the offline default
    os.environ["HF_HUB_OFFLINE"] = "0"
    from transcribe import models

    path = models.download(name, to)
    click.echo(f"model saved in {path}; copy the folder and use --model {path}")
