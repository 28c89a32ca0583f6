"""Speech recognition of one recording into a Transcript: pieces, engine, guards, coverage
check, provenance."""
from __future__ import annotations

import dataclasses
import datetime
import os
import platform
from typing import Callable, Iterable

from kodeklar.core.transcript import (Provenance, Segment, Source, Span,
    Transcript, segment_from_dict)
from transcribe import coverage, engines, guards, pieces
from transcribe.models import ModelInfo

_loaded: dict[tuple, object] = {}


def engine_for(options, model: ModelInfo):
    """One loaded engine per (engine, model, device, precision), reused across a batch."""
    key = (options.engine, str(model.path), options.device, options.compute_type, options.cpu_threads)
    if key not in _loaded:
        _loaded.clear()  # never hold two models in memory
        _loaded[key] = engines.load(options.engine, model.path, options)
    return _loaded[key]


def release() -> None:
    """Unload the speech model, so that a long recording's diarisation does not hold it too;
    the next recording loads it again."""
    _loaded.clear()


def retry_options(options):
    """How a stretch of speech left without words is decoded again: Whisper's no-speech
    skip, the VAD and the glossary prompt are each a way such a stretch gets lost; and the
    sequential decoder, with its own windowing, where the first pass was batched. Nor is a
    reading re-sampled at every temperature for its low average log-probability: such
    stretches (crosstalk, distant voices) are where that costs most, and the words' own
    probabilities mark an unsure reading for the coder anyway."""
    return dataclasses.replace(options, vad=False, no_speech_threshold=None, glossary=[],
                               batch_size=1, log_prob_threshold=None)


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
        words = _moved(words, offset)
        start = words[0].start if words else seg.start + offset
        end = words[-1].end if words else seg.end + offset
        segments.append(Segment(id=len(segments) + 1, start=round(start, 3), end=round(end, 3),
                                text=text, words=words, flags=flags))
    return segments


def _moved(words, offset: float) -> list:
    """The words `offset` seconds later, as the Transcript stores times (milliseconds)."""
    return [dataclasses.replace(w, start=round(w.start + offset, 3), end=round(w.end + offset, 3))
            for w in words]


def _decode_piece(engine, piece, options, on_progress, offset: float) -> dict:
    """One piece decoded, guarded and coverage-checked, as a checkpoint record with
    absolute times."""
    decoded = engine.transcribe(piece, options)
    dropped = {"silence": 0, "repeated_words": 0, "repeated_segments": 0}
    progress = (lambda t: on_progress(offset + t)) if on_progress else None
    segments = _guarded(decoded.segments, piece, options, dropped, on_progress=progress)
    untranscribed, stats = [], {}
    if options.coverage_min_gap > 0:
        retry = retry_options(options)

        def redecode(start: float, end: float) -> list[Segment]:
            part = piece[int(start * coverage.SAMPLE_RATE):int(end * coverage.SAMPLE_RATE)]
            decoded = engine.transcribe(part, retry, max_tokens=coverage.token_budget(end - start))
            return _guarded(decoded.segments, part, retry, dropped, offset=start)

        checked = coverage.check(piece, segments, options.coverage_min_gap, redecode)
        segments, untranscribed, stats = checked.segments, checked.untranscribed, checked.stats
    for seg in segments:
        seg.start, seg.end = round(seg.start + offset, 3), round(seg.end + offset, 3)
        seg.words = _moved(seg.words, offset)
    return {"end": round(offset + len(piece) / coverage.SAMPLE_RATE, 3),
            "language": decoded.language, "language_probability": decoded.language_probability,
            "segments": [dataclasses.asdict(s) for s in segments],
            "untranscribed": [[round(u.start + offset, 2), round(u.end + offset, 2)] for u in untranscribed],
            "dropped": dropped, "coverage": stats}


def transcribe(audio, source: Source, options, model: ModelInfo, tool: str,
               on_progress: Callable[[float], None] | None = None,
               checkpoint: pieces.Checkpoint | None = None) -> Transcript:
    """Decode `audio` (16 kHz mono float32: an array or a Recording) piece by piece and return a guarded,
    coverage-checked, timestamped Transcript. With a `checkpoint`, pieces an interrupted
    run saved are taken from it and each new piece is saved as soon as it is decoded."""
    engine = engine_for(options, model)
    bounds = [0.0, *pieces.cut_points(audio, options.piece_seconds), len(audio) / coverage.SAMPLE_RATE]
    done = checkpoint.load() if checkpoint else []
    if [p["end"] for p in done] != [round(b, 3) for b in bounds[1:len(done) + 1]]:
        done = []  # cut elsewhere: not this recording's pieces
    for start, end in zip(bounds[len(done):-1], bounds[len(done) + 1:]):
        if on_progress:
            on_progress(start)
        piece = audio[int(start * coverage.SAMPLE_RATE):int(end * coverage.SAMPLE_RATE)]
        done.append(_decode_piece(engine, piece, options, on_progress, start))
        if checkpoint:
            checkpoint.save(done)
    segments = [segment_from_dict(s) for p in done for s in p["segments"]]
    for i, seg in enumerate(segments, 1):
        seg.id = i
    stage = {"language_probability": round(done[0]["language_probability"], 4),
             "dropped": _sum(p["dropped"] for p in done), "pieces": len(done)}
    if options.coverage_min_gap > 0:
        stage["coverage"] = {k: round(v, 1) for k, v in _sum(p["coverage"] for p in done).items()}
    if on_progress:
        on_progress(source.duration)
    params = options.as_params()
    # the words can depend on the thread counts (summing order) and on the processor
    # (CTranslate2 multiplies int8 with MKL on Intel, oneDNN elsewhere), so the transcript
    # says which; not part of the cache key: a Slurm task and its finishing job may run on
    # other nodes
    params.update(device=getattr(engine, "device", options.device),
                  compute_type=getattr(engine, "compute_type", options.compute_type),
                  threads=getattr(engine, "threads", options.cpu_threads),
                  batch_size=options.batch_size or getattr(engine, "batch_size", 1),
                  omp_num_threads=os.environ.get("OMP_NUM_THREADS", ""), cpu=processor())
    provenance = Provenance(
        tool=tool, engine=f"{engine.name} {engine.version}", model=model.name,
        model_sha256=model.sha256, params=params,
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        stages={"transcribe": stage},
    )
    return Transcript(source=source, provenance=provenance,
                      language=done[0]["language"] or options.language or "", segments=segments,
                      untranscribed=[Span(a, b) for p in done for a, b in p["untranscribed"]])


def processor() -> str:
    """The CPU's model name as Linux gives it, else what `platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _sum(dicts) -> dict:
    total: dict = {}
    for d in dicts:
        for k, v in d.items():
            total[k] = total.get(k, 0) + v
    return total
