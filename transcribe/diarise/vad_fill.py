"""Speech the segmentation model did not hear, given to the nearest speaker.

The segmentation model was trained on wideband meetings and broadcasts; in a telephone band
(300-3400 Hz) it hears far less of the speech (bench/RESULTS.md: missed speech more than
doubles). Silero VAD, which faster-whisper runs before transcription, still hears it. So on
narrowband audio each stretch the VAD calls speech and no turn covers becomes a turn of the
speaker nearest to it in time. On wideband audio the model's own activity is better than the
VAD's and the fill would only add false alarm, so there it stays off by default."""
from __future__ import annotations

import numpy as np

from .turns import SpeakerTurn, runs, spans_mask

SAMPLE_RATE = 16000
FRAME = 0.01          # seconds per mask frame
SLICE = 300           # seconds of audio the VAD reads at a time: its memory grows with the input
HIGH_BAND = 4500.0    # Hz: a phone line carries nothing above 4 kHz
NARROW_SHARE = 1e-5   # of the power above HIGH_BAND, below which the audio is narrowband
FFT = 512


def is_narrowband(audio) -> bool:
    """Whether `audio` (16 kHz, an array or a Recording) has next to no power above
    HIGH_BAND, as 8 kHz telephone audio brought to 16 kHz has; read a minute at a time.
    Wideband speech, even far-field, keeps thirty times more there or above."""
    window = np.hanning(FFT).astype(np.float32)
    high = np.fft.rfftfreq(FFT, 1 / SAMPLE_RATE) >= HIGH_BAND
    total = above = 0.0
    for i in range(0, len(audio), 60 * SAMPLE_RATE):
        piece = audio[i:i + 60 * SAMPLE_RATE]
        frames = piece[:len(piece) // FFT * FFT].reshape(-1, FFT)
        power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
        total += float(power.sum())
        above += float(power[:, high].sum())
    return total > 0 and above / total < NARROW_SHARE


def applies(audio, mode: str) -> bool:
    """Whether the fill runs on `audio` under `mode` (DiariseOptions.vad_fill)."""
    return mode == "always" or (mode == "narrowband" and is_narrowband(audio))


def speech(audio) -> np.ndarray:
    """Per FRAME, whether Silero VAD hears speech, with faster-whisper's own VAD settings
    (the ones that choose what is transcribed)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = []
    for first in range(0, len(audio), SLICE * SAMPLE_RATE):
        piece = np.asarray(audio[first:first + SLICE * SAMPLE_RATE], dtype=np.float32)
        spans += [((first + stamp["start"]) / SAMPLE_RATE, (first + stamp["end"]) / SAMPLE_RATE)
                  for stamp in get_speech_timestamps(piece, VadOptions())]
    return spans_mask(int(np.ceil(len(audio) / SAMPLE_RATE / FRAME)), spans, FRAME)


def _frame(seconds: float) -> int:
    return int(round(seconds / FRAME))


def fill(turns: list[SpeakerTurn], heard: np.ndarray) -> list[SpeakerTurn]:
    """`turns` with each run of `heard` frames that no turn covers given to the speaker
    whose turn lies nearest (the earlier one on a tie), in time order."""
    if not turns:
        return turns
    covered = np.zeros(len(heard), dtype=bool)
    for t in turns:
        covered[_frame(t.start):_frame(t.end)] = True
    by_end = sorted(turns, key=lambda t: t.end)
    by_start = sorted(turns, key=lambda t: t.start)
    ends = np.array([_frame(t.end) for t in by_end])
    starts = np.array([_frame(t.start) for t in by_start])
    added = []
    for a, b in runs(heard & ~covered):
        i = np.searchsorted(ends, a, side="right") - 1  # the last turn ended by then
        j = np.searchsorted(starts, b)                  # the first turn starting after
        before = a - ends[i] if i >= 0 else np.inf
        after = starts[j] - b if j < len(starts) else np.inf
        nearest = by_end[i] if before <= after else by_start[j]
        added.append(SpeakerTurn(round(a * FRAME, 3), round(b * FRAME, 3), nearest.speaker))
    return _joined(turns + added)


def _joined(turns: list[SpeakerTurn]) -> list[SpeakerTurn]:
    """One turn where a speaker's turns touch (a filled stretch and the turn it was given
    to), in time order: a coder reads turns, not the frames they came from."""
    out: list[SpeakerTurn] = []
    for t in sorted(turns, key=lambda t: (t.speaker, t.start)):
        if out and out[-1].speaker == t.speaker and t.start - out[-1].end <= 2 * FRAME:
            out[-1] = SpeakerTurn(out[-1].start, max(out[-1].end, t.end), t.speaker)
        else:
            out.append(t)
    return sorted(out, key=lambda t: (t.start, t.speaker))
