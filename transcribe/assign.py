"""Speaker turns onto words: who said each word, segments split where the speaker changes,
speakers numbered S1, S2, … in order of first appearance and given the study's role names."""
from __future__ import annotations

import copy

import numpy as np

from kodeklar.core.transcript import Segment, Speaker, SpeakerTurn, Transcript

CHUNK = 512        # words scored against all turns at once: bounds memory on long recordings
FLIP_GAP = 0.2     # a one-word flip inside speech this tight is a boundary error, not a reply


def _speaker_of(starts: np.ndarray, ends: np.ndarray, turns, names: list[str]) -> list[str]:
    """Per interval: the speaker whose turns overlap it most; if none does, the nearest turn's."""
    t_start = np.array([t.start for t in turns])
    t_end = np.array([t.end for t in turns])
    t_speaker = np.array([names.index(t.speaker) for t in turns])
    out = []
    for i in range(0, len(starts), CHUNK):
        s, e = starts[i:i + CHUNK, None], ends[i:i + CHUNK, None]
        overlap = np.clip(np.minimum(e, t_end) - np.maximum(s, t_start), 0, None)
        per_speaker = np.zeros((len(s), len(names)))
        np.add.at(per_speaker.T, t_speaker, overlap.T)
        distance = np.maximum(t_start - e, s - t_end)  # negative inside a turn
        nearest = t_speaker[distance.argmin(axis=1)]
        best = np.where(per_speaker.max(axis=1) > 0, per_speaker.argmax(axis=1), nearest)
        out.extend(names[b] for b in best)
    return out


def _smooth(words) -> None:
    """A single word between two words of one other speaker, with no pause either side,
    takes their speaker: a turn edge a little off, not someone else's one-word turn."""
    labels = [w.speaker for w in words]
    for i in range(1, len(words) - 1):
        before, word, after = words[i - 1], words[i], words[i + 1]
        if (labels[i - 1] == labels[i + 1] != labels[i]
                and word.start - before.end < FLIP_GAP and after.start - word.end < FLIP_GAP):
            word.speaker = labels[i - 1]


def _split(segment: Segment) -> list[Segment]:
    """The segment cut where its words change speaker; text rebuilt from the words."""
    pieces: list[list] = []
    for w in segment.words:
        if pieces and pieces[-1][-1].speaker == w.speaker:
            pieces[-1].append(w)
        else:
            pieces.append([w])
    out = []
    for n, words in enumerate(pieces):
        out.append(Segment(
            id=0,
            start=segment.start if n == 0 else words[0].start,
            end=segment.end if n == len(pieces) - 1 else words[-1].end,
            text="".join(w.text for w in words).strip(),
            speaker=words[0].speaker, words=words, flags=list(segment.flags)))
    return out


def assign_speakers(transcript: Transcript, turns, roles: dict[str, str] | None = None, *,
                    diariser: dict | None = None) -> Transcript:
    """A copy of `transcript` with a speaker on every word and segment. `turns` come from
    `transcribe.diarise`; `roles` maps ids to labels ({"S1": "Intervjuer"}); `diariser`
    (backend and options) goes into provenance.stages["diarise"]. Without turns (no
    speech found) words and segments keep no speaker."""
    out = copy.deepcopy(transcript)
    record = {**(diariser or {}), "turns": len(turns)}
    if not turns:
        for seg in out.segments:
            seg.speaker = None
            for w in seg.words:
                w.speaker = None
        out.speakers, out.turns = [], []
        out.provenance.stages["diarise"] = {**record, "speakers": 0}
        return out

    names = sorted({t.speaker for t in turns})
    words = list(out.words())
    if words:
        found = _speaker_of(np.array([w.start for w in words]), np.array([w.end for w in words]),
                            turns, names)
        for w, speaker in zip(words, found):
            w.speaker = speaker
        _smooth(words)
    wordless = [s for s in out.segments if not s.words]
    if wordless:
        found = _speaker_of(np.array([s.start for s in wordless]),
                            np.array([s.end for s in wordless]), turns, names)
        for seg, speaker in zip(wordless, found):
            seg.speaker = speaker

    segments = [piece for seg in out.segments for piece in (_split(seg) if seg.words else [seg])]
    order: dict[str, str] = {}
    for seg in segments:
        for who in [w.speaker for w in seg.words] or [seg.speaker]:
            order.setdefault(who, f"S{len(order) + 1}")
    for n, seg in enumerate(segments, start=1):
        seg.id = n
        seg.speaker = order[seg.speaker]
        for w in seg.words:
            w.speaker = order[w.speaker]
    out.segments = segments
    # a speaker heard only in overlap, under someone else's words, still keeps their turns
    for name in names:
        order.setdefault(name, f"S{len(order) + 1}")
    out.turns = [SpeakerTurn(t.start, t.end, order[t.speaker]) for t in turns]
    roles = roles or {}
    out.speakers = [Speaker(id=i, label=roles.get(i, i)) for i in order.values()]
    out.provenance.stages["diarise"] = {**record, "speakers": len(order)}
    return out
