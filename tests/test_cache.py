"""Cache keys carry a version per stage made from the stage's code: an edited guard
re-transcribes, an edited exporter re-exports; `--no-cache` forces a stage; a re-run with
fewer formats removes the files it no longer writes, and the manifest lists what exists."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from kodeklar import config
from kodeklar.app import batch, events, prepare, versions
from kodeklar.commands import common


def test_a_stage_version_follows_its_own_files_only(tmp_path):
    for f in ("transcribe/guards.py", "transcribe/assign.py", "transcribe/diarise/turns.py",
              "kodeklar/exporters/txt.py"):
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x = 1\n")

    def all_versions():
        versions.version.cache_clear()
        return {s: versions.version(s, tmp_path) for s in versions.SOURCES}

    before = all_versions()
    (tmp_path / "transcribe/guards.py").write_text("x = 2\n")
    after = all_versions()
    assert [s for s in before if before[s] != after[s]] == ["transcribe"]
    (tmp_path / "transcribe/diarise/turns.py").write_text("x = 2\n")
    assert [s for s in after if after[s] != all_versions()[s]] == ["diarise"]
    after = all_versions()
    (tmp_path / "kodeklar/exporters/txt.py").write_text("x = 2\n")
    assert [s for s in after if after[s] != all_versions()[s]] == ["export"]
    versions.version.cache_clear()


def test_no_cache_option_names_the_stages():
    assert common.no_cache_stages(None) == frozenset()
    assert common.no_cache_stages("all") == {"transcribe", "diarise", "anonymise", "export"}
    assert common.no_cache_stages("transcribe") == {"transcribe"}

    import click

    @click.command()
    @common.no_cache_option
    @click.argument("inputs", nargs=-1)
    def cmd(no_cache, inputs):
        click.echo(f"{no_cache} {list(inputs)}")

    runner = CliRunner()
    assert runner.invoke(cmd, ["a.mp3", "--no-cache"]).output == "all ['a.mp3']\n"
    assert runner.invoke(cmd, ["--no-cache=export", "a.mp3"]).output == "export ['a.mp3']\n"
    assert runner.invoke(cmd, ["a.mp3"]).output == "None ['a.mp3']\n"


class Recorder(list):
    def __call__(self, event):
        self.append(event)


def _run(out, formats, no_cache=frozenset()):
    c = config.override(config.load_config(), "run", diarise=False, anonymise=False)
    c = config.override(c, "output", formats=formats)
    settings = prepare.prepare(c, out, None, None, no_cache=no_cache)
    seen = Recorder()
    assert batch.run([str(SAMPLES / "norwegian-short-3s.mp3")], settings, seen) == 0
    entry = json.loads((out / "manifest.json").read_text())["recordings"]["intervju-01"]
    finished = [e for e in seen if isinstance(e, events.RecordingFinished)]
    return finished[0].result.status, entry, seen


@pytest.mark.slow
def test_stage_versions_no_cache_and_fewer_formats(tmp_path, monkeypatch):
    out = tmp_path / "ut"
    status, entry, _ = _run(out, ["json", "txt", "srt"])
    assert status == "done" and entry["stages"]["transcribe"]["cached"] is False
    assert _run(out, ["json", "txt", "srt"])[0] == "skipped"

    real = versions.version

    def edited(stage):
        monkeypatch.setattr(versions, "version",
                            lambda s, *a: real(s, *a) + ("-edited" if s == stage else ""))

    # an edited exporter: re-exported, not re-transcribed
    edited("export")
    status, entry, seen = _run(out, ["json", "txt", "srt"])
    assert status == "done" and entry["stages"]["transcribe"]["cached"] is True
    assert [e.stage for e in seen if isinstance(e, events.StageDone)] == ["transcribe", "export"]

    # an edited guard (transcribe/): transcribed again
    edited("transcribe")
    status, entry, _ = _run(out, ["json", "txt", "srt"])
    assert status == "done" and entry["stages"]["transcribe"]["cached"] is False

    # --no-cache=transcribe: not skipped although nothing changed, and not from the cache
    status, entry, _ = _run(out, ["json", "txt", "srt"], no_cache={"transcribe"})
    assert status == "done" and entry["stages"]["transcribe"]["cached"] is False

    # fewer formats: the .srt goes, the event says so, the manifest lists what exists
    status, entry, seen = _run(out, ["json", "txt"])
    assert not (out / "transcripts" / "intervju-01.srt").exists()
    assert [e.paths for e in seen if isinstance(e, events.FilesRemoved)] == [
        ["transcripts/intervju-01.srt"]]
    assert sorted(entry["outputs"]) == sorted(
        str(p.relative_to(out)) for folder in ("transcripts", "private/raw")
        for p in (out / folder).iterdir())
