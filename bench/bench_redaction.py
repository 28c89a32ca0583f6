"""Redaction scores of `anonymise.detect` on NorNE dev (bokmål and nynorsk), with the
project's own scorer (/work/shared/tools/redaction_score.py), plus F2 (recall weighted
four times precision: a missed name costs more than an extra redaction).

    nice python bench/bench_redaction.py [--no-ner]

The scorer runs as a fresh process on both files, as it is meant to be run, so the first
file's words/s includes loading spaCy and the NER model; a second, warm run loads the model
before the scorer's clock starts and gives the steady rate. Prints JSON lines and a Markdown
table for bench/RESULTS.md. Dev only: the NorNE test split is reserved for independent
evaluation."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "redaction_score.py"
NORNE = Path(__file__).resolve().parents[2] / "shared" / "data" / "norne"
DEV = {"bokmål": "no_bokmaal-ud-dev.conllu", "nynorsk": "no_nynorsk-ud-dev.conllu"}
CATEGORIES = ("PERSON", "PLACE", "ORGANISATION")

# runs the scorer unchanged; "no-ner" hides the model from the registry, "warm" loads
# everything once before the scorer starts timing
RUN_SCORER = """
import runpy, sys
import anonymise
from anonymise.recognizers import ner
mode = sys.argv[1]
if mode == "no-ner":
    ner.available = lambda: False
if mode == "warm":
    anonymise.detect("Dag kom hjem til Halden.")  # loads gazetteers and, when there, the model
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def f2(precision: float, recall: float) -> float:
    return 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0


def run(mode: str) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", RUN_SCORER, mode, str(SCORER),
                          *(str(NORNE / f) for f in DEV.values())],
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
    args = parser.parse_args()
    cold = run("no-ner" if args.no_ner else "ner")
    warm = run("warm") if not args.no_ner else cold
    for r in cold:
        print(json.dumps(r))
    print("\n| NorNE dev | PERSON R | PLACE R | ORG R | precision | F2 (all) "
          "| words/s (cold) | words/s (warm) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r, w in zip(DEV, cold, warm):
        rec = r["recall"]
        print(f"| {name} | {rec['PERSON']:.4f} | {rec['PLACE']:.4f} | {rec['ORGANISATION']:.4f} "
              f"| {r['precision']:.4f} | {r['f2_all']:.4f} | {r['words_per_s']} "
              f"| {w['words_per_s']} |")


if __name__ == "__main__":
    main()
