"""The project's own list of names (informants, staff, places), always redacted. Matched with
rapidfuzz so that ASR misspellings are caught ("Karin Ottmann" for "Kari Nordmann"), whole
names, names run together into one word ("karinotman") and their single words alike, genitive
s included."""
from __future__ import annotations

from anonymise.recognizers.base import SpanRecognizer
from anonymise.span import Span
from anonymise.tokens import Token

MIN_WORD_LENGTH = 3  # shorter words match too much when fuzzy
# Single words are held to a stricter similarity than whole names: short strings reach high
# ratios by chance, and the words of a misheard name are each further off than the whole.
WORD_MIN_SIMILARITY = 85.0
# Inside a whole-name match every word must still resemble its counterpart, so that one
# exact word does not carry a neighbour along ("Per Hansen" must not take "ved Hansen").
PART_MIN_SIMILARITY = 60.0


class KnownNameRecognizer(SpanRecognizer):
    name = "known_names"
    score = 1.0
    priority = 5
    entities = ("PERSON",)

    def __init__(self, names: tuple[str, ...], min_similarity: float, language: str = "nb"):
        super().__init__(language)
        self.min_similarity = min_similarity
        self.names = [n.lower().split() for n in names if n.strip()]
        self.words = {w for n in self.names for w in n if len(w) >= MIN_WORD_LENGTH}
        self.joined = {"".join(n) for n in self.names if len(n) > 1}

    def _similar(self, a: str, b: str) -> bool:
        from rapidfuzz import fuzz

        if a == b:
            return True
        if a.endswith("s") and a[:-1] == b:
            return True
        return fuzz.ratio(a, b) >= max(self.min_similarity, WORD_MIN_SIMILARITY)

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        from rapidfuzz import fuzz

        words = [t for t in tokens if t.is_word]
        spans = []
        for name in self.names:
            n = len(name)
            if n < 2:
                continue
            target = " ".join(name)
            for i in range(len(words) - n + 1):
                parts = [t.text.lower() for t in words[i:i + n]]
                if fuzz.ratio(" ".join(parts), target) >= self.min_similarity and \
                        all(fuzz.ratio(a, b) >= PART_MIN_SIMILARITY for a, b in zip(parts, name)):
                    spans.append(Span(words[i].start, words[i + n - 1].end, "PERSON",
                                      self.score, self.name, "in the project's name list"))
        for t in words:
            low = t.text.lower()
            if len(low) >= MIN_WORD_LENGTH and any(self._similar(low, w) for w in self.words):
                spans.append(Span(t.start, t.end, "PERSON", self.score, self.name,
                                  "a word of a name in the project's name list"))
            elif any(fuzz.ratio(low, j) >= self.min_similarity for j in self.joined):
                spans.append(Span(t.start, t.end, "PERSON", self.score, self.name,
                                  "a name in the project's name list, run together"))
        return spans
