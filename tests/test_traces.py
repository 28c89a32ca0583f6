"""Nothing leaves a trace outside the output folder (issue 16): a full `kodeklar run` with HOME,
the XDG folders and TMPDIR pointing at empty folders creates nothing outside OUT except the
documented model cache. onnxruntime's telemetry store (~/.cache/Microsoft/...) was the case
that prompted this; the test lists whatever else turns up, so a new library's habits show."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLES, cli_env

# the documented cache (README "Offline"): the assembled bundled model, a converted
# openai-whisper checkpoint, and the checksums memoised for model folders
ALLOWED = ("cache/kodeklar/models/", "cache/kodeklar/openai-whisper/", "cache/kodeklar/hashes/")
FOLDERS = {"HOME": "home", "XDG_CACHE_HOME": "cache", "XDG_CONFIG_HOME": "config",
           "XDG_DATA_HOME": "data", "XDG_STATE_HOME": "state", "TMPDIR": "tmp"}


def fresh_user(tmp_path):
    env = cli_env()
    env.pop("KODEKLAR_CACHE", None)
    for variable, name in FOLDERS.items():
        (tmp_path / name).mkdir()
        env[variable] = str(tmp_path / name)
    return env


def traces(tmp_path) -> list[str]:
    """Files and folders under the user's folders, less the documented model cache."""
    found = []
    for name in FOLDERS.values():
        for path in (tmp_path / name).rglob("*"):
            relative = path.relative_to(tmp_path).as_posix() + ("/" if path.is_dir() else "")
            if not any(relative.startswith(a) or a.startswith(relative) for a in ALLOWED):
                found.append(relative)
    return sorted(found)


def run_fresh(tmp_path, inputs, *args):
    env = fresh_user(tmp_path)
    out = tmp_path / "ut"
    result = subprocess.run([sys.executable, "-m", "kodeklar", "run", inputs, "-o", out, *args],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    return traces(tmp_path)


@pytest.mark.slow
def test_full_run_leaves_nothing_outside_the_output_folder(tmp_path):
    found = run_fresh(tmp_path, SAMPLES, "--format", "json,txt,docx,eaf,qdpx", "--redact-audio", "beep")
    assert not found, "created outside OUT: " + ", ".join(found)


@pytest.mark.slow
def test_openai_whisper_run_leaves_nothing_outside_the_output_folder(tmp_path):
    pytest.importorskip("whisper", reason="the openai-whisper engine is an optional extra")
    found = run_fresh(tmp_path, SAMPLES / "norwegian-short-3s.mp3", "--engine", "openai-whisper", "--format", "json")
    assert not found, "created outside OUT: " + ", ".join(found)


@pytest.mark.parametrize("entry", ["kodeklar", "transcribe", "anonymise", "transcribe.diarise"])
def test_every_entry_point_switches_telemetry_off_before_any_library(entry):
    """The library API too: importing any of our packages sets the switches, and they are
    set before onnxruntime, huggingface_hub or pyannote could have read them."""
    from kodeklar.core.offline import SWITCHES

    code = (f"import json, sys, os, {entry}\n"
            "loaded = [m for m in ('onnxruntime', 'huggingface_hub', 'faster_whisper', 'spacy',"
            " 'presidio_analyzer', 'torch', 'pyannote') if m in sys.modules]\n"
            "print(json.dumps([loaded, {k: os.environ.get(k) for k in %r}]))" % sorted(SWITCHES))
    env = cli_env()
    for variable in SWITCHES:
        env[variable] = "0" if SWITCHES[variable] == "1" else "1"  # a shell that has them on
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    loaded, values = json.loads(result.stdout)
    assert loaded == [], f"importing {entry} loaded {loaded} (heavy libraries load lazily)"
    assert values == SWITCHES


def test_onnxruntime_creates_no_telemetry_store_when_imported_through_kodeklar(tmp_path):
    env = fresh_user(tmp_path)
    # without the switch, importing onnxruntime alone creates the store
    code = ("import transcribe, onnxruntime\n"
            "onnxruntime.InferenceSession('transcribe/diarise/speaker_encoder.onnx',"
            " providers=['CPUExecutionProvider'])\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    found = traces(tmp_path)
    assert not found, "created outside OUT: " + ", ".join(found)
