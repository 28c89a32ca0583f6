"""A long test recording from the speech at hand: `--copies` copies of ub_erna.mp3 and the
sample dialogue with pauses between them and a quiet minute of low noise in the middle.

    python bench/make_long.py OUT.wav [--copies 7]      # 7 copies: about 29 minutes
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

RATE = 16000


def main() -> None:
    from media import speech, write_wav

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=7)
    args = parser.parse_args()
    talk = np.concatenate([speech(ROOT.parent / "shared" / "data" / "speech" / "ub_erna.mp3"),
                           np.zeros(3 * RATE, np.float32),
                           speech(ROOT / "sample_audio" / "dialogue.flac")])
    pause = np.zeros(5 * RATE, np.float32)
    quiet = (np.random.default_rng(0).standard_normal(60 * RATE) * 0.002).astype(np.float32)
    parts = []
    for i in range(args.copies):
        parts += [talk, pause] + ([quiet] if i == args.copies // 2 else [])
    samples = np.concatenate(parts)
    write_wav(args.out, samples, RATE)
    print(f"{args.out}: {len(samples) / RATE:.0f} s")


if __name__ == "__main__":
    main()
