"""`kodeklar anonymise`: re-run anonymisation on raw transcripts without re-transcribing (a
changed name list, threshold or review decisions), or redact a plain text file for a quick
check."""
from __future__ import annotations

import hashlib
from pathlib import Path

import click

from kodeklar.commands import common
from kodeklar.core.errors import UserError


@click.command("anonymise")
@click.argument("transcripts", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the anonymised transcripts (<name>.json).")
@common.config_option
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Encrypted key file (default OUT/private/key.kodeklar); created if missing.")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Review decisions CSV: recording,segment,char_start,char_end,kind,decision.")
@click.option("--text", "text_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Print a plain text file with names and identifiers replaced by labels "
                   "(a quick check; no key file is read or written).")
def command(transcripts, out, config_path, key_path, decisions_path, text_path):
    """Anonymise raw TRANSCRIPT.json files into OUT, with the project's pseudonym key."""
    from kodeklar.config import load_config

    options = load_config(config_path).anonymise
    options.check()
    if text_path is not None:
        if transcripts:
            raise UserError("give either transcripts or --text, not both")
        click.echo(redact_text_file(text_path, options), nl=False)
        return 0
    if not transcripts:
        raise UserError("no transcripts given (or use --text FILE)")
    if out is None:
        raise UserError("missing -o/--out folder for the anonymised transcripts")
    return anonymise_files(transcripts, out, options, key_path, decisions_path)


def anonymise_files(paths, out: Path, options, key_path: Path | None,
                    decisions_path: Path | None) -> int:
    import anonymise
    from anonymise import decisions, keyfile
    from kodeklar.commands.run import open_key
    from kodeklar.core.transcript import load, save

    raws = [load(p) for p in paths]
    # "intervju-01.raw.json" (the run's private raw transcript) -> "intervju-01.json"
    targets = [out / f"{p.stem.removesuffix('.raw')}.json" for p in paths]
    for path, raw, target in zip(paths, raws, targets):
        if raw.anonymised:
            raise UserError(f"{path}: already anonymised; give the raw transcript")
        if target.resolve() == path.resolve():
            raise UserError(f"{path}: the output would overwrite this input; choose another -o")
    if len(set(targets)) < len(targets):
        raise UserError("two transcripts have the same name; anonymise them into separate folders")
    found = decisions.load(decisions_path) if decisions_path else []
    key_path = key_path or out / "private" / "key.kodeklar"
    try:
        key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create {e.filename} ({e.strerror})") from None
    secret, pseudonyms = open_key(key_path)
    for raw, target in zip(raws, targets):
        result = anonymise.anonymise_transcript(raw, options, pseudonyms, found)
        save(result, target)
        click.echo(f"{target}: {len(result.redactions)} redactions, "
                   f"{len(result.review)} to review", err=True)
    keyfile.save(key_path, pseudonyms, secret)
    return 0


def redact_text_file(path: Path, options) -> str:
    """The file's text with every redaction as a label; one line = one segment."""
    import dataclasses

    import anonymise
    from anonymise.pseudonyms import Pseudonyms
    from kodeklar.core.errors import open_input
    from kodeklar.core.transcript import Provenance, Segment, Source, Transcript

    with open_input(path) as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    # no key: surrogates would need one to stay consistent, so every replacement is a label
    options = dataclasses.replace(options, actions={
        k: ("label" if v == "surrogate" else v) for k, v in options.actions.items()})
    lines = text.splitlines(keepends=True)
    segments = [Segment(i + 1, 0.0, 0.0, line.strip()) for i, line in enumerate(lines)
                if line.strip()]
    t = Transcript(Source(path.name, hashlib.sha256(raw).hexdigest(), 0.0),
                   Provenance("kodeklar", "text", "", "", {}), options.language, segments)
    result = anonymise.anonymise_transcript(t, options, Pseudonyms())
    done = {seg.id: seg.text for seg in result.segments}
    return "".join(line.replace(line.strip(), done[i + 1]) if line.strip() else line
                   for i, line in enumerate(lines))
