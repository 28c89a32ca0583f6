"""Options shared by several commands, and the one place they turn into a Config."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from kodeklar.core.errors import UserError

PASSPHRASE_ENV = "KODEKLAR_KEY_PASSPHRASE"


def config_option(f):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="Project config (TOML); see configs/example-project.toml.")(f)


def transcribe_options(f):
    options = [
        click.option("--model", help="Model: 'base' (bundled), a CTranslate2 model folder, "
                                     "or a name in the local Hugging Face cache."),
        click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]),
                     help="Speech engine (default faster-whisper)."),
        click.option("--language", help="Language code: no (default), nn, en; 'auto' to detect."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Default auto."),
        click.option("--compute-type", help="auto (int8 on CPU, float16 on CUDA), int8, float16, float32 …"),
        click.option("--beam-size", type=click.IntRange(1, 20)),
        click.option("--batch-size", type=click.IntRange(1, 256), help="Decode this many VAD chunks at once (default 8; 1 = sequential)."),
        click.option("--glossary", "glossary", multiple=True,
                     help="A name of a place or institution in the study (repeatable); primes Whisper's spelling."),
        click.option("--no-vad", is_flag=True, default=None, help="Decode silence too (not advised)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def diarise_options(f):
    options = [
        click.option("--diariser", type=click.Choice(["embedded", "pyannote"]),
                     help="embedded (default: offline, no token) or pyannote (a pipeline on disk)."),
        click.option("--pyannote-pipeline", type=click.Path(path_type=str),
                     help="Folder or config.yaml of a pyannote pipeline on disk (with --diariser pyannote)."),
        click.option("--speakers", type=click.IntRange(1, 32),
                     help="Exact number of speakers, if known: give it for interviews "
                          "(the automatic count is unreliable on far-field audio)."),
        click.option("--min-speakers", type=click.IntRange(1, 32),
                     help="At least this many speakers (2 for an interview)."),
        click.option("--max-speakers", type=click.IntRange(1, 32),
                     help="At most this many speakers."),
        click.option("--channels-as-speakers", is_flag=True, default=None,
                     help="One microphone per speaker: attribute by channel energy."),
        click.option("--roles", help="Speaker role names, e.g. 'S1=Intervjuer,S2=Informant'."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def lang_option(f):
    from kodeklar.exporters.lang import LANGUAGES

    return click.option("--lang", type=click.Choice(LANGUAGES),
                        help="Language of the reports and the review page: nb (bokmål, "
                             "default) or en.")(f)


def parse_roles(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    roles = {}
    for item in text.split(","):
        speaker, sep, label = item.partition("=")
        if not sep or not speaker.strip() or not label.strip():
            raise UserError(f"--roles: expected S1=Label[,S2=Label…], got '{item}'")
        roles[speaker.strip().upper()] = label.strip()
    return roles


def split_formats(text: str | None) -> list[str] | None:
    return [f.strip().lower() for f in text.split(",") if f.strip()] if text else None


def build_config(config_path: Path | None, kw: dict):
    """Config file first, then the command line options the user actually gave."""
    from kodeklar.config import load_config, override

    config = load_config(config_path)
    language = kw.get("language")
    config = override(config, "transcribe", model=kw.get("model"), engine=kw.get("engine"),
                      device=kw.get("device"), compute_type=kw.get("compute_type"),
                      beam_size=kw.get("beam_size"), batch_size=kw.get("batch_size"),
                      glossary=list(kw["glossary"]) if kw.get("glossary") else None,
                      vad=False if kw.get("no_vad") else None,
                      language=None if language == "auto" else language)
    if language == "auto":
        config.sections["transcribe"].language = None
    config = override(config, "diarise", backend=kw.get("diariser"), pipeline=kw.get("pyannote_pipeline"),
                      speakers=kw.get("speakers"),
                      min_speakers=kw.get("min_speakers"), max_speakers=kw.get("max_speakers"))
    config = override(config, "run", channels_as_speakers=kw.get("channels_as_speakers"),
                      roles=parse_roles(kw.get("roles")), keep_names=kw.get("keep_names"),
                      diarise=kw.get("diarise"), anonymise=kw.get("anonymise"))
    config = override(config, "output", formats=split_formats(kw.get("formats")),
                      redact_audio=kw.get("redact_audio"),
                      report_include_originals=kw.get("report_include_originals"),
                      qdpx_project=kw.get("qdpx_project"),
                      qdpx_timestamps=kw.get("qdpx_timestamps"), lang=kw.get("lang"))
    if config.output.qdpx_project and "json" not in config.output.formats:
        # the study project is made from each recording's JSON transcript
        config.output.formats.append("json")
    check_formats(config.output.formats)
    from kodeklar.exporters.lang import check

    check(config.output.lang)
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
