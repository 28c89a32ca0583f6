"""Our word- and model-based recognizers as presidio `EntityRecognizer`s. Each finds `Span`s
from the text and our tokens (carried by `nlp_engine.TokenNlpEngine`); presidio gets them as
`RecognizerResult`s with an `AnalysisExplanation`, and the registry turns its answer back
into `Span`s, the public output."""
from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from anonymise.span import Span
from anonymise.tokens import Token

# When detections overlap, category and explanation come from the recognizer with the highest
# priority: validated identifiers, patterns and word lists first, then the project's own name
# list, institutions, the NER model and last capitalisation (each class sets its own).
PATTERN_PRIORITY = 6

# metadata keys of the identifying part of an institution name (see Span.place_start)
PLACE_START = "place_start"
PLACE_END = "place_end"


class SpanRecognizer(EntityRecognizer):
    name = ""
    score = 0.0
    priority = 0        # see PATTERN_PRIORITY
    on_demand = False   # runs only where the rules are unsure (see anonymise.registry)
    entities: tuple[str, ...] = ()

    def __init__(self, language: str = "nb", entities: tuple[str, ...] = ()):
        super().__init__(supported_entities=list(entities or self.entities), name=self.name,
                         supported_language=language)

    def load(self) -> None:
        """Nothing to load up front: word lists and the model load on first use."""

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str], nlp_artifacts) -> list[RecognizerResult]:
        return [to_result(s, self.id) for s in self.find(text, nlp_artifacts.tokens)]


def to_result(span: Span, recognizer_id: str) -> RecognizerResult:
    metadata = {RecognizerResult.RECOGNIZER_NAME_KEY: span.detector,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer_id}
    if span.place_start is not None:
        metadata[PLACE_START], metadata[PLACE_END] = span.place_start, span.place_end
    explanation = AnalysisExplanation(span.detector, span.score, textual_explanation=span.reason)
    return RecognizerResult(span.category, span.start, span.end, span.score, explanation,
                            metadata)


def to_span(result: RecognizerResult) -> Span:
    """A result of any of our recognizers, pattern ones included (their reason is the name of
    the pattern)."""
    metadata = result.recognition_metadata
    explanation = result.analysis_explanation
    return Span(result.start, result.end, result.entity_type, result.score,
                metadata[RecognizerResult.RECOGNIZER_NAME_KEY],
                explanation.pattern_name or explanation.textual_explanation,
                metadata.get(PLACE_START), metadata.get(PLACE_END))
