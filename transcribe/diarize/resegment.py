"""Re-segmentation after clustering: the most likely speaker sequence over the windows,
given each window's similarity to each speaker and a fixed cost for changing speaker.
Isolated windows that resemble another voice (noise, laughter, overlap) stop flipping the
label, while a real change, whose windows agree for a while, still pays for itself."""
from __future__ import annotations

import numpy as np


def viterbi(scores: np.ndarray, switch_penalty: float) -> np.ndarray:
    """Best path through `scores` (T, K), higher is better, paying `switch_penalty` per
    change of column. Returns the column per row."""
    n, k = scores.shape
    if n == 0:
        return np.zeros(0, dtype=int)
    back = np.zeros((n, k), dtype=np.int32)
    total = scores[0].astype(np.float64)
    columns = np.arange(k)
    for t in range(1, n):
        best = int(total.argmax())
        switch = total[best] - switch_penalty
        stay = total >= switch
        back[t] = np.where(stay, columns, best)
        total = np.where(stay, total, switch) + scores[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(total.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path
