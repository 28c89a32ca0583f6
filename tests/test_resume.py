"""Decoding in pieces cut at silence: a run killed mid-file continues from its last saved
piece and ends with the transcript an uninterrupted run gives."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import ROOT, SAMPLES, cli_env, run_cli
from media import speech, write_wav
from transcribe import pieces

RATE = 16000


@pytest.fixture(scope="module")
def long_dialogue(tmp_path_factory):
    """The dialogue twice with a pause: 86 s, cut into six pieces at 15 s."""
    d = speech(SAMPLES / "dialogue.flac")
    samples = np.concatenate([d, np.zeros(2 * RATE, np.float32), d])
    return write_wav(tmp_path_factory.mktemp("in") / "lang.wav", samples, RATE), samples


def test_cuts_fall_in_quiet_places_and_depend_only_on_the_audio(long_dialogue):
    _, samples = long_dialogue
    cuts = pieces.cut_points(samples, 15.0)
    assert cuts == pieces.cut_points(samples.copy(), 15.0)
    bounds = [0.0, *cuts, len(samples) / RATE]
    assert all(15.0 / 4 <= b - a <= 15.0 * 1.25 + 5.0 for a, b in zip(bounds, bounds[1:]))
    def db(x):
        return 10 * np.log10(np.mean(x.astype(np.float64) ** 2) + 1e-12)

    for cut in cuts:
        assert db(samples[int((cut - 0.04) * RATE):int((cut + 0.04) * RATE)]) < db(samples) - 30


def test_a_short_recording_is_one_piece():
    assert pieces.cut_points(np.zeros(RATE * 18, np.float32), 15.0) == []


def test_a_damaged_checkpoint_is_not_trusted(tmp_path):
    cp = pieces.Checkpoint(tmp_path / "x.partial.json")
    assert cp.load() == []
    cp.path.write_text("{not json")
    assert cp.load() == [] and cp.resumed_seconds == 0.0
    cp.save([{"end": 14.2, "segments": []}])
    assert cp.load()[0]["end"] == 14.2 and cp.resumed_seconds == 14.2
    assert oct(cp.path.stat().st_mode & 0o777) == "0o600"


def _transcribe(wav, out, config):
    return ["transcribe", wav, "-o", out, "--config", config, "--format", "json",
            "--keep-names", "--no-diarise"]


def _config(tmp_path):
    config = tmp_path / "piece.toml"
    config.write_text("[transcribe]\npiece_seconds = 15.0\n")
    return config


def _start(wav, out, config):
    # a job started in the background of a shell ignores SIGINT, and so would this child
    return subprocess.Popen([sys.executable, "-m", "kodeklar", *map(str, _transcribe(wav, out, config))],
                            env=cli_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_pieces(out, proc, count: int) -> int:
    """Pieces the running `proc` has saved, once there are `count` (or it ended)."""
    saved, deadline = 0, time.monotonic() + 300
    while saved < count and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        for f in (out / "private" / "cache").glob("*.partial.json"):
            try:
                saved = len(json.loads(f.read_text())["pieces"])
            except (OSError, ValueError):
                pass  # caught between write and rename: look again
    return saved


def _entry(out):
    return json.loads((out / "manifest.json").read_text())["recordings"]["lang"]


def _result(out):
    data = json.loads((out / "transcripts" / "lang.json").read_text(encoding="utf-8"))
    return data["segments"], data.get("untranscribed", [])


@pytest.mark.slow
def test_sigkill_mid_file_then_rerun_equals_an_uninterrupted_run(long_dialogue, tmp_path):
    wav, samples = long_dialogue
    config = _config(tmp_path)
    whole = tmp_path / "whole"
    assert run_cli(*_transcribe(wav, whole, config)).returncode == 0

    killed = tmp_path / "killed"
    proc = _start(wav, killed, config)
    saved = _wait_for_pieces(killed, proc, 5)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert saved >= 5, "the run ended before it could be killed mid-file"
    assert _entry(killed)["status"] == "running"   # SIGKILL: nothing could be written

    rerun = run_cli(*_transcribe(wav, killed, config))
    assert rerun.returncode == 0, rerun.stderr
    assert _result(killed) == _result(whole)
    # the re-run decoded less than half of the recording
    assert _entry(killed)["stages"]["transcribe"]["resumed_seconds"] > len(samples) / RATE / 2
    assert not list((killed / "private" / "cache").glob("*.partial.json"))


@pytest.mark.slow
def test_ctrl_c_leaves_the_manifest_true(long_dialogue, tmp_path):
    wav, _ = long_dialogue
    out = tmp_path / "out"
    proc = _start(wav, out, _config(tmp_path))
    assert _wait_for_pieces(out, proc, 1) >= 1
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert _entry(out)["status"] == "interrupted"
    assert "Traceback" not in err and "kodeklar: interrupted" in err
