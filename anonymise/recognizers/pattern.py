"""A regular-expression recognizer with an optional validator, like presidio's
PatternRecognizer but case-sensitive unless asked: Norwegian names and postal places need
their capitals."""
from __future__ import annotations

import re
from typing import Callable

from anonymise.span import Span
from anonymise.tokens import Token


class PatternRecognizer:
    on_demand = False

    def __init__(self, name: str, category: str, pattern: str, score: float, reason: str,
                 validate: Callable[[re.Match], str | None] | None = None, flags: int = 0,
                 needs: str = ""):
        self.name = name
        self.category = category
        self.regex = re.compile(pattern, flags)
        self.score = score
        self.reason = reason
        # validate returns the category (it may refine it: FNR/DNR/HNR) or None to reject
        self.validate = validate
        # a cheap pattern every match contains (a digit, an @): most sentences skip the rest
        self.needs = re.compile(needs) if needs else None

    def analyze(self, text: str, tokens: list[Token]) -> list[Span]:
        if self.needs is not None and not self.needs.search(text):
            return []
        spans = []
        for m in self.regex.finditer(text):
            category = self.validate(m) if self.validate else self.category
            if category:
                start, end = m.span("span") if "span" in self.regex.groupindex else m.span()
                spans.append(Span(start, end, category, self.score, self.name, self.reason))
        return spans
