"""Norwegian health and welfare services named after a place: "NAV Halden", "DPS Follo",
"Sykehuset Østfold", "Helse Vest", "Vestre Viken HF", "Halden kommune", "barnevernet i Moss".

The span covers the whole name, so the service is redacted together with its place when the
place is redacted, but the span marks the place part: the replacement keeps the type of
service and pseudonymises only the place ("NAV Halden" -> "NAV [STED-1]")."""
from __future__ import annotations

import re

from anonymise import gazetteers
from anonymise.recognizers.base import SpanRecognizer
from anonymise.span import Span
from anonymise.tokens import Token

SERVICE_BEFORE = (r"nav|dps|bup|sykehuset|sjukehuset|helse|universitetssykehuset|legevakten|"
                  r"legevakta|rusklinikken|behandlingssenteret|barnevernet|barnevernstjenesten|"
                  r"barneverntjenesten|kommunen|sykehjemmet|sjukeheimen|helsestasjonen|"
                  r"nav-kontoret|dps-et|bup-en|fengselet|politiet|fastlegen|"
                  r"psykiatrien|rusomsorgen|hjemmetjenesten|heimetenesta")
SERVICE_AFTER = (r"kommune|bydel|legevakt|sykehjem|sjukeheim|dps|hf|sykehus|sjukehus|"
                 r"universitetssykehus|behandlingssenter|rusklinikk|helsestasjon|barnevern|"
                 r"barneverntjeneste|barnevernstjeneste|fengsel|helseforetak|bup")
WORD = r"[^\W\d_][\w-]*"
# "DPS Nordre Østfold", "Helse Sør-Øst"
DIRECTIONS = r"nordre|søndre|vestre|østre|indre|ytre|øvre|nedre|midtre|nord|sør|vest|øst"
BEFORE_RE = re.compile(rf"\b(?i:{SERVICE_BEFORE})(?:\s+(?:i|på))?\s+"
                       rf"(?P<place>(?:(?i:{DIRECTIONS})\s+)?{WORD})(?:\s+HF\b)?")
AFTER_RE = re.compile(rf"(?P<place>{WORD}(?:\s+[A-ZÆØÅ][\w-]*)?)\s+(?i:{SERVICE_AFTER})\b")
# the regional health trusts (and those before 2007), named after a region, not a place
HEALTH_REGION_RE = re.compile(r"\b(?i:helse)\s+"
                              r"(?P<place>(?i:sør-øst|midt-norge|vest|nord|sør|øst|midt))\b")
# a service word anywhere: most sentences have none and skip the patterns
ANY_SERVICE_RE = re.compile(rf"\b(?i:{SERVICE_BEFORE}|{SERVICE_AFTER})\b")


# Services whose name is "service + place" even in lower case: "helse vest", "sykehuset østfold"
# (a common noun takes "i": "sykehuset i moss").
NAMED_BY_PLACE = frozenset({"helse", "sykehuset", "sjukehuset", "universitetssykehuset"})


def _named_service(match: re.Match) -> bool:
    service = match.group().split()[0].lower()
    return service in NAMED_BY_PLACE and match.start("place") == match.start() + len(service) + 1


def _is_place(words: str) -> bool:
    parts = words.split()
    first = parts[-1] if len(parts) > 1 and re.fullmatch(DIRECTIONS, parts[0].lower()) \
        else parts[0]
    if gazetteers.is_place(words) or gazetteers.is_place(first):
        return True
    if not first[:1].isupper():
        return False
    likelihood = gazetteers.name_likelihood(first)
    return likelihood is None or likelihood >= 0.5


class InstitutionRecognizer(SpanRecognizer):
    name = "institution"
    score = 0.9
    priority = 4
    entities = ("PLACE", "ORGANISATION")

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        spans: list[Span] = []
        if not ANY_SERVICE_RE.search(text):
            return spans
        for regex in (HEALTH_REGION_RE, BEFORE_RE, AFTER_RE):
            pos = 0
            while m := regex.search(text, pos):
                place = m.group("place")
                named = regex is HEALTH_REGION_RE or (regex is BEFORE_RE and _named_service(m))
                if not (_is_place(place) or regex is HEALTH_REGION_RE):
                    # "i Oslo kommune" fails on "i"; "Oslo kommune" must still be tried
                    pos = m.start() + 1
                    continue
                pos = m.end()
                if text[m.start()].islower() and not named:
                    # "barnevernet i Moss": the service is a common noun, the place a place
                    span = Span(m.start("place"), m.end("place"), "PLACE", self.score,
                                self.name, "the place of a public service")
                else:
                    span = Span(m.start(), m.end(), "ORGANISATION", self.score, self.name,
                                "a public service named after a place",
                                m.start("place"), m.end("place"))
                if not any(span.overlaps(s) for s in spans):
                    spans.append(span)
        return spans
