"""Words that are no one's name stay in the transcript: greetings, words for God, countries
(unless the project makes them places), national institutions as organisations, surnames
after a preposition as people, and a known name that does not take its neighbour along. Run
with the trained NER model as in the product, and with the rules alone. And the other way:
lower-cased and run-together names as ASR writes them are still found by their cues."""
import pytest

import anonymise
from anonymise import AnonymiseOptions
from tests.anonymising import RULES, found, segment, transcript

WITH_MODEL = AnonymiseOptions()


@pytest.mark.parametrize("options", [WITH_MODEL, RULES], ids=["model", "rules"])
@pytest.mark.parametrize("text, word", [
    ("Hai, og takk for at du ble med.", "Hai"),
    ("Nyai, det var bra.", "Nyai"),
    ("Hei, hvordan går det?", "Hei"),
    ("Han tror på Gud.", "Gud"),
    ("Gud vet hva som skjer.", "Gud"),
    ("Tillid er viktig for oss.", "Tillid"),
    ("Det handler om tillid.", "tillid"),
])
def test_words_that_name_no_one_are_not_redacted(text, word, options):
    assert word not in found(text, options)


@pytest.mark.parametrize("options", [WITH_MODEL, RULES], ids=["model", "rules"])
def test_a_greeting_is_cut_off_a_name(options):
    got = found("Hai Kari, fint at du kom.", options)
    assert got.get("Kari") == "PERSON" and "Hai Kari" not in got


@pytest.mark.parametrize("options", [WITH_MODEL, RULES], ids=["model", "rules"])
@pytest.mark.parametrize("text, country", [
    ("Jeg bor i Norge nå.", "Norge"),
    ("Norge er et land.", "Norge"),
    ("Vi kom fra Syria i fjor.", "Syria"),
    ("Syria er langt unna.", "Syria"),
])
def test_a_country_is_flagged_not_redacted(text, country, options):
    assert found(text, options).get(country) == "COUNTRY"


def test_a_country_is_a_place_where_the_config_says_so():
    options = AnonymiseOptions(use_ner=False, countries_are_places=True)
    assert found("Vi kom fra Syria i fjor.", options).get("Syria") == "PLACE"


@pytest.mark.parametrize("options", [WITH_MODEL, RULES], ids=["model", "rules"])
@pytest.mark.parametrize("text", ["Hun jobber på Stortinget.", "Stortinget vedtok loven."])
def test_stortinget_is_an_organisation(text, options):
    assert found(text, options).get("Stortinget") == "ORGANISATION"


def test_a_surname_after_a_preposition_is_a_person():
    assert found("Vi var ved Hansen sitt kontor.", RULES) == {"Hansen": "PERSON"}
    assert found("Hun bor i Moss.", RULES) == {"Moss": "PLACE"}


def test_a_known_name_does_not_swallow_its_neighbour():
    options = AnonymiseOptions(use_ner=False, known_names=["Per Hansen"])
    assert found("Han bodde ved Hansen sitt hus.", options) == {"Hansen": "PERSON"}
    assert found("Jeg møtte Per Hansen i går.", options) == {"Per Hansen": "PERSON"}


def test_country_is_flagged_for_review_in_a_transcript():
    from anonymise.pseudonyms import Pseudonyms

    raw = transcript("t", segment(1, 0.0, [" Vi", " kom", " fra", " Syria", " i", " fjor."]))
    out = anonymise.anonymise_transcript(raw, RULES, Pseudonyms())
    assert out.segments[0].text == "Vi kom fra Syria i fjor."
    assert [(r.kind, r.category) for r in out.review] == [("country", "COUNTRY")]
    generalised = AnonymiseOptions(use_ner=False, redact_indirect=True,
                                   actions={"COUNTRY": "generalise"})
    out = anonymise.anonymise_transcript(raw, generalised, Pseudonyms())
    assert out.segments[0].text == "Vi kom fra et land i fjor."


@pytest.mark.parametrize("text, name, category", [
    ("vi var hos hans petter lunde i går", "hans petter lunde", "PERSON"),
    ("hun kom fra moss i fjor", "moss", "PLACE"),
    ("han bodde på hamar", "hamar", "PLACE"),
    ("vi gikk til kari etterpå", "kari", "PERSON"),
    ("ja jeg heter karihansen", "karihansen", "PERSON"),          # run together
    ("hun var innlagt på borgestadklinikken", "borgestadklinikken", "ORGANISATION"),
    ("det var i halden kommune", "halden kommune", "PLACE"),
    ("jeg var på dps nordre østfold i fjor", "nordre østfold", "PLACE"),
])
def test_lower_case_names_by_cue_and_gazetteer(text, name, category):
    assert found(text, RULES).get(name) == category


@pytest.mark.parametrize("text", ["hans bil var rød", "han gikk til legeklinikken",
                                  "vi tok det med ro"])
def test_lower_case_common_words_stay(text):
    assert found(text, RULES) == {}


def test_known_names_run_together_and_misheard():
    options = AnonymiseOptions(use_ner=False, known_names=["Kari Nordmann", "Trond Giske"])
    assert found("ja jeg heter karinotman", options) == {"karinotman": "PERSON"}
    assert found("vi snakket med trondgiske", options) == {"trondgiske": "PERSON"}
