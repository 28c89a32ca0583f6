"""The default diariser, offline and download-free: Silero VAD for speech, resemblyzer's
GE2E encoder (ONNX) on sliding windows for voices, agglomerative clustering for speakers,
and a Viterbi pass that places speaker changes anywhere, not only at pauses."""
from __future__ import annotations

import numpy as np

from . import cluster, encoder, features, resegment, speech
from .turns import Turn, turns_from_labels

FRAME = features.HOP / features.SAMPLE_RATE  # seconds per mel frame


def _window_starts(mask: np.ndarray, width: int, step: int) -> np.ndarray:
    """First frame of each window, one every `step` frames whose centre is speech, shifted
    inside the recording at its edges."""
    centres = np.arange(0, len(mask), step)
    centres = centres[mask[centres]]
    return np.clip(centres - width // 2, 0, max(len(mask) - width, 0))


def diarize(audio: np.ndarray, options) -> list[Turn]:
    if len(audio) == 0:
        return []
    audio = features.normalize_volume(audio)
    mel = features.mel_spectrogram(audio)
    frames = lambda seconds: max(1, int(round(seconds / FRAME)))  # noqa: E731
    mask = speech.speech_mask(audio, len(mel), features.HOP, options.vad_threshold,
                              min_gap=frames(0.3), min_speech=frames(0.1),
                              pad=frames(options.speech_pad))
    width, step = frames(options.window), frames(options.step)
    starts = _window_starts(mask, width, step)
    if len(starts) == 0:
        return []
    if len(mel) < width:  # a recording shorter than one window: zero-pad as resemblyzer does
        mel = np.pad(mel, ((0, width - len(mel)), (0, 0)))
    x = encoder.embed(mel, starts, width)
    means = cluster.centroids(x, options.speakers, options.min_speakers, options.max_speakers,
                              options.cluster_threshold, options.min_speaker_share)
    path = resegment.viterbi(x @ means.T, options.switch_penalty)
    # every speech frame takes the label of the window whose centre is nearest
    centres = starts + width // 2
    speech_frames = np.flatnonzero(mask)
    nearest = np.clip(np.searchsorted(centres, speech_frames), 1, len(centres) - 1) \
        if len(centres) > 1 else np.zeros(len(speech_frames), dtype=int)
    if len(centres) > 1:
        left_closer = speech_frames - centres[nearest - 1] <= centres[nearest] - speech_frames
        nearest = np.where(left_closer, nearest - 1, nearest)
    labels = np.full(len(mask), -1)
    labels[speech_frames] = path[nearest]
    return turns_from_labels(labels, FRAME)
