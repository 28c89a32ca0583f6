"""Project configuration: `configs/default.toml`, overridden by a project's TOML file,
overridden by command-line options. Each TOML table fills one options dataclass by field
name, so a misspelt key or a wrong type is caught and named, never silently ignored."""
from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kodeklar.core.errors import UserError, open_input

DEFAULT_CONFIG = Path(__file__).with_name("default.toml")


@dataclass
class RunOptions:
    diarise: bool = True
    anonymise: bool = True
    channels_as_speakers: bool = False
    roles: dict[str, str] = field(default_factory=dict)   # {"S1": "Intervjuer"}
    keep_names: bool = False     # file names often contain the informant's name
    name_prefix: str = "intervju"


@dataclass
class OutputOptions:
    formats: list[str] = field(default_factory=lambda: ["json", "txt", "docx", "srt", "vtt"])
    redact_audio: str = "none"   # none | beep | silence
    report_include_originals: bool = False
    qdpx_embed_media: bool = False   # the audio inside each .qdpx instead of linked from OUT/media
    qdpx_timestamps: bool = False    # `#hh:mm:ss.sss#` in the .qdpx text (QualCoder syncs from these)
    qdpx_project: str = ""           # also one .qdpx for the whole study, in OUT/anonymised
    key_file: str = ""           # default: OUT/private/key.kodeklar
    lang: str = "nb"             # the reports and the review page: nb | en


@dataclass
class RecordingOptions:
    """Settings for one recording of a batch, a `[recordings."NAME"]` table where NAME is
    the input file's name without its extension: an interview and a focus group differ in
    their count of speakers and their roles. They replace the [diarise] count and [run]
    roles, and the command line's, for that recording only."""
    speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    roles: dict[str, str] = field(default_factory=dict)


@dataclass
class Recordings:
    by_name: dict[str, RecordingOptions] = field(default_factory=dict)


def _sections() -> dict[str, type]:
    # imported here: each dataclass lives with the stage it configures
    from anonymise.options import AnonymiseOptions
    from transcribe.diarize import DiarizeOptions
    from transcribe.options import TranscribeOptions

    return {"run": RunOptions, "transcribe": TranscribeOptions, "diarise": DiarizeOptions,
            "anonymise": AnonymiseOptions, "output": OutputOptions, "recordings": Recordings}


@dataclass
class Config:
    sections: dict[str, Any]

    def __getattr__(self, name):
        try:
            return self.__dict__["sections"][name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, dict]:
        return {name: dataclasses.asdict(opts) for name, opts in self.sections.items()}

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
    """Command-line options: only those the user gave (not None) replace the config."""
    given = {k: v for k, v in values.items() if v is not None}
    return merge(config, {section: given}, "command line") if given else config
