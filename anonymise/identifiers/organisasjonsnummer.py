"""Organisasjonsnummer (9 digits, the last a mod-11 check digit), from Enhetsregisteret."""
from __future__ import annotations

from anonymise.identifiers import InvalidNumber, clean, digits, mod11, passes

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def compact(number: str) -> str:
    return clean(number.upper().removeprefix("NO").removesuffix("MVA"))


def validate(number: str) -> str:
    number = compact(number)
    digits(number, 9, "an organisasjonsnummer")
    if mod11(number[:8], WEIGHTS) != int(number[8]):
        raise InvalidNumber("wrong check digit")
    return number


def is_valid(number: str) -> bool:
    return passes(validate, number)
