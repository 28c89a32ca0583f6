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
    # the penalty is paid in summed similarity, one term per window: stated in seconds, it
    # means the same at any step
    path = resegment.viterbi(x @ means.T, options.switch_penalty / options.step)
    speech_frames = np.flatnonzero(mask)
    labels = np.full(len(mask), -1)
    labels[speech_frames] = path[_nearest(starts + width // 2, speech_frames)]
    # mel frames are centred on samples, so the last one starts after the audio has ended
    return turns_from_labels(labels[:len(audio) // features.HOP], FRAME)


def _nearest(centres: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """For each frame, the index of the nearest window centre (`centres` sorted): a frame
    speaks with the voice of the window that hears it best centred."""
    right = np.clip(np.searchsorted(centres, frames), 0, len(centres) - 1)
    left = np.maximum(right - 1, 0)
    return np.where(frames - centres[left] <= centres[right] - frames, left, right)
