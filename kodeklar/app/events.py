"""What the app tells its caller while it works. The app and the stages never write to the
terminal: they hand these small records to an `on_event` callable, and the CLI renders them
(kodeklar/commands/progress.py) as a live bar on a terminal or plain lines in a log."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class BatchStarted:
    work: float                         # the whole batch, in seconds of transcription
    audio: float                        # seconds of audio in the whole batch


@dataclass
class RecordingStarted:
    name: str
    work: float                         # this recording's work, the unit of Progress.done
    audio: float                        # its duration in seconds


@dataclass
class Progress:
    name: str
    done: float                         # work done so far on this recording


@dataclass
class StageDone:
    name: str
    stage: str
    seconds: float
    cached: bool = False


@dataclass
class RecordingWarning:
    name: str
    message: str                        # one line: names and times, never transcript text


@dataclass
class FilesRemoved:
    """A re-run no longer produces these shareable files (e.g. fewer formats): removed."""
    name: str
    paths: list[str]                    # relative to OUT


@dataclass
class RecordingFinished:
    name: str
    result: object                      # kodeklar.app.pipeline.Result
    message: str = ""                   # the error line for the user (may name their path)
    warnings: list[str] = field(default_factory=list)


@dataclass
class BatchFinished:
    results: list
    project: object = None              # the study's .qdpx project, if one was written


OnEvent = Callable[[object], None]


def ignore(event: object) -> None:
    """For callers that need no progress (tests, library use)."""
