"""Anonymise a Transcript: detect, decide (threshold, actions, review decisions), replace.

Every segment's text and words are rewritten so that no character of a redacted span
survives: a word that overlaps a redaction is merged with the other words it overlaps into one
word carrying the replacement. Redactions record offsets in the anonymised text. Review items
record offsets in the raw segment text, which is what review decisions refer to; their text
is still in the anonymised transcript, since they were not redacted."""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from anonymise import categories, gazetteers
from anonymise.categories import INDIRECT_CATEGORIES, NAME_CATEGORIES
from anonymise.options import AnonymiseOptions
from anonymise.recognizers.names import FILLERS
from anonymise.pseudonyms import Pseudonyms
from anonymise.span import Span
from anonymise.tokens import tokenise
from kodeklar.core.transcript import Redaction, ReviewItem, Segment, Transcript, Word

REDACTED = "[…]"
NUMBER_RE = re.compile(r"\d[\d .,:/-]*\d|\d")


@dataclass
class Cut:
    """One replacement in one segment's raw text."""
    start: int
    end: int
    category: str
    replacement: str
    detector: str
    score: float
    decided_by: str = "rule"


def make_cut(span: Span, text: str, options: AnonymiseOptions, pseudonyms: Pseudonyms,
             decided_by: str = "rule") -> Cut:
    """The replacement of one span. A name is first linked to its entity, whose category and
    forms decide the replacement, so that every mention of one entity is replaced alike
    whatever the action."""
    original = text[span.start:span.end]
    category = span.category
    entity = pseudonyms.link(category, original) if category in NAME_CATEGORIES else None
    if entity is not None:
        category = entity.category
    action = options.action(category)
    if action == "redact":
        new = REDACTED
    elif action == "generalise":
        new = generalise(category, entity.names if entity is not None else [original])
    else:
        entity = pseudonyms.number(entity or pseudonyms.link(category, original))
        category = entity.category
        new = pseudonyms.surrogate_text(entity, original) if action == "surrogate" \
            else entity.label
    return Cut(span.start, span.end, category, new, span.detector, span.score, decided_by)


def generalise(category: str, forms: list[str]) -> str:
    """The generalisation of a mention known by these forms (an entity's names)."""
    if category == "PLACE":
        for form in forms:
            kommune = gazetteers.kommuner().get(form.lower())
            if kommune:
                return f"en kommune i {kommune[1]}" if kommune[1] else "en kommune"
            if form.lower() in gazetteers.fylker():
                return "et fylke"
    original = forms[0]
    if category == "AGE":
        digits = re.search(r"\d+", original)
        if digits:
            return f"i {int(digits.group()) // 10 * 10}-årene"
    return categories.generic(category)


def _name_pattern(names: dict[str, str]) -> re.Pattern | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?P<name>{alternatives})s?(?!\w)")


def _propagation_spans(text: str, pattern: re.Pattern | None, names: dict[str, str]) -> list[Span]:
    """Mentions of names found elsewhere in the recording or the project: a name the rules
    caught once ("Diarra sa") is caught where it opens a sentence too."""
    if pattern is None:
        return []
    return [Span(m.start(), m.end(), names[m.group("name")], 0.8, "propagation",
                 "the same name was redacted elsewhere in the project")
            for m in pattern.finditer(text)]


def _with_propagation(spans: list[Span], propagated: list[Span], threshold: float) -> list[Span]:
    """A known name outranks a doubtful detection of it and fills the gaps between the rest."""
    strong = [s for s in spans if s.score >= threshold]
    propagated = [p for p in propagated if not any(p.overlaps(s) for s in strong)]
    return strong + propagated + [s for s in spans if s.score < threshold and
                                  not any(s.overlaps(p) for p in propagated)]


def _review_extra(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Numbers and capitalised words inside a sentence that no recognizer took ("NAV",
    "Halden-kontoret"): worth a human look."""
    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in covered)

    found = [(m.start(), m.end(), "number") for m in NUMBER_RE.finditer(text)
             if len(re.sub(r"\D", "", m.group())) >= 3 and free(m.start(), m.end())]
    for t in tokenise(text):
        if t.is_word and t.capitalised and not t.initial and free(t.start, t.end) and \
                t.text.lower() not in FILLERS:
            found.append((t.start, t.end, "capitalised"))
    return found


def _collect_names(transcript: Transcript, detected: dict[int, list[Span]],
                   options: AnonymiseOptions, pseudonyms: Pseudonyms) -> dict[str, str]:
    """name as written -> category, for every name redacted in this recording or known to
    the project's registry."""
    names: dict[str, str] = {}
    for entity in pseudonyms.entities:
        if entity.category in NAME_CATEGORIES:
            for n in entity.names:
                names.setdefault(n.title(), entity.category)
    for seg in transcript.segments:
        for s in detected[seg.id]:
            if s.category in NAME_CATEGORIES and s.score >= options.threshold:
                start, end = (s.place_start, s.place_end) if s.place_start is not None \
                    else (s.start, s.end)
                name = seg.text[start:end]
                names.setdefault(name, "PLACE" if s.place_start is not None else s.category)
                if s.category == "PERSON":
                    # "Per Olsen" makes a later "Per" a name too
                    for word in name.split():
                        if word[:1].isupper():
                            names.setdefault(word, "PERSON")
    keep = {k.lower() for k in options.keep}
    return {n: c for n, c in names.items() if len(n) >= 3 and n.lower() not in keep}


def _decide(seg: Segment, spans: list[Span], options: AnonymiseOptions,
            pseudonyms: Pseudonyms) -> tuple[list[Cut], list[tuple[int, int, str, Span | None]]]:
    """Split one segment's spans into cuts (redactions) and review candidates."""
    cuts, candidates = [], []
    for s in sorted(spans, key=lambda s: s.start):
        indirect = s.category in INDIRECT_CATEGORIES
        if options.action(s.category) == "keep":
            continue
        if s.score < options.threshold or (indirect and not options.redact_indirect):
            candidates.append((s.start, s.end, s.category.lower() if indirect else "low_score", s))
            continue
        if s.place_start is not None:
            # keep the type of service, pseudonymise its place: "NAV [STED-1]"
            s = Span(s.place_start, s.place_end, "PLACE", s.score, s.detector, s.reason)
        cuts.append(make_cut(s, seg.text, options, pseudonyms))
    covered = [(c.start, c.end) for c in cuts] + [(a, b) for a, b, _, _ in candidates]
    candidates += [(a, b, kind, None) for a, b, kind in _review_extra(seg.text, covered)]
    return cuts, candidates


def _decided_category(kind: str, candidate: Span | None) -> str:
    if candidate is not None:
        return candidate.category
    if kind.upper() in categories.TABLE:
        return kind.upper()
    return {"number": "NUMBER", "capitalised": "PERSON"}.get(kind, "OTHER")


def _apply_decisions(seg: Segment, decisions: list, cuts: list[Cut], candidates: list,
                     options: AnonymiseOptions, pseudonyms: Pseudonyms, kept: list[dict],
                     decided: list[dict]):
    """A human's decisions (anonymise.decisions) on this segment's cuts and candidates:
    keep undoes a cut or drops a candidate; redact confirms a cut (or changes its category),
    or cuts a candidate or a stretch a human marked."""
    for d in decisions:
        if d.segment != seg.id or d.char_end > len(seg.text):
            continue
        decided.append(d.record())
        where = (d.char_start, d.char_end)
        matching = [c[3] for c in candidates if (c[0], c[1]) == where]
        candidates[:] = [c for c in candidates if (c[0], c[1]) != where]
        existing = [i for i, c in enumerate(cuts) if (c.start, c.end) == where]
        if d.decision == "keep":
            cuts[:] = [c for c in cuts if (c.start, c.end) != where]
            kept.append({"segment": seg.id, "char_start": d.char_start, "char_end": d.char_end,
                         "kind": d.kind})
            continue
        if d.category in NAME_CATEGORIES:
            pseudonyms.decided(d.category, seg.text[d.char_start:d.char_end])
        if existing and d.category and d.category != cuts[existing[0]].category:
            span = Span(d.char_start, d.char_end, d.category, 1.0, "review", "a human decided")
            cuts[existing[0]] = make_cut(span, seg.text, options, pseudonyms, decided_by="human")
        elif existing:
            cuts[existing[0]].decided_by = "human"
        elif not any(c.start < d.char_end and d.char_start < c.end for c in cuts):
            category = d.category or _decided_category(d.kind, matching[0] if matching else None)
            span = Span(d.char_start, d.char_end, category, 1.0, "review", "a human decided")
            cuts.append(make_cut(span, seg.text, options, pseudonyms, decided_by="human"))
    cuts.sort(key=lambda c: c.start)


def anonymise_transcript(transcript: Transcript, options: AnonymiseOptions,
                         pseudonyms: Pseudonyms, decisions: list | None = None) -> Transcript:
    """A new, anonymised Transcript; `pseudonyms` gains the entities met. The input is not
    modified."""
    from anonymise.recognizers import model_ner
    from anonymise.registry import analyze, recognizers

    options.check()
    result = Transcript.from_dict(transcript.to_dict())
    detected = {seg.id: analyze(seg.text, options) for seg in result.segments}
    names = _collect_names(result, detected, options, pseudonyms)
    pattern = _name_pattern(names)
    mine = [d for d in decisions or [] if d.applies_to(result.source.name)]

    # link people with full names first, so "Kari" joins "Kari Nordmann" whatever the order
    for seg in result.segments:
        for s in detected[seg.id]:
            original = seg.text[s.start:s.end]
            if s.category == "PERSON" and len(original.split()) > 1:
                pseudonyms.link("PERSON", original)

    kept: list[dict] = []
    decided: list[dict] = []
    review: list[ReviewItem] = []
    redactions: list[Redaction] = []
    for seg in result.segments:
        spans = _with_propagation(detected[seg.id],
                                  _propagation_spans(seg.text, pattern, names), options.threshold)
        cuts, candidates = _decide(seg, spans, options, pseudonyms)
        _apply_decisions(seg, mine, cuts, candidates, options, pseudonyms, kept, decided)
        for a, b, kind, s in sorted(candidates, key=lambda c: c[0]):
            review.append(ReviewItem(f"C{len(review) + 1}", seg.id, a, b, *_times(seg, a, b),
                                     kind, s.category if s else "", s.detector if s else "",
                                     round(s.score, 3) if s else 0.0))
        for cut, (a, b, t0, t1) in zip(cuts, _rewrite(seg, cuts)):
            redactions.append(Redaction(f"R{len(redactions) + 1}", seg.id, a, b, t0, t1,
                                        cut.category, cut.replacement, cut.detector,
                                        round(min(cut.score, 1.0), 3), cut.decided_by))
    result.redactions = redactions
    result.review = review
    result.anonymised = True
    used = [r.name for r in recognizers(options)]
    result.provenance.stages["anonymise"] = {
        "options": options.as_params(),
        "recognizers": used,
        "ner_model_sha256": model_ner.model_sha256() if model_ner.NerRecognizer.name in used
        else None,
        "human_kept": kept,
        "decisions": decided,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    return result


def _word_offsets(seg: Segment) -> list[tuple[int, int]] | None:
    """Each word's [start, end) in the segment text (a word's leading space included), or None
    when the words do not join to the text."""
    joined = "".join(w.text for w in seg.words)
    if not seg.words or joined.strip() != seg.text:
        return None
    pos = -(len(joined) - len(joined.lstrip()))
    offsets = []
    for w in seg.words:
        offsets.append((pos, pos + len(w.text)))
        pos += len(w.text)
    return offsets


def _times(seg: Segment, a: int, b: int) -> tuple[float, float]:
    offsets = _word_offsets(seg)
    hit = [w for w, (ws, we) in zip(seg.words, offsets or []) if ws < b and a < we]
    if not hit:
        return seg.start, seg.end
    return hit[0].start, hit[-1].end


def _replace(text: str, cuts: list[Cut], offset: int = 0) -> tuple[str, list[tuple[int, int]]]:
    """`text` with the cuts applied (cut offsets shifted by `offset`), and where each
    replacement landed."""
    out, last, where = "", 0, []
    for c in cuts:
        out += text[last:c.start - offset]
        where.append((len(out), len(out) + len(c.replacement)))
        out += c.replacement
        last = c.end - offset
    return out + text[last:], where


def _rewrite(seg: Segment, cuts: list[Cut]) -> list[tuple[int, int, float, float]]:
    """Apply the cuts to the segment's text and words; return each cut's offsets in the new
    text and its time."""
    times = [_times(seg, c.start, c.end) for c in cuts]
    offsets = _word_offsets(seg)
    text, where = _replace(seg.text, cuts)
    if offsets is None:
        # words that do not match the text: replace what they share with a cut wholesale
        originals = [(seg.text[c.start:c.end], c.replacement) for c in cuts]
        for w in seg.words:
            for original, repl in originals:
                core = w.text.strip()
                if core and (core in original or original in w.text):
                    w.text = w.text[:len(w.text) - len(w.text.lstrip())] + repl
    else:
        words: list[Word] = []
        i = 0
        while i < len(seg.words):
            ws, we = offsets[i]
            mine = [c for c in cuts if ws < c.end and c.start < we]
            if not mine:
                words.append(seg.words[i])
                i += 1
                continue
            # merge every word the cuts touch, so no part of an original survives
            j = i
            while True:
                mine = [c for c in cuts if ws < c.end and c.start < offsets[j][1]]
                last = max(k for k in range(i, len(seg.words))
                           if any(offsets[k][0] < c.end and c.start < offsets[k][1]
                                  for c in mine))
                if last == j:
                    break
                j = last
            group = seg.words[i:j + 1]
            raw = "".join(w.text for w in group)
            new, _ = _replace(raw, mine, offset=ws)
            words.append(Word(group[0].start, group[-1].end, new, min(w.p for w in group),
                              group[0].speaker))
            i = j + 1
        seg.words = words
    seg.text = text
    return [(a, b, t0, t1) for (a, b), (t0, t1) in zip(where, times)]
