"""Redaction scores of `anonymise.detect` on NorNE dev (bokmål and nynorsk), with the
project's own scorer (/work/shared/tools/redaction_score.py), plus F2 (recall weighted
four times precision: a missed name costs more than an extra redaction).

    nice python bench/bench_redaction.py [--no-ner]

Prints one JSON line per file and a Markdown table for bench/RESULTS.md. Dev only: the NorNE
test split is reserved for independent evaluation."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = Path("/work/shared/tools/redaction_score.py")
NORNE = Path("/work/shared/data/norne")
DEV = {"bokmål": "no_bokmaal-ud-dev.conllu", "nynorsk": "no_nynorsk-ud-dev.conllu"}
CATEGORIES = ("PERSON", "PLACE", "ORGANISATION")


def f2(precision: float, recall: float) -> float:
    return 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0


# runs the scorer unchanged; --no-ner only hides the model from the registry
RUN_SCORER = """
import runpy, sys
if sys.argv[1] == "no-ner":
    from anonymise.recognizers import ner
    ner.available = lambda: False
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def score(path: Path, use_ner: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", RUN_SCORER, "ner" if use_ner else "no-ner",
                          str(SCORER), str(path)], env=env, check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    gold = result["gold_tokens"]
    caught = sum(result["recall"][c] * gold[c] for c in CATEGORIES)
    result["recall_all"] = round(caught / sum(gold.values()), 4)
    result["f2"] = {c: round(f2(result["precision"], result["recall"][c]), 4) for c in CATEGORIES}
    result["f2_all"] = round(f2(result["precision"], result["recall_all"]), 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ner", action="store_true", help="rules and gazetteers only")
    args = parser.parse_args()
    rows = []
    for name, file in DEV.items():
        r = score(NORNE / file, use_ner=not args.no_ner)
        print(json.dumps(r))
        rows.append((name, r))
    print("\n| NorNE dev | PERSON R | PLACE R | ORG R | precision | F2 (all) | words/s |")
    print("|---|---|---|---|---|---|---|")
    for name, r in rows:
        rec = r["recall"]
        print(f"| {name} | {rec['PERSON']:.4f} | {rec['PLACE']:.4f} | {rec['ORGANISATION']:.4f} "
              f"| {r['precision']:.4f} | {r['f2_all']:.4f} | {r['words_per_s']} |")


if __name__ == "__main__":
    main()
