"""Score the NER model on NorNE dev and measure its speed; prints Markdown for the model card.

    python -m anonymise.ner.evaluate [--model anonymise/ner/model]

Entity-level precision/recall/F per label for bokmål and nynorsk dev, cased and lower-cased
(the tokenizer runs on the raw text, as in the product), and words/s of `nlp.pipe` on one
thread over the cased dev sentences.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from anonymise.ner import MODEL_DIR, load
from anonymise.ner.train import DEV_FILES, NORNE_DIR, dev_examples, evaluate, read_conll

LABELS = ("PER", "ORG", "LOC", "GPE_LOC", "GPE_ORG", "PROD", "EVT", "DRV", "MISC")


def words_per_second(nlp, texts: list[str], n_words: int) -> int:
    list(nlp.pipe(texts[:200]))  # warm-up: first calls allocate
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    return int(n_words / (time.perf_counter() - t))


def markdown(scores: dict[str, dict]) -> str:
    views = list(scores)
    head = "| label | " + " | ".join(f"{v} P / R / F" for v in views) + " |"
    rows = [head, "|---" * (len(views) + 1) + "|"]
    for label in (*LABELS, "all"):
        cells = []
        for v in views:
            s = scores[v] if label == "all" else scores[v]["per_type"].get(label)
            cells.append("–" if s is None else f"{100 * s['p']:.1f} / {100 * s['r']:.1f} / {100 * s['f']:.1f}")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=MODEL_DIR)
    ap.add_argument("--data", type=Path, default=NORNE_DIR)
    args = ap.parse_args(argv)
    # Speed is stated per core; keep numpy's BLAS to one thread as well.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    nlp = load(args.model)
    dev, texts, n_words = {}, [], 0
    for lang, name in DEV_FILES.items():
        sentences = read_conll(args.data / name)
        dev[lang] = dev_examples(nlp, sentences, lower=False)
        dev[f"{lang}-lower"] = dev_examples(nlp, sentences, lower=True)
        texts += [ex.reference.text for ex in dev[lang]]
        n_words += sum(len(s) for s in sentences)
    print(markdown(evaluate(nlp, dev)))
    print(f"\nspeed: {words_per_second(nlp, texts, n_words)} words/s (nlp.pipe, {n_words} dev words)")
    size = sum(f.stat().st_size for f in Path(args.model).rglob("*") if f.is_file())
    print(f"model size: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
