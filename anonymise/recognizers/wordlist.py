"""Indirect identifiers from word lists: occupations and diagnoses, in any inflected form
("sykepleieren", "sykepleiere")."""
from __future__ import annotations

from anonymise import gazetteers
from anonymise.span import Span
from anonymise.tokens import Token

INFLECTIONS = ("", "en", "er", "ere", "erne", "ene", "a", "e", "n", "et")


class WordListRecognizer:
    on_demand = False

    def __init__(self, name: str, category: str, words, reason: str, score: float = 0.6):
        self.name = name
        self.category = category
        self.words = words
        self.reason = reason
        self.score = score

    def _matches(self, word: str) -> bool:
        words = self.words()
        return any(word.endswith(ending) and word[:len(word) - len(ending)] in words
                   for ending in INFLECTIONS if len(word) > len(ending))

    def analyze(self, text: str, tokens: list[Token]) -> list[Span]:
        return [Span(t.start, t.end, self.category, self.score, self.name, self.reason)
                for t in tokens if t.is_word and self._matches(t.text.lower())]


RECOGNIZERS = (
    WordListRecognizer("occupations", "OCCUPATION", gazetteers.occupations, "an occupation"),
    WordListRecognizer("diagnoses", "DIAGNOSIS", gazetteers.diagnoses, "a diagnosis"),
)
