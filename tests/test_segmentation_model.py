"""The committed segmentation ONNX computes what pyannote's checkpoint computes. The
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
    worst = export_segmentation.parity(torch_model, segmentation._session(),
                                       np.random.default_rng(1))
    assert worst < 1e-4


def test_sinc_filters_are_band_passes_inside_nyquist(torch_model):
    """The rebuilt SincNet front end: each cosine filter passes most energy in its own band."""
    sd = export_segmentation.state_dict(export_segmentation.WHEEL)
    filters = export_segmentation.sinc_filters(sd)[:40, 0].numpy()
    spectrum = np.abs(np.fft.rfft(filters, n=4096, axis=1))
    peaks = spectrum.argmax(axis=1) * 8000 / 2048
    low = 50 + np.abs(sd["sincnet.conv1d.0.filterbank.low_hz_"][:, 0].numpy())
    high = low + 50 + np.abs(sd["sincnet.conv1d.0.filterbank.band_hz_"][:, 0].numpy())
    inside = (peaks >= low - 60) & (peaks <= np.minimum(high, 8000) + 60)
    assert inside.mean() > 0.9


def test_speech_and_silence_on_real_audio():
    """On a real recording the model hears someone in speech and nobody in digital silence."""
    from tests.media import speech
    from tests.conftest import SAMPLES

    voice = speech(SAMPLES / "norwegian-short-3s.mp3")[:3 * 16000]
    window = np.concatenate([np.zeros(2 * 16000, np.float32), voice])[None, None]
    probs = segmentation._session().run(None, {"waveforms": window})[0][0]
    split = len(probs) * 2 // 5
    assert probs[:split - 5].max() < 0.3
    assert probs[split + 10:].max(axis=1).mean() > 0.5
