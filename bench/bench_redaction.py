"""Redaction scores of `anonymise.detect` on NorNE dev (bokmål and nynorsk), with the
project's own scorer (/work/shared/tools/redaction_score.py), plus F2 (recall weighted
four times precision: a missed name costs more than an extra redaction).

    nice python bench/bench_redaction.py [--no-ner]

The scorer runs as a fresh process on both files, as it is meant to be run, so the first
file's words/s includes loading spaCy and the NER model; a second, warm run loads the model
before the scorer's clock starts and gives the steady rate. Prints JSON lines and a Markdown
table for bench/RESULTS.md. The NorNE test split is reserved for independent evaluation and
never read.

`--variant lower` scores a lower-cased copy (ASR output that lost its capitals), `--variant
harder` one that is also run together and misspelt as base-model output is: the words of a
multi-word name joined into one ("karinordmann") and one name word in four given a one-letter
error, with a fixed seed. The copies are written to a temporary folder, never into the
project (NorNE's texts may not be republished). `--split train` scores NorNE train instead
of dev: what rules and thresholds are chosen on."""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "redaction_score.py"
NORNE = Path(__file__).resolve().parents[2] / "shared" / "data" / "norne"
DEV = {"bokmål": "no_bokmaal-ud-dev.conllu", "nynorsk": "no_nynorsk-ud-dev.conllu"}
TRAIN = {"bokmål": "no_bokmaal-norne-train.conll", "nynorsk": "no_nynorsk-norne-train.conll"}
HARDER_TYPO_SHARE = 0.25
CATEGORIES = ("PERSON", "PLACE", "ORGANISATION")

# runs the scorer unchanged; "no-ner" hides the model from the registry, "warm" loads
# everything once before the scorer starts timing
RUN_SCORER = """
import runpy, sys
import anonymise
from anonymise.recognizers import model_ner
mode = sys.argv[1]
if mode == "no-ner":
    model_ner.available = lambda: False
if mode == "redacted-only":
    # countries (and other indirect identifiers) are flagged for review, not redacted
    from anonymise.categories import INDIRECT_CATEGORIES
    detect = anonymise.detect
    anonymise.detect = lambda *a, **k: [s for s in detect(*a, **k)
                                        if s.category not in INDIRECT_CATEGORIES]
if mode == "warm":
    anonymise.detect("Dag kom hjem til Halden.")  # loads gazetteers and, when there, the model
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def f2(precision: float, recall: float) -> float:
    return 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0


def _sentences(lines: list[str]) -> list[list[list[str]]]:
    """Token lines (split into columns) per sentence; comment and multiword lines dropped."""
    sentences, current = [], []
    for line in lines:
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if "-" not in cols[0] and "." not in cols[0]:
                current.append(cols)
    return sentences + ([current] if current else [])


def _label(cols: list[str]) -> str:
    return next((m[5:] for m in cols[9].split("|") if m.startswith("name=")), "O")


def _run_together(sentence: list[list[str]]) -> list[list[str]]:
    """The words of each multi-word name joined into its first word's line."""
    out: list[list[str]] = []
    for cols in sentence:
        label = _label(cols)
        if label.startswith("I-") and out and _label(out[-1])[2:] == label[2:]:
            out[-1][1] += cols[1]
        else:
            out.append(list(cols))
    return out


def make_variant(src: Path, variant: str, folder: Path) -> Path:
    """A copy of a NorNE file in the scorer's layout, lower-cased and, for "harder", with
    names run together and misspelt."""
    from anonymise.ner.train import _typo

    rng = random.Random(0)
    lines = []
    for sentence in _sentences(src.read_text(encoding="utf-8").splitlines()):
        if variant == "harder":
            sentence = _run_together(sentence)
        for i, cols in enumerate(sentence, start=1):
            word = cols[1]
            if variant == "harder" and _label(cols) != "O" and rng.random() < HARDER_TYPO_SHARE:
                word = _typo(word, rng)
            lines.append("\t".join([str(i), word.lower(), *cols[2:]]))
        lines.append("")
    out = folder / f"{variant}-{src.name}"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def run(mode: str, files: list[Path]) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", RUN_SCORER, mode, str(SCORER),
                          *map(str, files)],
                         env=env, check=True, capture_output=True, text=True).stdout
    results = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    for r in results:
        gold = r["gold_tokens"]
        caught = sum(r["recall"][c] * gold[c] for c in CATEGORIES)
        r["recall_all"] = round(caught / sum(gold.values()), 4)
        r["f2"] = {c: round(f2(r["precision"], r["recall"][c]), 4) for c in CATEGORIES}
        r["f2_all"] = round(f2(r["precision"], r["recall_all"]), 4)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ner", action="store_true", help="rules and gazetteers only")
    parser.add_argument("--redacted-only", action="store_true",
                        help="count only what is redacted: a country flagged for review "
                             "(category COUNTRY) is not caught")
    parser.add_argument("--variant", choices=("cased", "lower", "harder"), default="cased")
    parser.add_argument("--split", choices=("dev", "train"), default="dev")
    args = parser.parse_args()
    sources = [NORNE / f for f in (DEV if args.split == "dev" else TRAIN).values()]
    with tempfile.TemporaryDirectory() as tmp:
        files = sources if args.variant == "cased" else \
            [make_variant(f, args.variant, Path(tmp)) for f in sources]
        mode = "no-ner" if args.no_ner else "redacted-only" if args.redacted_only else "ner"
        cold = run(mode, files)
        warm = run("warm", files) if mode == "ner" else cold
    for r in cold:
        print(json.dumps(r))
    print(f"\n| NorNE {args.split} ({args.variant}) | PERSON R | PLACE R | ORG R | precision | F2 (all) "
          "| words/s (cold) | words/s (warm) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r, w in zip(DEV, cold, warm):
        rec = r["recall"]
        print(f"| {name} | {rec['PERSON']:.4f} | {rec['PLACE']:.4f} | {rec['ORGANISATION']:.4f} "
              f"| {r['precision']:.4f} | {r['f2_all']:.4f} | {r['words_per_s']} "
              f"| {w['words_per_s']} |")


if __name__ == "__main__":
    main()
