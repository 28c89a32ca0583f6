"""Overhead of `kodeklar transcribe` over a bare faster-whisper loop, peak memory, start-up.

    python bench/bench_overhead.py [AUDIO] [--repeats N]

Both sides run as fresh processes, alternately, on the same audio with the same model and
decoding settings (bundled base, int8 CPU, beam 5, language no, VAD, word timestamps,
condition_on_previous_text off), so a shared machine's drift hits both alike. Reported:
median wall times, their ratio (goal ≤ 1.10), peak RSS of the kodeklar run, and the time
of `kodeklar --help`."""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AUDIO = ROOT.parent / "shared" / "data" / "speech" / "ub_erna.mp3"

BARE = """
import sys
from faster_whisper import WhisperModel, decode_audio
from transcribe import models
model = WhisperModel(str(models.resolve("base").path), device="cpu", compute_type="int8")
segments, info = model.transcribe(decode_audio(sys.argv[1]), language="no", beam_size=5,
    vad_filter=True, word_timestamps=True, condition_on_previous_text=False)
print(sum(len(s.words) for s in segments))
"""


# runs one command and prints its peak RSS: RUSAGE_CHILDREN of a fresh wrapper holds
# only that command, not the earlier runs of this benchmark
PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS in MB of `cmd`."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *cmd], check=True, cwd=ROOT,
                          capture_output=True, text=True)
    return time.perf_counter() - t, int(done.stdout.split()[-1]) // 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("audio", nargs="?", default=str(DEFAULT_AUDIO))
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    bare, ours, rss = [], [], 0
    for _ in range(args.repeats):
        bare.append(timed([sys.executable, "-c", BARE, args.audio])[0])
        with tempfile.TemporaryDirectory() as out:
            seconds, peak = timed([sys.executable, "-m", "kodeklar", "transcribe", args.audio,
                                   "-o", out, "--format", "json"])
        ours.append(seconds)
        rss = max(rss, peak)
    helps = [timed([sys.executable, "-m", "kodeklar", "--help"])[0] for _ in range(5)]
    python_only = [timed([sys.executable, "-c", "pass"])[0] for _ in range(5)]
    print(json.dumps({
        "audio": Path(args.audio).name,
        "bare_faster_whisper_s": [round(x, 1) for x in bare],
        "kodeklar_transcribe_s": [round(x, 1) for x in ours],
        "overhead_ratio": round(statistics.median(ours) / statistics.median(bare), 3),
        "kodeklar_peak_rss_mb": rss,
        "help_s_median": round(statistics.median(helps), 3),
        "python_startup_s_median": round(statistics.median(python_only), 3),
    }, indent=1))


if __name__ == "__main__":
    main()
