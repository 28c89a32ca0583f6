"""Composes the recognizers with presidio-analyzer and resolves their overlaps into one list
of spans.

presidio does the composition: a `RecognizerRegistry` holds our recognizers for "nb" and "nn"
(none of presidio's predefined ones: they are English, and its e-mail recognizer downloads a
list of top-level domains), and an `AnalyzerEngine` runs them, drops results contained in a
stronger one of the same category, applies the project's allow-list (`keep`) and explains
each result, for about 0.07 ms a sentence (bench/RESULTS.md). Its NLP engine is our tokeniser,
not spaCy (recognizers/nlp_engine.py): presidio runs the NLP engine on every text, and running
the NorNE spaCy model on every NorNE dev sentence measured 1,150-1,500 words/s (2 busy cores),
against a goal of 5,000. The model is the recognizer of a second engine instead, which runs
only on sentences where the rules are unsure (about 6% of them). Spans from both are then
merged so that overlapping detections never leave part of a name behind."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anonymise import gazetteers
from anonymise.categories import INDIRECT_CATEGORIES, NAME_CATEGORIES
from anonymise.options import LANGUAGES, AnonymiseOptions
from anonymise.span import Span
from anonymise.tokens import Token, tokenise

# The options' switch for each recognizer that can be turned off, by its name.
SWITCHES = {"ner": "use_ner"}


@dataclass(frozen=True)
class Engines:
    nlp: object                 # recognizers.nlp_engine.TokenNlpEngine
    rules: object               # presidio AnalyzerEngine: every sentence
    model: object | None        # presidio AnalyzerEngine with the on-demand (NER model) ones
    priority: dict[str, int]    # recognizer name -> its priority among overlapping spans


@lru_cache(maxsize=8)
def _recognizers(switched_off: frozenset[str], known_names: tuple[str, ...],
                 min_similarity: float) -> Engines:
    """presidio's engines for one set of options, kept: building them compiles every pattern."""
    from anonymise.recognizers import build
    from anonymise.recognizers.nlp_engine import NoContextEnhancer, TokenNlpEngine
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    chosen = {language: [r for name, r in build(language, known_names, min_similarity).items()
                         if name not in switched_off] for language in LANGUAGES}

    def engine(on_demand: bool) -> AnalyzerEngine | None:
        registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
        for recognizers in chosen.values():
            for recognizer in recognizers:
                if recognizer.on_demand == on_demand:
                    registry.add_recognizer(recognizer)
        if not registry.recognizers:
            return None  # an engine with an empty registry would load presidio's own
        return AnalyzerEngine(registry=registry, nlp_engine=nlp,
                              supported_languages=list(LANGUAGES),
                              context_aware_enhancer=NoContextEnhancer())

    nlp = TokenNlpEngine()
    priority = {r.name: r.priority for recognizers in chosen.values() for r in recognizers}
    return Engines(nlp, engine(on_demand=False), engine(on_demand=True), priority)


def _engines(options: AnonymiseOptions) -> Engines:
    switched_off = frozenset(n for n, field in SWITCHES.items() if not getattr(options, field))
    return _recognizers(switched_off, tuple(options.known_names),
                        options.known_names_min_similarity)


def recognizers(options: AnonymiseOptions) -> list:
    """The recognizers that run for `options.language`, the on-demand model last."""
    engines = _engines(options)
    return [r for e in (engines.rules, engines.model) if e is not None
            for r in e.registry.recognizers if r.supported_language == options.language]


def analyze(text: str, options: AnonymiseOptions) -> list[Span]:
    from anonymise.recognizers.base import to_span

    engines = _engines(options)
    artifacts = engines.nlp.process_text(text, options.language)
    # keep: whole detections only, in any case
    allow = [rf"^{re.escape(w)}\Z" for w in options.keep]

    def run(engine) -> list[Span]:
        return [to_span(r) for r in engine.analyze(
            text, options.language, nlp_artifacts=artifacts, return_decision_process=True,
            allow_list=allow, allow_list_match="regex", regex_flags=re.IGNORECASE)]

    spans = run(engines.rules)
    # the model is slow: it runs only where the rules are unsure
    if engines.model is not None and unsure(artifacts.tokens, spans, options.threshold):
        spans += run(engines.model)
    return [r for s in resolve(spans, engines.priority)
            if (r := refine(text, s, options)) is not None]


def refine(text: str, span: Span, options: AnonymiseOptions) -> Span | None:
    """A name span without the words that never name anyone at its edges ("Hai Kari" ->
    "Kari"; "Gud" -> nothing), and a country as the options say (COUNTRY or PLACE)."""
    if span.category not in NAME_CATEGORIES or span.place_start is not None:
        return span
    words = [t for t in tokenise(text[span.start:span.end]) if t.is_word]
    not_names = gazetteers.not_names()
    while words and words[0].text.lower() in not_names:
        words.pop(0)
    while words and words[-1].text.lower() in not_names:
        words.pop()
    if not words:
        return None
    start, end = span.start + words[0].start, span.start + words[-1].end
    name = text[start:end].lower()
    category = span.category
    if name in gazetteers.countries() or (name.endswith("s") and
                                          name[:-1] in gazetteers.countries()):
        category = "PLACE" if options.countries_are_places else "COUNTRY"
    if (start, end, category) == (span.start, span.end, span.category):
        return span
    return Span(start, end, category, span.score, span.detector, span.reason)


def unsure(tokens: list[Token], spans: list[Span], threshold: float) -> bool:
    """Whether a sentence has a name decision the rules could not make: a weak name, text
    without capitals (ASR output that lost them), or a capitalised word at a sentence start
    that is neither taken nor plainly a common word."""
    if any(s.score < threshold and s.category in NAME_CATEGORIES for s in spans):
        return True
    words = [t for t in tokens if t.is_word]
    if len(words) > 3 and not any(t.capitalised for t in words):
        return True
    for t in tokens:
        if t.initial and t.capitalised and t.is_word and \
                not any(s.start <= t.start < s.end for s in spans) and \
                not gazetteers.is_common_word(t.text) and not gazetteers.looks_common(t.text):
            return True
    return False


def _merge(group: list[Span], priority: dict[str, int]) -> Span:
    best = max(group, key=lambda s: (priority[s.detector], s.end - s.start, s.score))
    start = min(s.start for s in group)
    end = max(s.end for s in group)
    if (start, end) == (best.start, best.end):
        return Span(start, end, best.category, max(s.score for s in group), best.detector,
                    best.reason, best.place_start, best.place_end)
    detectors = sorted({d for s in group for d in s.detector.split("+")})
    reasons = "; ".join(dict.fromkeys(s.reason for s in group if s.reason))
    return Span(start, end, best.category, max(s.score for s in group), "+".join(detectors),
                reasons)


def resolve(spans: list[Span], priority: dict[str, int]) -> list[Span]:
    """Overlapping spans become one covering their union, so that no character of a detected
    name survives; category and explanation come from the detector of highest `priority` (by
    recognizer name). A name or identifier wins over an indirect identifier it overlaps."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    strong = [s for s in spans if s.category not in INDIRECT_CATEGORIES]
    weak = [s for s in spans if s.category in INDIRECT_CATEGORIES]
    merged: list[list[Span]] = []
    for span in strong:
        if merged and span.start < max(s.end for s in merged[-1]):
            merged[-1].append(span)
        else:
            merged.append([span])
    result = [_merge(g, priority) if len(g) > 1 else g[0] for g in merged]
    result += [w for w in weak if not any(w.overlaps(s) for s in result)]
    return sorted(result, key=lambda s: s.start)
