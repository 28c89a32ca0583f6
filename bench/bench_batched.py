"""`kodeklar transcribe`'s decoding (pieces, batched, guards, coverage check) against a bare
sequential `WhisperModel.transcribe` loop with the same model and settings, one after the
other in one process.

    python bench/bench_batched.py [AUDIO] [--runs seq,kodeklar,kodeklar-seq] [--rounds 2] [--batch-size 8]

A run named `kodeklar-bN` is `kodeklar` at batch size N (to compare batch sizes in one process).

The runs take turns, `--rounds` times, so that a load other jobs put on the machine falls
on all of them alike; each run's fastest round counts. Prints one JSON line per run and
round (seconds, real-time factor, words), the throughput ratios against the bare loop, and the word error rate of each run against the bare loop's text on
AUDIO and against the NPSC references of the two short clips.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "data" / "speech"
CLIPS = ("norwegian-medium-8s", "norwegian-short-3s")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def bare(model, audio, options) -> str:
    """The baseline: faster-whisper's own sequential loop, the engine's settings."""
    segments, _ = model.transcribe(
        audio, language=options.language, beam_size=options.beam_size,
        word_timestamps=options.word_timestamps, vad_filter=options.vad,
        condition_on_previous_text=options.condition_on_previous_text,
        temperature=list(options.temperature), no_speech_threshold=options.no_speech_threshold,
        log_prob_threshold=options.log_prob_threshold,
        compression_ratio_threshold=options.compression_ratio_threshold)
    return " ".join(s.text.strip() for s in segments)


def ours(audio, options, model_info) -> str:
    from kodeklar.core.transcript import Source
    from transcribe import asr

    source = Source(name="bench", sha256="0" * 64, duration=len(audio) / 16000)
    t = asr.transcribe(audio, source, options, model_info, "bench")
    return " ".join(s.text for s in t.segments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", nargs="?", type=Path, default=SPEECH / "ub_erna.mp3")
    parser.add_argument("--runs", default="seq,kodeklar,kodeklar-seq")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=0, help="0 = the engine's default")
    args = parser.parse_args()

    import jiwer

    from transcribe import asr, audio as audio_mod, models
    from transcribe.options import TranscribeOptions

    info = models.resolve("base")
    options = TranscribeOptions(device="cpu", batch_size=args.batch_size)
    engine = asr.engine_for(options, info)          # loaded once, outside the timings
    model = engine.model                            # the same WhisperModel, cpu_threads = cores
    inputs = {"main": audio_mod.decode(args.audio)[0]}
    inputs.update({c: audio_mod.decode(SPEECH / f"{c}.mp3")[0] for c in CLIPS})
    refs = {c: (SPEECH / f"{c}.ref.txt").read_text(encoding="utf-8") for c in CLIPS}
    runs = {"seq": lambda a: bare(model, a, options),
            "kodeklar": lambda a: ours(a, options, info),
            "kodeklar-seq": lambda a: ours(a, dataclasses.replace(options, batch_size=1), info)}
    for name in args.runs.split(","):
        if name.startswith("kodeklar-b"):
            sized = dataclasses.replace(options, batch_size=int(name.removeprefix("kodeklar-b")))
            runs[name] = lambda a, o=sized: ours(a, o, info)
    results = {}
    for round_ in range(args.rounds):
        for name in args.runs.split(","):
            t0 = time.perf_counter()
            text = runs[name](inputs["main"])
            seconds = time.perf_counter() - t0
            line = {"run": name, "round": round_ + 1, "seconds": round(seconds, 2),
                    "rtf": round(seconds / (len(inputs["main"]) / 16000), 3),
                    "words": len(norm(text).split())}
            print(json.dumps(line), flush=True)
            if name not in results:
                clips = {c: runs[name](inputs[c]) for c in CLIPS}
                results[name] = {"text": text, "seconds": seconds,
                                 "wer_clips": round(jiwer.wer([norm(refs[c]) for c in CLIPS],
                                                              [norm(clips[c]) for c in CLIPS]), 3)}
            results[name]["seconds"] = min(results[name]["seconds"], seconds)
    for name, r in results.items():
        print(json.dumps({"run": name, "best_seconds": round(r["seconds"], 2), "wer_clips": r["wer_clips"]}))
    if "seq" in results:
        base = results["seq"]
        for name, r in results.items():
            if name != "seq":
                print(json.dumps({"run": name, "throughput_vs_seq": round(base["seconds"] / r["seconds"], 2),
                                  "wer_vs_seq_text": round(jiwer.wer(norm(base["text"]), norm(r["text"])), 3)}))
    print(json.dumps({"cores": os.cpu_count(), "load": os.getloadavg()[0], "batch_size": args.batch_size,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


if __name__ == "__main__":
    main()
