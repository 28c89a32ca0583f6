"""Train kodeklar's Norwegian NER model (spaCy tok2vec + ner) on NorNE.

    nice -n 5 python -m anonymise.ner.train --out anonymise/ner/model

Data: NorNE train (bokmål + nynorsk, `*-norne-train.conll`) to train, NorNE dev
(`*-ud-dev.conllu`) to pick the best epoch. The NorNE test split is never read. Labels are
NorNE's own (PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV, MISC), kept unmapped so the
recognizer can decide which to redact.

Whisper output often loses capitals and sentence-final punctuation, so each epoch a share of
the training sentences is lower-cased and a share loses its final punctuation
(`--lower-share`, `--nopunct-share`). So that the model learns what a name looks like in
context rather than NorNE's own names, a share of the names is swapped for gazetteer names
(`--swap-share`; `--foreign-share` of the swapped person names come from other countries'
names) and a share of name words gets a one-letter misspelling (`--typo-share`), as ASR makes.
The run writes the best epoch (mean entity F over the four views: bokmål/nynorsk,
cased/lower-cased, of NorNE dev, or of `--holdout` train sentences kept out of training so that
dev is read only to report) to `--out` and a JSON log next to it. `--init-from` continues
from an existing model instead of starting afresh.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anonymise.ner import add_word_flags, load

NORNE_DIR = Path("/work/shared/data/norne")
TRAIN_FILES = ("no_bokmaal-norne-train.conll", "no_nynorsk-norne-train.conll")
DEV_FILES = {"nb": "no_bokmaal-ud-dev.conllu", "nn": "no_nynorsk-ud-dev.conllu"}
FINAL_PUNCT = {".", "!", "?", "|", ":"}

# The efficiency-style pipeline of spaCy's quickstart: hashed NORM/PREFIX/SUFFIX/SHAPE
# embeddings, a small CNN, no static vectors, so nothing is downloaded and the model stays small.
# Two features more: FLAG40 (anonymise.ner.COMMON_WORD_FLAG), whether the word is a form of a
# Norwegian common word (Norsk Ordbank's bokmål forms, nynorsk forms). In lower-cased text,
# where the shape says nothing, that is most of what tells a name the model never saw from a word.
# And FLAG41 (COMPOUND_FLAG): the word is no such form but joins two ("pilleboksen"), as most
# rare Norwegian words do.
CONFIG = """
[nlp]
lang = "nb"
pipeline = ["tok2vec","ner"]
batch_size = 1000

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode.width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE","FLAG40","FLAG41"]
rows = [5000,1000,2500,2500,64,64]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}

[training]
seed = 0

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001
"""


def read_conll(path: Path) -> list[list[tuple[str, str, bool]]]:
    """Sentences as (word, IOB2 label, space after) triples. Multiword-token lines (ids
    with '-' or '.') are skipped: the label sits on the syntactic words."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append(tokens)
                tokens = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        misc = cols[9].split("|")
        label = next((m[5:] for m in misc if m.startswith("name=")), "O")
        tokens.append((cols[1], label, "SpaceAfter=No" not in misc))
    if tokens:
        sentences.append(tokens)
    return sentences


def to_doc(vocab, tokens, lower: bool = False, drop_final_punct: bool = False):
    from spacy.tokens import Doc

    if drop_final_punct and len(tokens) > 1 and tokens[-1][0] in FINAL_PUNCT and tokens[-1][1] == "O":
        tokens = tokens[:-1]
    words = [w.lower() if lower else w for w, _, _ in tokens]
    spaces = [s for _, _, s in tokens]
    spaces[-1] = False
    return Doc(vocab, words=words, spaces=spaces, ents=[label for _, label, _ in tokens])


@dataclass(frozen=True)
class Augment:
    lower: float = 0.0       # share of sentences lower-cased
    nopunct: float = 0.0     # share of sentences without final punctuation
    swap: float = 0.0        # share of PER / GPE_LOC names swapped for gazetteer names
    typo: float = 0.0        # share of name words given a one-letter error
    foreign: float = 0.0     # share of swapped person names drawn from other countries' names


@lru_cache(maxsize=1)
def _swap_pools() -> dict[str, list[str]]:
    from anonymise import gazetteers

    def single(names) -> list[str]:
        return sorted(n.title() for n in names if n.isalpha() and len(n) > 1)

    foreign = gazetteers.foreign_names()
    return {"first": single(gazetteers.first_names()), "last": single(gazetteers.surnames()),
            "place": single({k for k, _ in gazetteers.kommuner().values()}),
            "foreign first": single(foreign["first"]), "foreign last": single(foreign["last"])}


def _typo(word: str, rng: random.Random) -> str:
    """One deleted, doubled, replaced or swapped letter, as a misheard name is spelt."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + rng.choice("aeiouylnrstkdmgh") + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def augment_names(tokens, rng: random.Random, aug: Augment):
    """The sentence with names swapped and misspelt; labels unchanged (one word per word)."""
    pools = _swap_pools()
    out = list(tokens)
    i = 0
    while i < len(out):
        label = out[i][1]
        if not label.startswith("B-"):
            i += 1
            continue
        kind = label[2:]
        j = i + 1
        while j < len(out) and out[j][1] == f"I-{kind}":
            j += 1
        if rng.random() < aug.swap and kind in ("PER", "GPE_LOC") and \
                all(w.isalpha() for w, _, _ in out[i:j]):
            if kind == "PER":
                # no draw without a foreign share: older recipes replay the same random stream
                first, last = ("foreign first", "foreign last") \
                    if aug.foreign and rng.random() < aug.foreign else ("first", "last")
                names = [rng.choice(pools[first]) for _ in range(j - i - 1)] + \
                    [rng.choice(pools[last] if j - i > 1 else pools[first] + pools[last])]
            else:
                names = [rng.choice(pools["place"])] if j - i == 1 else \
                    [w for w, _, _ in out[i:j]]
            out[i:j] = [(n, lab, sp) for n, (_, lab, sp) in zip(names, out[i:j])]
        for k in range(i, j):
            if rng.random() < aug.typo:
                w, lab, sp = out[k]
                out[k] = (_typo(w, rng), lab, sp)
        i = j
    return out


def train_examples(nlp, sentences, rng: random.Random, aug: Augment):
    """Fresh augmentation each epoch, so over the run every sentence is seen several ways."""
    from spacy.training import Example

    examples = []
    for tokens in sentences:
        if aug.swap or aug.typo:
            tokens = augment_names(tokens, rng, aug)
        ref = to_doc(nlp.vocab, tokens, lower=rng.random() < aug.lower,
                     drop_final_punct=rng.random() < aug.nopunct)
        examples.append(Example(ref.copy(), ref))
    return examples


def dev_examples(nlp, sentences, lower: bool):
    """Predicted docs come from the product's tokenizer on the raw text, as at run time;
    tokenization mismatches with the gold tokens count against the score."""
    from spacy.training import Example

    examples = []
    for tokens in sentences:
        ref = to_doc(nlp.vocab, tokens, lower=lower)
        examples.append(Example(nlp.make_doc(ref.text), ref))
    return examples


def evaluate(nlp, dev: dict[str, list]) -> dict[str, dict]:
    """Entity-level P/R/F overall and per label for each dev view ("nb", "nb-lower", ...)."""
    scores = {}
    for view, examples in dev.items():
        s = nlp.evaluate(examples)
        scores[view] = {
            "p": s["ents_p"], "r": s["ents_r"], "f": s["ents_f"],
            "per_type": s["ents_per_type"],
        }
    return scores


def save(nlp, out: Path) -> None:
    """Save the pipeline without its string store: those are the words of the NorNE texts,
    which we do not republish, and the hashed features do not need them to predict."""
    nlp.to_disk(out)
    (out / "vocab" / "strings.json").write_text("[]", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for the best pipeline")
    ap.add_argument("--data", type=Path, default=NORNE_DIR)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--max-minutes", type=float, default=45.0,
                    help="wall-clock budget; no epoch is started that would likely overrun it")
    ap.add_argument("--lower-share", type=float, default=0.3)
    ap.add_argument("--nopunct-share", type=float, default=0.2)
    ap.add_argument("--swap-share", type=float, default=0.0)
    ap.add_argument("--typo-share", type=float, default=0.0)
    ap.add_argument("--foreign-share", type=float, default=0.0)
    ap.add_argument("--holdout", type=int, default=0,
                    help="choose the epoch on N train sentences kept out, not on dev")
    ap.add_argument("--init-from", type=Path, default=None,
                    help="continue training this model instead of a fresh one")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="use only N training sentences (smoke test)")
    args = ap.parse_args(argv)

    import spacy
    from spacy.util import compounding, fix_random_seed, load_config_from_str, minibatch

    fix_random_seed(args.seed)
    rng = random.Random(args.seed)
    if args.init_from:
        nlp = load(args.init_from)
    else:
        nlp = spacy.util.load_model_from_config(load_config_from_str(CONFIG), auto_fill=True,
                                                validate=True)
        add_word_flags(nlp)

    by_lang = {lang: read_conll(args.data / name) for lang, name in zip(DEV_FILES, TRAIN_FILES)}
    held: dict[str, list] = {}
    if args.holdout:
        for lang, sentences in by_lang.items():
            random.Random(args.seed).shuffle(sentences)
            n = args.holdout * len(sentences) // sum(map(len, by_lang.values()))
            held[lang], by_lang[lang] = sentences[:n], sentences[n:]
    else:
        held = {lang: read_conll(args.data / name) for lang, name in DEV_FILES.items()}
    train = [s for sentences in by_lang.values() for s in sentences]
    if args.limit:
        rng.shuffle(train)
        train = train[: args.limit]
    dev = {}
    for lang, sentences in held.items():
        dev[lang] = dev_examples(nlp, sentences, lower=False)
        dev[f"{lang}-lower"] = dev_examples(nlp, sentences, lower=True)
    n_words = sum(len(s) for s in train)
    print(f"train: {len(train)} sentences, {n_words} words; dev views: {list(dev)}", flush=True)

    aug = Augment(args.lower_share, args.nopunct_share, args.swap_share, args.typo_share,
                  args.foreign_share)
    if args.init_from:
        optimizer = nlp.resume_training()
    else:
        # All sentences, so that rare labels (MISC has a dozen) are registered too.
        optimizer = nlp.initialize(lambda: train_examples(nlp, train, rng, Augment()))
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out.parent / f"{args.out.name}.train-log.json"
    log = {"args": {k: str(v) for k, v in vars(args).items()}, "epochs": []}
    best = -1.0
    # One schedule for the whole run: batches grow from 16 to 128 sentences as training settles.
    batch_sizes = compounding(16.0, 128.0, 1.001)
    started = time.monotonic()
    for epoch in range(1, args.epochs + 1):
        t0 = time.monotonic()
        examples = train_examples(nlp, train, rng, aug)
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=batch_sizes):
            nlp.update(batch, sgd=optimizer, drop=args.dropout, losses=losses)
        train_s = time.monotonic() - t0
        # Averaged weights are what gets saved, so score with them too.
        with nlp.use_params(optimizer.averages):
            scores = evaluate(nlp, dev)
            mean_f = sum(v["f"] for v in scores.values()) / len(scores)
            saved = mean_f > best
            if saved:
                best = mean_f
                save(nlp, args.out)
        entry = {"epoch": epoch, "loss": round(losses.get("ner", 0.0), 1),
                 "train_seconds": round(train_s), "words_per_s": int(n_words / train_s),
                 "mean_f": round(mean_f, 4), "best": saved,
                 **{k: round(v["f"], 4) for k, v in scores.items()}, "scores": scores}
        log["epochs"].append(entry)
        log["minutes"] = round((time.monotonic() - started) / 60, 1)
        log_path.write_text(json.dumps(log, indent=1, default=float), encoding="utf-8")
        print(json.dumps({k: v for k, v in entry.items() if k != "scores"}, default=float), flush=True)
        # Stop before an epoch that would probably overrun the budget, not after it.
        if time.monotonic() - started + (time.monotonic() - t0) > args.max_minutes * 60:
            print("time budget reached", flush=True)
            break
    print(f"best mean dev F {best:.4f}; model in {args.out}", flush=True)


if __name__ == "__main__":
    main()
