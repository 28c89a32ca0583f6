"""`kodeklar key show KEYFILE`: the pseudonym key in plain text, for the project leader."""
from __future__ import annotations

from pathlib import Path

import click

from kodeklar.commands import common


@click.group("key")
def command():
    """The encrypted key linking pseudonyms to the people, places and organisations."""


@command.command("show")
@click.argument("key_path", metavar="KEYFILE", type=click.Path(dir_okay=False, path_type=Path))
def show(key_path):
    """Decrypt KEYFILE and print its mapping (passphrase from KODEKLAR_KEY_PASSPHRASE or a
    prompt). The output holds the originals: keep it off shared screens and logs."""
    from rich.console import Console
    from rich.table import Table

    from anonymise import keyfile

    pseudonyms = keyfile.load(key_path, common.passphrase())
    table = Table(title=f"{key_path.name}: {len(pseudonyms)} entities")
    for column in ("pseudonym", "category", "original forms", "surrogate"):
        table.add_column(column)
    for e in sorted(pseudonyms.entities, key=lambda e: (e.category, e.number or 0)):
        table.add_row(e.label if e.number else "-", e.category, ", ".join(e.names),
                      " ".join(e.surrogate))
    Console(soft_wrap=True).print(table)
    return 0
