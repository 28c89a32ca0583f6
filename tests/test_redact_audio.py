"""Redacted audio: tone or silence exactly over the padded redaction spans, the original
samples everywhere else."""
from __future__ import annotations

import math
import os
import wave

import numpy as np
import pytest

from kodeklar.app.redact_audio import redact_audio, spans
from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Provenance, Redaction, Source, Transcript


def _transcript(times):
    return Transcript(
        source=Source("opptak", "0" * 64, 3.0), provenance=Provenance("t", "e", "m", ""),
        language="no",
        redactions=[Redaction(f"R{i}", 1, 0, 1, s, e, "PERSON", "[PERSON-1]", "ner", 0.9)
                    for i, (s, e) in enumerate(times, 1)])


def _noise_wav(path, rate, channels, seconds=3.0):
    rng = np.random.default_rng(7)
    pcm = rng.integers(-20000, 20000, size=(int(rate * seconds), channels), dtype=np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return pcm


def _read(path):
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        return w.getframerate(), w.getnchannels(), pcm.reshape(-1, w.getnchannels())


def test_spans_are_padded_and_merged():
    t = _transcript([(2.0, 2.3), (0.5, 0.8), (0.9, 1.2), (0.05, 0.1)])
    assert spans(t) == [(0.0, 0.25), (0.35, 1.35), (1.85, 2.45)]
    assert spans(t, pad=0.0) == [(0.05, 0.1), (0.5, 0.8), (0.9, 1.2), (2.0, 2.3)]
    assert spans(_transcript([])) == []


@pytest.mark.parametrize("mode,rate,channels", [("beep", 16000, 1), ("silence", 44100, 2)])
def test_redacted_audio(tmp_path, mode, rate, channels):
    src = tmp_path / "opptak.wav"
    original = _noise_wav(src, rate, channels)
    before = src.read_bytes()
    out = tmp_path / "opptak.redacted.wav"
    done = redact_audio(src, _transcript([(0.5, 0.8), (0.9, 1.2), (2.0, 2.3)]), out, mode=mode)
    assert done == [(0.35, 1.35), (1.85, 2.45)]
    got_rate, got_channels, pcm = _read(out)
    assert (got_rate, got_channels) == (rate, channels)
    assert pcm.shape == original.shape
    inside = np.zeros(len(pcm), dtype=bool)
    for s, e in done:
        inside[round(s * rate):round(e * rate)] = True
    # everything outside the spans is the original, sample for sample
    assert np.array_equal(pcm[~inside], original[~inside])
    if mode == "silence":
        assert not pcm[inside].any()
    else:
        idx = np.flatnonzero(inside)
        expected = (0.25 * 32767 * np.sin(2 * math.pi * 1000 * idx / rate)).astype(np.int16)
        for ch in range(channels):
            assert np.array_equal(pcm[idx, ch], expected)
        # and it is a 1 kHz tone: the spectrum of one span peaks there
        a, b = round(0.35 * rate), round(1.35 * rate)
        spectrum = np.abs(np.fft.rfft(pcm[a:b, 0].astype(float)))
        assert abs(np.argmax(spectrum) * rate / (b - a) - 1000) < 2
    assert src.read_bytes() == before
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_input_is_a_user_error(tmp_path):
    t = _transcript([(0.5, 0.8)])
    with pytest.raises(UserError):
        redact_audio(tmp_path / "mangler.wav", t, tmp_path / "o.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"not audio at all" * 100)
    with pytest.raises(UserError):
        redact_audio(junk, t, tmp_path / "o.wav")
    _noise_wav(tmp_path / "ok.wav", 8000, 1, 0.5)
    with pytest.raises(UserError):
        redact_audio(tmp_path / "ok.wav", t, tmp_path / "o.wav", mode="pip")
    assert not (tmp_path / "o.wav").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_cut_off_recording_is_redacted_as_far_as_it_was_transcribed(tmp_path):
    """An mp3 cut inside its last audio packet: the transcript skips the broken packet
    (audio.decode), and so must the redacted audio, instead of failing the recording."""
    from conftest import SAMPLES
    from transcribe.audio import decode

    cut = tmp_path / "avbrutt.mp3"
    cut.write_bytes((SAMPLES / "norwegian-medium-8s.mp3").read_bytes()[:12000])
    samples, probe = decode(cut)
    assert "damaged audio packet" in probe.damage  # the cut falls inside a packet
    out = tmp_path / "avbrutt.redacted.wav"
    assert redact_audio(cut, _transcript([(1.0, 1.5)]), out, mode="silence") == [(0.85, 1.65)]
    rate, _, pcm = _read(out)
    assert len(pcm) / rate == pytest.approx(probe.duration, abs=0.01)
    assert not pcm[int(0.85 * rate) + 1:int(1.65 * rate) - 1].any()
