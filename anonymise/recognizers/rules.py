"""Identifiers and indirect identifiers found by pattern: fødselsnummer (and D-/H-nummer),
organisasjonsnummer, kontonummer, phone numbers, e-mail, web addresses, street addresses,
postnummer with poststed, ages and dates."""
from __future__ import annotations

import re

from anonymise.identifiers import fodselsnummer, kontonummer, organisasjonsnummer
from anonymise.recognizers.pattern import NorwegianPatternRecognizer

UPPER = "A-ZÆØÅ"
LOWER = "a-zæøåéü"
MONTHS = ("januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
          "desember|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des")
# A number ends where no digit follows, not even after a dot: "15076500565." at the end of a
# sentence is an identifier, "1.234.567" is not three of them.
NUM_START = r"(?<!\d)(?<!\d\.)"
NUM_END = r"(?!\.?\d)"
STREET = ("gate|gata|gaten|vei|veien|veg|vegen|plass|plassen|allé|alle|alléen|alleen|torg|"
          "torget|stien|bakken|svingen|ringen|lia|tunet")


def _account(number: str) -> bool:
    # every fødselsnummer also passes the account check: an unspaced one is taken as FNR
    return not fodselsnummer.is_valid(number) and kontonummer.is_valid(number)


def _postcode(match: str) -> bool:
    return not match.startswith("0000")  # postal numbers start at 0001


def recognizers(language: str) -> list[NorwegianPatternRecognizer]:
    return [
        NorwegianPatternRecognizer(
            "fodselsnummer", "FNR", NUM_START + r"\d{6} ?\d{5}" + NUM_END, 1.0,
            "11 digits with a valid birth date and mod-11 check digits", language,
            valid=fodselsnummer.is_valid, kind=fodselsnummer.kind, needs=r"\d"),
        NorwegianPatternRecognizer(
            "kontonummer", "ACCOUNT", NUM_START + r"\d{4}[. ]?\d{2}[. ]?\d{5}" + NUM_END, 0.95,
            "11 digits with a valid mod-11 check digit", language, valid=_account, needs=r"\d"),
        NorwegianPatternRecognizer(
            "organisasjonsnummer", "ORGNR", NUM_START + r"\d{3} ?\d{3} ?\d{3}" + NUM_END, 0.85,
            "9 digits with a valid mod-11 check digit", language,
            valid=organisasjonsnummer.is_valid, needs=r"\d"),
        NorwegianPatternRecognizer(
            "phone", "PHONE",
            r"(?<![\w+])(?:(?:\+|00)47[ -]?)?(?:[2-9]\d{7}|[2-9]\d{2} \d{2} \d{3}|"
            r"[2-9]\d \d{2} \d{2} \d{2}|[2-9]\d{3} \d{4})(?![\d])",
            0.85, "Norwegian phone number: 8 digits, optionally +47, grouped", language,
            needs=r"\d"),
        NorwegianPatternRecognizer(
            "email", "EMAIL", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 1.0, "e-mail address", language,
            needs="@"),
        NorwegianPatternRecognizer(
            "url", "URL",
            r"(?<![\w@.])(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*"
            r"\.(?:no|com|org|net|se|dk|eu|info|io)\b(?:/[^\s,;]*)?",
            0.9, "a web address", language, needs=r"\w\.\w"),
        NorwegianPatternRecognizer(
            "address", "ADDRESS",
            rf"(?:[{UPPER}][\w.'-]*\s+){{0,2}}(?:[{UPPER}{LOWER}][{LOWER}-]*)?"
            rf"(?i:{STREET})\s+\d{{1,4}}(?:[A-Za-z]\b|\s[A-Z]\b)?",
            0.9, "street name (gate/vei/plass/allé) with a house number", language,
            needs=rf"(?i:{STREET})\s+\d"),
        NorwegianPatternRecognizer(
            "postcode", "POSTCODE",
            NUM_START + rf"\d{{4}}\s+[{UPPER}][{LOWER}]+(?:[ -][{UPPER}][{LOWER}]+)?",
            0.8, "four-digit postnummer before a poststed", language, valid=_postcode,
            needs=r"\d"),
        NorwegianPatternRecognizer(
            "age", "AGE",
            r"\b(?:(?:er|var|blir|blei|vart|fylte|fyller)\s+\d{1,3}\s+år(?!\s+sid)"
            r"|\d{1,3}\s+år\s+gam(?:mel|mal|le)|\d{1,3}-åring\w*)\b",
            0.6, "an exact age", language, flags=re.IGNORECASE, needs=r"\d"),
        NorwegianPatternRecognizer(
            "date", "DATE",
            rf"\b(?:\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})|\d{{1,2}}\.?\s+(?:{MONTHS})"
            rf"(?:\s+\d{{4}})?)\b",
            0.6, "a calendar date", language, flags=re.IGNORECASE, needs=r"\d"),
    ]
