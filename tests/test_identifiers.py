"""Norwegian identifier validators, on synthetic numbers whose check digits the test computes
itself (no real person's number appears here)."""
import pytest
from hypothesis import given, strategies as st

from anonymise.identifiers import InvalidNumber, fodselsnummer, kontonummer, organisasjonsnummer
from tests.anonymising import first_valid, make_fnr, make_mod11


def test_fodselsnummer_valid_and_kinds():
    fnr = first_valid(15, 3, 85)
    assert fodselsnummer.is_valid(fnr)
    assert fodselsnummer.kind(fnr) == "FNR"
    assert fodselsnummer.birth_date(fnr).isoformat() == "1985-03-15"
    dnr = first_valid(15 + 40, 3, 85)
    assert fodselsnummer.is_valid(dnr) and fodselsnummer.kind(dnr) == "DNR"
    hnr = first_valid(15, 3 + 40, 85)
    assert fodselsnummer.is_valid(hnr) and fodselsnummer.kind(hnr) == "HNR"
    assert fodselsnummer.validate(fnr[:6] + " " + fnr[6:]) == fnr


def test_fodselsnummer_invalid():
    fnr = first_valid(15, 3, 85)
    wrong = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    assert not fodselsnummer.is_valid(wrong)
    assert not fodselsnummer.is_valid(fnr[:10])
    assert not fodselsnummer.is_valid("abcdefghijk")
    # a valid checksum on an impossible date (31 February)
    assert not fodselsnummer.is_valid(first_valid(31, 2, 85))
    with pytest.raises(InvalidNumber):
        fodselsnummer.validate(wrong)


def test_fodselsnummer_century_from_individual_number():
    assert fodselsnummer.birth_date(first_valid(1, 1, 10, start=500)).year == 2010
    assert fodselsnummer.birth_date(first_valid(1, 1, 10, start=100)).year == 1910


@given(st.integers(1, 28), st.integers(1, 12), st.integers(0, 99), st.integers(0, 499))
def test_fodselsnummer_generated(day, month, yy, individual):
    number = make_fnr(day, month, yy, individual)
    if number is not None:
        assert fodselsnummer.is_valid(number)
        broken = number[:9] + str((int(number[9]) + 1) % 10) + number[10]
        assert not fodselsnummer.is_valid(broken)


def test_organisasjonsnummer():
    number = next(n for b in range(91234560, 91234600)
                  if (n := make_mod11(str(b), (3, 2, 7, 6, 5, 4, 3, 2))))
    assert organisasjonsnummer.is_valid(number)
    assert organisasjonsnummer.is_valid(f"NO {number[:3]} {number[3:6]} {number[6:]} MVA")
    assert not organisasjonsnummer.is_valid(number[:8] + str((int(number[8]) + 1) % 10))
    assert not organisasjonsnummer.is_valid("12345")


def test_kontonummer():
    number = next(n for b in range(1234560000, 1234560100)
                  if (n := make_mod11(str(b), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))))
    assert kontonummer.is_valid(f"{number[:4]}.{number[4:6]}.{number[6:]}")
    assert not kontonummer.is_valid(number[:10] + str((int(number[10]) + 1) % 10))
    assert not kontonummer.is_valid("1234.56.789")
