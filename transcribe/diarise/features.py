"""The speaker encoder's input, computed in numpy exactly as resemblyzer computes it with
librosa (40 mel bands, 25 ms Hann window, 10 ms hop, power spectrum, Slaney mel scale and
area normalisation, not log-compressed), so the exported encoder sees what it was trained on."""
from __future__ import annotations

import functools

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 400        # 25 ms
HOP = 160          # 10 ms
N_MELS = 40
CHUNK = 6000      # frames (one minute) transformed at a time
TARGET_DBFS = -30  # resemblyzer raises quiet recordings to this level, never lowers them


def volume_gain(audio) -> float:
    """The factor resemblyzer's normalisation multiplies the audio by: a quiet recording is
    raised to TARGET_DBFS, a loud one left alone. Read a minute at a time."""
    squares = sum(float(np.sum(np.square(audio[i:i + 60 * SAMPLE_RATE], dtype=np.float64)))
                  for i in range(0, len(audio), 60 * SAMPLE_RATE))
    if squares == 0:
        return 1.0
    gain_db = TARGET_DBFS - 20 * np.log10(np.sqrt(squares / len(audio)))
    return float(10 ** (gain_db / 20)) if gain_db > 0 else 1.0


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    # Slaney's Auditory Toolbox scale: linear below 1 kHz, logarithmic above
    hz = np.asarray(hz, dtype=np.float64)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, min_log_hz) / min_log_hz)
                    / logstep, hz / f_sp)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(logstep * (mel - min_log_mel)),
                    f_sp * mel)


@functools.lru_cache(maxsize=1)
def mel_filters() -> np.ndarray:
    """(N_MELS, N_FFT // 2 + 1) triangular filters, each normalised to unit area."""
    fft_hz = np.linspace(0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    mel_hz = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    widths = np.diff(mel_hz)
    ramps = mel_hz[:, None] - fft_hz[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    filters = np.maximum(0, np.minimum(lower, upper))
    filters *= (2.0 / (mel_hz[2:] - mel_hz[:-2]))[:, None]
    return filters.astype(np.float32)


def mel_spectrogram(audio, gain: float = 1.0) -> np.ndarray:
    """(n_frames, N_MELS) float32 of `audio` times `gain`; frame i is centred on sample
    i * HOP. The audio (an array or a Recording) is read CHUNK frames at a time: a whole
    recording's frames or spectrum would take gigabytes."""
    n_frames = 1 + len(audio) // HOP
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    mel = np.empty((n_frames, N_MELS), dtype=np.float32)
    for i in range(0, n_frames, CHUNK):
        count = min(CHUNK, n_frames - i)
        # the samples these frames see, zero beyond the recording's ends
        first = i * HOP - N_FFT // 2
        padded = np.zeros((count - 1) * HOP + N_FFT, dtype=np.float32)
        piece = audio[max(first, 0):first + len(padded)]
        padded[max(-first, 0):max(-first, 0) + len(piece)] = piece
        if gain != 1.0:
            padded *= np.float32(gain)
        frames = np.lib.stride_tricks.as_strided(
            padded, shape=(count, N_FFT), strides=(padded.strides[0] * HOP, padded.strides[0]),
            writeable=False)
        power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
        mel[i:i + count] = power.astype(np.float32) @ mel_filters().T
    return mel
