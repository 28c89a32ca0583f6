"""Every anonymisation setting in one place, one field each with its default and help
(kodeklar.core.options.opt). The CLI builds this from the `[anonymise]` table of the project
config by field name, so fields use plain TOML types only. The whole dataclass goes into
the Transcript's provenance."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from anonymise.categories import CATEGORIES
from kodeklar.core.options import opt

ACTIONS = ("label", "surrogate", "generalise", "redact", "keep")
LANGUAGES = ("nb", "nn")  # bokmål, nynorsk: presidio runs the recognizers registered for these


@dataclass
class AnonymiseOptions:
    language: str = opt("nb", "nb | nn (both use the same Norwegian resources).")
    known_names: list[str] = opt([], "Always redacted, fuzzy matched so that ASR misspellings "
                                 "are caught too (\"Karin Ottmann\" finds \"Kari Nordmann\").")
    known_names_min_similarity: float = opt(75.0, "0–100 (rapidfuzz ratio of whole names).")
    keep: list[str] = opt([], "Allow-list: words and names never redacted, case-insensitive.")
    actions: dict[str, str] = opt(
        {}, "Per category: label (\"[PERSON-1]\") | surrogate (a realistic replacement) | "
        "generalise (\"en kommune i Østfold\") | redact (\"[…]\") | keep; a missing category "
        "is label.")
    threshold: float = opt(0.5, "Detections scoring below this go to the review list instead.")
    redact_indirect: bool = opt(False, "Ages, dates, occupations, diagnoses: flagged for "
                                "review, redacted only if true.")
    use_ner: bool = opt(True, "The NorNE-trained spaCy model; rules and gazetteers always run.")
    countries_are_places: bool = opt(
        False, "true: \"Syria\" is a place to pseudonymise; false: a country (an indirect "
        "identifier), flagged for review.")

    def action(self, category: str) -> str:
        return self.actions.get(category, "label")

    def check(self) -> None:
        from kodeklar.core.errors import UserError

        if self.language not in LANGUAGES:
            raise UserError(f"anonymise.language: unknown language '{self.language}' "
                            f"(choose from {', '.join(LANGUAGES)})")
        for category, action in self.actions.items():
            if category not in CATEGORIES:
                raise UserError(f"anonymise.actions: unknown category '{category}' "
                                f"(choose from {', '.join(CATEGORIES)})")
            if action not in ACTIONS:
                raise UserError(f"anonymise.actions.{category}: unknown action '{action}' "
                                f"(choose from {', '.join(ACTIONS)})")
        if not 0.0 <= self.threshold <= 1.0:
            raise UserError("anonymise.threshold must be between 0 and 1")

    def as_params(self) -> dict:
        d = asdict(self)
        # the names themselves are personal data: provenance records only how many
        d["known_names"] = len(self.known_names)
        return d
