"""The recognizers through `anonymise.detect`: names in their Norwegian forms, places,
institutions, identifiers, and common words that only look like names. NER is switched off
so that these tests pin down the rules alone."""
import pytest

import anonymise
from anonymise import AnonymiseOptions, registry
from anonymise.span import Span
from tests.anonymising import RULES, first_valid, found, make_mod11


def test_import_is_cheap():
    import subprocess
    import sys

    code = ("import sys, anonymise; "
            "print('spacy' in sys.modules, 'presidio_analyzer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_every_span_explains_itself():
    registered = {r.name for r in registry.recognizers(RULES)}
    for s in anonymise.detect("Han møtte Kari Nordmann i Halden, tlf 912 34 567.", options=RULES):
        assert s.detector and s.reason and 0 < s.score <= 1
        assert s.category in s.explain() and s.detector in s.explain()
        assert set(s.detector.split("+")) <= registered


PATTERNS = ["fodselsnummer", "kontonummer", "organisasjonsnummer", "phone", "email", "url",
            "address", "postcode", "age", "date"]


def test_recognizers_are_registered_by_name():
    assert [r.name for r in registry.recognizers(RULES)] == [
        *PATTERNS, "occupations", "diagnoses", "institution", "names", "lower_surname",
        "lower_speaker", "lower_named", "lower_subject", "lower_patronym", "lower_place"]
    listed = AnonymiseOptions(use_ner=False, known_names=["Kari Nordmann"])
    assert [r.name for r in registry.recognizers(listed)][-1] == "known_names"
    for r in registry.recognizers(listed):
        assert 0 < r.score <= 1 and r.priority > 0 and r.supported_language == "nb"


def test_the_options_turn_the_model_off_by_name():
    assert [r.name for r in registry.recognizers(AnonymiseOptions())][-1] == "ner"
    assert "ner" not in {r.name for r in registry.recognizers(RULES)}
    # every switch names a registered recognizer and a field of the options
    assert set(registry.SWITCHES.values()) <= set(vars(AnonymiseOptions()))
    assert set(registry.SWITCHES) <= {r.name for r in registry.recognizers(AnonymiseOptions())}


def test_overlaps_take_category_and_reason_from_the_higher_priority():
    listed = AnonymiseOptions(known_names=["Kari Nordmann"])
    priority = {r.name: r.priority for r in registry.recognizers(listed)}
    # as registry.PRIORITY had them before the recognizers carried them
    assert priority == {**dict.fromkeys([*PATTERNS, "occupations", "diagnoses"], 6),
                        "known_names": 5, "institution": 4, "ner": 3, "names": 1,
                        **dict.fromkeys(["lower_surname", "lower_speaker", "lower_named",
                                         "lower_subject", "lower_patronym", "lower_place"], 1)}
    same = registry.resolve([Span(0, 4, "PLACE", 0.8, "names", "capitalised"),
                             Span(0, 4, "PERSON", 1.0, "known_names", "listed")], priority)
    assert [(s.category, s.detector, s.reason) for s in same] == [
        ("PERSON", "known_names", "listed")]
    union = registry.resolve([Span(0, 4, "PERSON", 0.8, "names", "capitalised"),
                              Span(2, 12, "PHONE", 0.85, "phone", "8 digits")], priority)
    assert [(s.start, s.end, s.category, s.detector) for s in union] == [
        (0, 12, "PHONE", "names+phone")]


@pytest.mark.parametrize("text, name", [
    ("Jeg snakket med Kari Nordmann i går.", "Kari Nordmann"),
    ("Kari Nordmann ringte i går.", "Kari Nordmann"),           # sentence start
    ("Da kom Anne-Lise inn.", "Anne-Lise"),                     # hyphenated
    ("Maleriet er av Vincent van Gogh.", "Vincent van Gogh"),   # particle
    ("Han leste Nordmanns rapport.", "Nordmanns"),              # genitive
    ("Det var Karis idé.", "Karis"),
    ("Hun snakket med Rolf B. Wegner.", "Rolf B. Wegner"),      # initial with full stop
    ("så sa kari at det gikk bra", "kari"),                     # lower case, ASR style
])
def test_person_names(text, name):
    assert found(text).get(name) == "PERSON"


@pytest.mark.parametrize("text, place", [
    ("Hun bor i Halden nå.", "Halden"),
    ("Vi var på Lillehammer i fjor.", "Lillehammer"),
    ("Han kommer fra Møre og Romsdal.", "Møre og Romsdal"),
    ("hun bor i halden nå", "halden"),                        # lower case, ASR style
    ("vi reiste fra norge til oslo", "oslo"),
])
def test_places(text, place):
    assert found(text).get(place) == "PLACE"


@pytest.mark.parametrize("text", [
    "Jeg tar to tabletter per dag.",
    "Per dag får jeg to tabletter.",
    "Det handler om liv og helse.",
    "Vi begynte i mai.",
    "Sola skinte og det var fin dag.",
    "Jeg fikk time hos legen.",
])
def test_common_words_that_look_like_names(text):
    assert not [c for c in found(text).values() if c in ("PERSON", "PLACE", "ORGANISATION")]


def test_spoken_fragment_lower_case():
    got = found("eh hun kari på nav halden sa at det gikk bra")
    assert got == {"kari": "PERSON", "halden": "PLACE"}


def test_spoken_fragment():
    text = "eh, hun Kari på NAV Halden sa at jeg kunne komme"
    spans = {text[s.start:s.end]: s for s in anonymise.detect(text, options=RULES)}
    assert spans["Kari"].category == "PERSON"
    nav = spans["NAV Halden"]
    assert nav.category == "ORGANISATION" and nav.detector == "institution"
    assert text[nav.place_start:nav.place_end] == "Halden"
    assert "eh" not in spans


@pytest.mark.parametrize("text, place", [
    ("Han gikk til DPS Follo hver uke.", "Follo"),
    ("Hun var innlagt på Sykehuset Østfold.", "Østfold"),
    ("Saken gikk til Halden kommune.", "Halden"),
    ("De jobber i Helse Sør-Øst.", "Sør-Øst"),
    ("Han ble overført til Vestre Viken HF.", "Vestre Viken"),
    ("Vi hadde kontakt med barnevernet i Moss.", "Moss"),
])
def test_institutions_keep_service_mark_place(text, place):
    spans = [s for s in anonymise.detect(text, options=RULES) if s.detector == "institution"]
    assert len(spans) == 1
    s = spans[0]
    start, end = (s.place_start, s.place_end) if s.place_start is not None else (s.start, s.end)
    assert text[start:end] == place


def test_identifiers():
    fnr = first_valid(15, 3, 85)
    dnr = first_valid(55, 3, 85)
    orgnr = next(n for b in range(91234560, 91234600)
                 if (n := make_mod11(str(b), (3, 2, 7, 6, 5, 4, 3, 2))))
    account = next(n for b in range(1234560000, 1234560100)
                   if (n := make_mod11(str(b), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))))
    account = f"{account[:4]}.{account[4:6]}.{account[6:]}"
    text = (f"Fødselsnummeret er {fnr}, D-nummer {dnr}, org.nr. {orgnr}, konto {account}, "
            f"ring +47 912 34 567 eller 22 33 44 55, skriv til ola.n@eksempel.no, "
            f"adressen er Storgata 12B, 1767 Halden.")
    got = found(text)
    assert got[fnr] == "FNR" and got[dnr] == "DNR" and got[orgnr] == "ORGNR"
    assert got[account] == "ACCOUNT"
    assert got["+47 912 34 567"] == "PHONE" and got["22 33 44 55"] == "PHONE"
    assert got["ola.n@eksempel.no"] == "EMAIL"
    assert got["Storgata 12B"] == "ADDRESS"
    assert got["1767 Halden"] == "POSTCODE"


def _identifiers():
    """One synthetic, valid number of each kind, as it is written or spoken."""
    orgnr = next(n for b in range(91234560, 91234600)
                 if (n := make_mod11(str(b), (3, 2, 7, 6, 5, 4, 3, 2))))
    account = next(n for b in range(1234560000, 1234560100)
                   if (n := make_mod11(str(b), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))))
    fnr = first_valid(15, 3, 85)
    return {
        fnr: "FNR", f"{fnr[:6]} {fnr[6:]}": "FNR",
        first_valid(55, 3, 85): "DNR", first_valid(15, 43, 85): "HNR",
        orgnr: "ORGNR", f"{orgnr[:3]} {orgnr[3:6]} {orgnr[6:]}": "ORGNR",
        f"{account[:4]}.{account[4:6]}.{account[6:]}": "ACCOUNT",
        f"{account[:4]} {account[4:6]} {account[6:]}": "ACCOUNT",
        "91234567": "PHONE", "+47 912 34 567": "PHONE",
        "ola.n@eksempel.no": "EMAIL", "www.eksempel.no": "URL",
        "Storgata 12": "ADDRESS",
    }


# the identifier last in a sentence, a bracket, a quotation or a line
ENDINGS = ["Nummeret er {}.", "Nummeret er {}!", "Er det {}?", "Jeg sa {}...", "({})",
           "«{}»", '"{}"', "Nummeret: {},", "Nummeret: {};", "Nummeret er {}\nNeste linje."]


@pytest.mark.parametrize("ending", ENDINGS)
def test_identifier_at_the_end_of_a_sentence(ending):
    for number, category in _identifiers().items():
        text = ending.format(number)
        assert found(text).get(number) == category, (text, found(text))


def test_dots_inside_a_number_are_no_sentence_end():
    fnr = first_valid(15, 3, 85)
    assert "FNR" not in found(f"Summen var {fnr}.5 kroner.").values()
    assert "FNR" not in found(f"Summen var 4.{fnr} kroner.").values()


@pytest.mark.parametrize("text, address", [
    ("Hun bor i Bygdøy allé 5 nå.", "Bygdøy allé 5"),
    ("adressen er Karl Johans gate 22", "Karl Johans gate 22"),
    ("han bodde i storgata 3b", "storgata 3b"),
    ("Vi møttes på Torget 2 i går.", "Torget 2"),
])
def test_addresses(text, address):
    assert found(text).get(address) == "ADDRESS"


def test_abbreviation_is_no_name():
    assert found("Tlf. 22 33 44 55") == {"22 33 44 55": "PHONE"}


def test_invalid_numbers_are_not_identifiers():
    fnr = first_valid(15, 3, 85)
    wrong = fnr[:10] + str((int(fnr[10]) + 1) % 10)
    assert "FNR" not in found(f"Nummeret {wrong} er feil.").values()
    assert not found("Det var i 2019 og 2020 at vi flyttet.")


def test_indirect_identifiers():
    got = found("Jeg er 34 år og jobber som sykepleier, fikk diagnosen schizofreni 12. mai 2019.")
    assert got["er 34 år"] == "AGE"
    assert got["sykepleier"] == "OCCUPATION"
    assert got["schizofreni"] == "DIAGNOSIS"
    assert got["12. mai 2019"] == "DATE"


def test_known_names_fuzzy():
    options = AnonymiseOptions(use_ner=False, known_names=["Kari Nordmann"])
    got = found("eh og så sa karin ottmann at det var greit", options)
    assert got.get("karin ottmann") == "PERSON"
    assert found("nordmanns bil stod der", options).get("nordmanns") == "PERSON"


def test_keep_list():
    options = AnonymiseOptions(use_ner=False, keep=["Halden"])
    assert "Halden" not in found("Hun bor i Halden nå.", options)


def test_national_services_alone_are_kept():
    assert not found("Jeg fikk brev fra NAV om saken.")


def test_threshold_hides_weak_spans():
    weak = AnonymiseOptions(use_ner=False, threshold=0.95)
    assert not found("Han møtte Kari i går.", weak)


def test_person_does_not_swallow_an_institution_word():
    assert found("Vi snakket om Kari sin barnehage.") == {"Kari": "PERSON"}
    assert found("Hun gikk på Ås skole.").get("Ås skole") == "ORGANISATION"
