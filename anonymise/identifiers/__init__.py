"""Norwegian identifiers, one module each, in the style of python-stdnum: `compact`,
`validate` (returns the compact number or raises InvalidNumber) and `is_valid`."""
from __future__ import annotations

from typing import Callable


class InvalidNumber(ValueError):
    """The number has the wrong length, characters, date or check digit."""


def clean(number: str, separators: str = " .-") -> str:
    for sep in separators:
        number = number.replace(sep, "")
    return number.strip()


def mod11(digits: str, weights: tuple[int, ...]) -> int:
    """The mod-11 check digit of `digits`; raises InvalidNumber when it would be 10, since no
    valid number is issued with that remainder."""
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    if check == 11:
        return 0
    if check == 10:
        raise InvalidNumber("no valid check digit")
    return check


def digits(number: str, length: int, name: str) -> str:
    """`number` itself, if it is exactly `length` digits."""
    if len(number) != length or not number.isdigit():
        raise InvalidNumber(f"{name} has {length} digits")
    return number


def passes(validate: Callable[[str], str], number: str) -> bool:
    """Whether `validate` accepts `number`: every module's `is_valid`."""
    try:
        validate(number)
    except InvalidNumber:
        return False
    return True
