"""openai-whisper on the bundled model gives what faster-whisper gives, both at float32.

Measured on norwegian-medium-8s (after 3 s of silence, so the VAD and its time mapping are
exercised): top language probabilities within 2e-6, identical text, word times and
probabilities, with sequential greedy decoding (batch 1, beam 1, temperature 0: deterministic)."""
import sys
from pathlib import Path

import numpy as np
import pytest

from kodeklar.core.errors import UserError
from transcribe import engines, models
from transcribe.audio import decode
from transcribe.options import TranscribeOptions

pytest.importorskip("whisper")

CLIP = "norwegian-medium-8s.mp3"
SILENCE = 3.0


def _clip() -> Path:
    local = Path(__file__).parents[1] / "sample_audio" / CLIP
    return local if local.exists() else Path(__file__).resolve().parents[2] / "shared" / "data" / "speech" / CLIP


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KODEKLAR_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield models.resolve("base").path


@pytest.fixture(scope="module")
def audio():
    speech, _ = decode(_clip())
    return np.concatenate([np.zeros(int(SILENCE * 16000), np.float32), speech])


@pytest.fixture(scope="module")
def options():
    # openai-whisper decodes one window at a time: compare with faster-whisper's sequential path
    return TranscribeOptions(language=None, compute_type="float32", beam_size=1, vad=True,
                             batch_size=1)


@pytest.fixture(scope="module")
def runs(model_dir, audio, options):
    out = {}
    for name in ("faster-whisper", "openai-whisper"):
        engine = engines.load(name, model_dir, options)
        decoded = engine.transcribe(audio, options)
        out[name] = engine, decoded, list(decoded.segments)
    return out


@pytest.mark.slow
def test_same_language_probabilities(runs):
    fw, ow = runs["faster-whisper"][1], runs["openai-whisper"][1]
    assert ow.language == fw.language
    assert abs(ow.language_probability - fw.language_probability) < 0.005
    top = sorted(fw.language_probs, key=fw.language_probs.get, reverse=True)[:5]
    assert sorted(ow.language_probs, key=ow.language_probs.get, reverse=True)[:5] == top
    for lang in top:
        assert abs(ow.language_probs[lang] - fw.language_probs[lang]) < 0.005


@pytest.mark.slow
def test_same_transcript_words_and_statistics(runs):
    fw, ow = runs["faster-whisper"][2], runs["openai-whisper"][2]
    assert ow and len(ow) == len(fw)
    assert [s.text for s in ow] == [s.text for s in fw]
    for a, b in zip(ow, fw):
        assert abs(a.avg_logprob - b.avg_logprob) < 0.01
        assert abs(a.no_speech_prob - b.no_speech_prob) < 0.01
        assert a.compression_ratio == pytest.approx(b.compression_ratio)
        assert [w.text for w in a.words] == [w.text for w in b.words]
        for x, y in zip(a.words, b.words):
            assert abs(x.start - y.start) <= 0.02 and abs(x.end - y.end) <= 0.02
            assert abs(x.p - y.p) < 0.01
    # the VAD cut the leading silence (keeping its 0.4 s pad before speech) and the times
    # were mapped back onto the recording
    assert ow[0].words[0].start >= SILENCE - 0.4


@pytest.mark.slow
def test_engine_identity(runs):
    import whisper

    engine = runs["openai-whisper"][0]
    assert engine.name == "openai-whisper" and engine.version == whisper.__version__
    assert (engine.device, engine.compute_type) == ("cpu", "float32")


@pytest.mark.slow
def test_an_openai_checkpoint_is_accepted_as_it_is(model_dir, audio, options, runs):
    from transcribe.convert import openai_checkpoint

    checkpoint = openai_checkpoint(model_dir, models.cache_dir() / "openai-whisper")
    engine = engines.load("openai-whisper", checkpoint, options)
    probs = engine.detect_language(audio[int(SILENCE * 16000):])
    assert probs == pytest.approx(runs["openai-whisper"][0].detect_language(audio[int(SILENCE * 16000):]))


@pytest.mark.slow
def test_silence_gives_no_segments(runs):
    engine = runs["openai-whisper"][0]
    silence = np.zeros(5 * 16000, np.float32)
    decoded = engine.transcribe(silence, TranscribeOptions(language="no", vad=True))
    assert (decoded.language, decoded.language_probability) == ("no", 1.0)
    assert list(decoded.segments) == []
    # nothing left after the VAD, and still a language, as faster-whisper gives one
    decoded = engine.transcribe(silence, TranscribeOptions(language=None, vad=True))
    assert decoded.language in decoded.language_probs and list(decoded.segments) == []


def test_missing_openai_whisper_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "whisper", None)
    with pytest.raises(UserError, match=r"pip install 'kodeklar\[openai\]'"):
        engines.load("openai-whisper", tmp_path, TranscribeOptions(engine="openai-whisper"))
