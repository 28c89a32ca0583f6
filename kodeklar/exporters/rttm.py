"""NIST RTTM: who spoke when, for diarisation scoring (pyannote.metrics, dscore).

One SPEAKER line per diariser turn when the transcript has them, so two people talking at
once give two overlapping lines; otherwise one per run of words by one speaker (a word's
own speaker wins over its segment's, since the diariser may split a segment)."""
from __future__ import annotations

from kodeklar.exporters import Options
from kodeklar.core.transcript import Transcript

EXTENSION = "rttm"

# RTTM marks speech: a pause longer than this inside one speaker's run starts a new line
MAX_PAUSE = 0.5


def _pieces(transcript: Transcript):
    """(start, end, speaker id) of every word, or of a segment that has no words."""
    for seg in transcript.segments:
        if seg.words:
            for w in seg.words:
                yield w.start, w.end, w.speaker or seg.speaker
        elif seg.text.strip():
            yield seg.start, seg.end, seg.speaker


def _runs(transcript: Transcript) -> list[list]:
    if transcript.turns:
        return [[t.start, t.end, t.speaker] for t in transcript.turns]
    runs: list[list] = []
    for start, end, spk in _pieces(transcript):
        if not spk:
            continue
        last = runs[-1] if runs else None
        if last and last[2] == spk and start - last[1] <= MAX_PAUSE:
            last[1] = max(last[1], end)
        else:
            runs.append([start, max(start, end), spk])
    return runs


def render(transcript: Transcript, options: Options = Options()) -> str:
    # the file id must be one token
    file_id = "_".join(transcript.source.name.split()) or "recording"
    return "".join(f"SPEAKER {file_id} 1 {s:.3f} {e - s:.3f} <NA> <NA> {spk} <NA> <NA>\n"
                   for s, e, spk in _runs(transcript))
