"""End to end: `kodeklar transcribe` and its outputs on real Norwegian speech, with the
real bundled base model, in a subprocess that may not open internet sockets."""
import json
import re

import jiwer
import pytest

from conftest import SAMPLES, run_cli
from kodeklar.core import transcript as tr

# kodeklar in subprocesses on real audio: the full suite's, not the quick lane's
pytestmark = pytest.mark.slow

# measured for Whisper base int8 on this clip: 0.71 on one machine, 0.76 on an AMD EPYC, whose
# int8 kernels read the names differently (bench/RESULTS.md); the bound leaves room for the
# processor, not for a regression (a wrong language or a loop scores near 1). Base is weak on
# Norwegian: a stronger model (NB-Whisper) is for real work
WER_BOUND_8S = 0.8


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def wer(reference: str, hypothesis: str) -> float:
    return jiwer.wer(norm(reference), norm(hypothesis))


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_cli("transcribe", SAMPLES / "norwegian-medium-8s.mp3", SAMPLES / "norwegian-short-3s.mp3",
                     "-o", out, "--format", "json,txt,srt,vtt", "--keep-names")
    return out, result


def test_transcribe_writes_every_format_and_exits_zero(transcribed):
    out, result = transcribed
    assert result.returncode == 0, result.stderr
    for stem in ("norwegian-medium-8s", "norwegian-short-3s"):
        for ext in ("json", "txt", "srt", "vtt"):
            assert (out / "transcripts" / f"{stem}.{ext}").stat().st_size > 0
    assert (out / "transcripts").stat().st_mode & 0o777 == 0o700
    # stderr is a pipe here, as in a batch job's log: no bar, no cursor movement
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.stderr)


def test_transcript_is_valid_and_close_to_the_reference(transcribed):
    out, _ = transcribed
    t = tr.load(out / "transcripts" / "norwegian-medium-8s.json")  # schema-validated
    text = " ".join(s.text for s in t.segments)
    assert wer((SAMPLES / "norwegian-medium-8s.ref.txt").read_text(), text) < WER_BOUND_8S
    assert t.language == "no"
    assert t.provenance.model_sha256 and t.provenance.engine.startswith("faster-whisper")
    assert t.provenance.params["condition_on_previous_text"] is False
    assert t.provenance.params["compute_type"] == "int8"
    assert t.source.sha256 == __import__("hashlib").sha256(
        (SAMPLES / "norwegian-medium-8s.mp3").read_bytes()).hexdigest()
    words = list(t.words())
    assert words and all(0 <= w.start <= w.end <= t.source.duration + 0.5 for w in words)
    for s in t.segments:
        assert s.text == "".join(w.text for w in s.words).strip()


def test_manifest_records_stages_and_no_file_names(transcribed):
    out, _ = transcribed
    manifest = json.loads((out / "manifest.json").read_text())
    entries = manifest["recordings"]
    assert set(entries) == {"norwegian-medium-8s", "norwegian-short-3s"}
    for e in entries.values():
        assert e["status"] == "done" and len(e["sha256"]) == 64
        assert "transcribe" in e["stages"] and e["stages"]["transcribe"]["seconds"] >= 0


def test_rerun_skips_finished_recordings(transcribed):
    out, _ = transcribed
    before = (out / "transcripts" / "norwegian-short-3s.json").read_bytes()
    result = run_cli("transcribe", SAMPLES / "norwegian-medium-8s.mp3", SAMPLES / "norwegian-short-3s.mp3",
                     "-o", out, "--format", "json,txt,srt,vtt", "--keep-names")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("= already done") == 2
    assert (out / "transcripts" / "norwegian-short-3s.json").read_bytes() == before


def test_pseudonymous_names_by_default(tmp_path):
    result = run_cli("transcribe", SAMPLES / "norwegian-short-3s.mp3", "-o", tmp_path, "--format", "txt")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in (tmp_path / "transcripts").iterdir()] == ["intervju-01.txt"]
    assert "norwegian-short-3s" not in (tmp_path / "manifest.json").read_text()
    assert "norwegian-short-3s" in (tmp_path / "private" / "sources.json").read_text()


def test_speakers_option_diarises_and_recordings_table_sets_counts_per_file(tmp_path):
    """`transcribe --speakers 2` diarises (it used to do nothing); a `[recordings."name"]`
    table gives one file of the batch its own count."""
    config = tmp_path / "prosjekt.toml"
    config.write_text('[recordings."norwegian-short-3s"]\nspeakers = 1\n')
    out = tmp_path / "out"
    result = run_cli("transcribe", SAMPLES / "dialogue.flac", SAMPLES / "norwegian-short-3s.mp3",
                     "-o", out, "--format", "json,rttm", "--keep-names", "--speakers", "2",
                     "--config", config)
    assert result.returncode == 0, result.stderr
    recordings = json.loads((out / "manifest.json").read_text())["recordings"]
    assert recordings["dialogue"]["counts"]["speakers"] == 2
    assert recordings["norwegian-short-3s"]["counts"]["speakers"] == 1
    assert (out / "transcripts" / "dialogue.rttm").read_text().count("SPEAKER") >= 2


def test_speakers_with_no_diarise_is_a_clear_error(tmp_path):
    result = run_cli("transcribe", SAMPLES / "norwegian-short-3s.mp3", "-o", tmp_path,
                     "--speakers", "2", "--no-diarise")
    assert result.returncode != 0
    assert "--speakers needs diarisation" in result.stderr
    assert "Traceback" not in result.stderr
