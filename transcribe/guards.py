"""Guards against Whisper's known failures on interview audio.

Whisper invents text in silence and noise ("Takk for at du så på!"), falls into loops that
repeat a phrase dozens of times, and is sometimes unsure of a word. These guards drop the
first, cut the second, and mark the third, so a coder sees where to listen again."""
from __future__ import annotations

import re
import unicodedata

from kodeklar.core.transcript import Word
from transcribe.engines import DecodedSegment

LOOP_MAX_PERIOD = 12  # words in the longest phrase we look for repeats of


def is_silence_text(seg: DecodedSegment, options) -> bool:
    """Whisper's own no-speech rule, applied to the final result: the model thought there
    was no speech and was not confident in what it wrote anyway."""
    if seg.no_speech_prob > options.no_speech_threshold and seg.avg_logprob < options.log_prob_threshold:
        return True
    # a segment made only of words the model barely believed is noise, not speech
    return bool(seg.words) and max(w.p for w in seg.words) < options.low_confidence / 4


def is_silent_audio(samples, start: float, end: float, sample_rate: int = 16000,
                    floor_db: float = -60.0) -> bool:
    """Text decoded over audio with no energy at all (digital silence, a muted microphone)
    is invented, whatever the model's probabilities say: speech, even whispered far from
    the microphone, is tens of dB above this floor."""
    import numpy as np

    piece = samples[int(start * sample_rate):max(int(end * sample_rate), int(start * sample_rate) + 1)]
    if len(piece) == 0:
        return True
    rms = float(np.sqrt(np.mean(np.square(piece, dtype=np.float64))))
    return 20 * np.log10(rms + 1e-12) < floor_db


def norm_text(text: str) -> str:
    """A word or sentence as a repeat detector compares it: case, accents form and punctuation folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", "", text)


def cut_repeats(words: list[Word], max_repeats: int) -> tuple[list[Word], int]:
    """Keep one copy of any phrase (1–12 words) repeated more than `max_repeats` times in a
    row. Returns the kept words and how many were cut."""
    keys = [norm_text(w.text) for w in words]
    kept: list[Word] = []
    i, cut = 0, 0
    while i < len(words):
        for period in range(1, min(LOOP_MAX_PERIOD, (len(words) - i) // (max_repeats + 1)) + 1):
            phrase = keys[i:i + period]
            if not any(phrase):
                continue
            reps = 1
            while keys[i + reps * period:i + (reps + 1) * period] == phrase:
                reps += 1
            if reps > max_repeats:
                kept.extend(words[i:i + period])
                cut += (reps - 1) * period
                i += reps * period
                break
        else:
            kept.append(words[i])
            i += 1
    return kept, cut


def flags_for(seg: DecodedSegment, options) -> list[str]:
    flags = []
    if any(w.p < options.low_confidence for w in seg.words):
        flags.append("low_confidence")
    if seg.compression_ratio > options.compression_ratio_threshold:
        flags.append("high_compression")
    return flags
