"""Names in text without capitals (ASR output that lost them), each found by one cue around a
word that looks like a name: a word NorNE train mostly capitalises, or one it never saw that is
not formed like a Norwegian common word; a patronym by its own form. They run only on
sentences without any capital: where there are capitals, capitals decide
(recognizers/names.py)."""
from __future__ import annotations

from anonymise import gazetteers
from anonymise.recognizers.base import SpanRecognizer
from anonymise.recognizers.names import (AMBIGUOUS_LOWER_COUNT, FILLERS, GENERIC_SERVICES,
                                         NAMING_VERBS)
from anonymise.span import Span
from anonymise.tokens import Token

# Shorter unseen words are as often clipped or misheard common words as names.
MIN_NAME_LENGTH = 3
# Verbs that attribute speech; in news and interviews the speaker's name follows them at the end
# of a clause ("..., sier kalheim.").
SPEECH_VERBS = frozenset({"sier", "seier", "sa", "sei", "mener", "meiner", "meinte", "mente",
                          "skriver", "skriv", "skrev", "forteller", "fortel", "fortalde",
                          "fortalte", "forklarer", "forklarar", "legger", "legg", "understreker",
                          "understrekar", "påpeker", "påpeikar", "svarer", "svarar", "svarte",
                          "spør", "spurte", "ler", "konkluderer", "konkluderar", "innrømmer",
                          "innrømmar", "tror", "trur", "synes", "synest", "opplyser",
                          "uttaler", "uttalar", "hevder", "hevdar"})
# What may follow the name of a speaker after a speech verb.
AFTER_SPEAKER = frozenset({".", ",", "!", "?", ":", ";", "og", "til", "i", "på", "som", "da",
                           "då", "etter", "overfor", "om", "»", '"', "|", "-", "–"})
# Words after which a name follows: naming verbs and titles ("heter", "ordfører", "dr.").
NAME_CUES = NAMING_VERBS | {"kalt", "kalla", "dr", "professor", "ordfører", "ordførar",
                           "statsminister", "statsråd", "minister", "direktør", "rådmann",
                           "fylkesmann", "biskop", "pastor", "sogneprest", "fru", "herr",
                           "advokat", "forfatter", "forfattar", "trener", "trenar", "kollega"}
# Finite verbs that follow the subject at the start of a sentence.
SUBJECT_VERBS = frozenset({"er", "var", "har", "hadde", "vil", "skal", "kan", "må", "ville",
                           "skulle", "kunne", "måtte", "blir", "ble", "vart", "vert", "fikk",
                           "fekk", "får", "tok", "kom", "gikk", "gjekk", "sier", "seier", "sa",
                           "mener", "meiner", "tror", "trur", "vet", "veit"})
# Endings of definite and plural nouns and of other word forms that open sentences
# ("bjørnen", "mottoet", "spalta", "miljøvernarar").
NOUN_ENDINGS = ("en", "et", "a", "ar", "er", "ere", "ing", "nde", "sk", "tid", "ast", "ert",
                "ene", "ane")
PLACE_CUES = frozenset({"fra", "frå", "i", "på", "til", "ved", "nær", "mot", "utenfor",
                        "utanfor"})
# Last parts of Norwegian place names (farms, valleys, bays, headlands, islands).
PLACE_ELEMENTS = ("stad", "land", "heim", "dal", "dalen", "vik", "vika", "fjord", "fjorden",
                  "nes", "øy", "øya", "berg", "haug", "bø", "rud", "sund", "voll", "vold", "by",
                  "eid", "moen", "åsen", "lia", "holm", "strand", "havn", "bukta", "vatn", "vann",
                  "set", "seter", "sæter", "gard", "gård", "torp", "rød", "ås", "myra", "kollen",
                  "våg")


def lower_case_sentence(tokens: list[Token]) -> bool:
    # not even the first word: a cased sentence without a name inside looks the same
    return not any(t.capitalised for t in tokens)


def looks_like_name(word: str) -> bool:
    """A lower-case word NorNE train mostly capitalises mid-sentence, or one it never saw (seen
    fewer than twice) that is not formed like a Norwegian common word."""
    if len(word) < MIN_NAME_LENGTH or not word.replace("-", "").isalpha() or \
            word in FILLERS or word in GENERIC_SERVICES or word in gazetteers.not_names():
        return False
    counts = gazetteers.word_case().get(word)
    if counts is None:
        return not gazetteers.looks_common(word)
    lower, cap = counts
    return cap > lower


def _first_name(word: str) -> bool:
    """A first name from the SSB lists that is no common word as well ("andre", "vera", "dag"
    are mostly written in lower case, "per" often)."""
    return word in gazetteers.first_names() and \
        (word not in gazetteers.word_case() or looks_like_name(word)) and \
        gazetteers.lower_case_count(word) < AMBIGUOUS_LOWER_COUNT


def _patronym(word: str) -> bool:
    """"håkonsen", "nilsen", "andersson": a first name and "-sen" or "-son" (the s may be the
    name's own)."""
    firsts = gazetteers.first_names()
    return word.endswith(("sen", "son")) and (word[:-3] in firsts or word[:-2] in firsts)


def _place_like(word: str) -> bool:
    """A town or city in GeoNames, or formed like a Norwegian place name ("leirdalen",
    "fjærland"), and never written in lower case in NorNE train."""
    if gazetteers.lower_case_count(word) > 0 or not looks_like_name(word):
        return False
    return word in gazetteers.geonames_places() or (
        word not in gazetteers.word_case() and
        any(word.endswith(e) and len(word) - len(e) >= 2 for e in PLACE_ELEMENTS))


class _LowerCaseCue(SpanRecognizer):
    priority = 1
    entities = ("PERSON",)
    category = "PERSON"
    reason = ""

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        if not lower_case_sentence(tokens):
            return []
        return [Span(tokens[first].start, tokens[last].end, self.category, self.score,
                     self.name, self.reason)
                for first, last in self.spans([t.text for t in tokens])]

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        """(first, last) token index of each name the cue finds among the sentence's words."""
        raise NotImplementedError


class SurnameAfterFirstName(_LowerCaseCue):
    """"kari helene bakkevoll": a name-like word after first names from the SSB lists is their
    surname, and the first names are a person's too."""
    name = "lower_surname"
    score = 0.55
    reason = "lower case; a name-like word after a first name"

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        found = []
        for i in range(1, len(words)):
            if _first_name(words[i - 1]) and looks_like_name(words[i]):
                first = i - 1
                while first > 0 and _first_name(words[first - 1]):
                    first -= 1
                found.append((first, i))
        return found


class SpeakerAfterSpeechVerb(_LowerCaseCue):
    """"..., sier grimstvedt.": a name-like word right after a verb of saying, closing the
    clause."""
    name = "lower_speaker"
    score = 0.55
    reason = "lower case; a name-like word after a verb of saying"

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        return [(i, i) for i in range(1, len(words))
                if words[i - 1] in SPEECH_VERBS and looks_like_name(words[i]) and
                (words[i + 1] if i + 1 < len(words) else ".") in AFTER_SPEAKER]


class NameAfterCue(_LowerCaseCue):
    """"hun heter kvernmo", "ordfører lianes": name-like words after a naming verb or a title
    ("dr." with its full stop)."""
    name = "lower_named"
    score = 0.55
    reason = "lower case; a name-like word after a naming verb or a title"

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        found = []
        for i in range(1, len(words)):
            cue = i - 2 if words[i - 1] == "." and i > 1 else i - 1
            if words[cue] in NAME_CUES and looks_like_name(words[i]):
                last = i
                while last + 1 < len(words) and looks_like_name(words[last + 1]):
                    last += 1
                found.append((i, last))
        return found


class SubjectBeforeVerb(_LowerCaseCue):
    """"gauseth slo tunnell på midstopperen": an unseen name-like word opening the sentence,
    before a finite verb, unless formed like a definite or plural noun."""
    name = "lower_subject"
    score = 0.55
    reason = "lower case; an unseen name-like word opening a sentence, before a verb"

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        at = [i for i, w in enumerate(words) if w[:1].isalpha()][:2]
        if len(at) < 2 or words[at[1]] not in SUBJECT_VERBS:
            return []
        first = words[at[0]]
        noun_like = first.endswith(NOUN_ENDINGS) and not _patronym(first)
        if first in gazetteers.word_case() or noun_like or not looks_like_name(first):
            return []
        return [(at[0], at[0])]


class Patronym(_LowerCaseCue):
    """"pedersen", "andersson": a first name with -sen or -son that is no Norwegian common word
    is a surname wherever it stands; its form is its cue (in NorNE train such words name people
    and a few firms, never anything else)."""
    name = "lower_patronym"
    score = 0.55
    reason = "lower case; a first name with -sen or -son"

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        return [(i, i) for i, word in enumerate(words)
                if _patronym(word) and not gazetteers.is_dictionary_form(word)]


class PlaceAfterPreposition(_LowerCaseCue):
    """"vi kom fra dombås", "hun bor i kvamsdalen": a town, or a word formed like a place name,
    after a preposition of place."""
    name = "lower_place"
    score = 0.55
    category = "PLACE"
    entities = ("PLACE",)
    reason = "lower case; a town or a word formed like a place name, after a preposition"

    def spans(self, words: list[str]) -> list[tuple[int, int]]:
        return [(i, i) for i in range(1, len(words))
                if words[i - 1] in PLACE_CUES and _place_like(words[i])]


def recognizers(language: str) -> list[SpanRecognizer]:
    return [SurnameAfterFirstName(language), SpeakerAfterSpeechVerb(language),
            NameAfterCue(language), SubjectBeforeVerb(language), Patronym(language),
            PlaceAfterPreposition(language)]
