"""A batch of recordings into one output folder: lock, manifest, progress, summary.

One bad recording is reported in one line and skipped; the others finish. The manifest is
saved after every recording, so a killed batch resumes where it stopped."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import traceback
from pathlib import Path

from kodeklar import manifest, pipeline
from kodeklar.core import timefmt
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic


def _console():
    import sys

    from rich.console import Console

    # a log file of an overnight batch gets the whole summary table, not 80 columns of it
    return Console(stderr=True, width=None if sys.stderr.isatty() else 140)


def _progress(console):
    from rich.progress import (BarColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    return Progress(SpinnerColumn(), TextColumn("{task.description}", style="bold"),
                    BarColumn(), TextColumn("{task.fields[audio]} audio"),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=console, transient=True)


class PlainProgress:
    """Progress for a log file (an overnight batch job): no bar, no control characters;
    one line per recording every `interval` seconds with percent, audio position and ETA.
    The same calls as the rich progress bar that a terminal gets."""

    def __init__(self, stream, interval: float = 30.0, clock_=time.monotonic):
        self.stream, self.interval, self.now = stream, interval, clock_
        self.tasks: dict[int, dict] = {}
        self.started = self.now()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def add_task(self, description: str, total: float, audio: str = "", duration: float = 0.0):
        task = len(self.tasks)
        self.tasks[task] = {"name": description, "total": total, "done": 0.0,
                            "duration": duration, "printed": self.now(), "first": 0.0}
        return task

    def update(self, task: int, completed: float) -> None:
        t = self.tasks[task]
        t["done"] = completed
        if t["name"] != ALL and self.now() - t["printed"] >= self.interval:
            t["printed"] = self.now()
            self._line(t)

    def remove_task(self, task: int) -> None:
        self.tasks.pop(task, None)

    def _line(self, t: dict) -> None:
        whole = self.tasks[0]  # all recordings
        elapsed = self.now() - self.started
        # the work of this run so far, at this run's pace; skipped recordings cost nothing
        rate = (whole["done"] - whole["first"]) / elapsed if elapsed > 0 else 0.0
        eta = clock((t["total"] - t["done"]) / rate) if rate > 0 else "?"
        eta_all = clock((whole["total"] - whole["done"]) / rate) if rate > 0 else "?"
        audio = min(t["done"], t["duration"])
        print(f"kodeklar: progress: {t['name']} {100 * t['done'] / max(t['total'], 1e-9):.0f}% "
              f"({clock(audio)} of {clock(t['duration'])} audio), ETA {eta}; "
              f"all recordings {100 * whole['done'] / max(whole['total'], 1e-9):.0f}%, ETA {eta_all}",
              file=self.stream, flush=True)


ALL = "all recordings"


def clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def prepare_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create output folder {out} ({e.strerror})") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"output folder {out} is not writable")


def remove_partial_files(out: Path) -> None:
    """A killed run leaves the temporary files of the writes it was in the middle of; under
    the lock nobody else is writing, so every one of them is garbage (and may hold text)."""
    for partial in out.rglob(".*.tmp"):
        partial.unlink(missing_ok=True)
    for folder in (out / "private").glob("tmp-*"):
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def private_tempdir(out: Path):
    """Every temporary file of this run, ours or a library's, goes into an owner-only
    folder inside OUT/private, removed on exit, on Ctrl-C, on SIGTERM and on errors."""
    folder = Path(tempfile.mkdtemp(prefix="tmp-", dir=manifest.private_dir(out)))
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(folder, ignore_errors=True)


def run_batch(inputs: list[str], settings: pipeline.Settings) -> int:
    """Process every recording found in `inputs`. Returns the exit status: 0 if all
    succeeded, 1 if any failed."""
    out = settings.out
    prepare_output(out)
    console = _console()
    with manifest.OutputLock(out):
        remove_partial_files(out)
        with private_tempdir(out):
            return _run_locked(inputs, settings, console)


def _run_locked(inputs: list[str], settings: pipeline.Settings, console) -> int:
    from transcribe import audio

    out = settings.out
    man = manifest.Manifest(out)
    files = audio.find_media(inputs)
    if not files:
        raise UserError("no recordings found in the given paths")
    run = settings.config.run
    names = [man.name_for(f, run.keep_names, run.name_prefix) for f in files]
    man.save()
    durations = [audio.probe_duration(f) if f.is_file() else 0.0 for f in files]
    works = [pipeline.work(d, settings) for d in durations]
    results = []
    # a log file gets plain lines; a terminal the live bar
    bar = _progress(console) if console.is_terminal else PlainProgress(console.file)
    with bar as progress:
        total = progress.add_task(ALL, total=max(sum(works), 1e-3), audio=clock(sum(durations)))
        done_before = 0.0
        for f, name, duration, todo in zip(files, names, durations, works):
            task = progress.add_task(name, total=max(todo, 1e-3), audio=clock(duration),
                                     duration=duration)

            def on_progress(done, task=task, base=done_before):
                progress.update(total, completed=base + done)
                progress.update(task, completed=done)

            entry = man.recording(name)
            result = _process_one(f, name, settings, entry, on_progress, man.save, console)
            man.save()
            results.append(result)
            done_before += todo
            if result.status == "skipped" and isinstance(progress, PlainProgress):
                progress.tasks[total]["first"] = done_before  # no work of this run
            progress.update(total, completed=done_before)
            progress.remove_task(task)
    _summary(console, results)
    if settings.config.output.qdpx_project and "export" in settings.stages and \
            any(r.status != "failed" for r in results):
        console.print(str(pipeline.study_project(settings, results)), highlight=False)
    if any(r.status != "failed" for r in results) and "export" in settings.stages \
            and settings.config.run.anonymise:
        from kodeklar import report

        report.write_batch_report([r.report | {"name": r.name, "status": r.status,
                                               "error": r.error,
                                               "warnings": warnings(r.name, r)}
                                   for r in results], out / "reports",
                                  settings.config.output.lang)
    return 1 if any(r.status == "failed" for r in results) else 0


def _say(console, message: str, kind: str = "error") -> None:
    """One unwrapped line, whatever the terminal width; paths may contain [brackets]."""
    from rich.markup import escape

    colour = {"error": "red", "warning": "yellow"}[kind]
    console.print(f"[{colour}]kodeklar: {kind}:[/{colour}] {escape(message)}", highlight=False,
                  soft_wrap=True)


def _process_one(path: Path, name: str, settings, entry: dict, on_progress, on_start, console):
    try:
        result = pipeline.process(path, name, settings, entry, on_progress, on_start)
    except (KeyboardInterrupt, SystemExit):
        # Ctrl-C, or SIGTERM (cli.py): the manifest must not claim a run that is gone;
        # decoded pieces stay checkpointed
        entry.update(status="interrupted", failed=manifest.now())
        on_start()
        raise
    except UserError as e:
        # the console shows the user's own path; the manifest only the pseudonymous name
        _say(console, str(e))
        # the batch report, shareable, names the pseudonym too
        error = str(e).replace(str(path), name)
        entry.update(status="failed", error=error, failed=manifest.now())
        return pipeline.Result(name=name, error=error)
    except MemoryError:
        _say(console, f"{path}: out of memory")
        entry.update(status="failed", error=f"{name}: out of memory", failed=manifest.now())
        return pipeline.Result(name=name, error=f"{name}: out of memory")
    except Exception as e:  # a bug must not end the night's batch
        log = manifest.private_dir(settings.out, "logs") / f"error-{name}-{int(time.time())}.txt"
        # the traceback can carry transcript text in messages: private folder only
        write_atomic(log, traceback.format_exc(), mode=manifest.PRIVATE_FILE_MODE)
        message = f"{name}: internal error ({type(e).__name__}); details in {log.relative_to(settings.out)}"
        _say(console, message)
        entry.update(status="failed", error=message, failed=manifest.now())
        return pipeline.Result(name=name, error=message)
    mark = {"done": "[green]✓ done[/green]", "skipped": "[blue]= already done[/blue]"}[result.status]
    console.print(f"{name}  {clock(result.duration)}  {mark}", highlight=False)
    for message in warnings(name, result):
        _say(console, message, kind="warning")
    return result


def warnings(name: str, result) -> list[str]:
    """What the user must know about a finished recording: the console prints it, the
    batch report keeps it."""
    found = [f"{name}: {result.damage}"] if result.damage else []
    if result.untranscribed:
        found.append(untranscribed_warning(name, result))
    return found


def untranscribed_warning(name: str, result) -> str:
    """Names only the pseudonym and times: never what was (not) said. The times are written
    as the [uhørbart hh:mm:ss–hh:mm:ss] markers in the transcript write them."""
    spans = result.untranscribed
    seconds = sum(b - a for a, b in spans)
    where = ", ".join(f"{timefmt.clock(a)}–{timefmt.clock(b)}" for a, b in spans[:5]) + \
        (" …" if len(spans) > 5 else "")
    what = ("has speech but the transcript has no words at all" if not result.segments
            else f"{len(spans)} stretch(es) of speech ({timefmt.clock(seconds)}) have no words")
    return f"{name}: {what} ({where}); marked [uhørbart] in the transcript: listen to them"


def _summary(console, results) -> None:
    from rich.table import Table

    table = Table(title="kodeklar: summary")
    for col in ("recording", "audio", "status", "segments", "speakers", "redactions",
                "to review", "time (s)"):
        table.add_column(col, justify="left" if col in ("recording", "status") else "right")
    for r in results:
        status = {"done": "[green]done[/green]", "skipped": "[blue]already done[/blue]",
                  "failed": "[red]failed[/red]"}[r.status]
        table.add_row(r.name, clock(r.duration), status, str(r.segments), str(r.speakers),
                      str(r.redactions), str(r.review), f"{r.seconds:.1f}")
    console.print(table)
    failed = sum(r.status == "failed" for r in results)
    console.print(f"{len(results) - failed} of {len(results)} recordings ok, {failed} failed")
