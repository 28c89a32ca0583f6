"""pyannote's speaker-segmentation model (exported by `export_segmentation.py`, run on
onnxruntime): in 5 s windows, per ~17 ms frame, the probability that each of up to 3
local speakers is talking. Probabilities are independent, so overlap is two speakers active.

The model runs as two graphs: its sinc filterbank once over each stretch of audio that a
batch of overlapping windows covers, and the rest of the network per window on its share of
the filterbank's output (exact: see `export_segmentation.py`), with int8 LSTMs."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

import numpy as np

from . import runtime

FRONTEND_PATH = Path(__file__).with_name("segmentation_frontend.onnx")
WINDOWS_PATH = Path(__file__).with_name("segmentation_windows.onnx")
SAMPLE_RATE = 16000
WINDOW = 5 * SAMPLE_RATE   # samples per window: the model's training length
SINC, STRIDE, POOL = 251, 10, 3  # the filterbank's kernel and stride, then a 3-fold pool
FRAME = 270                # samples between output frames (SincNet stride x three 3-fold pools)
FIELD = 991                # samples one output frame sees
LOCAL = 3                  # local speakers per window
BATCH = 32                 # windows per run: bounds memory on long recordings


@functools.lru_cache(maxsize=1)
def pools_per_window() -> int:
    return ((WINDOW - SINC) // STRIDE + 1) // POOL


@functools.lru_cache(maxsize=1)
def frames_per_window() -> int:
    n = pools_per_window()
    for _ in range(2):  # two 5-wide convolutions, each pooled 3-fold
        n = (n - 4) // 3
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


def local_speakers(audio: np.ndarray, starts: np.ndarray, models=(FRONTEND_PATH, WINDOWS_PATH),
                   on_progress: Callable[[float], None] = lambda share: None) -> np.ndarray:
    """(len(starts), frames_per_window(), LOCAL) speaker probabilities of the 5 s windows
    beginning at global frames `starts` (ascending); audio outside the recording is silence.
    `on_progress` gets the share of windows done after each batch."""
    front, rest = (runtime.session(path) for path in models)
    pools = pools_per_window()
    out = np.empty((len(starts), frames_per_window(), LOCAL), dtype=np.float32)
    i = 0
    while i < len(starts):
        # a batch's stretch of audio is never longer than its windows laid end to end
        end = min(i + BATCH, np.searchsorted(starts, starts[i] + (BATCH - 1) * WINDOW // FRAME,
                                             side="right"))
        offsets = (starts[i:end] - starts[i]) * FRAME
        stretch = _stretch(audio, starts[i] * FRAME, offsets[-1] + WINDOW)
        highs, lows = front.run(None, {"waveform": stretch[None, None]})
        # a window starts FRAME samples later for each frame: a whole number of pools
        first = offsets // (STRIDE * POOL)
        mean, var = _moments(stretch, offsets)
        out[i:end] = rest.run(None, {"highs": _cut(highs[0], first, pools),
                                     "lows": _cut(lows[0], first, pools),
                                     "mean": mean, "var": var})[0]
        i = end
        on_progress(i / len(starts))
    return out


def _stretch(audio: np.ndarray, start: int, length: int) -> np.ndarray:
    """`length` samples of the recording from sample `start`, silence outside it."""
    out = np.zeros(length, dtype=np.float32)
    piece = audio[max(start, 0):start + length]
    out[max(-start, 0):max(-start, 0) + len(piece)] = piece
    return out


def _cut(pooled: np.ndarray, first: np.ndarray, pools: int) -> np.ndarray:
    """(windows, filters, pools): each window's share of the stretch's (filters, pools)."""
    out = np.empty((len(first), len(pooled), pools), dtype=pooled.dtype)
    for row, at in enumerate(first):
        out[row] = pooled[:, at:at + pools]
    return out


def _moments(stretch: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and biased variance of the windows starting at `offsets` in `stretch`,
    (windows, 1, 1) each: what the model's waveform normalisation computes per window."""
    sums = np.zeros((2, len(stretch) + 1))
    np.cumsum(stretch, dtype=np.float64, out=sums[0, 1:])
    np.cumsum(np.square(stretch, dtype=np.float64), out=sums[1, 1:])
    total = (sums[:, offsets + WINDOW] - sums[:, offsets]) / WINDOW
    mean, var = total[0], total[1] - total[0] ** 2
    return (mean.astype(np.float32)[:, None, None],
            np.maximum(var, 0).astype(np.float32)[:, None, None])
