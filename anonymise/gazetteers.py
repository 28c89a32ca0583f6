"""Word lists in anonymise/data (see data/ATTRIBUTION.md), loaded once on first use.
Lookups are by lower-cased form."""
from __future__ import annotations

import csv
import gzip
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")
# written by scripts/extract-common-words.py
COMMON_WORD_LISTS = ("ordbank_forms.txt.gz", "nynorsk_forms.txt.gz")


def _rows(name: str, delimiter: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _count(value: str) -> int:
    # SSB writes "." where the 2020 count is not published
    return int(value) if value.isdigit() else 0


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=None)
def first_names() -> dict[str, int]:
    """First name -> bearers (SSB 2020, both sexes; Faker's top names count as common)."""
    names: dict[str, int] = {}
    for file in ("fornavn_gutter.csv", "fornavn_jenter.csv"):
        for row in _rows(file, ";"):
            key = row["fornavn"].lower()
            if len(key) > 1:  # SSB lists "X" as a first name
                names[key] = names.get(key, 0) + _count(row["personer_2020"])
    for file in ("first_names_female.txt", "first_names_male.txt"):
        for name in _lines(file):
            names.setdefault(name.lower(), 1000)
    return names


@lru_cache(maxsize=None)
def surnames() -> dict[str, int]:
    names = {row["etternavn"].lower(): _count(row["personer_2020"])
             for row in _rows("etternavn.csv", ";")}
    for name in _lines("last_names.txt"):
        names.setdefault(name.lower(), 1000)
    return names


def _forms(name: str) -> list[str]:
    """The official name and, for one in several languages ("Evenes - Evenášši"), each of its
    names: speech and transcripts use one of them."""
    parts = name.split(" - ")
    return [name.lower()] + ([p.lower() for p in parts] if len(parts) > 1 else [])


@lru_cache(maxsize=None)
def kommuner() -> dict[str, tuple[str, str]]:
    """kommune (lower case, each of its names) -> (kommune, fylke); the fylke is "" for a
    name that kommuner in two fylker share (Herøy, Våler): the name alone does not say which."""
    fylke_names = {row["fylkesnummer"]: row["name"] for row in _rows("fylker_2024.csv", ",")}
    out: dict[str, tuple[str, str]] = {}
    for row in _rows("kommuner_2024.csv", ","):
        fylke = fylke_names[row["fylkesnummer"]]
        for form in _forms(row["kommunenavn"]):
            seen = out.get(form)
            out[form] = (row["kommunenavn"], fylke if seen is None or seen[1] == fylke else "")
    return out


@lru_cache(maxsize=None)
def fylker() -> dict[str, str]:
    return {form: row["name"] for row in _rows("fylker_2024.csv", ",")
            for form in _forms(row["name"])}


@lru_cache(maxsize=None)
def other_places() -> frozenset[str]:
    return frozenset(p.lower() for p in _lines("places_extra.txt"))


@lru_cache(maxsize=None)
def geonames_places() -> frozenset[str]:
    """Norwegian villages and towns and the world's cities (GeoNames), lower case: too many
    of them are also words or surnames to count as places without a cue."""
    return frozenset(p.lower() for p in _lines("places_geonames.txt"))


def _gz_lines(name: str):
    """The lines of a gzipped list, one at a time: the long lists are not held as text."""
    with gzip.open(DATA_DIR / name, "rt", encoding="utf-8") as f:
        yield from (ln.strip() for ln in f if not ln.startswith("#"))


@lru_cache(maxsize=None)
def foreign_names() -> dict[str, list[str]]:
    """"first" and "last" -> other countries' names, lower case, for NER training's name swaps
    (written by scripts/extract-foreign-names.py)."""
    names: dict[str, list[str]] = {"first": [], "last": []}
    for line in _gz_lines("foreign_names.tsv.gz"):
        kind, name = line.split("\t")
        names[kind].append(name)
    return names


@lru_cache(maxsize=None)
def _common_word_hashes():
    """spaCy's 64-bit hashes of the common-word forms, bokmål and nynorsk, sorted: the words
    themselves would take a dozen times the memory."""
    import numpy as np
    from spacy.strings import hash_string

    hashes = np.fromiter((hash_string(form) for name in COMMON_WORD_LISTS
                          for form in _gz_lines(name)), dtype=np.uint64)
    hashes.sort()
    return hashes


def is_dictionary_form(word: str) -> bool:
    """Whether the word (any case) is a form of a Norwegian common word: Norsk Ordbank's bokmål
    forms, and nynorsk forms ("hunden", "bjeffet", "ikkje", "kyrkja"; not "kari", "tromsø")."""
    import numpy as np
    from spacy.strings import hash_string

    # a Python int above 2**63 would be compared as a float: slow, and not exact
    hashes, key = _common_word_hashes(), np.uint64(hash_string(word.lower()))
    i = int(hashes.searchsorted(key))
    return i < len(hashes) and bool(hashes[i] == key)


def is_dictionary_compound(word: str) -> bool:
    """Whether the word, itself no dictionary form, joins two ("pilleboksen": pille + boksen;
    "bistandsinstruksen": bistand + s + instruksen)."""
    word = word.lower()
    if len(word) < 7 or not word.isalpha() or is_dictionary_form(word):
        return False
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        if is_dictionary_form(tail) and (is_dictionary_form(head) or (
                len(head) > 3 and head[-1] in "se" and is_dictionary_form(head[:-1]))):
            return True
    return False


@lru_cache(maxsize=None)
def countries() -> frozenset[str]:
    """Countries and world regions in bokmål and nynorsk (CLDR), lower case."""
    return frozenset(c.lower() for c in _lines("countries.txt"))


@lru_cache(maxsize=None)
def not_names() -> frozenset[str]:
    """Words that never name anyone: greetings, words for God, misheard common words."""
    return frozenset(_lines("not_names.txt"))


def is_place(word: str) -> bool:
    word = word.lower()
    return word in kommuner() or word in fylker() or word in other_places() or \
        word in countries()


def is_person_name(word: str) -> bool:
    word = word.lower()
    return word in first_names() or word in surnames()


@lru_cache(maxsize=None)
def word_case() -> dict[str, tuple[int, int]]:
    """word (lower case) -> (times written in lower case, times capitalised mid-sentence)
    in NorNE train: how often a word form is an ordinary word rather than a name."""
    with open(DATA_DIR / "word_case.tsv", encoding="utf-8") as f:
        next(f)
        return {w: (int(lo), int(cap)) for w, lo, cap in
                (line.rstrip("\n").split("\t") for line in f)}


def name_likelihood(word: str) -> float | None:
    """Share of mid-sentence occurrences that were capitalised, or None for unseen words."""
    counts = word_case().get(word.lower())
    if counts is None:
        return None
    lower, cap = counts
    return cap / (lower + cap)


def is_common_word(word: str) -> bool:
    """Seen often, and almost only in lower case, in NorNE train ("Det", "Jeg", "Når")."""
    lower, cap = word_case().get(word.lower(), (0, 0))
    return lower >= 20 and cap <= lower / 20


def lower_case_count(word: str) -> int:
    return word_case().get(word.lower(), (0, 0))[0]


# Endings of Norwegian derived and inflected common words ("Gjerningen", "Uansvarlig").
COMMON_ENDINGS = ("lig", "lige", "ige", "isk", "iske", "het", "heten", "else", "elsen", "skap",
                  "skapet", "sjon", "sjonen", "sjoner", "ering", "eringen", "ingen", "inga",
                  "ingar", "inger", "ene", "ane", "ende", "erne", "arne", "ert", "ete", "ter",
                  "ner", "ser", "rer", "jer", "kt", "fritt")
# Endings that form place names and surnames, never a sign of a common word ("Krokstad").
NAME_ELEMENTS = frozenset({"stad", "land", "heim", "haug", "bakk", "strand", "holm", "gaard",
                           "gård", "seth", "lund", "ness", "moen", "fjord", "øyane", "vold",
                           "voll", "stein", "mark", "skog", "hagen", "berg", "dalen", "vika",
                           "eide", "sund", "rud", "toft"})


def looks_common(word: str) -> bool:
    """Whether a word NorNE train never saw looks like a Norwegian common word: a derived or
    inflected form, or a compound whose last part is a common word."""
    word = word.lower()
    if word.endswith(COMMON_ENDINGS):
        return True
    counts = word_case()
    for ending in ("en", "et", "a", "e", "s", "ens", "ets"):
        # "Kilden", "Mopeden": the definite form of a known noun
        lower, cap = counts.get(word.removesuffix(ending), (0, 0))
        if word.endswith(ending) and lower >= 2 and lower > cap:
            return True
    for k in range(2, len(word) - 3):
        tail = word[k:]
        if tail in NAME_ELEMENTS:
            return False
        lower, cap = counts.get(tail, (0, 0))
        if lower >= 2 and lower > cap:
            return True
    return False


@lru_cache(maxsize=None)
def occupations() -> frozenset[str]:
    return frozenset(_lines("occupations.txt"))


@lru_cache(maxsize=None)
def diagnoses() -> frozenset[str]:
    return frozenset(_lines("diagnoses.txt"))
