"""Everything that can fail for the whole batch fails here, before any recording: the
output folder, the model, the key file and its passphrase, the decisions file. The app never
prompts: the command passes in how to get the passphrase."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from kodeklar.app import manifest, pipeline
from kodeklar.core.errors import UserError

# confirm=True when a new key is made (the passphrase is asked twice)
Passphrase = Callable[[bool], str]
# where a batch job may find the passphrase (kodeklar.commands.common.passphrase); Slurm
# jobs must never get it (kodeklar.app.slurm)
PASSPHRASE_ENV = "KODEKLAR_KEY_PASSPHRASE"


def prepare_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create output folder {out} ({e.strerror})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"output folder {out} is not writable")


def prepare(config, out: Path, key_path: Path | None, decisions_path: Path | None,
            stages=pipeline.STAGES, passphrase: Passphrase | None = None,
            no_cache=frozenset()) -> pipeline.Settings:
    from transcribe import models

    prepare_output(out)
    if config.output.qdpx_project and "json" not in config.output.formats:
        # the study project is made from each recording's JSON transcript
        config.output.formats.append("json")
    model = models.resolve(config.transcribe.model) if "transcribe" in stages else None
    settings = pipeline.Settings(config=config, out=out, stages=tuple(stages), model=model,
                                 no_cache=frozenset(no_cache))
    if "anonymise" in stages and config.run.anonymise:
        config.anonymise.check()
        key_path = key_path or Path(config.output.key_file or out / "private" / "key.kodeklar")
        if key_path.parent == out / "private":
            manifest.private_dir(out)
        settings.key_file = key_path
        settings.passphrase, settings.pseudonyms = open_key(key_path, passphrase)
        if decisions_path is not None:
            from anonymise import decisions

            settings.decisions = decisions.load(decisions_path)
            settings.decisions_sha256 = models.sha256_file(decisions_path)
    return settings


def open_key(key_path: Path, passphrase: Passphrase | None):
    """The project's pseudonym key: opened with its passphrase, or created (asking twice).
    Returns (passphrase, pseudonyms)."""
    from anonymise import keyfile
    from anonymise.pseudonyms import Pseudonyms

    if passphrase is None:
        raise UserError("the key file needs a passphrase")
    if key_path.exists():
        secret = passphrase(False)
        return secret, keyfile.load(key_path, secret)
    try:
        key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise UserError(f"cannot create {e.filename} ({e.strerror})") from None
    return passphrase(True), Pseudonyms()
