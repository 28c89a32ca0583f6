"""`kodeklar slurm IN… -o OUT`: the batch as a Slurm job array and a finishing job;
`kodeklar slurm --status OUT`: where it stands. The jobs themselves run
`kodeklar slurm --phase transcribe|finish` (hidden)."""
from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click
from click.core import ParameterSource

from kodeklar.commands import common, run
from kodeklar.core.errors import UserError


@click.command("slurm")
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder, as for kodeklar run; the scripts and job logs go to OUT/slurm/.")
@click.option("--submit", is_flag=True,
              help="Submit the jobs with sbatch and print their ids (default: only write OUT/slurm/*.sbatch).")
@click.option("--status", "show_status", is_flag=True,
              help="Show per recording whether it is done, transcribed, running, failed or pending "
                   "(OUT as the argument or -o), with the jobs' states from squeue.")
@click.option("--passphrase-file", type=click.Path(dir_okay=False, path_type=Path),
              help="File with the key's passphrase on its first line, readable by you only (chmod 600): "
                   "the finishing job reads it, as a batch job cannot ask.")
@common.options_from("slurm")
@click.option("--phase", type=click.Choice(["transcribe", "finish"]), hidden=True)
def command(inputs, out, submit, show_status, passphrase_file, phase, config_path, key_path,
            decisions_path, no_cache, **kw):
    """Write (and with --submit, submit) a Slurm job array that transcribes and diarises one
    recording of INPUTS per task, and a job that then anonymises, exports and reports them
    all into OUT. Takes kodeklar run's options. Run it again to do what is left."""
    from kodeklar.app import prepare, slurm
    from kodeklar.commands import progress

    if show_status:
        _show_status(_status_folder(inputs, out))
        return
    if out is None:
        raise click.UsageError("give the output folder with -o OUT")
    out = out.resolve()
    config = common.build_config(config_path, kw)
    no_cache = common.no_cache_stages(no_cache)
    # a batch job cannot ask: the passphrase comes from the file, checked here already
    secret = (lambda confirm: common.read_passphrase_file(passphrase_file)) if passphrase_file else None
    if phase == "transcribe":
        settings = prepare.prepare(config, out, None, None, stages=slurm.PHASE_ONE, no_cache=no_cache)
        with progress.Renderer() as on_event:
            status = slurm.transcribe_task(settings, _array_index(), on_event)
        sys.exit(status)
    if phase == "finish":
        settings = prepare.prepare(config, out, key_path, decisions_path, passphrase=secret,
                                   no_cache=no_cache - set(slurm.PHASE_ONE))
        settings.cached_only = True
        with progress.Renderer() as on_event:
            status = slurm.finish(settings, on_event)
        sys.exit(status)
    if not inputs:
        raise click.UsageError("give the recordings: kodeklar slurm IN… -o OUT")
    if config.run.anonymise and passphrase_file is None:
        raise UserError("the finishing job cannot ask for the key's passphrase: give "
                        "--passphrase-file FILE (readable by you only), or --no-anonymise")
    # opens the key now: a wrong passphrase fails here, not after the night's transcription
    settings = prepare.prepare(config, out, key_path, decisions_path, passphrase=secret,
                               no_cache=no_cache)
    files, todo, busy = slurm.plan(list(inputs), settings)
    scripts = slurm.write_scripts(out, config.slurm, _forwarded(click.get_current_context()),
                                  todo, passphrase_file)
    done = len(files) - len(todo) - len(busy)
    click.echo(f"{len(files)} recordings: {len(todo)} to transcribe, {done} transcribed already"
               + (f", {len(busy)} being worked on now" if busy else ""))
    if submit:
        jobs = slurm.submit(out, scripts, todo)
        if jobs["array"]:
            click.echo(f"array job {jobs['array']}: {scripts['transcribe']}")
        click.echo(f"finishing job {jobs['finish']}: {scripts['finish']}")
        click.echo(f"see how it goes: kodeklar slurm --status {out}")
        return
    for path in scripts.values():
        click.echo(f"wrote {path}")
    click.echo("submit them with:")
    if "transcribe" in scripts:
        click.echo(f"  ID=$(sbatch --parsable {scripts['transcribe']})")
        click.echo(f"  sbatch --dependency=afterany:$ID {scripts['finish']}")
    else:
        click.echo(f"  sbatch {scripts['finish']}")


# kodeklar run's options, the same here: the jobs get those the user gave
RUN_OPTIONS = [p for p in run.command.params if p.name not in ("inputs", "out")]
command.params += RUN_OPTIONS


def _forwarded(ctx: click.Context) -> list[str]:
    """The kodeklar run options given on this command line, as arguments for the jobs:
    they must compute the same cache keys and outputs as `kodeklar run` with them."""
    args: list[str] = []
    for param in RUN_OPTIONS:
        if ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        value = ctx.params[param.name]
        flag = next(o for o in param.opts if o.startswith("--"))
        if param.is_flag:  # given: it says what it means (--keep-names, --no-vad)
            args.append(param.secondary_opts[0] if param.secondary_opts and not value else flag)
            continue
        # --flag=value: unambiguous for an option whose value is optional (--no-cache) and
        # for a value that starts with "-"
        for v in value if param.multiple else [value]:
            args.append(f"{flag}={v.resolve() if isinstance(v, Path) else v}")
    return args


def _array_index() -> int:
    try:
        return int(os.environ["SLURM_ARRAY_TASK_ID"])
    except (KeyError, ValueError):
        raise UserError("--phase transcribe runs inside a Slurm array task") from None


def _status_folder(inputs: tuple, out: Path | None) -> Path:
    given = [Path(p) for p in inputs] + ([out] if out else [])
    if len(given) != 1:
        raise click.UsageError("kodeklar slurm --status OUT: one output folder")
    return given[0]


def _show_status(out: Path) -> None:
    from kodeklar.app import slurm

    rows, lines = slurm.status(out)
    width = max((len(name) for name, _, _ in rows), default=0)
    for name, state, detail in rows:
        click.echo(f"{name.ljust(width)}  {state.ljust(11)}  {detail}".rstrip())
    counts = Counter(state for _, state, _ in rows)
    click.echo(f"{len(rows)} recordings: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    for line in lines:
        click.echo(line)
