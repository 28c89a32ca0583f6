"""Identifiers and indirect identifiers found by pattern: fødselsnummer (and D-/H-nummer),
organisasjonsnummer, kontonummer, phone numbers, e-mail, web addresses, street addresses,
postnummer with poststed, ages and dates."""
from __future__ import annotations

import re

from anonymise.identifiers import fodselsnummer, kontonummer, organisasjonsnummer
from anonymise.recognizers.pattern import PatternRecognizer

UPPER = "A-ZÆØÅ"
LOWER = "a-zæøåéü"
MONTHS = ("januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|"
          "desember|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des")
STREET = ("gate|gata|gaten|vei|veien|veg|vegen|plass|plassen|allé|alle|alléen|alleen|torg|"
          "torget|stien|bakken|svingen|ringen|lia|tunet")


def _fnr(m: re.Match) -> str | None:
    number = m.group()
    return fodselsnummer.kind(number) if fodselsnummer.is_valid(number) else None


def _account(m: re.Match) -> str | None:
    number = m.group()
    # every fødselsnummer also passes the account check: an unspaced one is taken as FNR
    if fodselsnummer.is_valid(number):
        return None
    return "ACCOUNT" if kontonummer.is_valid(number) else None


def _orgnr(m: re.Match) -> str | None:
    return "ORGNR" if organisasjonsnummer.is_valid(m.group()) else None


def _postcode(m: re.Match) -> str | None:
    return "POSTCODE" if m.group("code") != "0000" else None  # postal numbers start at 0001


RECOGNIZERS = (
    PatternRecognizer("fodselsnummer", "FNR", r"(?<![\d.])\d{6} ?\d{5}(?![\d.])", 1.0,
                      "11 digits with a valid birth date and mod-11 check digits", _fnr,
                      needs=r"\d"),
    PatternRecognizer("kontonummer", "ACCOUNT", r"(?<![\d.])\d{4}[. ]?\d{2}[. ]?\d{5}(?![\d.])",
                      0.95, "11 digits with a valid mod-11 check digit", _account, needs=r"\d"),
    PatternRecognizer("organisasjonsnummer", "ORGNR", r"(?<![\d.])\d{3} ?\d{3} ?\d{3}(?![\d.])",
                      0.85, "9 digits with a valid mod-11 check digit", _orgnr, needs=r"\d"),
    PatternRecognizer("phone", "PHONE",
                      r"(?<![\w+])(?:(?:\+|00)47[ -]?)?(?:[2-9]\d{7}|[2-9]\d{2} \d{2} \d{3}|"
                      r"[2-9]\d \d{2} \d{2} \d{2}|[2-9]\d{3} \d{4})(?![\d])",
                      0.85, "Norwegian phone number: 8 digits, optionally +47, grouped",
                      needs=r"\d"),
    PatternRecognizer("email", "EMAIL", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", 1.0, "e-mail address",
                      needs="@"),
    PatternRecognizer("url", "URL",
                      r"(?<![\w@.])(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*"
                      r"\.(?:no|com|org|net|se|dk|eu|info|io)\b(?:/[^\s,;]*)?",
                      0.9, "a web address", needs=r"\w\.\w"),
    PatternRecognizer("address", "ADDRESS",
                      rf"(?:[{UPPER}][\w.'-]*\s+){{0,2}}(?:[{UPPER}{LOWER}][{LOWER}-]*)?"
                      rf"(?i:{STREET})\s+\d{{1,4}}(?:[A-Za-z]\b|\s[A-Z]\b)?",
                      0.9, "street name (gate/vei/plass/allé) with a house number",
                      needs=rf"(?i:{STREET})\s+\d"),
    PatternRecognizer("postcode", "POSTCODE",
                      rf"(?<![\d.])(?P<code>\d{{4}})\s+[{UPPER}][{LOWER}]+"
                      rf"(?:[ -][{UPPER}][{LOWER}]+)?",
                      0.8, "four-digit postnummer before a poststed", _postcode, needs=r"\d"),
    PatternRecognizer("age", "AGE",
                      r"\b(?:(?:er|var|blir|blei|vart|fylte|fyller)\s+\d{1,3}\s+år(?!\s+sid)"
                      r"|\d{1,3}\s+år\s+gam(?:mel|mal|le)|\d{1,3}-åring\w*)\b",
                      0.6, "an exact age", flags=re.IGNORECASE, needs=r"\d"),
    PatternRecognizer("date", "DATE",
                      rf"\b(?:\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})|\d{{1,2}}\.?\s+(?:{MONTHS})"
                      rf"(?:\s+\d{{4}})?)\b",
                      0.6, "a calendar date", flags=re.IGNORECASE, needs=r"\d"),
)
