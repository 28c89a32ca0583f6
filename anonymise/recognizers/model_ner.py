"""The NorNE-trained spaCy model (trained and loaded by anonymise/ner) as the recognizer named
"ner". The model is loaded from its local folder only, never downloaded; without it the other
recognizers still run. It is slow, so it runs on demand: only on sentences where the rules are
unsure (see anonymise.registry)."""
from __future__ import annotations

from functools import lru_cache

from anonymise import gazetteers
from anonymise.recognizers import without_torch
from anonymise.recognizers.base import SpanRecognizer
from anonymise.recognizers.names import NAMING_VERBS
from anonymise.span import Span
from anonymise.tokens import Token

# NorNE label -> our category. PROD, EVT, DRV and MISC name things, not people or places.
# GPE_ORG is a place acting as an organisation ("Tromsø slo Molde", "Norge krever"): its name
# is a place's, and one place should be one entity in the key whichever role it plays.
LABELS = {"PER": "PERSON", "LOC": "PLACE", "GPE_LOC": "PLACE", "GPE_ORG": "PLACE",
          "ORG": "ORGANISATION"}


def available() -> bool:
    try:
        from anonymise import ner
    except ImportError:
        return False
    model_dir = getattr(ner, "MODEL_DIR", None)
    return model_dir is not None and (model_dir / "config.cfg").is_file()


@lru_cache(maxsize=1)
def model():
    from anonymise import ner

    with without_torch():
        return ner.load()


@lru_cache(maxsize=1)
def model_sha256() -> str:
    """One hash over the model folder's files, for provenance."""
    import hashlib

    from anonymise import ner

    digest = hashlib.sha256()
    for path in sorted(p for p in ner.MODEL_DIR.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(ner.MODEL_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class NerRecognizer(SpanRecognizer):
    name = "ner"
    score = 0.85
    priority = 3
    on_demand = True
    entities = ("PERSON", "PLACE", "ORGANISATION")

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        spans = self.spans(model()(text))
        if any(t.capitalised and not t.initial for t in tokens if t.is_word):
            # text with capitals names with capitals: a lower-case "name" there is a word
            # the model does not know ("längre")
            spans = [s for s in spans if any(c.isupper() for c in text[s.start:s.end])]
        return spans

    def spans(self, doc) -> list[Span]:
        found = []
        for e in doc.ents:
            if e.label_ in LABELS:
                before = doc[e.start - 1].lower_ if e.start else ""
                category, reason = self.category(e.text, e.label_, before)
                found.append(Span(e.start_char, e.end_char, category, self.score, self.name,
                                  reason))
        return found

    @staticmethod
    def category(text: str, label: str, before: str = "") -> tuple[str, str]:
        """Category and reason. What follows "heter" is a person ("jeg heter Karinotman"), and a
        kommune's or fylke's name alone is a place whatever role the model saw it in ("flyttet
        til tromsø"): the words around a name outweigh the model's label, and one person or
        place stays one entity in the key."""
        name = text.lower()
        if before in NAMING_VERBS and LABELS[label] != "PERSON":
            return "PERSON", f"NorNE model: {label}; after \"{before}\""
        if LABELS[label] == "ORGANISATION" and (name in gazetteers.kommuner() or
                                                name in gazetteers.fylker()):
            return "PLACE", f"NorNE model: {label}; the name of a kommune or fylke"
        return LABELS[label], f"NorNE model: {label}"
