"""The audio reader holds a recording once: its peak memory is the decoded array plus a
bounded overhead, not a multiple of the recording's length."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from media import write_wav
from transcribe import audio

RATE = 16000


@pytest.mark.parametrize("minutes", [2, 8])
def test_decoding_peaks_near_one_copy_of_the_audio(tmp_path, minutes):
    t = np.arange(minutes * 60 * RATE, dtype=np.float32) / RATE
    path = write_wav(tmp_path / "lang.wav", 0.3 * np.sin(2 * np.pi * 220 * t), RATE)
    del t
    tracemalloc.start()
    try:
        samples, probe = audio.decode(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert probe.duration == pytest.approx(minutes * 60, abs=0.1)
    assert samples.flags["C_CONTIGUOUS"] and samples.dtype == np.float32
    # one float32 copy of the audio, one second of headroom, and a few MB of frames
    assert peak < samples.nbytes + 4 * RATE + 8_000_000, (peak, samples.nbytes)


def test_a_file_that_states_too_little_still_decodes_whole():
    buffer = audio.Samples(1, 10)
    for _ in range(7):
        buffer.add(np.ones((1, 4), np.float32))
    assert buffer.array().shape == (1, 28) and buffer.array().sum() == 28
