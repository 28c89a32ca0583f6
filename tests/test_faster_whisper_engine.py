"""The faster-whisper engine: device and precision choice, and the batched path (the
default on CPU and CUDA). No GPU exists here: the CUDA device count is faked."""
import dataclasses

import pytest

from conftest import SAMPLES
from kodeklar.core.errors import UserError
from transcribe import audio, models
from transcribe.engines import faster_whisper as fw
from transcribe.options import TranscribeOptions


def test_auto_device_and_precision(monkeypatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert fw.pick_device("auto") == "cpu"
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 2)  # a fake GPU
    assert fw.pick_device("auto") == "cuda"
    assert fw.pick_device("cpu") == "cpu"
    assert fw.pick_compute_type("auto", "cuda") == "float16"
    assert fw.pick_compute_type("auto", "cpu") == "int8"
    assert fw.pick_compute_type("float32", "cuda") == "float32"


@pytest.fixture(scope="module")
def engine():
    return fw.load(models.resolve("base").path, TranscribeOptions())


def test_cpu_engine_is_int8_on_every_core(engine, monkeypatch):
    import os

    import faster_whisper

    assert (engine.device, engine.compute_type) == ("cpu", "int8")
    assert engine.batch_size == 4          # by default on CPU: half the memory of 8
    seen = {}
    monkeypatch.setattr(faster_whisper, "WhisperModel", lambda path, **kw: seen.update(kw))
    monkeypatch.setattr(faster_whisper, "BatchedInferencePipeline", lambda model: None)
    fw.load(models.resolve("base").path, TranscribeOptions(device="cpu"))
    assert seen["cpu_threads"] == os.cpu_count()
    fw.load(models.resolve("base").path, TranscribeOptions(device="cpu", cpu_threads=1))
    assert seen["cpu_threads"] == 1


def test_the_batched_path_runs_with_the_engines_options(engine, monkeypatch):
    samples, _ = audio.decode(SAMPLES / "norwegian-medium-8s.mp3")
    options = dataclasses.replace(TranscribeOptions(), batch_size=2, glossary=["Trond Giske"])
    decoded = engine.transcribe(samples, options)
    segments = list(decoded.segments)
    assert decoded.language == "no"
    assert segments and all(s.words for s in segments)
    assert all(0 <= w.start <= w.end <= 8.5 for s in segments for w in s.words)
    # batch size 1 is the sequential loop
    monkeypatch.setattr(engine.batched, "transcribe", lambda *a, **k: 1 / 0)
    assert list(engine.transcribe(samples, dataclasses.replace(options, batch_size=1)).segments)


def test_only_the_batched_path_gets_the_repetition_penalty(engine, monkeypatch):
    # the sequential loop leaves a loop by its temperature fallback; the batched one cannot
    samples, _ = audio.decode(SAMPLES / "norwegian-short-3s.mp3")
    options = dataclasses.replace(TranscribeOptions(), repetition_penalty=1.3)
    seen = {}

    def spy(path, real):
        def call(*a, **k):
            seen[path] = k.get("repetition_penalty", "not given")
            return real(*a, **k)
        return call

    monkeypatch.setattr(engine.batched, "transcribe", spy("batched", engine.batched.transcribe))
    monkeypatch.setattr(engine.model, "transcribe", spy("sequential", engine.model.transcribe))
    assert list(engine.transcribe(samples, dataclasses.replace(options, batch_size=2)).segments)
    assert list(engine.transcribe(samples, dataclasses.replace(options, batch_size=1)).segments)
    assert seen == {"batched": 1.3, "sequential": "not given"}
    with pytest.raises(UserError, match="repetition_penalty must be above 0"):
        engine.transcribe(samples, dataclasses.replace(options, repetition_penalty=0.0))


def test_max_tokens_bounds_what_a_window_decodes(engine):
    samples, _ = audio.decode(SAMPLES / "norwegian-medium-8s.mp3")
    options = dataclasses.replace(TranscribeOptions(), batch_size=1, vad=False)
    whole = [w for s in engine.transcribe(samples, options).segments for w in s.words]
    bounded = [w for s in engine.transcribe(samples, options, max_tokens=4).segments for w in s.words]
    assert len(whole) > 8 and 0 < len(bounded) <= 4


def test_an_openai_checkpoint_is_refused_with_advice(tmp_path):
    checkpoint = tmp_path / "base.pt"
    checkpoint.write_bytes(b"x")
    with pytest.raises(UserError, match="--engine openai-whisper"):
        fw.load(checkpoint, TranscribeOptions())


def test_the_same_audio_gives_the_same_transcript_even_when_whisper_samples(engine):
    """Ten seconds of silence without VAD push Whisper into its temperature fallback, which
    samples; the seed makes the result the same on every call."""
    import numpy as np

    options = dataclasses.replace(TranscribeOptions(), vad=False)
    silence = np.zeros(16000 * 10, np.float32)
    runs = [[(s.text, s.avg_logprob) for s in engine.transcribe(silence, options).segments]
            for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
