"""Where someone speaks, from the Silero VAD that ships with faster-whisper (ONNX).

Diarisation wants a lower threshold than transcription: far-field and overlapped speech
scores low, and a missed second of speech costs as much as a wrongly labelled one."""
from __future__ import annotations

import numpy as np

from .turns import bridge_and_prune, runs

VAD_HOP = 512  # samples per Silero probability at 16 kHz


def speech_probability(audio: np.ndarray) -> np.ndarray:
    """Silero speech probability per 32 ms."""
    from faster_whisper.vad import get_vad_model

    if len(audio) == 0:
        return np.zeros(0, dtype=np.float32)
    padded = np.pad(audio, (0, -len(audio) % VAD_HOP))
    return get_vad_model()(padded).reshape(-1)


def speech_mask(audio: np.ndarray, n_frames: int, hop: int, threshold: float,
                min_gap: int, min_speech: int, pad: int) -> np.ndarray:
    """Boolean speech mask on frames of `hop` samples: probability above `threshold`,
    pauses under `min_gap` frames bridged, bursts under `min_speech` frames dropped,
    then widened by `pad` frames each side (the VAD cuts word edges short)."""
    probs = speech_probability(audio)
    if len(probs) == 0:
        return np.zeros(n_frames, dtype=bool)
    at = np.minimum(np.arange(n_frames) * hop // VAD_HOP, len(probs) - 1)
    mask = bridge_and_prune(probs[at] > threshold, min_gap, min_speech)
    if pad:
        for start, stop in runs(mask):
            mask[max(0, start - pad):stop + pad] = True
    return mask
