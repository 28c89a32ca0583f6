"""Coverage check: speech the recogniser left without words is decoded again, and what
still has no words is named, so that no answer of an informant goes missing unseen.

Whisper skips a whole 30 s window when it judges the window to hold no speech (it does so
on telephone-band audio, on a quiet opening after a pause, and more often when the glossary
prompt is given). Where the voice activity detector and a plain energy measure agree that
there is speech but no word lies, the stretch is decoded once more on its own: without the
VAD, without the no-speech skip, without the prompt, in a window no longer than the stretch.
Times here are seconds; masks are per FRAME."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

from kodeklar.core.transcript import Segment, Span
from transcribe.diarise.turns import runs, spans_mask

SAMPLE_RATE = 16000
FRAME = 0.02                 # seconds per mask frame
WORD_REACH = 1.0             # a word accounts for the speech this close to it (word times are rough)
JOIN = 1.0                   # uncovered pieces closer than this are one stretch
ENERGY_ABOVE_FLOOR_DB = 10.0  # a frame is loud when this far above the recording's quiet level
ENERGY_MIN_DB = -55.0        # and above this absolute level (digital silence is never speech)
ENERGY_HOLD = 0.3            # short dips inside a word are not pauses
RETRY_WINDOW = 25.0          # seconds; Whisper sees at most 30
WORD_JUMP = 3.0              # seconds between two words of one segment that cannot be one utterance
TOKENS_PER_SECOND = 15       # well above fast speech, timestamp tokens included
MAX_TOKENS = 220             # what a window may hold after the longest prompt Whisper carries over


@dataclass
class Check:
    segments: list[Segment]
    untranscribed: list[Span]
    stats: dict


def frame_db(samples):
    """The energy of each FRAME in dB, without a full-length float64 copy."""
    import numpy as np

    hop = int(FRAME * SAMPLE_RATE)
    n = len(samples) // hop
    db = np.empty(n, dtype=np.float32)
    step = 1 << 16  # frames at a time
    for i in range(0, n, step):
        piece = samples[i * hop:min(n, i + step) * hop].reshape(-1, hop).astype(np.float64)
        db[i:i + len(piece)] = 10 * np.log10(np.mean(piece * piece, axis=1) + 1e-12)
    return db


def loud_frames(samples):
    """Frames whose energy stands out from the recording's own quiet level."""
    import numpy as np

    db = frame_db(samples)
    if len(db) == 0:
        return np.zeros(0, dtype=bool)
    floor = float(np.percentile(db, 10))
    loud = db > max(floor + ENERGY_ABOVE_FLOOR_DB, ENERGY_MIN_DB)
    hold = int(ENERGY_HOLD / FRAME)
    for first, end in runs(~loud):
        if end - first <= hold and first > 0 and end < len(db):
            loud[first:end] = True
    return loud


def speech_frames(samples):
    """Where Silero VAD and the energy measure both hear speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    loud = loud_frames(samples)
    stamps = get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=500, speech_pad_ms=100))
    vad = spans_mask(len(loud), [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps], FRAME)
    return vad & loud


def gaps(speech, segments: list[Segment], min_gap: float) -> list[Span]:
    """Stretches of speech of at least `min_gap` seconds with no word near them."""
    covered = spans_mask(len(speech), [(w.start, w.end) for s in segments for w in (s.words or [s])],
                         FRAME, reach=WORD_REACH)
    out: list[Span] = []
    for first, end in runs(speech & ~covered):
        start, stop = first * FRAME, end * FRAME
        if out and start - out[-1].end < JOIN:
            out[-1].end = stop
        else:
            out.append(Span(start, stop))
    return [Span(round(g.start, 2), round(g.end, 2)) for g in out if g.end - g.start >= min_gap]


def _heard(speech, start: float, end: float) -> bool:
    return bool(speech[int(start / FRAME):max(int(end / FRAME), int(start / FRAME) + 1)].any())


def place_on_speech(segments: list[Segment], speech) -> int:
    """Move words that lie on no speech onto the speech they belong to; returns how many.

    faster-whisper maps a word back from VAD-joined audio by the chunk its middle falls
    in, so a word at the join of two chunks can land where the silence or noise between
    them began, up to minutes before it was said. Such a word either starts long before
    the speech under it (its start moves to the speech), or sits on no speech at all,
    seconds before the next word of its segment (it moves to just before that word)."""
    import numpy as np

    moved = 0
    for seg in segments:
        words = seg.words
        for i in range(len(words) - 1, -1, -1):
            w = words[i]
            if _heard(speech, w.start, w.end):
                first = int(w.start / FRAME) + int(np.argmax(speech[int(w.start / FRAME):int(w.end / FRAME) + 1]))
                if first * FRAME - w.start > WORD_JUMP:
                    w.start, moved = round(first * FRAME, 3), moved + 1
            elif i + 1 < len(words) and words[i + 1].start - w.end > WORD_JUMP:
                length = w.end - w.start
                w.end = words[i + 1].start
                w.start, moved = round(w.end - length, 3), moved + 1
        if words:
            seg.start, seg.end = words[0].start, words[-1].end
    return moved


def split_at_jumps(segments: list[Segment]) -> list[Segment]:
    """One segment per run of words without a WORD_JUMP between them: a segment whose
    words lie far apart (one of them misplaced, or a long pause the VAD had cut out) would
    otherwise start, and send a coder's "jump to audio", far from most of its words."""
    out: list[Segment] = []
    for seg in segments:
        runs: list[list] = []
        for w in seg.words:
            if runs and w.start - runs[-1][-1].end <= WORD_JUMP:
                runs[-1].append(w)
            else:
                runs.append([w])
        if len(runs) < 2:
            out.append(seg)
            continue
        for words in runs:
            out.append(dataclasses.replace(seg, start=words[0].start, end=words[-1].end, words=words,
                                           text="".join(w.text for w in words).strip(),
                                           flags=list(seg.flags)))
    return out


def token_budget(seconds: float) -> int:
    """The most tokens a retry of `seconds` of audio may decode. A stretch the first pass
    found no words in is often one Whisper loops on; without a bound each loop runs to the
    window's full length at every fallback temperature, for text the compression guard
    throws away anyway."""
    return min(MAX_TOKENS, int(TOKENS_PER_SECOND * seconds) + 10)


def _pieces(span: Span, duration: float) -> list[tuple[float, float]]:
    start, end = max(0.0, span.start - 0.5), min(duration, span.end + 0.5)
    count = max(1, int((end - start) // RETRY_WINDOW) + 1)
    step = (end - start) / count
    return [(start + i * step, start + (i + 1) * step) for i in range(count)]


def check(samples, segments: list[Segment], min_gap: float,
          redecode: Callable[[float, float], list[Segment]]) -> Check:
    """Put words on the speech they belong to, find speech without words, decode each such
    stretch again with `redecode(start, end)`, and return all segments in time order with
    what is still untranscribed."""
    speech = speech_frames(samples)
    moved = place_on_speech(segments, speech)
    segments = split_at_jumps(segments)
    duration = len(samples) / SAMPLE_RATE
    missing = gaps(speech, segments, min_gap)
    recovered: list[Segment] = []
    for span in missing:
        for start, end in _pieces(span, duration):
            recovered += [s for s in redecode(start, end) if s.words or s.text.strip()]
    for seg in recovered:
        seg.flags = sorted(set(seg.flags) | {"recovered"})
    merged = sorted(segments + recovered, key=lambda s: (s.start, s.end))
    for i, seg in enumerate(merged, 1):
        seg.id = i
    still = gaps(speech, merged, min_gap) if missing else []
    stats = {"speech_seconds": round(float(speech.sum()) * FRAME, 1), "words_moved": moved,
             "retried": len(missing), "recovered_segments": len(recovered),
             "untranscribed_seconds": round(sum(s.end - s.start for s in still), 1)}
    return Check(merged, still, stats)
