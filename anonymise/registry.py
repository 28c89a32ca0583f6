"""Composes the recognizers and resolves their overlaps into one list of spans.

The composition is our own and thin, with presidio-analyzer's shape (named recognizers,
scores, an explanation per span), because presidio's AnalyzerEngine runs its NLP engine on every
text, and running the NorNE spaCy model on every NorNE dev sentence measured 1,150-1,500
words/s (2 busy cores), against a goal of 5,000 (presidio's own overhead, with a blank spaCy
pipeline and one pattern, was about 0.4 ms a sentence: affordable, but not the problem). Here the model runs only on sentences where the rules are
unsure (about 6% of them), and spans from all recognizers are merged so that overlapping
detections never leave part of a name behind."""
from __future__ import annotations

from functools import lru_cache

from anonymise import gazetteers
from anonymise.options import AnonymiseOptions
from anonymise.span import INDIRECT_CATEGORIES, NAME_CATEGORIES, Span
from anonymise.tokens import Token, tokenise

# When spans overlap, category and explanation come from the most specific detector:
# validated identifiers and patterns (default) over names.
PRIORITY = {"known_names": 5, "institution": 4, "ner": 3, "names": 1}
DEFAULT_PRIORITY = 6


@lru_cache(maxsize=8)
def _recognizers(use_ner: bool, known_names: tuple[str, ...], min_similarity: float):
    from anonymise.recognizers import institution, known, names, ner, rules, wordlist

    found = [*rules.RECOGNIZERS, *wordlist.RECOGNIZERS, institution.InstitutionRecognizer(),
             names.NameRecognizer()]
    if known_names:
        found.append(known.KnownNameRecognizer(known_names, min_similarity))
    if use_ner and ner.available():
        found.append(ner.NerRecognizer())
    return tuple(found)


def recognizers(options: AnonymiseOptions):
    return _recognizers(options.use_ner, tuple(options.known_names),
                        options.known_names_min_similarity)


def analyze(text: str, options: AnonymiseOptions) -> list[Span]:
    tokens = tokenise(text)
    found = recognizers(options)
    spans = [s for r in found if not r.on_demand for s in r.analyze(text, tokens)]
    # the model is slow: it runs only where the rules are unsure
    if any(r.on_demand for r in found) and unsure(tokens, spans, options.threshold):
        spans += [s for r in found if r.on_demand for s in r.analyze(text, tokens)]
    keep = {w.lower() for w in options.keep}
    if keep:
        spans = [s for s in spans if text[s.start:s.end].lower() not in keep]
    return resolve(spans)


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


def _merge(group: list[Span]) -> Span:
    best = max(group, key=lambda s: (PRIORITY.get(s.detector, DEFAULT_PRIORITY),
                                     s.end - s.start, s.score))
    start = min(s.start for s in group)
    end = max(s.end for s in group)
    if (start, end) == (best.start, best.end):
        return Span(start, end, best.category, max(s.score for s in group), best.detector,
                    best.reason, best.place_start, best.place_end)
    detectors = sorted({d for s in group for d in s.detector.split("+")})
    reasons = "; ".join(dict.fromkeys(s.reason for s in group if s.reason))
    return Span(start, end, best.category, max(s.score for s in group), "+".join(detectors),
                reasons)


def resolve(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one covering their union, so that no character of a detected
    name survives; a name or identifier wins over an indirect identifier it overlaps."""
    spans = sorted(spans, key=lambda s: (s.start, -s.end))
    strong = [s for s in spans if s.category not in INDIRECT_CATEGORIES]
    weak = [s for s in spans if s.category in INDIRECT_CATEGORIES]
    merged: list[list[Span]] = []
    for span in strong:
        if merged and span.start < max(s.end for s in merged[-1]):
            merged[-1].append(span)
        else:
            merged.append([span])
    result = [_merge(g) if len(g) > 1 else g[0] for g in merged]
    result += [w for w in weak if not any(w.overlaps(s) for s in result)]
    return sorted(result, key=lambda s: s.start)
