"""The openai-whisper engine's own code (loading, device and precision, language detection,
the VAD and its time mapping) on a tiny Whisper with random weights built here, for the quick
lane. Whether it transcribes as faster-whisper does, with word times, is checked on the real
model in the slow lane (test_openai_engine.py)."""
import dataclasses

import numpy as np
import pytest

from kodeklar.core.errors import UserError
from transcribe import engines
from transcribe.audio import decode
from transcribe.engines import openai_whisper
from transcribe.options import TranscribeOptions

whisper = pytest.importorskip("whisper")
torch = pytest.importorskip("torch")

from conftest import SAMPLES  # noqa: E402


def options(**kw) -> TranscribeOptions:
    # word times need numba's compiled DTW (seconds to compile): left to the slow lane
    return TranscribeOptions(**{"engine": "openai-whisper", "device": "cpu", "beam_size": 1,
                                "temperature": (0.0,), "word_timestamps": False, **kw})


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """An openai-whisper checkpoint of the real layout and vocabulary, one layer of width 8;
    its name is no official model's, so no alignment heads are set."""
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=8, n_audio_head=1,
                           n_audio_layer=1, n_vocab=51865, n_text_ctx=16, n_text_state=8,
                           n_text_head=1, n_text_layer=1)
    model = Whisper(dims)
    # some of Whisper's parameters start as torch.empty (whatever was in memory, NaN at times)
    torch.manual_seed(0)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0.0, 0.02)
    path = tmp_path_factory.mktemp("openai") / "tiny-random.pt"
    torch.save({"dims": dataclasses.asdict(dims), "model_state_dict": model.state_dict()}, path)
    return path


@pytest.fixture(scope="module")
def engine(checkpoint):
    return engines.load("openai-whisper", checkpoint, options())


def test_a_checkpoint_loads_on_cpu_in_float32(checkpoint):
    threads = torch.get_num_threads()
    try:
        # float16 is for CUDA; on the CPU openai-whisper computes in float32
        engine = engines.load("openai-whisper", checkpoint,
                              options(compute_type="float16", cpu_threads=1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(threads)
    assert (engine.name, engine.device, engine.compute_type) == ("openai-whisper", "cpu",
                                                                 "float32")
    assert engine.version == whisper.__version__


def test_auto_device_follows_torch():
    assert openai_whisper.pick_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    assert openai_whisper.pick_device("cpu") == "cpu"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA GPU")
def test_cuda_without_a_gpu_is_a_user_error(checkpoint):
    with pytest.raises(UserError, match="PyTorch sees no CUDA GPU"):
        engines.load("openai-whisper", checkpoint, options(device="cuda"))


def test_a_checkpoint_without_dimensions_is_refused_in_one_line(tmp_path):
    path = tmp_path / "other.pt"
    torch.save({"state": 1}, path)
    with pytest.raises(UserError, match=r"cannot load the openai-whisper checkpoint .*KeyError"):
        engines.load("openai-whisper", path, options())


def test_an_empty_checkpoint_is_refused_in_one_line(tmp_path):
    path = tmp_path / "empty.pt"
    path.write_bytes(b"")
    with pytest.raises(UserError, match="cannot load the openai-whisper checkpoint"):
        engines.load("openai-whisper", path, options())


def test_a_file_that_is_not_a_checkpoint_is_refused_in_one_line(tmp_path):
    path = tmp_path / "junk.pt"
    path.write_bytes(b"not a checkpoint " * 10)
    with pytest.raises(UserError, match="cannot load the openai-whisper checkpoint"):
        engines.load("openai-whisper", path, options())


def test_language_probabilities_are_sorted_and_sum_to_one(engine):
    rng = np.random.default_rng(0)
    for audio in (0.1 * rng.standard_normal(16000).astype(np.float32),
                  np.zeros(0, np.float32)):  # nothing left after the VAD: padded, not an error
        probs = engine.detect_language(audio)
        # every language of this vocabulary (Whisper before v3: 99, no "yue")
        assert len(probs) == engine.model.num_languages == 99
        assert set(probs) <= set(whisper.tokenizer.LANGUAGES)
        assert list(probs.values()) == sorted(probs.values(), reverse=True)
        assert sum(probs.values()) == pytest.approx(1.0, abs=1e-4)


def test_silence_gives_no_segments_and_still_a_language(engine):
    silence = np.zeros(3 * 16000, np.float32)
    decoded = engine.transcribe(silence, options(language="no"))
    assert (decoded.language, decoded.language_probability) == ("no", 1.0)
    assert list(decoded.segments) == []
    decoded = engine.transcribe(silence, options(language=None))
    assert decoded.language == max(decoded.language_probs, key=decoded.language_probs.get)
    assert decoded.language_probability == decoded.language_probs[decoded.language]
    assert list(decoded.segments) == []


def test_vad_cuts_silence_and_times_map_back_to_the_recording(engine):
    lead = 2.0
    speech, _ = decode(SAMPLES / "norwegian-short-3s.mp3")
    audio = np.concatenate([np.zeros(int(lead * 16000), np.float32), speech])
    kept, chunks = openai_whisper._speech(audio)
    assert chunks and len(kept) < len(audio)
    # the VAD pads speech by a few hundred ms; it does not start in the leading silence
    assert chunks[0]["start"] > (lead - 0.5) * 16000
    segments = list(engine.transcribe(audio, options(language="no")).segments)
    assert segments
    # decoded on the speech alone, yet placed where the speech is in the recording (the
    # random model's own times are arbitrary, but none can map before the speech)
    assert all(s.start >= chunks[0]["start"] / 16000 - 0.01 for s in segments)
