"""Options shared by several commands, and the one place they turn into a Config."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kodeklar.app.prepare import PASSPHRASE_ENV
from kodeklar.core.errors import UserError
from kodeklar.core.options import default_of


def config_option(f):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="Project config (TOML); see configs/example-project.toml.")(f)


class _RegistryChoice(click.Choice):
    """A click.Choice whose names are read from a registry only when needed (parsing,
    `--help` of the command), so that listing the commands loads no stage."""

    def __init__(self, names):
        self._names = names
        self.case_sensitive = True

    @property
    def choices(self):
        return tuple(self._names())


def _shown_default(f) -> str | None:
    value = default_of(f)
    if isinstance(value, bool):
        return ("on" if value else "off") if "/" in f.metadata["cli"] else None
    if isinstance(value, list) and f.metadata["parse"]:
        return ",".join(value)  # a comma list shows as typed
    return str(value) if value not in (None, "", [], {}) else None


def _click_option(f, help: str | None):
    """The click option of one options-dataclass field; its parameter is the field's name."""
    meta = f.metadata
    flags, choices, parse = meta["cli"], meta["choices"], meta["parse"]
    if help is None:
        shown = _shown_default(f)
        help = meta["help"]
        if choices and parse:  # a comma list, not a click.Choice
            help += f" Choose from: {', '.join(choices())}."
        if shown:
            help += f"  [default: {shown}]"
    kwargs = {"default": None, "help": help, "metavar": meta["metavar"]}
    default = default_of(f)
    if isinstance(default, bool):
        if "/" not in flags:  # `--no-vad` turns a true default off; `--keep-names` on
            kwargs.update(is_flag=True, flag_value=not flags.startswith("--no-"))
    elif parse:
        pass  # the text as typed: `parse` makes the value, build_config checks it
    elif isinstance(default, list):
        kwargs.update(multiple=True, default=())
    elif choices:
        kwargs["type"] = _RegistryChoice(choices)
    elif meta["limits"]:
        kwargs["type"] = click.IntRange(*meta["limits"])
    return click.option(flags, f.name, **kwargs)


def options_from(*sections: str, exclude: tuple[str, ...] = (), only: tuple[str, ...] = (),
                 help: dict | None = None):
    """A decorator adding a click option for every command-line field of the config
    `sections` (those in `only` if given, but not those in `exclude`), in field order;
    `help` replaces a field's help for this command."""
    from kodeklar.config import command_line_fields

    fields = [f for section in sections for s, f in command_line_fields().values()
              if s == section and f.name not in exclude and (not only or f.name in only)]
    help = help or {}

    def decorate(func):
        for f in reversed(fields):
            func = _click_option(f, help.get(f.name))(func)
        return func
    return decorate


def flag(name: str) -> str:
    """The command-line flag of the field `name`, as the user types it: "--diariser"."""
    from kodeklar.config import command_line_fields

    return command_line_fields()[name][1].metadata["cli"].split("/")[0]


def given_options(kw: dict) -> dict[str, dict]:
    """The command-line options the user gave, by config section and field, as values of
    the fields (`--language auto` -> None, `--roles S1=X` -> {"S1": "X"})."""
    from kodeklar.config import command_line_fields

    fields = command_line_fields()
    given: dict[str, dict] = {}
    for name, value in kw.items():
        section, f = fields[name]
        if value is None or value == () or (value == "" and f.metadata["parse"]):
            continue  # not given; an empty `--format ""` or `--roles ""` changes nothing
        if f.metadata["parse"]:
            value = f.metadata["parse"](value)
        elif isinstance(value, tuple):
            value = list(value)
        given.setdefault(section, {})[name] = value
    return given


def build_config(config_path: Path | None, kw: dict):
    """Config file first, then the command line options the user actually gave; `kw` holds
    the options of `options_from` by field name."""
    from kodeklar.config import load_config, merge

    config = merge(load_config(config_path), given_options(kw), "command line")
    check_formats(config.output.formats)
    from kodeklar.exporters.lang import check

    check(config.output.lang)  # a config file's value too, before any recording
    return config


def check_formats(formats: list[str]) -> None:
    from kodeklar.exporters import FORMATS

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UserError(f"unknown format '{unknown[0]}' (choose from: {', '.join(FORMATS)})")


def passphrase(confirm: bool = False) -> str:
    """The key file's passphrase: from the environment (batch jobs) or a hidden prompt.
    Never a command-line argument, where it would show in the process list."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"the key file needs a passphrase: set {PASSPHRASE_ENV} or run in a terminal")
    return click.prompt("Passphrase for the key file", hide_input=True,
                        confirmation_prompt=confirm, err=True)


def read_passphrase_file(path: Path) -> str:
    """The passphrase on the first line of a file that only its owner may read."""
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            raise UserError(f"passphrase file {path} can be read by others (mode {mode & 0o777:o}); "
                            f"chmod 600 {path}")
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise UserError(f"cannot read passphrase file {path} ({e.strerror})") from None
    except UnicodeDecodeError:
        raise UserError(f"passphrase file {path}: not UTF-8 text") from None
    if not lines or not lines[0]:
        raise UserError(f"passphrase file {path}: the first line is empty")
    return lines[0]


def no_cache_option(f):
    """`--no-cache` redoes every stage, `--no-cache=STAGE` that one: its cached result is
    ignored and replaced, and no recording is skipped as already done."""
    from kodeklar.app.pipeline import STAGES

    return click.option("--no-cache", "no_cache", is_flag=False, flag_value="all", default=None,
                        type=click.Choice(("all",) + STAGES),
                        help="Redo every stage (or --no-cache=STAGE: that one) "
                             "although a cached result exists.")(f)


def no_cache_stages(value: str | None) -> frozenset[str]:
    from kodeklar.app.pipeline import STAGES

    return frozenset(STAGES if value == "all" else (value,) if value else ())
