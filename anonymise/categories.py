"""Every category of personal data, with everything the rest of anonymise says about it: its
Norwegian replacement label, how `generalise` words it, what it yields to when detections
overlap, and whether it is redacted or only flagged for review by default. Every other module
reads these facts from here. Which of several overlapping detections of one name decides its
category is a fact of the recognizers, not of the categories (their `priority`)."""
from __future__ import annotations

from dataclasses import dataclass

# What a category is; the kind decides how it is handled:
NAME = "name"              # pseudonymised per entity, linked across mentions and recordings
IDENTIFIER = "identifier"  # a direct identifier: redacted
# Flagged for review, redacted only with `redact_indirect`; yields to a name or identifier it
# overlaps. A country ("kom fra Syria") is one unless the options make countries places.
INDIRECT = "indirect"
DECIDED = "decided"        # only from a reviewer's decisions, never detected
KINDS = (NAME, IDENTIFIER, INDIRECT, DECIDED)


@dataclass(frozen=True)
class Category:
    name: str
    label: str             # in the replacement: "[STED-1]"
    kind: str              # see KINDS
    # The `generalise` wording; without one, the label in brackets ("[TELEFON]").
    wording: str = ""
    # Compared by its digits only, so "22 33 44 55" and "22334455" are one number.
    digits: bool = False

    @property
    def generic(self) -> str:
        return self.wording or f"[{self.label}]"


TABLE = {c.name: c for c in (
    Category("PERSON", "PERSON", NAME, "en person"),
    Category("PLACE", "STED", NAME, "et sted"),
    Category("ORGANISATION", "ORG", NAME, "en organisasjon"),
    Category("FNR", "FØDSELSNUMMER", IDENTIFIER, digits=True),
    Category("DNR", "D-NUMMER", IDENTIFIER, digits=True),
    Category("HNR", "H-NUMMER", IDENTIFIER, digits=True),
    Category("ORGNR", "ORGNR", IDENTIFIER, digits=True),
    Category("ACCOUNT", "KONTONUMMER", IDENTIFIER, digits=True),
    Category("PHONE", "TELEFON", IDENTIFIER, digits=True),
    Category("EMAIL", "E-POST", IDENTIFIER),
    Category("URL", "NETTADRESSE", IDENTIFIER),
    Category("ADDRESS", "ADRESSE", IDENTIFIER),
    Category("POSTCODE", "POSTNUMMER", IDENTIFIER),
    # an age generalises to its decade ("i 40-årene", see redact.generalise), else the label
    Category("AGE", "ALDER", INDIRECT),
    Category("DATE", "DATO", INDIRECT, "en dato"),
    Category("OCCUPATION", "YRKE", INDIRECT, "et yrke"),
    Category("DIAGNOSIS", "DIAGNOSE", INDIRECT, "en diagnose"),
    Category("COUNTRY", "LAND", INDIRECT, "et land"),
    Category("NUMBER", "TALL", DECIDED),
    Category("OTHER", "ANNET", DECIDED),
)}

CATEGORIES = tuple(TABLE)
NAME_CATEGORIES = tuple(n for n, c in TABLE.items() if c.kind == NAME)
INDIRECT_CATEGORIES = tuple(n for n, c in TABLE.items() if c.kind == INDIRECT)


def label(category: str) -> str:
    """The Norwegian label; an unknown category (from an older key file) keeps its name."""
    known = TABLE.get(category)
    return known.label if known is not None else category


def generic(category: str) -> str:
    """The `generalise` wording of a category (an age's decade is redact.generalise's)."""
    known = TABLE.get(category)
    return known.generic if known is not None else f"[{category}]"
