"""Every bad input ends in one clear line and a non-zero exit, and the rest of the batch
finishes (issue 2, item 8)."""
import json
import shutil

import pytest

from conftest import SAMPLES, run_cli
from kodeklar.core.errors import UserError
from transcribe import models


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("kodeklar: error:")]


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    src = tmp_path_factory.mktemp("opptak")
    shutil.copy(SAMPLES / "norwegian-short-3s.mp3", src / "god.mp3")
    (src / "tom.wav").write_bytes(b"")
    (src / "tekst.mp3").write_text("dette er ikke lyd\n" * 50)
    # an MP4 header with a destroyed body, as from an interrupted phone transfer
    (src / "korrupt.m4a").write_bytes(b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00isomiso2"
                                      + bytes(range(256)) * 40)
    out = tmp_path_factory.mktemp("ut")
    missing = src / "finnes-ikke.mp3"
    result = run_cli("transcribe", src / "god.mp3", src / "tom.wav", src / "tekst.mp3",
                     src / "korrupt.m4a", missing, "-o", out, "--format", "json")
    return src, out, result


@pytest.mark.slow
def test_batch_exits_nonzero_with_one_line_per_bad_recording(bad_batch):
    src, out, result = bad_batch
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 4, result.stderr
    assert "Traceback" not in result.stderr
    expected = {"tom.wav": "empty file", "tekst.mp3": "not a recording", "korrupt.m4a": "not a recording",
                "finnes-ikke.mp3": "no such file"}
    for name, words in expected.items():
        assert any(name in line and words in line for line in lines), (name, lines)


@pytest.mark.slow
def test_the_good_recording_in_a_bad_batch_finishes(bad_batch):
    src, out, result = bad_batch
    manifest = json.loads((out / "manifest.json").read_text())["recordings"]
    statuses = sorted(e["status"] for e in manifest.values())
    assert statuses == ["done"] + ["failed"] * 4
    done = [n for n, e in manifest.items() if e["status"] == "done"]
    assert (out / "transcripts" / f"{done[0]}.json").is_file()
    # errors in the manifest name the recording by its pseudonym, never the file name
    text = (out / "manifest.json").read_text()
    for name in ("tom.wav", "tekst.mp3", "korrupt", "finnes-ikke"):
        assert name not in text


@pytest.mark.slow
def test_inputs_are_not_changed(bad_batch):
    src, _, _ = bad_batch
    assert (src / "god.mp3").read_bytes() == (SAMPLES / "norwegian-short-3s.mp3").read_bytes()
    assert (src / "tom.wav").stat().st_size == 0


@pytest.mark.slow
def test_ten_seconds_of_silence_gives_no_invented_text(make_silence, tmp_path):
    silence = make_silence(10.0)
    out = tmp_path / "ut"
    result = run_cli("transcribe", silence, "-o", out, "--format", "json,txt")
    assert result.returncode == 0, result.stderr
    t = json.loads((out / "transcripts" / "intervju-01.json").read_text())
    assert t["segments"] == []
    assert t["source"]["duration"] == pytest.approx(10.0, abs=0.05)


@pytest.mark.slow
def test_silence_without_vad_is_caught_by_the_guards(make_silence, tmp_path):
    silence = make_silence(10.0)
    result = run_cli("transcribe", silence, "-o", tmp_path, "--format", "json", "--no-vad")
    assert result.returncode == 0, result.stderr
    t = json.loads((tmp_path / "transcripts" / "intervju-01.json").read_text())
    assert t["segments"] == []


def test_an_output_folder_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = run_cli("transcribe", SAMPLES / "norwegian-short-3s.mp3", "-o", blocker / "ut")
    assert result.returncode != 0
    assert error_lines(result.stderr) == [f"kodeklar: error: cannot create output folder {blocker / 'ut'} (Not a directory)"]


def test_an_unreadable_file_is_one_clear_error(tmp_path, monkeypatch):
    # tests may run as root, for whom permission bits do not block reading: simulate it
    path = tmp_path / "lukket.mp3"
    path.write_bytes(b"x")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(UserError, match="lukket.mp3: cannot read \\(permission denied\\)"):
        models.sha256_file(path)


def test_no_recordings_found(tmp_path):
    result = run_cli("transcribe", tmp_path, "-o", tmp_path / "ut")
    assert result.returncode == 2
    assert error_lines(result.stderr) == ["kodeklar: error: no recordings found in the given paths"]


def test_a_cut_off_mp3_keeps_what_is_there_and_says_it_is_cut_off(tmp_path):
    """Wherever a recording is cut (a dictaphone whose battery died), the audio before the
    cut is decoded: a broken last packet is skipped, not a reason to lose the file. Before,
    some cut points made the whole recording "corrupt". The file's own stated length shows
    what is missing (a shortfall under 1 s is not reported: stated lengths can be estimates)."""
    from transcribe.audio import decode

    whole = (SAMPLES / "norwegian-medium-8s.mp3").read_bytes()
    assert decode(SAMPLES / "norwegian-medium-8s.mp3")[1].damage == ""
    broken_packets = 0
    for cut in range(4000, len(whole) * 3 // 4, 397):  # at least 2 s missing
        path = tmp_path / "avbrutt.mp3"
        path.write_bytes(whole[:cut])
        samples, probe = decode(path)
        assert probe.duration == pytest.approx(len(samples) / 16000)
        assert probe.duration < 8.0 * cut / len(whole) + 0.5, cut
        assert "may be cut off" in probe.damage and "00:00:08" in probe.damage, cut
        broken_packets += "damaged audio packet" in probe.damage
    assert broken_packets  # some cuts fall inside a packet: those are the ones that failed
