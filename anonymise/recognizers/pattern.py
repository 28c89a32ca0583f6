"""presidio's PatternRecognizer, case-sensitive unless asked (Norwegian names and postal
places need their capitals), with a cheap pre-check and an optional validator that may also
refine the category."""
from __future__ import annotations

import re
from typing import Callable

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from anonymise.recognizers.base import PATTERN_PRIORITY


class NorwegianPatternRecognizer(PatternRecognizer):
    priority = PATTERN_PRIORITY
    on_demand = False

    def __init__(self, name: str, category: str, pattern: str, score: float, reason: str,
                 language: str, valid: Callable[[str], bool] | None = None,
                 kind: Callable[[str], str] | None = None, flags: int = 0, needs: str = ""):
        # the pattern is named by its reason, which becomes the span's explanation
        super().__init__(supported_entity=category, name=name, supported_language=language,
                         patterns=[Pattern(reason, pattern, score)], global_regex_flags=flags)
        self.score = score
        self.valid = valid
        # the category from the matched text (FNR, DNR or HNR), when one pattern finds several
        self.kind = kind
        # a cheap pattern every match contains (a digit, an @): most sentences skip the rest
        self.needs = re.compile(needs) if needs else None

    def invalidate_result(self, pattern_text: str) -> bool:
        return self.valid is not None and not self.valid(pattern_text)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        if self.needs is not None and not self.needs.search(text):
            return []
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        if self.kind is not None:
            for r in results:
                r.entity_type = self.kind(text[r.start:r.end])
        return results
