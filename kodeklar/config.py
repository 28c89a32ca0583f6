"""Project configuration: `configs/default.toml`, overridden by a project's TOML file,
overridden by command-line options. Each TOML table fills one options dataclass by field
name, so a misspelt key or a wrong type is caught and named, never silently ignored.

Each field is made with `kodeklar.core.options.opt` and carries its help; default.toml
(`default_toml`) and the command-line options (`command_line_fields`, used by
kodeklar.commands.common) are generated from the fields."""
from __future__ import annotations

import dataclasses
import json
import textwrap
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kodeklar.core.errors import UserError, open_input
from kodeklar.core.options import comma_list, default_of, opt

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")


def parse_roles(text: str) -> dict[str, str]:
    """'S1=Intervjuer,S2=Informant' -> {"S1": "Intervjuer", "S2": "Informant"}"""
    roles = {}
    for item in text.split(","):
        speaker, sep, label = item.partition("=")
        if not sep or not speaker.strip() or not label.strip():
            raise UserError(f"--roles: expected S1=Label[,S2=Label…], got '{item}'")
        roles[speaker.strip().upper()] = label.strip()
    return roles


def _formats() -> list[str]:
    from kodeklar.exporters import FORMATS

    return list(FORMATS)


def _languages() -> list[str]:
    from kodeklar.exporters.lang import LANGUAGES

    return list(LANGUAGES)


def _audio_modes() -> list[str]:
    from kodeklar.app.redact_audio import MODES

    return ["none", *MODES]


@dataclass
class RunOptions:
    diarise: bool = opt(True, "Who spoke when.", cli="--diarise/--no-diarise")
    anonymise: bool = opt(True, "Names, places and identifiers replaced.",
                          cli="--anonymise/--no-anonymise")
    channels_as_speakers: bool = opt(False, "One microphone per speaker: attribute by channel "
                                     "energy.", cli="--channels-as-speakers")
    roles: dict[str, str] = opt({}, "Speaker role names: 'S1=Intervjuer,S2=Informant' on the "
                                "command line, {S1 = \"Intervjuer\"} in TOML.", cli="--roles",
                                parse=parse_roles, metavar="S1=ROLE,…")
    keep_names: bool = opt(False, "Name outputs after the input files (default: intervju-01, "
                           "…); file names often hold the informant's name.", cli="--keep-names")
    name_prefix: str = opt("intervju", "Outputs are named PREFIX-01, PREFIX-02, …")


@dataclass
class OutputOptions:
    formats: list[str] = opt(["json", "txt", "docx", "srt", "vtt"], "Formats to write "
                             "(comma-separated on the command line).", cli="--format",
                             choices=_formats, parse=comma_list, metavar="FORMATS")
    redact_audio: str = opt("none", "Also write the recording with every redacted span beeped "
                            "or silenced.", cli="--redact-audio", choices=_audio_modes)
    report_include_originals: bool = opt(
        False, "Also write a report WITH the original text, into OUT/private/ only.",
        cli="--report-include-originals")
    qdpx_embed_media: bool = opt(False, "The audio inside each .qdpx (internal://) instead of "
                                 "linked from OUT/media.", cli="--qdpx-embed-media")
    qdpx_timestamps: bool = opt(False, "#hh:mm:ss.sss# before each turn in the .qdpx text "
                                "(QualCoder syncs from these).", cli="--qdpx-timestamps")
    qdpx_project: str = opt("", "Also one REFI-QDA project of every recording, in "
                            "OUT/anonymised, e.g. study.qdpx.", cli="--qdpx-project",
                            metavar="NAME.qdpx")
    key_file: str = opt("", "The encrypted key (default OUT/private/key.kodeklar); better "
                        "kept on separate storage.")
    lang: str = opt("nb", "Language of the reports and the review pages: nb (bokmål) or en.",
                    cli="--lang", choices=_languages)


@dataclass
class SlurmOptions:
    """`kodeklar slurm`: what each job asks Slurm for. It shapes no output, so it is left
    out of the cache keys and the reports (Config.as_dict)."""
    partition: str = opt("", "Slurm partition of both jobs, e.g. the GPU partition (with "
                         "--gpus-per-task 1 --device cuda); \"\" = the cluster's default.",
                         cli="--partition")
    account: str = opt("", "Slurm account (project) of both jobs, e.g. p123 on TSD.", cli="--account")
    time: str = opt("", "Time limit of each job, e.g. 4:00:00; \"\" = the partition's default.",
                    cli="--time")
    mem: str = opt("", "Memory of each job, e.g. 16G; \"\" = the partition's default.", cli="--mem")
    cpus_per_task: int = opt(4, "CPUs of each job.", cli="--cpus-per-task", limits=(1, None))
    gpus_per_task: int = opt(0, "GPUs of each array task; the finishing job gets none.",
                             cli="--gpus-per-task", limits=(0, None))
    array_limit: int = opt(0, "At most this many array tasks at once; 0 = no limit.",
                           cli="--array-limit", limits=(0, None))
    sbatch: list[str] = opt([], "Extra #SBATCH lines of both jobs, e.g. [\"--qos=normal\"].")


@dataclass
class RecordingOptions:
    """Settings for one recording of a batch, a `[recordings."NAME"]` table where NAME is
    the input file's name without its extension: an interview and a focus group differ in
    their count of speakers and their roles. They replace the [diarise] count and [run]
    roles, and the command line's, for that recording only."""
    speakers: int | None = opt(None, "The exact count for this recording.", example=5)
    min_speakers: int | None = opt(None, "At least this many, for this recording.", example=4)
    max_speakers: int | None = opt(None, "At most this many, for this recording.", example=6)
    roles: dict[str, str] = opt({}, "Speaker role names for this recording.",
                                example={"S1": "Moderator"})


@dataclass
class Recordings:
    by_name: dict[str, RecordingOptions] = field(default_factory=dict)


def _sections() -> dict[str, type]:
    # imported here: each dataclass lives with the stage it configures
    from anonymise.options import AnonymiseOptions
    from transcribe.options import DiariseOptions, TranscribeOptions

    return {"run": RunOptions, "transcribe": TranscribeOptions, "diarise": DiariseOptions,
            "anonymise": AnonymiseOptions, "output": OutputOptions, "recordings": Recordings,
            "slurm": SlurmOptions}


# sections that shape no output: left out of the cache keys and the reports' settings
NOT_IN_RESULTS = ("slurm",)


@dataclass
class Config:
    sections: dict[str, Any]

    def __getattr__(self, name):
        try:
            return self.__dict__["sections"][name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, dict]:
        """The settings that shape the outputs (for cache keys and reports)."""
        return {name: dataclasses.asdict(opts) for name, opts in self.sections.items()
                if name not in NOT_IN_RESULTS}

    def shareable_dict(self) -> dict[str, dict]:
        """The settings as a shareable report may show them: the study's known names and
        glossary are personal or identifying, so only their number is given."""
        d = self.as_dict()
        d["anonymise"]["known_names"] = len(d["anonymise"]["known_names"])
        d["transcribe"]["glossary"] = len(d["transcribe"]["glossary"])
        # recording names are file names, which often name the informant
        d["recordings"] = {"by_name": len(d["recordings"]["by_name"])}
        return d


def _type_ok(value: Any, hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if value is None:  # never from TOML; from the command line, e.g. `--language auto`
        return type(None) in typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_type_ok(value, h) for h in typing.get_args(hint) if h is not type(None))
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if origin in (list, tuple):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return isinstance(value, list) and all(_type_ok(v, args[0]) for v in value)
    if origin is dict:
        key_t, val_t = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _type_ok(k, key_t) and _type_ok(v, val_t) for k, v in value.items())
    return True


def command_line_fields() -> dict[str, tuple[str, dataclasses.Field]]:
    """Every field that is a command-line option, by its name, which is also the click
    parameter's name: field name -> (section, field)."""
    found = {}
    for section, cls in _sections().items():
        for f in dataclasses.fields(cls):
            if f.metadata.get("cli"):
                if f.name in found:
                    raise AssertionError(f"two command-line options would be called {f.name}")
                found[f.name] = (section, f)
    return found


def _type_name(hint: Any) -> str:
    return hint.__name__ if isinstance(hint, type) else str(hint).replace("typing.", "")


def _apply(cls: type, current: Any, table: dict, where: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    changes = {}
    for key, value in table.items():
        if key not in names:
            raise UserError(f"{where}: unknown key '{key}' (known: {', '.join(sorted(names))})")
        if not _type_ok(value, hints[key]):
            raise UserError(f"{where}: key '{key}' must be {_type_name(hints[key])}, "
                            f"not {type(value).__name__}")
        if typing.get_origin(hints[key]) is tuple:
            value = tuple(value)
        changes[key] = value
    return dataclasses.replace(current, **changes)


def read_toml(path: Path) -> dict:
    try:
        with open_input(path) as f:
            return tomllib.load(f)
    except UnicodeDecodeError:
        raise UserError(f"config {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"config {path}: not valid TOML ({e})") from None


def merge(config: Config, data: dict, source: str) -> Config:
    sections = _sections()
    updated = dict(config.sections)
    for name, table in data.items():
        if name not in sections:
            raise UserError(f"config {source}: unknown section [{name}] "
                            f"(known: {', '.join(sections)})")
        if not isinstance(table, dict):
            raise UserError(f"config {source}: [{name}] must be a table")
        if name == "recordings":
            updated[name] = _recordings(updated[name], table, source)
        else:
            updated[name] = _apply(sections[name], updated[name], table, f"config {source} [{name}]")
    return Config(updated)


def _recordings(current: Recordings, table: dict, source: str) -> Recordings:
    by_name = dict(current.by_name)
    for name, settings in table.items():
        where = f'config {source} [recordings."{name}"]'
        if not isinstance(settings, dict):
            raise UserError(f"{where} must be a table")
        by_name[name] = _apply(RecordingOptions, RecordingOptions(), settings, where)
    return Recordings(by_name)


def for_recording(config: Config, stem: str) -> Config:
    """The configuration for the recording whose file name without extension is `stem`."""
    own = config.recordings.by_name.get(stem)
    if own is None:
        return config
    sections = dict(config.sections)
    counts = (own.speakers, own.min_speakers, own.max_speakers)
    if any(v is not None for v in counts):
        default = type(config.diarise)()
        sections["diarise"] = dataclasses.replace(
            config.diarise, speakers=own.speakers,
            min_speakers=default.min_speakers if own.min_speakers is None else own.min_speakers,
            max_speakers=default.max_speakers if own.max_speakers is None else own.max_speakers)
    if own.roles:
        sections["run"] = dataclasses.replace(config.run, roles=dict(own.roles))
    return Config(sections)


def load_config(path: str | Path | None = None) -> Config:
    """The defaults, then the project file at `path` if one is given."""
    config = Config({name: cls() for name, cls in _sections().items()})
    config = merge(config, read_toml(DEFAULT_CONFIG), str(DEFAULT_CONFIG.name))
    if path is not None:
        config = merge(config, read_toml(Path(path)), str(path))
    return config


def override(config: Config, section: str, **values) -> Config:
    """Options of one section set in code (tests, benchmarks); None leaves a value as it is.
    The command line's options go through kodeklar.commands.common.build_config."""
    given = {k: v for k, v in values.items() if v is not None}
    return merge(config, {section: given}, "command line") if given else config


# default.toml is generated from the fields above and the stages' options dataclasses:
# `python -m kodeklar.config --write-default` after changing an option
# (tests/test_config.py fails while the committed file differs).
_HEADER = """\
# kodeklar's defaults: every key there is, with its default value. A project config
# (kodeklar run --config project.toml) overrides any of them; command-line options
# override both. A misspelt key is an error, never silently ignored.
# Generated from the options dataclasses: python -m kodeklar.config --write-default
"""
_RECORDINGS = """\
# Per recording, by its file name without extension; replaces the count and roles above
# (and the command line's) for that recording only, so one batch can hold interviews and
# focus groups:
# [recordings."fokusgruppe-1"]
"""
_WIDTH = 92


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + "}"


def _help(f: dataclasses.Field) -> str:
    choices = f.metadata["choices"]
    return f.metadata["help"] + (f" Choose from: {', '.join(choices())}." if choices else "")


def _setting(f: dataclasses.Field) -> str:
    """`key = default`; commented out with its example where the default is None, which
    TOML cannot write."""
    value = default_of(f)
    if value is None:
        return f"# {f.name} = {_toml(f.metadata['example'])}"
    return f"{f.name} = {_toml(value)}"


def default_toml() -> str:
    """The text of default.toml: every option's key, default and help."""
    parts = [_HEADER]
    for name, cls in _sections().items():
        if name == "recordings":
            continue
        lines = [f"[{name}]"]
        for f in dataclasses.fields(cls):
            lines += [f"# {line}" for line in
                      textwrap.wrap(_help(f), _WIDTH - 2, break_on_hyphens=False)]
            lines.append(_setting(f))
        parts.append("\n".join(lines) + "\n")
    # a table per study file name: only an example, every line commented out
    example = [f"{'# ' + f.name + ' = ' + _toml(f.metadata['example']):<30} # {_help(f)}"
               for f in dataclasses.fields(RecordingOptions)]
    parts.append(_RECORDINGS + "\n".join(example) + "\n")
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--write-default"]:
        sys.exit("usage: python -m kodeklar.config --write-default")
    DEFAULT_CONFIG.write_text(default_toml(), encoding="utf-8")
