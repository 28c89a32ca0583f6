"""A light tokeniser shared by the word-level recognizers: words with their offsets, and
whether a word opens a sentence (where capitals say nothing about names)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# words may hold inner hyphens and apostrophes (Anne-Lise, O'Brien) and end in a hyphen
# ("Kirke- og kulturdepartementet")
TOKEN_RE = re.compile(r"\w+(?:['’´`-]\w+)*-?|[^\w\s]")
# after these a capital letter starts a sentence or a quoted utterance
OPENERS = frozenset(".!?:;-–—«»\"“”…|")
ABBREVIATIONS = frozenset({"st", "dr", "mr", "mrs", "ms", "prof", "nr", "jr", "sr", "ca",
                           "bl", "f", "v", "kl", "tlf", "adv", "fru", "hr"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    initial: bool

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    initial = True
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        tokens.append(Token(m.start(), m.end(), word, initial))
        if word == "." and len(tokens) > 1 and _is_abbreviation(tokens[-2].text):
            initial = False
        else:
            # a heading number ("11.3 Grunnlaget") or an opening quote keeps the start open
            initial = word in OPENERS or (initial and not word[:1].isalpha())
    return tokens


def _is_abbreviation(word: str) -> bool:
    # "Rolf B. Wegner", "St. Hanshaugen", "dr. Hansen": the full stop ends no sentence
    return (len(word) == 1 and word.isupper()) or word.lower() in ABBREVIATIONS
