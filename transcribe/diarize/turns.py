"""A speaker turn, and the one way frame labels become turns."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Turn:
    start: float
    end: float
    speaker: str


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the True runs in a boolean array."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def turns_from_labels(labels: np.ndarray, frame_seconds: float) -> list[Turn]:
    """Frame labels (-1 = nobody) -> turns in time order, speakers named by cluster index;
    the caller's caller (assign_speakers) renames them by first appearance."""
    turns = [Turn(round(a * frame_seconds, 3), round(b * frame_seconds, 3), f"spk{k}")
             for k in np.unique(labels[labels >= 0]).tolist() for a, b in runs(labels == k)]
    return sorted(turns, key=lambda t: (t.start, t.speaker))
