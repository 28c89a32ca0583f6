"""Progress for batch jobs: with output to a log, one plain line per recording every
~30 s with percent, audio position and an ETA that counts the later stages too."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from kodeklar.app import pipeline
from kodeklar.commands import progress


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_one_plain_line_per_interval_with_percent_audio_and_eta():
    out, now = io.StringIO(), FakeClock()
    p = progress.PlainProgress(out, interval=30.0, clock_=now)
    total = p.add_task(progress.ALL, total=2000.0)
    task = p.add_task("intervju-01", total=1000.0, duration=900.0, audio="0:15:00")
    for second in range(0, 121, 5):       # two minutes, 10 s of audio done per second
        now.t = float(second)
        p.update(task, completed=10.0 * second)
        p.update(total, completed=10.0 * second)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4                 # at 30, 60, 90 and 120 s, each for the update before
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", out.getvalue())
    assert lines[0] == ("kodeklar: progress: intervju-01 25% (0:04:10 of 0:15:00 audio), "
                        "ETA 0:01:10; all recordings 12%, ETA 0:02:50")
    # past the audio's end the later stages still count: the audio position stays at its end
    now.t = 140.0
    p.update(task, completed=950.0)
    p.update(total, completed=950.0)
    now.t = 150.0
    p.update(task, completed=960.0)
    assert out.getvalue().splitlines()[-1].startswith(
        "kodeklar: progress: intervju-01 95% (0:15:00 of 0:15:00 audio), ETA 0:00:00")


def test_a_batch_of_segments_gives_one_line_for_its_end():
    """A batched decoder hands over minutes of audio within milliseconds: the line is for
    the end of the burst, so position and ETA do not swing from line to line."""
    out, now = io.StringIO(), FakeClock()
    p = progress.PlainProgress(out, interval=30.0, clock_=now)
    total = p.add_task(progress.ALL, total=600.0)
    task = p.add_task("intervju-01", total=600.0, duration=600.0, audio="0:10:00")
    for burst in range(1, 5):                 # 120 s of audio every 40 s, in 12 segments
        for k in range(1, 13):
            now.t = 40.0 * burst + 0.001 * k
            p.update(task, completed=120.0 * (burst - 1) + 10.0 * k)
            p.update(total, completed=120.0 * (burst - 1) + 10.0 * k)
    lines = out.getvalue().splitlines()
    assert [re.search(r"\((\S+) of", line).group(1) for line in lines] == ["0:02:00", "0:04:00", "0:06:00"]
    etas = [re.search(r"ETA (\S+);", line).group(1) for line in lines]
    assert etas == ["0:02:00", "0:01:20", "0:00:40"]       # 3 s of audio a second, less the wait


def test_steady_updates_give_a_line_every_interval():
    out, now = io.StringIO(), FakeClock()
    p = progress.PlainProgress(out, interval=30.0, clock_=now)
    total = p.add_task(progress.ALL, total=1000.0)
    task = p.add_task("intervju-01", total=1000.0, duration=900.0, audio="0:15:00")
    for tick in range(1, 1201):              # every 0.1 s for two minutes
        now.t = tick / 10
        p.update(task, completed=tick / 2)
        p.update(total, completed=tick / 2)
    assert len(out.getvalue().splitlines()) == 4


def test_the_work_of_a_recording_counts_the_later_stages():
    @dataclass
    class Run:
        diarise: bool = True
        anonymise: bool = True

    @dataclass
    class Config:
        run: Run

    settings = pipeline.Settings(config=Config(Run()), out=None)
    share = pipeline.LATER_STAGES["diarise"] + pipeline.LATER_STAGES["anonymise"]
    assert pipeline.work(100.0, settings) == 100.0 * (1 + share)
    settings.stages = ("transcribe", "export")          # `kodeklar transcribe`
    assert pipeline.work(100.0, settings) == 100.0
    settings = pipeline.Settings(config=Config(Run(diarise=False)), out=None)
    assert pipeline.work(100.0, settings) == 100.0 * (1 + pipeline.LATER_STAGES["anonymise"])


def test_the_renderer_turns_events_into_plain_lines():
    from rich.console import Console

    from kodeklar.app import events

    out = io.StringIO()
    render = progress.Renderer(Console(file=out, width=140))
    done = pipeline.Result("intervju-01", "done", duration=3.4, segments=2)
    failed = pipeline.Result("intervju-02", error="x")
    with render:
        render(events.BatchStarted(work=10.0, audio=9.0))
        render(events.RecordingStarted("intervju-01", work=4.0, audio=3.4))
        render(events.Progress("intervju-01", 2.0))
        render(events.FilesRemoved("intervju-01", ["anonymised/intervju-01.srt"]))
        render(events.RecordingFinished("intervju-01", done, warnings=["intervju-01: cut off"]))
        render(events.RecordingStarted("intervju-02", work=6.0, audio=5.6))
        render(events.RecordingFinished("intervju-02", failed, message="/data/Kari.m4a: no such file"))
        render(events.BatchFinished([done, failed]))
    lines = out.getvalue().splitlines()
    assert lines[:4] == [
        "kodeklar: note: intervju-01: removed anonymised/intervju-01.srt (no longer among the formats)",
        "intervju-01  0:00:03  ✓ done",
        "kodeklar: warning: intervju-01: cut off",
        "kodeklar: error: /data/Kari.m4a: no such file"]
    assert lines[-1] == "1 of 2 recordings ok, 1 failed"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", out.getvalue())
