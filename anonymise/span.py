"""The unit every recognizer returns: a scored, explained stretch of text."""
from __future__ import annotations

from dataclasses import dataclass

# Categories that are names: redacted and pseudonymised per entity.
NAME_CATEGORIES = ("PERSON", "PLACE", "ORGANISATION")
# Direct identifiers: redacted.
IDENTIFIER_CATEGORIES = ("FNR", "DNR", "HNR", "ORGNR", "ACCOUNT", "PHONE", "EMAIL", "URL",
                         "ADDRESS", "POSTCODE")
# Indirect identifiers: flagged for review, redacted only when configured. A country ("kom
# fra Syria") is one unless the options make countries places.
INDIRECT_CATEGORIES = ("AGE", "DATE", "OCCUPATION", "DIAGNOSIS", "COUNTRY")
# Every category; NUMBER and OTHER come only from a reviewer's decisions.
CATEGORIES = NAME_CATEGORIES + IDENTIFIER_CATEGORIES + INDIRECT_CATEGORIES + ("NUMBER", "OTHER")


@dataclass
class Span:
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
