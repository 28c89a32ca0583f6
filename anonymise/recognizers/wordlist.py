"""Indirect identifiers from word lists: occupations and diagnoses, in any inflected form
("sykepleieren", "sykepleiere")."""
from __future__ import annotations

from functools import cached_property

from anonymise import gazetteers
from anonymise.recognizers.base import PATTERN_PRIORITY, SpanRecognizer
from anonymise.span import Span
from anonymise.tokens import Token

INFLECTIONS = ("", "en", "er", "ere", "erne", "ene", "a", "e", "n", "et")


class WordListRecognizer(SpanRecognizer):
    priority = PATTERN_PRIORITY

    def __init__(self, name: str, category: str, words, reason: str, language: str,
                 score: float = 0.6):
        self.name = name
        self.category = category
        self.words = words
        self.reason = reason
        self.score = score
        super().__init__(language, (category,))

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset(w + ending for w in self.words() for ending in INFLECTIONS)

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        forms = self.forms
        return [Span(t.start, t.end, self.category, self.score, self.name, self.reason)
                for t in tokens if t.text.lower() in forms]


def recognizers(language: str) -> list[WordListRecognizer]:
    return [
        WordListRecognizer("occupations", "OCCUPATION", gazetteers.occupations,
                           "an occupation", language),
        WordListRecognizer("diagnoses", "DIAGNOSIS", gazetteers.diagnoses, "a diagnosis",
                           language),
    ]
