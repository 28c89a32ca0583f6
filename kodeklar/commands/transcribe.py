"""`kodeklar transcribe FILES… -o DIR`: timestamped transcripts, not anonymised."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from kodeklar.commands import common


@click.command("transcribe")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; transcripts go to OUT/transcripts/ (owner-only: not anonymised).")
@common.config_option
@common.options_from("transcribe", "diarise", "run", "output",
                     exclude=("anonymise", "redact_audio", "report_include_originals",
                              "qdpx_timestamps", "qdpx_project", "lang"),
                     help={"diarise": "Also find who spoke when (implied by --speakers, --roles "
                                      "and the other speaker options)."})
@common.no_cache_option
def command(inputs, out, config_path, no_cache, **kw):
    """Transcribe recordings (files or folders) with Whisper, offline. The transcripts are
    NOT anonymised: use `kodeklar run` for shareable output."""
    from kodeklar.app import batch, prepare
    from kodeklar.commands import progress

    kw["anonymise"] = False
    kw["diarise"] = _diarise_wanted(kw)
    config = common.build_config(config_path, kw)
    settings = prepare.prepare(config, out, None, None, stages=("transcribe", "diarise", "export"),
                               no_cache=common.no_cache_stages(no_cache))
    with progress.Renderer() as on_event:
        status = batch.run(list(inputs), settings, on_event)
    sys.exit(status)


SPEAKER_OPTIONS = ("speakers", "min_speakers", "max_speakers", "roles", "channels_as_speakers",
                   "backend", "pipeline")


def _diarise_wanted(kw: dict) -> bool:
    """A speaker option asks for diarisation; with --no-diarise it is a contradiction,
    not something to ignore silently."""
    from kodeklar.core.errors import UserError

    given = [name for name in SPEAKER_OPTIONS if kw.get(name)]
    if given and kw.get("diarise") is False:
        raise UserError(f"{common.flag(given[0])} needs diarisation, which --no-diarise turns off")
    return bool(given) or bool(kw.get("diarise"))
