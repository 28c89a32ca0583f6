"""The NER training and scoring scripts (`anonymise.ner.train`, `anonymise.ner.evaluate`) run
end to end on a tiny CoNLL-U corpus written here: sentences made up for this test, in NorNE's
layout (label `name=B-PER` in column 10), not copied from NorNE."""
import json
import random

import pytest

from anonymise import gazetteers
from anonymise.ner import evaluate, train

SENTENCES = [
    [("Kari", "B-PER"), ("Nordmann", "I-PER"), ("bor", "O"), ("i", "O"), ("Bergen", "B-GPE_LOC"),
     (".", "O")],
    [("Jeg", "O"), ("ringte", "O"), ("NAV", "B-ORG"), ("i", "O"), ("går", "O"), (".", "O")],
    [("Ole", "B-PER"), ("Hansen", "I-PER"), ("jobber", "O"), ("på", "O"), ("Haukeland", "B-ORG"),
     (".", "O")],
    [("Vi", "O"), ("budde", "O"), ("i", "O"), ("Førde", "B-GPE_LOC"), ("heile", "O"),
     ("oppveksten", "O"), ("!", "O")],
    [("Legen", "O"), ("heter", "O"), ("Per", "B-PER"), ("Olsen", "I-PER"), ("?", "O")],
    [("Det", "O"), ("var", "O"), ("fint", "O"), ("på", "O"), ("Dovrefjell", "B-LOC"), (".", "O")],
]


def conllu(sentences, multiword: bool = False) -> str:
    """Ten tab-separated columns per word; a comma is glued to the word before it
    (SpaceAfter=No); with `multiword`, a contraction line ("3-4") the reader must skip."""
    lines = []
    for n, sentence in enumerate(sentences):
        lines.append(f"# sent_id = {n}")
        if multiword:
            lines.append("1-2\tdummy\t_\t_\t_\t_\t_\t_\t_\t_")
        for i, (word, label) in enumerate(sentence, 1):
            glued = i < len(sentence) and sentence[i][0] in ",.!?"
            misc = ("SpaceAfter=No|" if glued else "") + f"name={label}"
            lines.append(f"{i}\t{word}\t{word.lower()}\tX\t_\t_\t0\tdep\t_\t{misc}")
        lines.append("")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("norne")
    for name in train.TRAIN_FILES:
        (folder / name).write_text(conllu(SENTENCES * 3), encoding="utf-8")
    for name in train.DEV_FILES.values():
        (folder / name).write_text(conllu(SENTENCES, multiword=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory):
    out = tmp_path_factory.mktemp("ner") / "model"
    train.main(["--data", str(data), "--out", str(out), "--epochs", "2", "--limit", "20",
                "--swap-share", "0.5", "--typo-share", "0.5"])
    return out


def test_read_conll_keeps_words_labels_and_spacing(data):
    sentences = train.read_conll(data / train.DEV_FILES["nb"])
    assert len(sentences) == len(SENTENCES)
    assert [(w, lab) for w, lab, _ in sentences[0]] == SENTENCES[0]  # "1-2" line skipped
    # "Bergen" is glued to the full stop, the other words are followed by a space
    assert [space for _, _, space in sentences[0]] == [True, True, True, True, False, True]


def test_augmented_names_keep_one_label_per_word():
    rng = random.Random(3)
    tokens = [(w, lab, True) for w, lab in SENTENCES[0] + SENTENCES[4]]
    changed = 0
    for _ in range(20):
        out = train.augment_names(tokens, rng, train.Augment(swap=1.0, typo=0.5))
        assert [lab for _, lab, _ in out] == [lab for _, lab, _ in tokens]
        # words outside names are never touched
        assert [w for w, lab, _ in out if lab == "O"] == [w for w, lab, _ in tokens if lab == "O"]
        changed += out != tokens
    assert changed == 20  # swap=1.0: every PER and GPE_LOC name is replaced


def test_foreign_share_draws_person_names_from_other_countries():
    pools = train._swap_pools()
    foreign = set(pools["foreign first"] + pools["foreign last"])
    tokens = [(w, lab, True) for w, lab in SENTENCES[0] + SENTENCES[4]]
    people = [i for i, (_, lab, _) in enumerate(tokens) if lab.endswith("PER")]
    rng = random.Random(1)
    for share, expected in ((1.0, True), (0.0, False)):
        out = train.augment_names(tokens, rng, train.Augment(swap=1.0, foreign=share))
        assert all((out[i][0] in foreign) is expected for i in people)


def test_foreign_names_are_neither_norwegian_words_nor_our_own_names():
    pools = train._swap_pools()
    names = [n.lower() for n in pools["foreign first"] + pools["foreign last"]]
    assert len(names) > 10_000
    assert not any(gazetteers.is_dictionary_form(n) or gazetteers.is_person_name(n)
                   for n in names)


def test_typo_changes_one_letter_and_leaves_short_words():
    rng = random.Random(0)
    typos = [train._typo("Nordmann", rng) for _ in range(50)]
    assert all(abs(len(t) - len("Nordmann")) <= 1 and t[0] == "N" for t in typos)
    # a replaced letter or a swapped "nn" can give the word back; most draws change it
    assert sum(t != "Nordmann" for t in typos) >= 40
    assert train._typo("Ola", rng) == "Ola" and train._typo("K2-3", rng) == "K2-3"


def test_training_writes_a_loadable_model_without_the_corpus_words(trained, data):
    import spacy

    nlp = spacy.load(trained)
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "GPE_LOC", "LOC"}
    # the string store would republish the corpus's words: it is saved empty
    assert json.loads((trained / "vocab" / "strings.json").read_text()) == []
    log = json.loads(trained.with_name("model.train-log.json").read_text())
    assert [e["epoch"] for e in log["epochs"]] == [1, 2]
    assert set(log["epochs"][0]) >= {"nb", "nn", "nb-lower", "nn-lower", "mean_f", "loss"}
    assert log["args"]["limit"] == "20"


def test_holdout_and_init_from_continue_the_trained_model(trained, data, tmp_path, capsys):
    out = tmp_path / "again"
    train.main(["--data", str(data), "--out", str(out), "--epochs", "1", "--holdout", "6",
                "--init-from", str(trained)])
    printed = capsys.readouterr().out
    # 6 of the 36 train sentences are kept out to choose the epoch on; dev is not read
    assert "train: 30 sentences" in printed
    assert (out / "config.cfg").is_file()


def test_evaluate_prints_a_table_per_label_and_view(trained, data, capsys, monkeypatch):
    # the script pins its thread counts in the environment; monkeypatch takes them back
    # afterwards, or every later `kodeklar` subprocess of the session would decode on one
    # thread (and CTranslate2's words depend on the thread count)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    evaluate.main(["--model", str(trained), "--data", str(data)])
    printed = capsys.readouterr().out
    table = [line for line in printed.splitlines() if line.startswith("|")]
    assert table[0] == ("| label | nb P / R / F | nb-lower P / R / F | nn P / R / F "
                        "| nn-lower P / R / F |")
    labels = [row.split("|")[1].strip() for row in table[2:]]
    assert labels == [*evaluate.LABELS, "all"]
    # labels absent from this corpus are a dash, not a zero score
    assert "–" in next(row for row in table if row.startswith("| MISC "))
    assert "words/s" in printed and "model size:" in printed


def test_markdown_formats_scores_as_percentages():
    scores = {"nb": {"p": 0.5, "r": 0.25, "f": 1 / 3,
                     "per_type": {"PER": {"p": 1.0, "r": 0.5, "f": 2 / 3}}}}
    rows = evaluate.markdown(scores).splitlines()
    assert rows[2] == "| PER | 100.0 / 50.0 / 66.7 |"
    assert rows[-1] == "| all | 50.0 / 25.0 / 33.3 |"


def test_the_model_reads_whether_a_word_is_a_common_word(trained):
    from spacy.attrs import IDS

    from anonymise.ner import COMMON_WORD_FLAG, load

    nlp = load(trained)
    assert COMMON_WORD_FLAG in nlp.config["components"]["tok2vec"]["model"]["embed"]["attrs"]
    flag = IDS[COMMON_WORD_FLAG]
    # Norsk Ordbank's forms, inflected ones too; names are not among them
    doc = nlp("hunden bjeffet mot kari hele kvelden i tromsø")
    flags = [t.check_flag(flag) for t in doc]
    assert flags == [True, True, True, False, True, True, False, False]
    assert nlp.vocab["Hunden"].check_flag(flag)
    # nynorsk forms that Ordbank (bokmål) lacks; a name the nynorsk source lists in lower case
    assert [nlp.vocab[w].check_flag(flag) for w in ("ikkje", "kyrkja", "tenestene", "olav")] == \
        [True, True, True, False]


def test_the_model_reads_whether_a_word_joins_two_common_words(trained):
    from spacy.attrs import IDS

    from anonymise.ner import COMPOUND_FLAG, load

    nlp = load(trained)
    assert COMPOUND_FLAG in nlp.config["components"]["tok2vec"]["model"]["embed"]["attrs"]
    flag = IDS[COMPOUND_FLAG]
    # compounds no dictionary lists, with and without a linking s; not a listed form itself
    # ("hunden"), not a run-together name ("karinotman"), not a place ("borgestadklinikken")
    words = ("pilleboksen", "bistandsinstruksen", "hunden", "karinotman", "borgestadklinikken")
    assert [nlp.vocab[w].check_flag(flag) for w in words] == [True, True, False, False, False]
