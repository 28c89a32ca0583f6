"""Cross-validated redaction scores on NorNE **train**: what the rules, lists and threshold
are chosen on, so that dev is read once, to report.

    nice python bench/crossval_redaction.py [--folds 5] [--thresholds 0.45 0.5 0.55]

NorNE train (bokmål + nynorsk) is cut into folds by document. For each fold the word-case
table the rules read (anonymise/data/word_case.tsv: how often NorNE capitalises a word in
running text) is rebuilt from the other folds only, and the held-out fold is scored, cased
and lower-cased, with the project's scorer (/work/shared/tools/redaction_score.py), once per
threshold. The NER model is off: it was trained on all of train, so it would have seen every
held-out fold. The rebuilt table counts words as the shipped one does (mid-sentence, words
seen at least twice); it is not byte-identical to it. Fold files are written to a temporary
folder, never into the project (NorNE's texts may not be republished).

`--model-holdout` scores instead, with the NER model on, the train sentences the model was
trained without (`anonymise.ner.train --holdout 1500 --seed 0`: the same shuffle picks the
same sentences), cased and lower-cased, both languages together and each alone, with the
word-case table rebuilt from the rest of train. They come from documents the model saw, so the
model's share is optimistic; it is the only view of train where the model did not learn the
very sentences."""
from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anonymise import AnonymiseOptions, gazetteers  # noqa: E402
from anonymise.tokens import OPENERS  # noqa: E402

SCORER = ROOT.parents[0] / "shared" / "tools" / "redaction_score.py"
NORNE = ROOT.parents[0] / "shared" / "data" / "norne"
TRAIN = ("no_bokmaal-norne-train.conll", "no_nynorsk-norne-train.conll")
LANGUAGES = ("bokmål", "nynorsk")
CATEGORIES = ("PERSON", "PLACE", "ORGANISATION")
MIN_COUNT = 2
MODEL_HOLDOUT = 1500  # anonymise/ner/MODEL_CARD.md: --holdout 1500, seed 0
NAME_LABEL = re.compile(r"name=([BI])-\w+")


def documents(path: Path) -> list[list[str]]:
    """The file's lines grouped by `# newdoc` comment."""
    docs: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc") or not docs:
            docs.append([])
        docs[-1].append(line)
    return docs


def word_case(lines: list[str]) -> dict[str, tuple[int, int]]:
    """word -> (lower-case, capitalised) counts in running text, as word_case.tsv holds."""
    lower, cap = Counter(), Counter()
    prev = None
    for line in lines:
        cols = line.split("\t")
        if not line.strip():
            prev = None
            continue
        if line.startswith("#") or "-" in cols[0] or "." in cols[0]:
            continue
        word = cols[1]
        if prev is not None and prev not in OPENERS and word[:1].isalpha():
            (lower if word[:1].islower() else cap)[word.lower()] += 1
        prev = word
    return {w: (lower[w], cap[w]) for w in set(lower) | set(cap)
            if lower[w] + cap[w] >= MIN_COUNT}


def sentences(path: Path) -> list[list[str]]:
    """The file's sentences as line groups (comments included), as train.py's reader sees
    them: groups without a word line are dropped."""
    groups: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if any(not ln.startswith("#") and "-" not in ln.split("\t")[0]
                                     and "." not in ln.split("\t")[0] for ln in g)]


def model_holdout() -> tuple[dict[str, list[str]], list[str]]:
    """Lines of the sentences the NER model was trained without, by language, and of the rest
    of train."""
    by_file = {name: sentences(NORNE / name) for name in TRAIN}
    total = sum(map(len, by_file.values()))
    held: dict[str, list[str]] = {}
    rest: list[str] = []
    for language, groups in zip(LANGUAGES, by_file.values()):
        order = list(range(len(groups)))
        random.Random(0).shuffle(order)  # the permutation train.py applies to its list
        chosen = set(order[:MODEL_HOLDOUT * len(groups) // total])
        held[language] = []
        for k, group in enumerate(groups):
            (held[language] if k in chosen else rest).extend(group + [""])
    return held, rest


def name_word(cols: list[str]) -> bool:
    return len(cols) > 9 and NAME_LABEL.search(cols[9]) is not None


def name_words(lines: list[str]) -> set[str]:
    """Every word (lower case) that is part of a name somewhere in the lines."""
    return {cols[1].lower() for cols in (line.split("\t") for line in lines) if name_word(cols)}


def unseen_only(held: list[str], named: set[str]) -> list[str]:
    """The held-out lines with every name word that also names something in the rest of train
    (`named`) relabelled MISC: the scorer then counts recall over unseen names only (MISC is a
    name to its precision, so catching a seen one is no false alarm). Unseen names are what the
    model cannot have memorised, as on new text."""
    out = []
    for line in held:
        cols = line.split("\t")
        if name_word(cols) and cols[1].lower() in named:
            cols[9] = NAME_LABEL.sub(r"name=\1-MISC", cols[9])
        out.append("\t".join(cols))
    return out


def lowered(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        cols = line.split("\t")
        if len(cols) > 2 and not line.startswith("#"):
            cols[1] = cols[1].lower()
        out.append("\t".join(cols))
    return out


def load_scorer():
    spec = importlib.util.spec_from_file_location("redaction_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    import anonymise

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.45, 0.5, 0.55])
    parser.add_argument("--model-holdout", action="store_true",
                        help="the NER model's held-out train sentences, model on")
    args = parser.parse_args()
    if args.model_holdout:
        return score_model_holdout(args.thresholds)
    docs = [d for name in TRAIN for d in documents(NORNE / name)]
    folds = [docs[k::args.folds] for k in range(args.folds)]
    scorer = load_scorer()
    detect = anonymise.detect
    results: dict[tuple[float, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k, held in enumerate(folds):
            rest = [line for j, fold in enumerate(folds) if j != k for d in fold for line in d]
            table = word_case(rest)
            gazetteers.word_case = lambda table=table: table
            lines = [line for d in held for line in d]
            for view, text in (("cased", lines), ("lower", lowered(lines))):
                path = Path(tmp) / f"fold{k}-{view}.conll"
                path.write_text("\n".join(text) + "\n", encoding="utf-8")
                for t in args.thresholds:
                    options = AnonymiseOptions(use_ner=False, threshold=t)
                    scorer.anonymise.detect = lambda text, language="nb", o=options: \
                        detect(text, language, o)
                    r = scorer.score(str(path))
                    results.setdefault((t, view), []).append(r)
                    print(json.dumps({"fold": k, "threshold": t, "view": view, **r}), flush=True)
    print(f"\n| threshold | view | PERSON R | PLACE R | ORG R | precision "
          f"(mean ± sd over {args.folds} folds) |")
    print("|---|---|---|---|---|---|")
    for (t, view), rs in sorted(results.items()):
        cells = [[r["recall"][c] for r in rs] for c in CATEGORIES] + [[r["precision"] for r in rs]]
        print(f"| {t} | {view} | " + " | ".join(
            f"{statistics.mean(v):.4f} ± {statistics.stdev(v):.4f}" for v in cells) + " |")


def score_model_holdout(thresholds: list[float]) -> None:
    import anonymise

    held_by_language, rest = model_holdout()
    table = word_case(rest)
    gazetteers.word_case = lambda: table
    scorer = load_scorer()
    detect = anonymise.detect
    print("| threshold | view | PERSON R | PLACE R | ORG R | precision | words/s |")
    print("|---|---|---|---|---|---|---|")
    held_by_language["both"] = [ln for lang in LANGUAGES for ln in held_by_language[lang]]
    named = name_words(rest)
    with tempfile.TemporaryDirectory() as tmp:
        for language in ("both", *LANGUAGES):
            held = held_by_language[language]
            unseen = unseen_only(held, named)
            for view, text in ((f"cased, {language}", held), (f"lower, {language}", lowered(held)),
                               (f"cased, unseen names, {language}", unseen),
                               (f"lower, unseen names, {language}", lowered(unseen))):
                score_view(scorer, detect, view, text, Path(tmp), thresholds)


def score_view(scorer, detect, view: str, text: list[str], tmp: Path,
               thresholds: list[float]) -> None:
    path = tmp / f"holdout-{view.replace(', ', '-').replace(' ', '-')}.conll"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    for t in thresholds:
        options = AnonymiseOptions(threshold=t)
        scorer.anonymise.detect = lambda text, language="nb", o=options: detect(text, language, o)
        r = scorer.score(str(path))
        rec = r["recall"]
        print(f"| {t} | model held-out, {view} | {rec['PERSON']:.4f} | {rec['PLACE']:.4f} "
              f"| {rec['ORGANISATION']:.4f} | {r['precision']:.4f} | {r['words_per_s']} |",
              flush=True)


if __name__ == "__main__":
    main()
