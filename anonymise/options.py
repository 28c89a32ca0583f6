"""Every anonymisation setting in one place. The CLI builds this from the `[anonymise]` table
of the project config by field name, so fields use plain TOML types only. The whole
dataclass goes into the Transcript's provenance."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from anonymise.categories import CATEGORIES

ACTIONS = ("label", "surrogate", "generalise", "redact", "keep")
LANGUAGES = ("nb", "nn")  # bokmål, nynorsk: presidio runs the recognizers registered for these


@dataclass
class AnonymiseOptions:
    language: str = "nb"                 # see LANGUAGES (both use the same Norwegian resources)
    # Names always redacted, fuzzy matched so that ASR misspellings are caught too.
    known_names: list[str] = field(default_factory=list)
    known_names_min_similarity: float = 75.0   # rapidfuzz ratio of whole names, 0-100
    # Words and names never redacted (the project's allow-list), case-insensitive.
    keep: list[str] = field(default_factory=list)
    # category -> label | surrogate | generalise | redact | keep; missing = label
    actions: dict[str, str] = field(default_factory=dict)
    # Detections scoring below this go to review instead of being redacted.
    threshold: float = 0.5
    # Ages, dates, occupations and diagnoses: review only, unless this is set.
    redact_indirect: bool = False
    use_ner: bool = True
    # Countries are places to pseudonymise ("Syria" -> "[STED-1]") instead of indirect
    # identifiers for review (category COUNTRY).
    countries_are_places: bool = False

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
