"""The one way frame labels become speaker turns (kodeklar.core.transcript.SpeakerTurn),
and the one way time spans become frame masks."""
from __future__ import annotations

import numpy as np

from kodeklar.core.transcript import SpeakerTurn

def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) index pairs of the True runs in a boolean array."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()))


def spans_mask(n: int, spans, frame: float, reach: float = 0.0) -> np.ndarray:
    """(n,) bool: the frames of `frame` seconds that the (start, end) spans in seconds,
    each widened by `reach` on both sides, touch."""
    mask = np.zeros(n, dtype=bool)
    for start, end in spans:
        mask[max(0, int((start - reach) / frame)):max(0, int(np.ceil((end + reach) / frame)))] = True
    return mask


def turns_from_labels(labels: np.ndarray, frame_seconds: float) -> list[SpeakerTurn]:
    """Frame labels (-1 = nobody) -> turns in time order, speakers named by cluster index;
    the caller's caller (assign_speakers) renames them by first appearance."""
    turns = [SpeakerTurn(round(a * frame_seconds, 3), round(b * frame_seconds, 3), f"spk{k}")
             for k in np.unique(labels[labels >= 0]).tolist() for a, b in runs(labels == k)]
    return sorted(turns, key=lambda t: (t.start, t.speaker))


def bridge_and_prune(mask: np.ndarray, min_gap: int, min_run: int) -> np.ndarray:
    """A copy of `mask` with False gaps shorter than `min_gap` filled, then True runs shorter
    than `min_run` removed: short pauses inside speech are not turn ends, and short bursts
    are clicks and breaths, not speech."""
    mask = mask.copy()
    spans = runs(mask)
    for (_, stop), (start, _) in zip(spans, spans[1:]):
        if start - stop < min_gap:
            mask[stop:start] = True
    for start, stop in runs(mask):
        if stop - start < min_run:
            mask[start:stop] = False
    return mask
