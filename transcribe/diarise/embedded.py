"""The default diariser, offline and torch-free: pyannote's segmentation model finds up to
three local speakers in each 5 s window (overlap included), resemblyzer's GE2E encoder gives
each local speaker a voice from the stretches where they speak alone, clustering turns
voices into speakers, and the windows' activity is stitched back together per speaker,
so two people talking at once give two overlapping turns."""
from __future__ import annotations

import numpy as np

from . import cluster, encoder, features, segmentation, vad_fill
from .turns import SpeakerTurn, bridge_and_prune, runs

MEL = features.HOP / features.SAMPLE_RATE  # seconds per mel frame
SEG = segmentation.FRAME / segmentation.SAMPLE_RATE  # seconds per segmentation frame
UTTERANCES = 256  # local speakers' mel sequences held before they are embedded
MATCH = 0.5  # activity cosine above which a window's local speaker is its neighbour's
SEGMENTATION_SHARE = 0.55  # of the time: the rest is the voice encoder


def window_starts(n_samples: int, step: int) -> np.ndarray:
    return segmentation.window_starts(n_samples, step)


def diarise(audio: np.ndarray, options, on_progress) -> list[SpeakerTurn]:
    if len(audio) == 0:
        return []
    starts = window_starts(len(audio), max(1, int(round(options.seg_step / SEG))))
    probs = segmentation.local_speakers(audio, starts,
                                        on_progress=lambda share: on_progress(SEGMENTATION_SHARE * share))
    active = probs > options.onset
    # every window's activity is used; only every `every`-th window's speakers are embedded
    every = max(1, int(round(options.embed_step / options.seg_step)))
    heard = np.union1d(np.arange(0, len(starts), every), [len(starts) - 1])
    voices, owners = _voices(audio, starts[heard], active[heard], options,
                             lambda share: on_progress(SEGMENTATION_SHARE + (1 - SEGMENTATION_SHARE) * share))
    owners[:, 0] = heard[owners[:, 0]]
    if len(voices) == 0:
        if not active.any():
            return []
        # someone spoke, too briefly to know their voice: one speaker, whoever it is
        speaker_of, n_speakers = np.where(active.any(axis=1), 0, -1), 1
    else:
        means = cluster.centroids(voices, options.speakers, _least_count(active, options),
                                  options.max_speakers, options.cluster_threshold,
                                  options.min_speaker_share)
        speaker_of, n_speakers = _assign(voices, owners, means, len(starts)), len(means)
        _follow(speaker_of, n_speakers, starts, probs, active, heard)
    turns = _reconstruct(starts, probs, active, speaker_of, n_speakers,
                         len(audio) / segmentation.SAMPLE_RATE, options)
    if vad_fill.applies(audio, options.vad_fill):
        turns = vad_fill.fill(turns, vad_fill.speech(audio))
    return turns


def _least_count(active, options) -> int:
    """The lower bound on the count: the segmentation model tells the voices in one window
    apart better than the encoder does across windows, so where it hears k people in
    enough windows there are at least k."""
    if options.together_share <= 0:
        return options.min_speakers
    heard = _voiced(active, options).sum(axis=1)
    k = max([k for k in range(1, segmentation.LOCAL + 1)
             if (heard >= k).mean() >= options.together_share], default=1)
    return max(options.min_speakers, min(k, options.max_speakers))


def _voiced(active, options) -> np.ndarray:
    """(windows, LOCAL): which local speakers talk for `min_voice` seconds in their window."""
    return active.sum(axis=1) >= options.min_voice / SEG


def _voices(audio, starts, active, options, on_progress) -> tuple[np.ndarray, np.ndarray]:
    """One GE2E embedding per (window, local speaker) who talks for `min_voice` seconds:
    the encoder hears only the mel frames where that speaker talks alone (overlap and
    other voices would blur the voice), or where they talk at all if they are never alone
    long enough; the frames are cut into 1.6 s partials whose embeddings are averaged, as
    resemblyzer does for an utterance. Returns the unit embeddings and
    their (window, local speaker) pairs. Utterances are embedded a few hundred at a time:
    held all at once, a long recording's would take gigabytes."""
    mel = features.mel_spectrogram(audio, features.volume_gain(audio))
    width = int(round(options.window / MEL))
    hop = max(1, int(round(options.step / MEL)))
    fpw = active.shape[1]
    # the segmentation frame each mel frame of a window falls in
    per_window = int(round(segmentation.WINDOW / features.HOP))
    seg_of_mel = np.minimum((np.arange(per_window) * MEL / SEG).astype(int), fpw - 1)
    alone = active & (active.sum(axis=2, keepdims=True) == 1)
    enough = options.min_voice / SEG
    voiced = _voiced(active, options)
    pieces, owners, voices = [], [], []

    def embed_pieces():
        x, which = encoder.embed_partials(pieces, width, hop)
        summed = np.zeros((len(pieces), x.shape[1]))
        np.add.at(summed, which, x)
        voices.append(summed / np.linalg.norm(summed, axis=1, keepdims=True))
        pieces.clear()

    for w, s in enumerate(starts):
        on_progress(w / len(starts))
        first = int(round(s * SEG / MEL))
        for k in np.flatnonzero(voiced[w]):
            mask = alone[w, :, k] if alone[w, :, k].sum() >= enough else active[w, :, k]
            frames = first + np.flatnonzero(mask[seg_of_mel])
            frames = frames[frames < len(mel)]
            if len(frames) < width // 4:
                continue
            heard = mel[frames]
            if len(heard) < width:  # resemblyzer zero-pads a short utterance
                heard = np.pad(heard, ((0, width - len(heard)), (0, 0)))
            pieces.append(heard)
            owners.append((w, k))
            if len(pieces) == UTTERANCES:
                embed_pieces()
    if pieces:
        embed_pieces()
    if not voices:
        return np.zeros((0, 256), np.float32), np.zeros((0, 2), int)
    return np.concatenate(voices), np.array(owners)


def _assign(voices, owners, means, n_windows) -> np.ndarray:
    """(n_windows, LOCAL) global speaker of each local speaker, -1 for none: the closest
    centroid, but two local speakers of one window never become the same person."""
    from scipy.optimize import linear_sum_assignment

    speaker_of = np.full((n_windows, segmentation.LOCAL), -1)
    similarity = voices @ means.T
    order = np.argsort(owners[:, 0], kind="stable")
    bounds = np.flatnonzero(np.diff(owners[order, 0])) + 1
    for rows in np.split(order, bounds):
        local, chosen = linear_sum_assignment(-similarity[rows])
        speaker_of[owners[rows[local], 0], owners[rows[local], 1]] = chosen
    return speaker_of


def _follow(speaker_of, n_speakers, starts, probs, active, heard) -> None:
    """Give the local speakers of the windows that were not embedded the global speaker of
    the embedded neighbour's local speaker whose activity they match best over the frames
    the two windows share (the same person talks at the same moments in both); in place.
    Two local speakers of one window never become the same person, and one who matches
    nobody (a voice the neighbours do not hear) stays unassigned: the windows around it
    that were embedded speak for those frames."""
    from scipy.optimize import linear_sum_assignment

    fpw = probs.shape[1]
    skipped = np.setdiff1d(np.arange(len(starts)), heard)
    after = np.searchsorted(heard, skipped)
    for w, i in zip(skipped, after):
        score = np.zeros((segmentation.LOCAL, n_speakers))
        for e in heard[max(i - 1, 0):i + 1]:
            shift = int(starts[w] - starts[e])
            shared = fpw - abs(shift)
            if shared <= 0:
                continue
            mine = probs[w, max(-shift, 0):][:shared]
            theirs = probs[e, max(shift, 0):][:shared]
            norms = np.linalg.norm(mine, axis=0)[:, None] * np.linalg.norm(theirs, axis=0)[None]
            match = (mine.T @ theirs) / np.maximum(norms, 1e-9)
            for k in np.flatnonzero(speaker_of[e] >= 0):
                g = speaker_of[e, k]
                score[:, g] = np.maximum(score[:, g], match[:, k])
        talking = np.flatnonzero(active[w].any(axis=0))
        local, chosen = linear_sum_assignment(-score[talking])
        keep = score[talking[local], chosen] >= MATCH
        speaker_of[w, talking[local[keep]]] = chosen[keep]


def _reconstruct(starts, probs, active, speaker_of, n_speakers, duration, options) -> list[SpeakerTurn]:
    """Per global frame, as many speakers as the windows say are talking on average, taken
    in order of their averaged activity; then turns per speaker."""
    fpw = probs.shape[1]
    n_frames = int(np.ceil(duration / SEG))
    size = max(n_frames, starts[-1] + fpw)
    score = np.zeros((size, n_speakers), dtype=np.float32)
    count = np.zeros(size, dtype=np.float32)
    seen = np.zeros(size, dtype=np.float32)
    for w, s in enumerate(starts):
        seen[s:s + fpw] += 1
        count[s:s + fpw] += active[w].sum(axis=1)
        for k in np.flatnonzero(speaker_of[w] >= 0):
            score[s:s + fpw, speaker_of[w, k]] += probs[w, :, k]
    seen = np.maximum(seen, 1)
    talking = np.minimum(np.rint(count / seen), n_speakers).astype(int)[:n_frames]
    rank = np.argsort(np.argsort(-score[:n_frames], axis=1), axis=1)
    on = rank < talking[:, None]
    min_gap = int(round(options.min_gap / SEG))
    min_turn = int(round(options.min_turn / SEG))
    times = np.clip(segmentation.frame_times(np.arange(n_frames + 1)), 0, duration)
    times[0], times[-1] = 0.0, duration
    turns = []
    for k in range(n_speakers):
        mask = bridge_and_prune(on[:, k], min_gap, min_turn)
        turns += [SpeakerTurn(round(float(times[a]), 3), round(float(times[b]), 3), f"spk{k}")
                  for a, b in runs(mask)]
    return sorted(turns, key=lambda t: (t.start, t.speaker))
