"""The one table of categories: every category has every fact, and the facts are those the
labels, generalisations, linking and review rules had before the table gathered them."""
import pytest

from anonymise import AnonymiseOptions, categories
from anonymise.pseudonyms import Pseudonyms, normalise
from anonymise.redact import generalise
from kodeklar.core.errors import UserError

# As pseudonyms.LABELS and redact.GENERIC had them before the table.
LABELS = {"PERSON": "PERSON", "PLACE": "STED", "ORGANISATION": "ORG", "FNR": "FØDSELSNUMMER",
          "DNR": "D-NUMMER", "HNR": "H-NUMMER", "ORGNR": "ORGNR", "ACCOUNT": "KONTONUMMER",
          "PHONE": "TELEFON", "EMAIL": "E-POST", "URL": "NETTADRESSE", "ADDRESS": "ADRESSE",
          "POSTCODE": "POSTNUMMER", "AGE": "ALDER", "DATE": "DATO", "OCCUPATION": "YRKE",
          "DIAGNOSIS": "DIAGNOSE", "COUNTRY": "LAND", "NUMBER": "TALL", "OTHER": "ANNET"}
WORDING = {"PERSON": "en person", "PLACE": "et sted", "ORGANISATION": "en organisasjon",
           "DATE": "en dato", "OCCUPATION": "et yrke", "DIAGNOSIS": "en diagnose",
           "COUNTRY": "et land"}


def test_every_category_has_every_fact():
    assert categories.CATEGORIES and set(categories.CATEGORIES) == set(categories.TABLE)
    for name, c in categories.TABLE.items():
        assert c.name == name
        assert c.label and c.label == c.label.upper()
        assert c.kind in categories.KINDS
        assert c.generic
        assert isinstance(c.digits, bool)
    labels = [c.label for c in categories.TABLE.values()]
    assert len(set(labels)) == len(labels), "two categories would share a pseudonym series"


def test_labels_and_wording_are_as_before():
    assert {n: c.label for n, c in categories.TABLE.items()} == LABELS
    assert tuple(categories.CATEGORIES) == tuple(LABELS)  # the order error messages list
    for name, label in LABELS.items():
        assert categories.generic(name) == WORDING.get(name, f"[{label}]")
        pseudonyms = Pseudonyms()
        assert pseudonyms.number(pseudonyms.link(name, "12345678")).label == f"[{label}-1]"


def test_kinds_are_as_before():
    assert categories.NAME_CATEGORIES == ("PERSON", "PLACE", "ORGANISATION")
    assert categories.INDIRECT_CATEGORIES == ("AGE", "DATE", "OCCUPATION", "DIAGNOSIS",
                                              "COUNTRY")
    assert {n for n, c in categories.TABLE.items() if c.digits} == {
        "FNR", "DNR", "HNR", "ORGNR", "ACCOUNT", "PHONE"}
    assert {n for n, c in categories.TABLE.items() if c.kind == categories.DECIDED} == {
        "NUMBER", "OTHER"}


def test_facts_reach_their_users():
    # digits only: one phone number however it is grouped
    assert normalise("PHONE", "912 34 567") == normalise("PHONE", "91234567")
    assert normalise("EMAIL", "Kari@Eksempel.no") == "kari@eksempel.no"
    # an age generalises to its decade, other categories to their wording
    assert generalise("AGE", ["34 år"]) == "i 30-årene"
    assert generalise("OCCUPATION", ["sykepleier"]) == "et yrke"
    # a category the table does not know (from an older key) keeps its name
    assert categories.label("GAMMEL") == "GAMMEL" and categories.generic("GAMMEL") == "[GAMMEL]"


@pytest.mark.parametrize("category", categories.CATEGORIES)
def test_every_category_is_a_valid_action_key(category):
    AnonymiseOptions(actions={category: "generalise"}).check()


def test_an_unknown_category_is_refused_with_the_list():
    with pytest.raises(UserError, match="choose from PERSON, PLACE, ORGANISATION, FNR"):
        AnonymiseOptions(actions={"STED": "keep"}).check()


def test_a_kommune_generalises_to_its_fylke_only_where_the_name_says_which():
    assert generalise("PLACE", ["Halden"]) == "en kommune i Østfold"
    # Herøy is a kommune in Møre og Romsdal and one in Nordland; Våler in Østfold and Innlandet
    assert generalise("PLACE", ["Herøy"]) == "en kommune"
    assert generalise("PLACE", ["våler"]) == "en kommune"
