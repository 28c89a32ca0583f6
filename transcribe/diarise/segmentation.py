"""pyannote's speaker-segmentation model (exported by `export_segmentation.py`, run on
onnxruntime): in 5 s windows, per ~17 ms frame, the probability that each of up to 3
local speakers is talking. Probabilities are independent, so overlap is two speakers active."""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from . import runtime

ONNX_PATH = Path(__file__).with_name("segmentation.onnx")
SAMPLE_RATE = 16000
WINDOW = 5 * SAMPLE_RATE   # samples per window: the model's training length
FRAME = 270                # samples between output frames (SincNet stride x three 3-fold pools)
FIELD = 991                # samples one output frame sees
LOCAL = 3                  # local speakers per window
BATCH = 32                 # windows per run: bounds memory on long recordings


def _session():
    return runtime.session(ONNX_PATH)


@functools.lru_cache(maxsize=1)
def frames_per_window() -> int:
    n = (WINDOW - 251) // 10 + 1
    for kernel in (None, 5, 5):
        n = (n - 4 if kernel else n) // 3
    return n


def frame_times(frames: np.ndarray) -> np.ndarray:
    """Start time in seconds of global frames: frame f covers the FRAME samples centred in
    what it sees, so consecutive frames tile the recording."""
    return (frames * FRAME + (FIELD - FRAME) / 2) / SAMPLE_RATE


def window_starts(n_samples: int, step: int) -> np.ndarray:
    """First global frame of each window, every `step` frames, until a window reaches the end."""
    last = max(0, -(-(n_samples - WINDOW) // FRAME))
    starts = np.arange(0, last + 1, step)
    return np.union1d(starts, [last]) if starts[-1] != last else starts


def local_speakers(audio: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(len(starts), frames_per_window(), LOCAL) speaker probabilities of the 5 s windows
    beginning at global frames `starts`; audio outside the recording is silence."""
    session = _session()
    out = np.empty((len(starts), frames_per_window(), LOCAL), dtype=np.float32)
    for i in range(0, len(starts), BATCH):
        batch = np.zeros((len(starts[i:i + BATCH]), 1, WINDOW), dtype=np.float32)
        for row, start in enumerate(starts[i:i + BATCH] * FRAME):
            piece = audio[max(start, 0):start + WINDOW]
            at = max(-start, 0)
            batch[row, 0, at:at + len(piece)] = piece
        out[i:i + len(batch)] = session.run(None, {"waveforms": batch})[0]
    return out
