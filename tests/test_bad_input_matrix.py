"""The bad-input matrix (issue 6): each input ends either in a good transcript or in one
clear error line and a failed status for that recording, while the rest of the batch
finishes. docs/RELIABILITY.md lists what the tool does with each."""
import json
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

import media
from conftest import PASSPHRASE, ROOT, SAMPLES, cli_env, run_cli
from kodeklar.core import transcript as tr
from kodeklar.core.files import write_atomic
from kodeklar.core.errors import UserError


def error_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("kodeklar: error:")]


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    src = tmp_path_factory.mktemp("opptak")
    speech = media.speech(SAMPLES / "norwegian-medium-8s.mp3")
    mp3 = (SAMPLES / "norwegian-medium-8s.mp3").read_bytes()
    files = {
        "truncated": src / "avbrutt.mp3",
        "wrong_extension": src / "egentlig-wav.mp3",
        "zero_bytes": src / "tom.m4a",
        "tenth_of_a_second": src / "kort.wav",
        "clipped": src / "overstyrt.wav",
        "telephone_8khz": src / "telefon.wav",
        "six_channels": src / "seks-kanaler.wav",
        "video": src / "video.mp4",
        "non_ascii_name": src / "intervju med Åse Ødegård.mp3",
    }
    files["truncated"].write_bytes(mp3[: len(mp3) * 6 // 10])
    media.write_wav(files["wrong_extension"], speech, 16000)
    files["zero_bytes"].write_bytes(b"")
    media.write_wav(files["tenth_of_a_second"], speech[:1600], 16000)
    media.write_wav(files["clipped"], np.clip(speech * 30, -1, 1), 16000)
    media.write_wav(files["telephone_8khz"], media.speech(SAMPLES / "norwegian-medium-8s.mp3", 8000), 8000)
    media.write_wav(files["six_channels"], np.stack([speech * g for g in (1, .8, .6, .4, .2, .1)]), 16000)
    media.write_video(files["video"], speech)
    shutil.copy(SAMPLES / "norwegian-medium-8s.mp3", files["non_ascii_name"])
    out = tmp_path_factory.mktemp("ut")
    result = run_cli("run", *files.values(), "-o", out, "--format", "json,txt")
    manifest = json.loads((out / "manifest.json").read_text())["recordings"]
    sources = json.loads((out / "private" / "sources.json").read_text())
    by_input = {v["input"]: v["name"] for v in sources.values()}
    outcome = {kind: manifest[by_input[str(path.resolve())]] for kind, path in files.items()}
    return files, out, result, outcome


def transcript(out, entry):
    return tr.load(out / next(o for o in entry["outputs"]
                              if o.startswith("anonymised/") and o.endswith(".json")))


@pytest.mark.slow
def test_only_the_empty_file_fails_and_it_says_so_in_one_line(matrix):
    files, out, result, outcome = matrix
    assert result.returncode == 1
    assert [k for k, e in outcome.items() if e["status"] != "done"] == ["zero_bytes"]
    assert error_lines(result.stderr) == [f"kodeklar: error: {files['zero_bytes']}: empty file (0 bytes)"]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["wrong_extension", "clipped", "telephone_8khz", "six_channels",
                                  "video", "non_ascii_name", "truncated"])
@pytest.mark.slow
def test_speech_in_odd_containers_is_transcribed(matrix, kind):
    files, out, result, outcome = matrix
    t = transcript(out, outcome[kind])
    assert t.segments, kind
    assert t.source.duration > 3


@pytest.mark.slow
def test_only_the_cut_off_recording_is_reported_as_cut_off(matrix):
    files, out, result, outcome = matrix
    damaged = {k: e["damage"] for k, e in outcome.items() if e.get("damage")}
    assert list(damaged) == ["truncated"] and "may be cut off" in damaged["truncated"]
    name = next(n for n, e in json.loads((out / "manifest.json").read_text())["recordings"].items()
                if e.get("damage"))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("kodeklar: warning:")]
    assert warnings == [f"kodeklar: warning: {name}: {damaged['truncated']}"]  # pseudonym only
    assert transcript(out, outcome["truncated"]).source.damage == damaged["truncated"]
    report = json.loads((out / "reports" / f"{name}.report.json").read_text())
    assert report["source"]["damage"] == damaged["truncated"]
    assert "avkortet eller skadet" in (out / "reports" / f"{name}.report.html").read_text()


@pytest.mark.slow
def test_channels_rates_and_narrowband_are_recorded(matrix):
    _, out, _, outcome = matrix
    assert transcript(out, outcome["six_channels"]).source.channels == 6
    assert transcript(out, outcome["telephone_8khz"]).source.sample_rate == 8000
    # the 8 kHz call is told apart from wideband speech, and the transcript says so
    diariser = {kind: transcript(out, outcome[kind]).provenance.stages["diarise"]
                for kind in ("telephone_8khz", "wrong_extension")}
    assert diariser["telephone_8khz"]["vad_fill_applied"] is True
    assert diariser["wrong_extension"]["vad_fill_applied"] is False


@pytest.mark.slow
def test_a_tenth_of_a_second_gives_an_empty_transcript(matrix):
    _, out, _, outcome = matrix
    t = transcript(out, outcome["tenth_of_a_second"])
    assert t.segments == [] and t.source.duration == pytest.approx(0.1, abs=0.01)


@pytest.mark.slow
def test_a_name_in_the_file_name_stays_private(matrix):
    _, out, _, _ = matrix
    for path in list(out.glob("*.json")) + list((out / "anonymised").iterdir()) + list((out / "reports").iterdir()):
        assert "Ødegård" not in path.name and "Ødegård" not in path.read_bytes().decode("utf-8", "replace")


@pytest.mark.slow
def test_thirty_minutes_of_silence_is_fast_and_invents_nothing(make_silence, tmp_path):
    silence = make_silence(30 * 60)
    started = time.monotonic()
    result = run_cli("run", silence, "-o", tmp_path / "ut", "--format", "json")
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    t = tr.load(tmp_path / "ut" / "anonymised" / "intervju-01.json")
    assert t.segments == [] and t.source.duration == pytest.approx(1800, abs=0.1)
    # a generous bound for a shared CI machine: decoding 30 min of speech takes many minutes
    assert seconds < 240, seconds


def can_mount() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True).returncode == 0


def in_mount_namespace(script: str, tmp_path):
    """Run `kodeklar` inside a private mount namespace set up by `script` (root only)."""
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env=cli_env(), cwd=ROOT, timeout=600)


# a real full disk needs a subprocess in a mount namespace; the simulated one below is in-process
@pytest.mark.slow
@pytest.mark.skipif(not can_mount(), reason="needs a mount namespace (root); the simulated "
                                              "write failures below run everywhere")
def test_a_full_disk_fails_cleanly(tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    sample = SAMPLES / "norwegian-short-3s.mp3"
    result = in_mount_namespace(
        f"mount -t tmpfs -o size=48k tmpfs '{out}' && {sys.executable} -m kodeklar "
        f"run '{sample}' -o '{out}' --format json,txt,docx", tmp_path)
    assert result.returncode != 0
    lines = error_lines(result.stderr)
    assert lines and all("No space left on device" in line for line in lines), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not can_mount(), reason="needs a mount namespace (root)")
def test_a_read_only_output_folder_fails_cleanly(tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    sample = SAMPLES / "norwegian-short-3s.mp3"
    result = in_mount_namespace(
        f"mount --bind '{out}' '{out}' && mount -o remount,ro,bind '{out}' && "
        f"{sys.executable} -m kodeklar run '{sample}' -o '{out}'", tmp_path)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [f"kodeklar: error: output folder {out} is not writable"]


def test_a_write_failure_in_one_recording_lets_the_batch_finish(tmp_path, monkeypatch):
    """Simulated ENOSPC while exporting the first recording only (in-process)."""
    import errno

    from kodeklar import config
    from kodeklar.app import batch, pipeline
    from kodeklar.app.prepare import prepare
    from kodeklar.commands.common import passphrase

    real_export = pipeline.export_all
    calls = []

    def full_disk_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise UserError(f"cannot write {tmp_path}/x ({errno.errorcode[errno.ENOSPC]})")
        return real_export(*args, **kwargs)

    monkeypatch.setattr(pipeline, "export_all", full_disk_once)
    monkeypatch.setenv("KODEKLAR_KEY_PASSPHRASE", PASSPHRASE)
    c = config.override(config.load_config(), "output", formats=["json"])
    settings = prepare(c, tmp_path / "ut", None, None, passphrase=passphrase)
    status = batch.run([str(SAMPLES / "norwegian-short-3s.mp3"), str(SAMPLES / "norwegian-medium-8s.mp3")], settings)
    entries = json.loads((tmp_path / "ut" / "manifest.json").read_text())["recordings"]
    assert status == 1
    assert [entries[n]["status"] for n in sorted(entries)] == ["failed", "done"]


def test_write_atomic_leaves_the_old_file_when_the_disk_is_full(tmp_path, monkeypatch):
    import errno
    import os

    target = tmp_path / "intervju-01.txt"
    target.write_text("old, complete")

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(UserError, match=r"cannot write .*intervju-01.txt \(No space left on device\)"):
        write_atomic(target, "new text")
    assert target.read_text() == "old, complete"
    assert [p.name for p in tmp_path.iterdir()] == ["intervju-01.txt"]


@pytest.mark.parametrize("text, message", [
    ("[transcribe]\nbeamsize = 2\n", "unknown key 'beamsize'"),
    ("[diarise]\nmax_speakers = 'mange'\n", "key 'max_speakers' must be int, not str"),
])
def test_a_bad_config_names_the_key_in_one_line(tmp_path, text, message):
    config = tmp_path / "prosjekt.toml"
    config.write_text(text)
    result = run_cli("run", SAMPLES / "norwegian-short-3s.mp3", "-o", tmp_path / "ut", "--config", config)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


# two runs of the real model in subprocesses; test_keyfile checks the wrong passphrase in-process
@pytest.mark.slow
def test_a_wrong_passphrase_stops_before_any_work(tmp_path):
    out = tmp_path / "ut"
    assert run_cli("run", SAMPLES / "norwegian-short-3s.mp3", "-o", out, "--format", "json").returncode == 0
    result = run_cli("run", SAMPLES / "norwegian-medium-8s.mp3", "-o", out,
                     env=cli_env(KODEKLAR_KEY_PASSPHRASE="feil passord"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"kodeklar: error: wrong passphrase for key file {out / 'private' / 'key.kodeklar'} (or the file is damaged)"]
    assert "intervju-02" not in json.loads((out / "manifest.json").read_text())["recordings"]


def test_a_transcript_that_fails_the_schema(tmp_path):
    bad = tmp_path / "intervju-01.json"
    bad.write_text(json.dumps({"schema": "kodeklar.transcript/1", "source": {"name": "x"},
                               "segments": [{"id": 1, "start": "null", "end": 1, "text": "hemmelig tekst"}]}))
    result = run_cli("export", bad, "--format", "txt", "-o", tmp_path / "ut")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not a valid kodeklar transcript" in lines[0]
    assert "hemmelig" not in result.stderr
