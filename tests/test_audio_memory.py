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


def test_decoding_to_a_file_holds_no_copy_and_reads_the_same_samples(tmp_path):
    t = np.arange(8 * 60 * RATE, dtype=np.float32) / RATE
    path = write_wav(tmp_path / "lang.wav", 0.3 * np.sin(2 * np.pi * 220 * t), RATE)
    del t
    tracemalloc.start()
    try:
        recording, probe = audio.decode_to_file(path, tmp_path / "lang.f32")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak                         # frames in flight, not the recording
    assert (tmp_path / "lang.f32").stat().st_mode & 0o777 == 0o600
    samples, _ = audio.decode(path)
    assert len(recording) == len(samples) and probe.duration == pytest.approx(8 * 60, abs=0.1)
    for piece in (slice(0, 10), slice(RATE * 61, RATE * 67), slice(len(samples) - 5, len(samples) + 9)):
        np.testing.assert_array_equal(recording[piece], samples[piece])
    with pytest.raises(TypeError):
        recording[::2]
    recording.remove()
    assert not (tmp_path / "lang.f32").exists()


def test_a_failed_decode_leaves_no_file(tmp_path):
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"\x00not audio" * 100)
    with pytest.raises(audio.UserError):
        audio.decode_to_file(broken, tmp_path / "broken.f32")
    assert not (tmp_path / "broken.f32").exists()
