"""The terminal side of the app's events (kodeklar/app/events.py): a live bar on a
terminal, plain lines in a log file (an overnight batch job), and the summary table."""
from __future__ import annotations

import sys
import time

from kodeklar.app import events
from kodeklar.core.timefmt import duration as clock

ALL = "all recordings"


def console():
    from rich.console import Console

    # a log file of an overnight batch gets the whole summary table, not 80 columns of it
    return Console(stderr=True, width=None if sys.stderr.isatty() else 140)


def _bar(console_):
    from rich.progress import (BarColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    return Progress(SpinnerColumn(), TextColumn("{task.description}", style="bold"),
                    BarColumn(), TextColumn("{task.fields[audio]} audio"),
                    TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    console=console_, transient=True)


class PlainProgress:
    """Progress for a log file (an overnight batch job): no bar, no control characters;
    one line per recording every `interval` seconds with percent, audio position and ETA.
    The same calls as the rich progress bar that a terminal gets.

    A line describes the update before the one that makes it due: the batched decoder hands
    a batch's segments (minutes of audio) over within milliseconds, so the update that comes
    after a wait is the first of such a burst, and the one before it ended the last batch.
    Read at the first, position and ETA would swing from line to line."""

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
        self.tasks[task] = {"name": description, "total": total, "done": 0.0, "seen": self.now(),
                            "duration": duration, "printed": self.now(), "first": 0.0}
        return task

    def update(self, task: int, completed: float) -> None:
        t, now = self.tasks[task], self.now()
        if t["name"] != ALL and now - t["printed"] >= self.interval:
            if t["done"] > 0:
                self._line(t)
            t["printed"] = now
        t["done"], t["seen"] = completed, now

    def remove_task(self, task: int) -> None:
        self.tasks.pop(task, None)

    def skipped(self, task: int, done: float) -> None:
        """A recording that was already done: no work of this run, not counted in the pace."""
        self.tasks[task]["first"] = done

    def _line(self, t: dict) -> None:
        """The line for `t` as of its last update, with the whole batch as of the same
        moment (the batch's update follows the recording's)."""
        whole = self.tasks[0]  # all recordings
        at = t["seen"]
        elapsed = at - self.started
        # the work of this run so far, at this run's pace; skipped recordings cost nothing
        rate = (whole["done"] - whole["first"]) / elapsed if elapsed > 0 else 0.0
        since = self.now() - at

        def eta(left: float) -> str:
            return clock(max(0.0, left / rate - since)) if rate > 0 else "?"

        audio = min(t["done"], t["duration"])
        print(f"kodeklar: progress: {t['name']} {100 * t['done'] / max(t['total'], 1e-9):.0f}% "
              f"({clock(audio)} of {clock(t['duration'])} audio), ETA {eta(t['total'] - t['done'])}; "
              f"all recordings {100 * whole['done'] / max(whole['total'], 1e-9):.0f}%, "
              f"ETA {eta(whole['total'] - whole['done'])}",
              file=self.stream, flush=True)


class Renderer:
    """`with Renderer() as on_event: app.run(..., on_event)`: draws what the app reports."""

    def __init__(self, console_=None):
        self.console = console_ or console()
        self.bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stop()
        return False

    def _stop(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __call__(self, event) -> None:
        handler = getattr(self, f"_{type(event).__name__}", None)
        if handler is not None:
            handler(event)

    def _BatchStarted(self, e: events.BatchStarted):
        # a log file gets plain lines; a terminal the live bar
        self.bar = _bar(self.console) if self.console.is_terminal else PlainProgress(self.console.file)
        self.bar.__enter__()
        self.total = self.bar.add_task(ALL, total=max(e.work, 1e-3), audio=clock(e.audio))
        self.done_before = 0.0

    def _RecordingStarted(self, e: events.RecordingStarted):
        self.task = self.bar.add_task(e.name, total=max(e.work, 1e-3), audio=clock(e.audio),
                                      duration=e.audio)
        self.work = e.work

    def _Progress(self, e: events.Progress):
        # the recording first: a plain line is written for the previous update of both
        self.bar.update(self.task, completed=e.done)
        self.bar.update(self.total, completed=self.done_before + e.done)

    def _RecordingFinished(self, e: events.RecordingFinished):
        r = e.result
        if r.status == "failed":
            self.say(e.message)
        else:
            mark = {"done": "[green]✓ done[/green]", "skipped": "[blue]= already done[/blue]"}[r.status]
            self.console.print(f"{e.name}  {clock(r.duration)}  {mark}", highlight=False)
        for warning in e.warnings:
            self.say(warning, kind="warning")
        self.done_before += self.work
        if r.status == "skipped" and isinstance(self.bar, PlainProgress):
            self.bar.skipped(self.total, self.done_before)
        self.bar.update(self.total, completed=self.done_before)
        self.bar.remove_task(self.task)

    def _RecordingWarning(self, e: events.RecordingWarning):
        self.say(e.message, kind="warning")

    def _FilesRemoved(self, e: events.FilesRemoved):
        self.say(f"{e.name}: removed {', '.join(e.paths)} (no longer among the formats)",
                 kind="note")

    def _BatchFinished(self, e: events.BatchFinished):
        self._stop()
        summary(self.console, e.results)
        if e.project is not None:
            self.console.print(str(e.project), highlight=False)

    def say(self, message: str, kind: str = "error") -> None:
        """One unwrapped line, whatever the terminal width; paths may contain [brackets]."""
        from rich.markup import escape

        colour = {"error": "red", "warning": "yellow", "note": "blue"}[kind]
        self.console.print(f"[{colour}]kodeklar: {kind}:[/{colour}] {escape(message)}",
                           highlight=False, soft_wrap=True)


def summary(console_, results) -> None:
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
    console_.print(table)
    failed = sum(r.status == "failed" for r in results)
    console_.print(f"{len(results) - failed} of {len(results)} recordings ok, {failed} failed")
