"""Crash safety: SIGKILL at several points of a batch, then a re-run completes everything,
outputs finished before the kill are byte-identical, and nothing is left half-written."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import ROOT, SAMPLES, cli_env, run_cli
from kodeklar.core import transcript as tr

# runs the real model in kodeklar subprocesses: the full suite only
pytestmark = pytest.mark.slow


def manifest(out):
    try:
        return json.loads((out / "manifest.json").read_text())["recordings"]
    except (OSError, ValueError, KeyError):
        return {}


def start(src, out):
    # a shell that runs the suite in the background ignores SIGINT, and its children inherit
    # that: the run is given the default back, as a terminal's Ctrl-C finds it
    return subprocess.Popen([sys.executable, "-m", "kodeklar", "run", src, "-o", out, "--format",
                             "json,txt,docx,qdpx"], cwd=ROOT, env=cli_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def kill_when(proc, condition, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if condition():
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the kill point"
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def snapshot(out, names):
    return {p: p.read_bytes() for p in out.rglob("*") if p.is_file()
            and any(p.name.startswith(n + ".") for n in names) and "cache" not in p.parts}


@pytest.fixture
def recordings(tmp_path):
    src = tmp_path / "opptak"
    src.mkdir()
    # three different recordings: identical ones would share one cached transcript
    for i, sample in enumerate(["norwegian-short-3s.mp3", "norwegian-medium-8s.mp3", "dialogue.flac"]):
        shutil.copy(SAMPLES / sample, src / f"opptak-{i}{os.path.splitext(sample)[1]}")
    return src


def test_kill_at_several_points_then_rerun_completes(recordings, tmp_path):
    out = tmp_path / "ut"
    # 1. as soon as the recordings have names, 2. in the middle of the first one,
    # 3. once the first is done (the second is then under way)
    points = [
        lambda: bool(manifest(out)),
        lambda: any(e.get("status") == "running" for e in manifest(out).values()),
        lambda: any(e.get("status") == "done" for e in manifest(out).values()),
    ]
    finished_before = {}
    for point in points:
        kill_when(start(recordings, out), point)
        done = [n for n, e in manifest(out).items() if e.get("status") == "done"]
        finished_before.update(snapshot(out, done))
    assert finished_before, "the last kill point comes after one recording is done"

    result = run_cli("run", recordings, "-o", out, "--format", "json,txt,docx,qdpx")
    assert result.returncode == 0, result.stderr
    entries = manifest(out)
    assert sorted(entries) == ["intervju-01", "intervju-02", "intervju-03"]
    assert all(e["status"] == "done" for e in entries.values())
    for path, content in finished_before.items():
        assert path.read_bytes() == content, f"{path.name} changed after the re-run"
    for name in entries:
        tr.load(out / "anonymised" / f"{name}.json")
        for ext in ("docx", "qdpx"):
            with zipfile.ZipFile(out / "anonymised" / f"{name}.{ext}") as z:
                assert z.testzip() is None
        assert (out / "anonymised" / f"{name}.txt").read_text(encoding="utf-8-sig").strip()
    assert not list(out.rglob(".*.tmp")), "a half-written temporary file was left behind"


def test_a_second_run_on_the_same_output_folder_refuses(recordings, tmp_path):
    out = tmp_path / "ut"
    first = start(recordings, out)
    try:
        deadline = time.monotonic() + 120
        while not (out / ".kodeklar.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        second = run_cli("run", recordings, "-o", out)
        assert second.returncode == 2
        assert second.stderr.strip().splitlines() == [
            f"kodeklar: error: another kodeklar run is using {out}; wait for it to finish or choose another output folder"]
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_removes_the_private_temporary_folder_and_the_next_run_finishes(recordings, tmp_path, sig):
    out = tmp_path / "ut"
    proc = start(recordings, out)
    deadline = time.monotonic() + 120
    while not list((out / "private").glob("tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list((out / "private").glob("tmp-*")), "the run makes its temporary folder under OUT/private"
    assert oct(next((out / "private").glob("tmp-*")).stat().st_mode & 0o777) == oct(0o700)
    time.sleep(1.0)
    proc.send_signal(sig)
    assert proc.wait(timeout=120) != 0
    assert not list((out / "private").glob("tmp-*"))
    result = run_cli("run", recordings, "-o", out, "--format", "json")
    assert result.returncode == 0, result.stderr
