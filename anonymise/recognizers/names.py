"""Names of people, places and organisations from capitalisation and gazetteers.

In Norwegian only names (and the first word of a sentence) are capitalised, so a capitalised
word inside a sentence is taken as a name. At the start of a sentence a word counts as a name
when NorNE train mostly capitalises it mid-sentence, or when it is in the SSB/Kartverket
gazetteers and not a common word. Lower-case words (ASR output) count when they are gazetteer
names never written in lower case in NorNE train, or when a name follows them."""
from __future__ import annotations

from anonymise import gazetteers
from anonymise.recognizers.base import SpanRecognizer
from anonymise.span import Span
from anonymise.tokens import ABBREVIATIONS, Token

# Names of national services: the type of service is kept (see recognizers/institution.py).
GENERIC_SERVICES = frozenset({"nav", "dps", "bup", "helse", "hf", "barnevernet", "legevakten",
                              "legevakt"})
# Abbreviations are no names, but "St." begins many ("St. Hanshaugen", "St. Olavs hospital").
NOT_NAMES = ABBREVIATIONS - {"st"}
# Endings of titles and occupations that open a sentence before a name.
TITLE_ENDINGS = ("sjef", "leder", "leiar", "kirurg", "lege", "person", "diakon", "ist", "ør",
                 "ar", "er", "eren", "aren", "ant", "mann", "kvinne", "inne", "prest", "minister",
                 "direktør", "rådgiver", "rådgjevar", "felle", "anten", "enten")
# Spoken fillers that open many transcript sentences.
FILLERS = frozenset({"eh", "ehm", "eeh", "øh", "øhm", "æh", "hm", "hmm", "mm", "mhm", "mmm",
                     "ja", "jo", "nei", "neida", "jada", "ok", "okei", "åh", "aha", "huff",
                     "hei", "altså", "liksom", "nja", "tja", "ehh"})
# Abbreviations that name no one.
COMMON_ACRONYMS = frozenset({"tv", "pc", "ol", "vm", "nm", "em", "bnp", "dna", "cd", "dvd",
                             "ok", "id", "it", "pr", "hr", "sms", "pdf", "gps", "cv", "mva",
                             "iq", "adhd", "ocd", "ptsd", "ms", "mr", "ct", "eeg", "ekg"})
# Lower-case words inside names: "Ludwig van Beethoven", "Leonardo da Vinci".
# "der", "den", "al", "el" are common words too: they continue a particle chain but never
# start one ("Hordaland der Lars Sponheim").
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "af",
                       "al", "bin", "ibn", "el", "dos", "del", "ter", "ten"})
CHAIN_PARTICLES = PARTICLES - {"der", "den", "al", "el"}
# Lower-case heads of institution and place names: "Halden kommune", "Oslo tingrett".
ORG_SUFFIXES = ("kommune", "tingrett", "lagmannsrett", "byrett", "herredsrett", "kirke",
                "kyrkje", "kapell", "sykehus", "sjukehus", "sykehjem", "sjukeheim", "legevakt",
                "legesenter", "helsesenter", "politidistrikt", "lensmannskontor", "gymnas",
                "skole", "skule", "universitet", "høgskole", "høgskule", "fengsel", "barnehage",
                "bibliotek", "museum", "kommunestyre", "bystyre", "sokneråd", "menighet",
                "departement", "departementet", "direktorat", "direktoratet", "institutt",
                "senter", "stadion", "klinikk", "forening", "forbund", "råd", "rådet", "bank",
                "banken", "styre", "styret", "utvalg", "utvalget", "utval", "utvalet", "selskap",
                "selskapet", "forlag", "hus")
# Definite heads that make a capitalised word an organisation ("Tyrilistiftelsen").
ORG_HEADS = ("stiftelsen", "senteret", "klinikken", "sykehuset", "sjukehuset", "forbundet",
             "foreningen", "instituttet", "direktoratet", "departementet", "tjenesten",
             "tenesta", "skolen", "skulen", "kirken", "kyrkja", "banken", "rådet", "partiet",
             "kontoret", "fengselet", "universitetet", "høgskolen", "høgskulen", "tinget")
PLACE_SUFFIXES = ("gate", "gata", "vei", "veien", "veg", "vegen", "plass", "torg", "sentrum",
                  "tinghus", "rådhus", "stasjon", "havn", "bru", "fjord", "fjell")
PLACE_PREPOSITIONS = frozenset({"i", "på", "fra", "frå", "til", "mot", "ved", "nær",
                                "utenfor", "utanfor", "rundt", "gjennom", "over", "via"})
# "Universitetet i Bergen", "Sysselmannen på Svalbard": joined when the word before is formed
# like the definite noun of an institution and is no gazetteer name ("Kari Nordmann i Oslo"
# stays two names).
INNER_PREPOSITIONS = frozenset({"i", "for", "på"})
INSTITUTION_ENDINGS = ("et", "en", "inga", "ingen")
# "Det Norske Samlaget", "Den katolske kirke"
ARTICLES = frozenset({"den", "det"})
# A word seen this often in lower case in NorNE train is a common word as well as a name.
AMBIGUOUS_LOWER_COUNT = 10
# What follows these is a person's name ("jeg heter ...").
NAMING_VERBS = frozenset({"heter", "het", "heiter"})
# A lower-case ambiguous name ("per", "liv") is a name after these.
NAME_CUES = NAMING_VERBS | {"kalt", "kalla", "navn", "namn"}
# A lower-case gazetteer name mostly capitalised in running text is a person after these
# ("hos kari") and a place after a place preposition ("fra moss").
PERSON_CUES = NAME_CUES | {"hos", "med", "til", "og"}
# Run-together names ("karinordmann"): both parts at least this long, so that chance splits
# of ordinary words ("ola" + "...") are rare.
RUN_TOGETHER_MIN_PART = 3
RUN_TOGETHER_MIN_LENGTH = 8


def _bare(word: str) -> str:
    return word.rstrip("-")


def _known(word: str) -> str | None:
    """The gazetteer form of a word, trying the genitive without its s ("Nordmanns")."""
    low = word.lower()
    for form in (low, low[:-1] if low.endswith("s") and len(low) > 3 else None):
        if form and (gazetteers.is_person_name(form) or gazetteers.is_place(form)):
            return form
    return None


def _is_derived(word: str) -> bool:
    # "Høyre-velgerne", "TV-skjermen": a name used to form a common noun ("Kim Jong-il" is
    # not: the lower-case part is too short for a noun)
    head, _, tail = word.rpartition("-")
    return bool(head) and tail[:1].islower() and (len(tail) > 2 or head.isupper())


def _first_name(word: str) -> bool:
    return word.lower() in gazetteers.first_names()


def _run_together(word: str) -> bool:
    """A first name and a surname (or two first names) written as one word."""
    if len(word) < RUN_TOGETHER_MIN_LENGTH:
        return False
    firsts, lasts = gazetteers.first_names(), gazetteers.surnames()
    return any(word[:k] in firsts and (word[k:] in lasts or word[k:] in firsts)
               for k in range(RUN_TOGETHER_MIN_PART, len(word) - RUN_TOGETHER_MIN_PART + 1))


def _named_institution(word: str) -> bool:
    """"borgestadklinikken": an institution head after a place or an unknown word, not after
    a common one ("legeklinikken")."""
    head = next((h for h in ORG_HEADS if word.endswith(h)), None)
    if head is None:
        return False
    prefix = word[:-len(head)].rstrip("-")
    if len(prefix) < 3:
        return False
    return gazetteers.is_place(prefix) or (
        prefix not in gazetteers.word_case() and not gazetteers.looks_common(prefix))


def _person_name(words: list[str]) -> bool:
    """Named like a person and not like a place: after "ved Hansen" or "til Kari" a person."""
    last = _genitive_base(words[-1])
    return words[0] in gazetteers.first_names() or \
        (last in gazetteers.surnames() and not gazetteers.is_place(last))


def _institution_like(word: str) -> bool:
    low = word.lower()
    return len(low) >= 7 and low.endswith(INSTITUTION_ENDINGS) and not _known(word)


def _genitive_base(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


class NameRecognizer(SpanRecognizer):
    name = "names"
    score = 0.8
    priority = 1
    entities = ("PERSON", "PLACE", "ORGANISATION")

    def evidence(self, tokens: list[Token], i: int) -> tuple[float, str] | None:
        tok = tokens[i]
        if not tok.is_word:
            return None
        word = _bare(tok.text)
        low = word.lower()
        if low in GENERIC_SERVICES or low in FILLERS or low in NOT_NAMES:
            return None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        next_is_name = nxt is not None and nxt.capitalised and not _is_derived(nxt.text)
        if tok.capitalised:
            if _is_derived(word):
                return None
            if word.isupper() and len(word) > 1:
                return None if low in COMMON_ACRONYMS else (0.7, "acronym")
            if len(word) == 1:
                # "Rolf B. Wegner" but not "plan B"
                follows_stop = nxt is not None and nxt.text == "."
                return (0.7, "initial of a name") if follows_stop else None
            if not tok.initial:
                return (self.score, "capitalised inside a sentence")
            likelihood = gazetteers.name_likelihood(word)
            if likelihood is None:
                likelihood = gazetteers.name_likelihood(_genitive_base(word))
            if likelihood is not None:
                if likelihood >= 0.5 and next_is_name:
                    return (0.75, "sentence start; mostly capitalised, before a name")
                if likelihood >= 0.5:
                    # "Per dag", "Liv og helse": a common word as well; a human decides
                    ambiguous = gazetteers.lower_case_count(word) >= AMBIGUOUS_LOWER_COUNT
                    return (0.45, "sentence start; a name and a common word") if ambiguous \
                        else (0.7, "sentence start; mostly capitalised in running text")
                if next_is_name and gazetteers.is_person_name(low):
                    return (0.6, "sentence start; first name before a name")
                return None
            if _known(word):
                return (0.7, "sentence start; in the name gazetteers")
            if next_is_name:
                if low.endswith(TITLE_ENDINGS):
                    return None  # "Ordfører Arne Sandnes", "Prosjektsjef Per Atle"
                return (0.45, "sentence start; an unknown word before a name")
            if gazetteers.looks_common(word):
                return None
            return (0.5, "sentence start; an unknown word, not formed like a common word")
        lower, cap = gazetteers.word_case().get(low, (0, 0))
        if cap >= 3 and lower * 20 <= cap:
            return (0.6, "lower case; nearly always capitalised in running text")
        known = _known(word)
        if known is None:
            if lower == cap == 0 and _run_together(low):
                return (0.55, "lower case; a first name and a surname run together")
            if lower == 0 and _named_institution(low):
                return (0.55, "lower case; an institution named after a place")
            return None
        prev = tokens[i - 1].text.lower() if i > 0 else ""
        if gazetteers.lower_case_count(known) == 0 == gazetteers.lower_case_count(low) \
                and len(known) > 3:
            return (0.55, "lower case; in the name gazetteers, never seen as a common word")
        surname_next = nxt is not None and nxt.capitalised and \
            nxt.text.lower() in gazetteers.surnames() and \
            nxt.text.lower() not in gazetteers.first_names()
        if prev in NAME_CUES or surname_next:
            return (0.55, "lower case; a name by context")
        likelihood = gazetteers.name_likelihood(known)
        mostly_name = likelihood is None or likelihood >= 0.5
        if mostly_name and ((prev in PLACE_PREPOSITIONS and gazetteers.is_place(known)) or
                            (prev in PERSON_CUES and gazetteers.is_person_name(known))):
            return (0.55, "lower case; a name by context")
        return None

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        evidence = [self.evidence(tokens, i) for i in range(len(tokens))]
        # "hans petter lunde": a lower-case first name before a name, right to left
        for i in range(len(tokens) - 2, -1, -1):
            if evidence[i] is None and evidence[i + 1] is not None and \
                    tokens[i].text.islower() and _first_name(tokens[i].text) and \
                    gazetteers.is_person_name(tokens[i + 1].text):
                evidence[i] = (0.55, "lower case; a first name before a name")
        spans = []
        i = 0
        while i < len(tokens):
            if evidence[i] is None:
                i += 1
                continue
            first, last = i, i
            j = i + 1
            while j < len(tokens):
                word = tokens[j].text.lower()
                if evidence[j] is not None:
                    last = j
                elif tokens[last].text.endswith("-") and word in ("og", "eller"):
                    # "Kirke- og kulturdepartementet": the next word is part of the name
                    if j + 1 < len(tokens) and tokens[j + 1].is_word:
                        last = j = j + 1
                elif word == "." and len(tokens[last].text) == 1 and \
                        j + 1 < len(tokens) and evidence[j + 1] is not None:
                    pass  # "Rolf B. Wegner"
                elif word in CHAIN_PARTICLES and self._particles_before_name(tokens, j, evidence):
                    pass
                elif word in ("og", "i") and j + 1 < len(tokens) and gazetteers.is_place(
                        f"{tokens[last].text} {word} {tokens[j + 1].text}"):
                    pass  # "Møre og Romsdal"
                elif word.endswith(ORG_SUFFIXES + PLACE_SUFFIXES) and \
                        not _first_name(tokens[last].text):
                    last = j
                elif word.endswith("e") and j + 1 < len(tokens) and \
                        tokens[j + 1].text.lower().endswith(ORG_SUFFIXES + PLACE_SUFFIXES) and \
                        not _first_name(tokens[last].text):
                    pass  # "Kviteseid gamle kyrkje"
                elif word in ("sr", "jr"):
                    last = j  # "Bush sr."
                elif word == "&" and j + 1 < len(tokens) and evidence[j + 1] is not None:
                    pass  # "Olsen & Jørgensen"
                elif word in INNER_PREPOSITIONS and j + 1 < len(tokens) and \
                        evidence[j + 1] is not None and tokens[j + 1].capitalised and \
                        _institution_like(tokens[last].text):
                    pass
                else:
                    break
                j += 1
            if first > 0 and tokens[first - 1].capitalised and \
                    tokens[first - 1].text.lower() in ARTICLES:
                first -= 1
            spans.append(self._span(tokens, first, last, evidence))
            i = last + 1
        return spans

    @staticmethod
    def _particles_before_name(tokens: list[Token], j: int, evidence) -> bool:
        while j < len(tokens) and tokens[j].text.lower() in PARTICLES:
            j += 1
        return j < len(tokens) and evidence[j] is not None

    def _span(self, tokens: list[Token], first: int, last: int, evidence) -> Span:
        words = [t.text.lower() for t in tokens[first:last + 1]]
        prev = tokens[first - 1].text.lower() if first > 0 else ""
        found = [e for e in evidence[first:last + 1] if e is not None]
        if words[0] in ARTICLES:
            words = words[1:]
        score, reason = max(found)
        if any(w.endswith(ORG_SUFFIXES) for w in words[1:]) or \
                any(w.endswith(ORG_HEADS) for w in words) or \
                any(t.text.isupper() and len(t.text) > 1 for t in tokens[first:last + 1]):
            category = "ORGANISATION"
        elif any(w.endswith(PLACE_SUFFIXES) for w in words[1:]) or \
                all(gazetteers.is_place(w) for w in words) or \
                (prev in PLACE_PREPOSITIONS and not _person_name(words)):
            category = "PLACE"
        else:
            category = "PERSON"
        return Span(tokens[first].start, tokens[last].end, category, score, self.name, reason)
