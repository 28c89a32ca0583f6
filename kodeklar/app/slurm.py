"""A study's recordings on a Slurm cluster: transcription and diarisation (the expensive,
independent part) one recording per task of a job array, then one finishing job, started
when every task has ended (afterany), anonymises, exports and reports them all from the
cache, so the pseudonym key has one writer and pseudonyms stay consistent across the study.

OUT/slurm/ is owner-only: it names the input files, and the jobs' logs may quote paths.
  recordings.txt     the recordings in a fixed order, one absolute path a line; array task
                     N works on line N (from 0)
  transcribe.sbatch  the array job; finish.sbatch: the finishing job
  jobs.json          the job ids of the last submission, for `kodeklar slurm --status`
  logs/              one log per array task and per finishing job

The same OUT works with `kodeklar run`, before, after or beside the array: both read and
write the same cache and manifest, each recording under its own lock."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from kodeklar import __version__
from kodeklar.app import batch, events, manifest, pipeline
from kodeklar.app.prepare import PASSPHRASE_ENV
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic

PHASE_ONE = ("transcribe", "diarise")
WHAT = {"transcribe": "transcription and diarisation, one recording of recordings.txt per array task",
        "finish": "anonymisation, export and reports of every recording, after the array job"}


def folder(out: Path, *parts: str) -> Path:
    path = manifest.make_private(out / "slurm")
    for part in parts:
        path = manifest.make_private(path / part)
    return path


def read_recordings(out: Path) -> list[Path]:
    try:
        text = (out / "slurm" / "recordings.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{out}: no Slurm submission here (slurm/recordings.txt is missing); "
                        f"run kodeklar slurm IN… -o {out} first") from None
    return [Path(line) for line in text.splitlines() if line]


def plan(inputs: list[str], settings: pipeline.Settings) -> tuple[list[Path], list[int], list[str]]:
    """Under the folder lock: the recordings in a fixed order, each named in the manifest
    (array tasks only look their names up, so none are given twice), written to
    recordings.txt. Returns them, the indices of those the array must do (not yet
    transcribed, and not being worked on now), and the names of those being worked on."""
    from transcribe import audio

    out = settings.out
    with manifest.OutputLock(out):
        files = [f.resolve() for f in audio.find_media(inputs)]
        if not files:
            raise UserError("no recordings found in the given paths")
        man = manifest.Manifest(out)
        run = settings.config.run
        names = [man.name_for(f, run.keep_names, run.name_prefix) for f in files]
        man.save()
        write_atomic(folder(out) / "recordings.txt", "".join(f"{f}\n" for f in files),
                     mode=manifest.PRIVATE_FILE_MODE)
        busy = set(manifest.busy_recordings(out))
        todo = [i for i, (f, name) in enumerate(zip(files, names))
                if name not in busy and not _transcribed(f, settings)]
    return files, todo, sorted(busy & set(names))


def _transcribed(path: Path, settings: pipeline.Settings) -> bool:
    try:
        return path.is_file() and pipeline.transcribed(path, settings)
    except OSError:
        return False  # unreadable: its array task reports why


def array_spec(indices: list[int], limit: int = 0) -> str:
    """`--array` for these indices: runs as ranges ("0-2,5,7-8"), "%N" for the limit."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    spec = ",".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return f"{spec}%{limit}" if limit else spec


def script(phase: str, out: Path, options, args: list[str], array: str = "") -> str:
    """The sbatch file of one phase. `options` is the config's [slurm] section; `args` the
    options that `kodeklar slurm --phase` gets besides the phase and OUT."""
    for value in (options.partition, options.account, options.time, options.mem, *options.sbatch):
        if any(ch.isspace() for ch in value):
            raise UserError(f"[slurm] value {value!r}: no spaces or line breaks")
    for line in options.sbatch:
        if not line.startswith("-"):
            raise UserError(f"[slurm] sbatch: {line!r} is not an sbatch option such as --qos=normal")
    log = folder(out, "logs") / ("transcribe-%A_%a.log" if phase == "transcribe" else "finish-%j.log")
    sbatch = [f"--job-name=kodeklar-{phase}"] + ([f"--array={array}"] if array else []) + [
        f"--output={log}", f"--chdir={Path.cwd()}",
        # Slurm keeps a job's environment on disk (and sbatch sends the submitting shell's
        # by default): the passphrase must never be in it, so it is blanked here
        f"--export=ALL,{PASSPHRASE_ENV}=",
        "--ntasks=1", f"--cpus-per-task={options.cpus_per_task}"]
    for flag in ("partition", "account", "time", "mem"):
        if getattr(options, flag):
            sbatch.append(f"--{flag}={getattr(options, flag)}")
    if phase == "transcribe" and options.gpus_per_task:
        sbatch.append(f"--gpus-per-task={options.gpus_per_task}")
    command = [sys.executable, "-m", "kodeklar", "slurm", "--phase", phase, "-o", str(out), *args]
    return "\n".join([
        "#!/bin/bash",
        f"# kodeklar slurm, {WHAT[phase]}.",
        f"# Written by kodeklar {__version__}; `kodeklar slurm` rewrites it with what is left to do.",
        *(f"#SBATCH {option}" for option in [*sbatch, *options.sbatch]),
        "", "exec " + shlex.join(command), ""])


def write_scripts(out: Path, options, args: list[str], todo: list[int],
                  passphrase_file: Path | None) -> dict[str, Path]:
    """OUT/slurm/transcribe.sbatch (only when some recording needs it) and finish.sbatch."""
    scripts = {}
    if todo:
        scripts["transcribe"] = folder(out) / "transcribe.sbatch"
        write_atomic(scripts["transcribe"], script("transcribe", out, options, args,
                                                   array_spec(todo, options.array_limit)))
    else:
        (out / "slurm" / "transcribe.sbatch").unlink(missing_ok=True)
    finish_args = args + ([f"--passphrase-file={passphrase_file.resolve()}"] if passphrase_file else [])
    scripts["finish"] = folder(out) / "finish.sbatch"
    write_atomic(scripts["finish"], script("finish", out, options, finish_args))
    return scripts


def submit(out: Path, scripts: dict[str, Path], todo: list[int]) -> dict:
    """Submits the array job, then the finishing job to start when all its tasks have ended
    (whether they succeeded or not: it reports those that did not). Returns the job ids."""
    jobs: dict = {"submitted": manifest.now(), "array": None, "indices": todo}
    after = []
    if "transcribe" in scripts:
        jobs["array"] = _sbatch(scripts["transcribe"])
        after = [f"--dependency=afterany:{jobs['array']}"]
    jobs["finish"] = _sbatch(*after, scripts["finish"])
    write_atomic(folder(out) / "jobs.json", json.dumps(jobs, indent=1) + "\n",
                 mode=manifest.PRIVATE_FILE_MODE)
    return jobs


def _sbatch(*args) -> str:
    # also left out here, should the script's --export line be edited away
    env = {k: v for k, v in os.environ.items() if k != PASSPHRASE_ENV}
    try:
        done = subprocess.run(["sbatch", "--parsable", *map(str, args)], capture_output=True,
                              text=True, env=env, timeout=120)
    except FileNotFoundError:
        raise UserError("sbatch not found: submit from a Slurm login node, or leave out --submit "
                        "and submit the written scripts yourself") from None
    if done.returncode:
        raise UserError(f"sbatch {Path(args[-1]).name} failed: "
                        f"{(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    return done.stdout.strip().split(";")[0]


def transcribe_task(settings: pipeline.Settings, index: int,
                    on_event: events.OnEvent = events.ignore) -> int:
    """One array task: the stages that make the raw transcript of recording `index`, into
    the cache."""
    files = read_recordings(settings.out)
    if not 0 <= index < len(files):
        raise UserError(f"array task {index}: recordings.txt has {len(files)} recordings")
    if manifest.Manifest(settings.out).named(files[index]) is None:
        raise UserError(f"array task {index}: its recording has no name in the manifest; "
                        f"run kodeklar slurm again")
    return batch.run([str(files[index])], settings, on_event, whole_folder=False)


def finish(settings: pipeline.Settings, on_event: events.OnEvent = events.ignore) -> int:
    """The finishing job: every recording, from the cache only (settings.cached_only);
    those whose array task did not finish fail, one line each, and the job exits 1."""
    return batch.run([str(f) for f in read_recordings(settings.out)], settings, on_event)


def status(out: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Per recording (name, state, detail), state one of done, transcribed (waiting for
    the finishing job), running, failed, pending; and lines on the jobs themselves."""
    files = read_recordings(out)
    man = manifest.Manifest(out)
    busy = set(manifest.busy_recordings(out))
    jobs = _read_jobs(out)
    states, note = _job_states(jobs)
    rows = []
    for index, path in enumerate(files):
        name = man.named(path) or f"#{index}"
        task = f"{jobs['array']}_{index}" if jobs.get("array") and index in jobs["indices"] else ""
        job_state = states.get(task, "")
        state, detail = _state(man.data["recordings"].get(name, {}), name in busy, job_state)
        if job_state:
            detail = "; ".join(filter(None, [detail, f"job {task} {job_state.lower()}"]))
        rows.append((name, state, detail))
    lines = [note] if note else []
    if jobs.get("finish"):
        lines.append(f"finishing job {jobs['finish']}: "
                     f"{states.get(jobs['finish'], 'not known to squeue').lower()}")
    return rows, lines


def _state(entry: dict, locked: bool, job_state: str) -> tuple[str, str]:
    status = entry.get("status")
    if locked or job_state == "RUNNING":
        return "running", ""
    if job_state == "PENDING":
        return "pending", ""
    if status == "done":
        if "export" in entry.get("stages", {}):
            return "done", ""
        return "transcribed", "waiting for the finishing job"
    if status == "running":
        return "failed", "stopped while running (killed, out of time, or its node failed)"
    if status in ("failed", "interrupted"):
        return "failed", entry.get("error") or status
    return "pending", ""


def _read_jobs(out: Path) -> dict:
    try:
        return json.loads((out / "slurm" / "jobs.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _job_states(jobs: dict) -> tuple[dict[str, str], str]:
    """The state of each job and array task by id, from squeue (sacct needs Slurm's
    accounting database, which many clusters keep from users); and a note if unknown."""
    ids = [str(jobs[k]) for k in ("array", "finish") if jobs.get(k)]
    if not ids:
        return {}, ""
    if not shutil.which("squeue"):
        return {}, "squeue not found: job states unknown"
    done = subprocess.run(["squeue", "-h", "-t", "all", "-r", "-j", ",".join(ids), "-o", "%i %T"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode:
        # ended jobs are forgotten after a while (MinJobAge): then the manifest tells
        return {}, f"squeue knows none of jobs {', '.join(ids)} (ended long ago?)"
    return dict(line.split()[:2] for line in done.stdout.splitlines() if line.strip()), ""
