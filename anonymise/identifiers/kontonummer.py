"""Kontonummer, a Norwegian bank account number (11 digits, written 1234.56.78903; the last a
mod-11 check digit)."""
from __future__ import annotations

from anonymise.identifiers import InvalidNumber, clean, digits, mod11, passes

WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def compact(number: str) -> str:
    return clean(number)


def validate(number: str) -> str:
    number = compact(number)
    digits(number, 11, "a kontonummer")
    if mod11(number[:10], WEIGHTS) != int(number[10]):
        raise InvalidNumber("wrong check digit")
    return number


def is_valid(number: str) -> bool:
    return passes(validate, number)
