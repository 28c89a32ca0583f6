"""`--channels-as-speakers`: one microphone per person, so the speaker is whoever's channel
carries the speech. A voice leaks into the other microphones, only quieter; a channel
counts as speaking when it is well above its own noise floor and near the loudest channel."""
from __future__ import annotations

import numpy as np

from .turns import SpeakerTurn, bridge_and_prune, runs

FRAME = 0.02             # seconds per energy frame
ABOVE_FLOOR_DB = 12.0    # speech stands this far above the channel's quiet level
LEAK_DB = 6.0            # a channel this much under the loudest is hearing someone else
MIN_GAP = 0.3            # shorter pauses do not end a turn
MIN_TURN = 0.2           # shorter bursts are clicks and breaths


def _levels_db(channels: np.ndarray, hop: int) -> np.ndarray:
    n = channels.shape[1] // hop
    frames = channels[:, :n * hop].reshape(channels.shape[0], n, hop).astype(np.float64)
    return 10 * np.log10(np.mean(frames ** 2, axis=2) + 1e-12)


def diarise_channels(channels: np.ndarray, sample_rate: int = 16000) -> list[SpeakerTurn]:
    """Turns from a (n_channels, n_samples) array; speaker `chN` is channel N (from 1).
    Overlapping speech on two microphones gives overlapping turns."""
    channels = np.asarray(channels)
    if channels.ndim != 2:
        raise ValueError(f"expected (channels, samples), got shape {channels.shape}")
    hop = max(1, int(round(FRAME * sample_rate)))
    levels = _levels_db(channels, hop)
    if levels.shape[1] == 0:
        return []
    floor = np.percentile(levels, 10, axis=1, keepdims=True)
    loud = levels > floor + ABOVE_FLOOR_DB
    near_top = levels >= levels.max(axis=0, keepdims=True) - LEAK_DB
    seconds = hop / sample_rate
    turns = []
    for c, active in enumerate(loud & near_top):
        active = bridge_and_prune(active, int(round(MIN_GAP / seconds)), int(round(MIN_TURN / seconds)))
        turns += [SpeakerTurn(round(a * seconds, 3), round(b * seconds, 3), f"ch{c + 1}")
                  for a, b in runs(active)]
    return sorted(turns, key=lambda t: (t.start, t.speaker))
