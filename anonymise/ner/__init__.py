"""kodeklar's Norwegian NER model: a spaCy pipeline trained on NorNE (see MODEL_CARD.md).

Entity labels are NorNE's: PER, ORG, LOC, GPE_LOC, GPE_ORG, PROD, EVT, DRV, MISC.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kodeklar.core.errors import UserError

MODEL_DIR = Path(__file__).with_name("model")
# Lexeme flags spaCy leaves free, read by the model as features (train.CONFIG): whether the word
# is a form of a Norwegian common word (Norsk Ordbank, nynorsk forms), and whether it is none
# but joins two (a compound no dictionary lists, which a name it never saw looks like too).
COMMON_WORD_FLAG = "FLAG40"
COMPOUND_FLAG = "FLAG41"


def add_word_flags(nlp) -> None:
    """Compute COMMON_WORD_FLAG and COMPOUND_FLAG for the pipeline's words, those it has and
    those it will meet."""
    from spacy.attrs import IDS

    from anonymise import gazetteers

    for name, test in ((COMMON_WORD_FLAG, gazetteers.is_dictionary_form),
                       (COMPOUND_FLAG, gazetteers.is_dictionary_compound)):
        flag = IDS[name]
        nlp.vocab.lex_attr_getters[flag] = test
        for lexeme in nlp.vocab:
            lexeme.set_flag(flag, test(lexeme.lower_))


@lru_cache(maxsize=4)
def load(model_dir: Path = MODEL_DIR):
    """The trained spaCy `Language`, loaded once per folder."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.cfg").is_file():
        raise UserError(f"Norwegian NER model not found in {model_dir}; "
                        f"train it with `python -m anonymise.ner.train --out {model_dir}`")
    import spacy

    nlp = spacy.load(model_dir)
    add_word_flags(nlp)
    return nlp
