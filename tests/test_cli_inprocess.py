"""The `kodeklar` entry point in-process, for the quick lane: how `main` turns each kind of
failure into one line and an exit code, `kodeklar models`, `kodeklar transcribe` refusing bad
input before any decoding, and `python -m kodeklar`. The subprocess runs of the same commands
on real audio are in the slow lane."""
import json
import os
import runpy
import signal
import sys

import click
import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from kodeklar import __version__, cli
from kodeklar.commands import transcribe as transcribe_command
from transcribe import models


@pytest.fixture(autouse=True)
def _restore_sigterm():
    # main() installs its SIGTERM handler in this process
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """One model cache for the module: the bundled model is assembled once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def kodeklar(monkeypatch, capsys, cache):
    """`kodeklar ARGS` through `cli.main`: (exit code, stdout, stderr)."""
    monkeypatch.setenv("KODEKLAR_CACHE", str(cache))
    monkeypatch.delenv("KODEKLAR_DEBUG", raising=False)

    def run(*args):
        monkeypatch.setattr(sys, "argv", ["kodeklar", *map(str, args)])
        with pytest.raises(SystemExit) as exit:
            cli.main()
        out = capsys.readouterr()
        return exit.value.code, out.out, out.err
    return run


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("kodeklar: ")]


def test_python_m_kodeklar_version(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["kodeklar", "--version"])
    with pytest.raises(SystemExit) as exit:
        runpy.run_module("kodeklar", run_name="__main__")
    assert exit.value.code == 0
    assert capsys.readouterr().out.strip() == f"kodeklar, version {__version__}"


def test_help_lists_every_registered_command(kodeklar):
    code, out, _ = kodeklar("--help")
    assert code == 0
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(cli.COMMANDS)


def test_a_command_not_in_this_checkout_is_left_out(kodeklar, monkeypatch):
    monkeypatch.setitem(cli.COMMANDS, "ghost", "ghost")
    code, out, _ = kodeklar("--help")
    assert "ghost" not in out
    for name in ("ghost", "nope"):
        code, _, err = kodeklar(name)
        assert code == 2 and f"No such command '{name}'" in err


def test_models_lists_the_bundled_model_and_a_cached_one(cache, tmp_path):
    snapshot = tmp_path / "hub" / "models--Systran--faster-whisper-large-v3" / "snapshots" / "abc"
    snapshot.mkdir(parents=True)
    (snapshot / "model.bin").write_bytes(b"weights")
    (snapshot / "config.json").write_text("{}")
    result = CliRunner().invoke(cli.cli, ["models"], env={
        "KODEKLAR_CACHE": str(cache), "HF_HUB_CACHE": str(tmp_path / "hub"), "COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines()
            if line.startswith("│")}
    assert set(rows) == {"base", "large-v3"}
    assert "bundled" in rows["base"] and f"{models.BUNDLED_SIZE / 1e6:.0f} MB" in rows["base"]
    assert models.BUNDLED_SHA256[:16] in rows["base"]
    assert "hf-cache" in rows["large-v3"] and str(snapshot) in rows["large-v3"]


def test_models_download_is_the_one_command_allowed_online(monkeypatch, tmp_path):
    import faster_whisper.utils

    seen = {}

    def download_model(name, output_dir):
        seen.update(name=name, output_dir=output_dir, offline=os.environ["HF_HUB_OFFLINE"])
        return output_dir

    monkeypatch.setattr(faster_whisper.utils, "download_model", download_model)
    # env= restores HF_HUB_OFFLINE after the command lifts it
    result = CliRunner().invoke(cli.cli, ["models", "download", "large-v3", "--to",
                                          str(tmp_path / "m")], env={"HF_HUB_OFFLINE": "1"})
    assert result.exit_code == 0, result.output
    assert seen == {"name": "large-v3", "output_dir": str(tmp_path / "m"), "offline": "0"}
    assert (tmp_path / "m").is_dir()
    assert f"--model {tmp_path / 'm'}" in result.output
    assert os.environ.get("HF_HUB_OFFLINE") != "0"


@pytest.mark.parametrize("args,message", [
    (["--model", "{tmp}/no-model"], "is not available offline"),
    (["--config", "{tmp}/none.toml"], "none.toml: no such file"),
    (["--speakers", "2", "--no-diarise"], "--speakers needs diarisation, which --no-diarise "
                                          "turns off"),
])
def test_transcribe_refuses_bad_settings_in_one_line(kodeklar, tmp_path, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    code, out, err = kodeklar("transcribe", tmp_path / "a.wav", "-o", tmp_path / "out", *args)
    assert (code, out) == (2, "")
    assert err.startswith("kodeklar: error: ") and err.count("\n") == 1 and message in err


def test_transcribe_option_out_of_range_is_a_usage_error(kodeklar, tmp_path):
    code, _, err = kodeklar("transcribe", tmp_path / "a.wav", "-o", tmp_path / "out",
                            "--beam-size", "0")
    assert code == 2 and "Invalid value for '--beam-size'" in err


def test_transcribe_missing_file_fails_that_recording_and_exits_non_zero(kodeklar, tmp_path):
    out = tmp_path / "out"
    code, _, err = kodeklar("transcribe", tmp_path / "borte.wav", "-o", out)
    assert code == 1
    assert error_lines(err)[0] == f"kodeklar: error: {tmp_path / 'borte.wav'}: no such file"
    assert "0 of 1 recordings ok, 1 failed" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert [r["status"] for r in manifest["recordings"].values()] == ["failed"]


def _raise(exc):
    def fail(*args, **kw):
        raise exc
    return fail


def test_a_bug_shows_its_type_only(kodeklar, monkeypatch, tmp_path):
    # an exception message may quote transcript text: main() must not print it
    monkeypatch.setattr(transcribe_command, "_diarise_wanted",
                        _raise(RuntimeError("Kari sa at hun bor i Bergen")))
    code, _, err = kodeklar("transcribe", tmp_path / "a.wav", "-o", tmp_path / "out")
    assert code == 3
    assert err.strip() == ("kodeklar: internal error (RuntimeError); set KODEKLAR_DEBUG=1 "
                           "to see the traceback")
    monkeypatch.setenv("KODEKLAR_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["kodeklar", "transcribe", "a.wav", "-o", str(tmp_path)])
    with pytest.raises(RuntimeError, match="Kari"):
        cli.main()


@pytest.mark.parametrize("exc, said", [(KeyboardInterrupt(), "interrupted"),
                                       (click.exceptions.Abort(), "aborted")])
def test_ctrl_c_in_a_command_exits_130(kodeklar, monkeypatch, tmp_path, exc, said):
    # click turns a KeyboardInterrupt inside a command into Abort; Ctrl-C still reads as such
    monkeypatch.setattr(transcribe_command, "_diarise_wanted", _raise(exc))
    code, out, err = kodeklar("transcribe", tmp_path / "a.wav", "-o", tmp_path / "out")
    assert (code, out, err.strip()) == (130, "", f"kodeklar: {said}")


def test_sigterm_unwinds_as_exit_143(kodeklar, monkeypatch, tmp_path):
    # a batch scheduler's SIGTERM arrives in the middle of a command
    monkeypatch.setattr(transcribe_command, "_diarise_wanted",
                        lambda kw: os.kill(os.getpid(), signal.SIGTERM))
    code, _, _ = kodeklar("transcribe", tmp_path / "a.wav", "-o", tmp_path / "out")
    assert code == 143


@pytest.mark.parametrize("release_from, kept", [(0.0, False), (3600.0, True)])
def test_the_speech_model_is_unloaded_before_a_long_recording_is_diarised(
        kodeklar, monkeypatch, tmp_path, release_from, kept):
    from kodeklar.app import pipeline
    from transcribe import asr

    monkeypatch.setattr(pipeline, "RELEASE_MODEL_FROM", release_from)
    seen = []
    real = pipeline.speakers
    monkeypatch.setattr(pipeline, "speakers", lambda *a: (seen.append(bool(asr._loaded)), real(*a))[1])
    code, _, err = kodeklar("transcribe", SAMPLES / "norwegian-short-3s.mp3", "-o", tmp_path / "out",
                            "--speakers", "1")
    assert code == 0, err
    assert seen == [kept]
