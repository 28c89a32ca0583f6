"""faster-whisper (int8) against openai-whisper (float32): same model, same audio, same
beam size and language, one after the other in one process, same number of threads.
faster-whisper at float32 runs too, to tell the engines' difference from int8's.

    python bench/bench_engines.py [AUDIO] [--seconds N] [--beam-size 5] [--model base]

Prints one line per run (load time, transcription time, real-time factor), the speed ratios
and the word error rate between transcripts; `--json` prints the same as JSON. The real-time factor is transcription time over
audio duration (lower is faster); loading, and converting the model for openai-whisper on
its first run, are timed apart.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

DEFAULT_AUDIO = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech" / "ub_erna.mp3"
RUNS = (("faster-whisper", "int8"), ("faster-whisper", "float32"), ("openai-whisper", "float32"))


def run(engine_name: str, compute_type: str, model_dir: Path, audio, args) -> dict:
    from transcribe import engines
    from transcribe.options import TranscribeOptions

    options = TranscribeOptions(engine=engine_name, language=args.language, device="cpu",
                                compute_type=compute_type, beam_size=args.beam_size,
                                cpu_threads=args.threads)
    started = time.perf_counter()
    engine = engines.load(engine_name, model_dir, options)
    loaded = time.perf_counter()
    segments = list(engine.transcribe(audio, options).segments)  # the generator does the work
    done = time.perf_counter()
    duration = len(audio) / 16000
    return {"engine": f"{engine.name} {engine.version}", "compute_type": compute_type,
            "load_s": round(loaded - started, 2), "transcribe_s": round(done - loaded, 2),
            "rtf": round((done - loaded) / duration, 3),
            "words": sum(len(s.words) for s in segments),
            "text": " ".join(s.text.strip() for s in segments)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", nargs="?", type=Path, default=DEFAULT_AUDIO)
    parser.add_argument("--seconds", type=float, help="only the first N seconds of the audio")
    parser.add_argument("--model", default="base")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--language", default="no")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import jiwer

    from transcribe import models
    from transcribe.audio import decode

    audio, _ = decode(args.audio)
    if args.seconds:
        audio = audio[:int(args.seconds * 16000)]
    model_dir = models.resolve(args.model).path
    load_before = os.getloadavg()[0]
    results = [run(name, compute_type, model_dir, audio, args) for name, compute_type in RUNS]
    fast, fast32, slow = results
    summary = {"audio": args.audio.name, "seconds": round(len(audio) / 16000, 1),
               "model": args.model, "beam_size": args.beam_size, "threads": args.threads,
               "machine": f"{platform.machine()} {os.cpu_count()} cores, no GPU",
               # other work on the machine slows both engines, not necessarily alike
               "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
               "speed_ratio": round(slow["transcribe_s"] / fast["transcribe_s"], 2),
               "speed_ratio_float32": round(slow["transcribe_s"] / fast32["transcribe_s"], 2),
               # openai-whisper's transcript as the reference for both faster-whisper runs
               "wer_int8": round(jiwer.wer(slow["text"], fast["text"]), 3),
               "wer_float32": round(jiwer.wer(slow["text"], fast32["text"]), 3),
               "runs": [{k: v for k, v in r.items() if k != "text"} for r in results]}
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"{summary['audio']} {summary['seconds']} s, model {args.model}, beam {args.beam_size}, "
          f"language {args.language}, {args.threads} threads, {summary['machine']}")
    for r in summary["runs"]:
        print(f"  {r['engine']:<26} {r['compute_type']:<8} load {r['load_s']:>6.1f} s  "
              f"transcribe {r['transcribe_s']:>7.1f} s  RTF {r['rtf']:.3f}  {r['words']} words")
    print(f"  openai-whisper float32 / faster-whisper: {summary['speed_ratio']}x slower than int8, "
          f"{summary['speed_ratio_float32']}x than float32")
    print(f"  WER of faster-whisper against openai-whisper: int8 {summary['wer_int8']}, "
          f"float32 {summary['wer_float32']}; load average {summary['load_average']}")


if __name__ == "__main__":
    main()
