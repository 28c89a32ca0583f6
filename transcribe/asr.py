"""Speech recognition of one recording into a Transcript: engine, guards, provenance."""
from __future__ import annotations

import datetime
from typing import Callable

from kodeklar.transcript import Provenance, Segment, Source, Transcript
from transcribe import engines, guards
from transcribe.models import ModelInfo

_loaded: dict[tuple, object] = {}


def engine_for(options, model: ModelInfo):
    """One loaded engine per (engine, model, device, precision), reused across a batch."""
    key = (options.engine, str(model.path), options.device, options.compute_type, options.cpu_threads)
    if key not in _loaded:
        _loaded.clear()  # never hold two models in memory
        _loaded[key] = engines.load(options.engine, model.path, options)
    return _loaded[key]


def transcribe(audio, source: Source, options, model: ModelInfo, tool: str,
               on_progress: Callable[[float], None] | None = None) -> Transcript:
    """Decode `audio` (16 kHz mono float32) and return a guarded, timestamped Transcript."""
    engine = engine_for(options, model)
    decoded = engine.transcribe(audio, options)
    segments: list[Segment] = []
    dropped = {"silence": 0, "repeated_words": 0, "repeated_segments": 0}
    last_key, run = None, 0
    for seg in decoded.segments:
        if on_progress:
            on_progress(seg.end)
        if guards.is_silence_text(seg, options) or guards.is_silent_audio(audio, seg.start, seg.end):
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
        start = words[0].start if words else seg.start
        end = words[-1].end if words else seg.end
        segments.append(Segment(id=len(segments) + 1, start=round(start, 3), end=round(end, 3),
                                text=text, words=words, flags=flags))
    if on_progress:
        on_progress(source.duration)
    params = options.as_params()
    params.update(device=getattr(engine, "device", options.device),
                  compute_type=getattr(engine, "compute_type", options.compute_type))
    provenance = Provenance(
        tool=tool, engine=f"{engine.name} {engine.version}", model=model.name,
        model_sha256=model.sha256, params=params,
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        stages={"transcribe": {"language_probability": round(decoded.language_probability, 4),
                               "dropped": dropped}},
    )
    return Transcript(source=source, provenance=provenance,
                      language=decoded.language or options.language or "", segments=segments)
