"""One option = one dataclass field. `opt` puts the field's default, its help and, where it
is a command-line option, the option's flag and shape into the field's metadata; the CLI
options, `default.toml` and the config's checks are all derived from it (kodeklar.config,
kodeklar.commands.common), so an option is written once.

It lives in the core because each stage's options dataclass lives with the stage, and the
stages may import only the core."""
from __future__ import annotations

import copy
import dataclasses
from typing import Any, Callable


def opt(default: Any, help: str, *, cli: str | None = None,
        choices: Callable[[], list[str]] | None = None,
        parse: Callable[[Any], Any] | None = None, limits: tuple[int, int] | None = None,
        metavar: str | None = None, example: Any = None) -> Any:
    """A dataclass field with its default and help.

    cli:     the option's flag: "--beam-size"; "--no-vad" for a flag that turns a true
             default off; "--diarise/--no-diarise" for an on/off pair. A list field without
             `parse` is a repeatable option; a bool field is a flag.
    choices: the registry's names, called only when asked (a registry may import more
             than `--help` should).
    parse:   turns the given command-line text into the field's value ("auto" -> None).
    limits:  an int option's inclusive range.
    example: the value shown, commented out, in default.toml where the default cannot be
             (None: TOML has no null) or is not a setting (a [recordings."NAME"] table).
    """
    metadata = {"help": help, "cli": cli, "choices": choices, "parse": parse,
                "limits": limits, "metavar": metavar, "example": example}
    if isinstance(default, (list, dict, set)):
        return dataclasses.field(default_factory=lambda: copy.deepcopy(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def comma_list(text: str) -> list[str]:
    """'json, TXT,docx' -> ['json', 'txt', 'docx']"""
    return [item.strip().lower() for item in text.split(",") if item.strip()]


def default_of(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
