"""A light tokeniser shared by the word-level recognizers: words with their offsets, and
whether a word opens a sentence (where capitals say nothing about names)."""
from __future__ import annotations

import re
from dataclasses import dataclass

# words may hold inner hyphens and apostrophes (Anne-Lise, O'Brien) and end in a hyphen
# ("Kirke- og kulturdepartementet")
TOKEN_RE = re.compile(r"\w+(?:['’-]\w+)*-?|[^\w\s]")
# after these a capital letter starts a sentence or a quoted utterance
OPENERS = frozenset(".!?:;-–—«»\"“”…|")


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
    tokens = []
    initial = True
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        tokens.append(Token(m.start(), m.end(), word, initial))
        initial = word in OPENERS
    return tokens
