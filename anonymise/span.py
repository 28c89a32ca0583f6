"""The unit every recognizer returns: a scored, explained stretch of text."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Span:
    """`category` is one of anonymise.categories; `detector` names the recognizer that found it
    (several joined by "+" when overlapping detections were merged)."""
    start: int
    end: int
    category: str
    score: float
    detector: str
    reason: str = ""
    # The identifying part of an institution name ("Halden" in "NAV Halden"): only this part
    # is pseudonymised, the rest names the type of service and is kept.
    place_start: int | None = None
    place_end: int | None = None

    def explain(self) -> str:
        return f"{self.category} by {self.detector} (score {self.score:.2f}): {self.reason}"

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end
