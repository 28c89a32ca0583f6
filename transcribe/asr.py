"""Speech recognition of one recording into a Transcript: engine, guards, coverage check,
provenance."""
from __future__ import annotations

import dataclasses
import datetime
from typing import Callable, Iterable

from kodeklar.transcript import Provenance, Segment, Source, Transcript, Word
from transcribe import coverage, engines, guards
from transcribe.models import ModelInfo

_loaded: dict[tuple, object] = {}


def engine_for(options, model: ModelInfo):
    """One loaded engine per (engine, model, device, precision), reused across a batch."""
    key = (options.engine, str(model.path), options.device, options.compute_type, options.cpu_threads)
    if key not in _loaded:
        _loaded.clear()  # never hold two models in memory
        _loaded[key] = engines.load(options.engine, model.path, options)
    return _loaded[key]


def retry_options(options):
    """How a stretch of speech left without words is decoded again: Whisper's no-speech
    skip, the VAD and the glossary prompt are each a way such a stretch gets lost."""
    return dataclasses.replace(options, vad=False, no_speech_threshold=None, glossary=[])


def _guarded(decoded: Iterable[engines.DecodedSegment], audio, options, dropped: dict,
             offset: float = 0.0, on_progress: Callable[[float], None] | None = None) -> list[Segment]:
    """The decoded segments that pass the guards, as Segments at `offset` seconds."""
    segments: list[Segment] = []
    last_key, run = None, 0
    for seg in decoded:
        if on_progress:
            on_progress(offset + seg.end)
        # with the no-speech rule off (a retry over heard speech) the model's own opinion
        # that there is none is not asked
        if (options.no_speech_threshold is not None and guards.is_silence_text(seg, options)) \
                or guards.is_silent_audio(audio, seg.start, seg.end):
            dropped["silence"] += 1
            continue
        words, cut = guards.cut_repeats(seg.words, options.max_repeats)
        dropped["repeated_words"] += cut
        text = "".join(w.text for w in words).strip() if words else seg.text.strip()
        key = guards.norm_text(text)
        run = run + 1 if key == last_key else 1
        last_key = key
        if not key or run > options.max_repeats:
            dropped["repeated_segments"] += bool(key)
            continue
        flags = guards.flags_for(seg, options) + (["repetition_cut"] if cut else [])
        words = [dataclasses.replace(w, start=round(w.start + offset, 3), end=round(w.end + offset, 3))
                 for w in words]
        start = words[0].start if words else seg.start + offset
        end = words[-1].end if words else seg.end + offset
        segments.append(Segment(id=len(segments) + 1, start=round(start, 3), end=round(end, 3),
                                text=text, words=words, flags=flags))
    return segments


def transcribe(audio, source: Source, options, model: ModelInfo, tool: str,
               on_progress: Callable[[float], None] | None = None) -> Transcript:
    """Decode `audio` (16 kHz mono float32) and return a guarded, timestamped Transcript."""
    engine = engine_for(options, model)
    decoded = engine.transcribe(audio, options)
    dropped = {"silence": 0, "repeated_words": 0, "repeated_segments": 0}
    segments = _guarded(decoded.segments, audio, options, dropped, on_progress=on_progress)
    stage = {"language_probability": round(decoded.language_probability, 4), "dropped": dropped}
    untranscribed = []
    if options.coverage_min_gap > 0:
        retry = retry_options(options)

        def redecode(start: float, end: float) -> list[Segment]:
            piece = audio[int(start * coverage.SAMPLE_RATE):int(end * coverage.SAMPLE_RATE)]
            return _guarded(engine.transcribe(piece, retry).segments, piece, retry, dropped, offset=start)

        checked = coverage.check(audio, segments, options.coverage_min_gap, redecode)
        segments, untranscribed = checked.segments, checked.untranscribed
        stage["coverage"] = checked.stats
    if on_progress:
        on_progress(source.duration)
    params = options.as_params()
    params.update(device=getattr(engine, "device", options.device),
                  compute_type=getattr(engine, "compute_type", options.compute_type))
    provenance = Provenance(
        tool=tool, engine=f"{engine.name} {engine.version}", model=model.name,
        model_sha256=model.sha256, params=params,
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        stages={"transcribe": stage},
    )
    return Transcript(source=source, provenance=provenance,
                      language=decoded.language or options.language or "", segments=segments,
                      untranscribed=untranscribed)
