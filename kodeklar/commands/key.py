"""`kodeklar key show|merge|split KEYFILE`: the pseudonym key for the project leader: read it
in plain text, and correct how names are linked to entities."""
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
    for column in ("pseudonym", "category", "original forms", "surrogate", "linked by likeness"):
        table.add_column(column)
    for e in sorted(pseudonyms.entities, key=lambda e: (e.category, e.number or 0)):
        table.add_row(e.label if e.number else "-", e.category, ", ".join(e.names),
                      " ".join(e.surrogate),
                      "; ".join(f"{k['name']} → {k['to']}: {k['how']}" for k in e.links))
    Console(soft_wrap=True).print(table)
    return 0


def _change(key_path: Path, change) -> str:
    """Load the key, apply `change` (pseudonyms -> message), save it back atomically."""
    from anonymise import keyfile

    secret = common.passphrase()
    pseudonyms = keyfile.load(key_path, secret)
    message = change(pseudonyms)
    keyfile.save(key_path, pseudonyms, secret)
    return message + " Re-run `kodeklar anonymise` on the project's recordings to apply it."


KEY_PATH = click.argument("key_path", metavar="KEYFILE",
                          type=click.Path(dir_okay=False, path_type=Path))


@command.command("merge")
@KEY_PATH
@click.argument("labels", metavar="PSEUDONYM PSEUDONYM...", nargs=-1, required=True)
def merge(key_path, labels):
    """Join entities that are one person, place or organisation: the first pseudonym
    (e.g. PERSON-1) takes the others' forms, and theirs are retired."""
    def change(pseudonyms):
        keep = pseudonyms.merge(list(labels))
        return f"{keep.label} now stands for {len(labels)} former entities."

    click.echo(_change(key_path, change))
    return 0


@command.command("split")
@KEY_PATH
@click.argument("label", metavar="PSEUDONYM")
@click.argument("names", metavar="FORM...", nargs=-1, required=True)
def split(key_path, label, names):
    """Undo a wrong link: move these original forms of PSEUDONYM (as `key show` lists them)
    to a new entity with a pseudonym of its own."""
    def change(pseudonyms):
        new = pseudonyms.split(label, list(names))
        return f"{len(names)} form(s) moved from [{label.strip('[]').upper()}] to {new.label}."

    click.echo(_change(key_path, change))
    return 0
