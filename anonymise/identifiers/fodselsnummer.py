"""Fødselsnummer (11 digits: DDMMYY + individual number + two mod-11 check digits), with its
two variants: D-nummer (day + 40, for people without a Norwegian birth registration) and
H-nummer (month + 40, an auxiliary number used by health services)."""
from __future__ import annotations

import datetime

from anonymise.identifiers import InvalidNumber, clean, digits, mod11, passes

WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def compact(number: str) -> str:
    return clean(number)


def check_digits(first9: str) -> str:
    k1 = mod11(first9, WEIGHTS_1)
    k2 = mod11(first9 + str(k1), WEIGHTS_2)
    return f"{k1}{k2}"


def kind(number: str) -> str:
    """FNR, DNR or HNR, from the day and month fields (no validation)."""
    number = compact(number)
    if int(number[0]) >= 4:
        return "DNR"
    if int(number[2]) >= 4:
        return "HNR"
    return "FNR"


def birth_year(yy: int, individual: int) -> int:
    # the individual number's range tells the century (Folkeregisteret's rules)
    if individual <= 499:
        return 1900 + yy
    if individual >= 900 and yy >= 40:
        return 1900 + yy
    if yy <= 39:
        return 2000 + yy
    if individual <= 749 and yy >= 54:
        return 1800 + yy
    raise InvalidNumber("individual number does not fit the year")


def birth_date(number: str) -> datetime.date:
    number = compact(number)
    day, month, yy = int(number[0:2]), int(number[2:4]), int(number[4:6])
    if day > 40:
        day -= 40
    if month > 40:
        month -= 40
    try:
        return datetime.date(birth_year(yy, int(number[6:9])), month, day)
    except ValueError:
        raise InvalidNumber("not a valid date") from None


def validate(number: str) -> str:
    number = compact(number)
    digits(number, 11, "a fødselsnummer")
    birth_date(number)
    if check_digits(number[:9]) != number[9:]:
        raise InvalidNumber("wrong check digits")
    return number


def is_valid(number: str) -> bool:
    return passes(validate, number)
