"""Names in text without capitals, as ASR writes it: each cue of recognizers/lower_case.py finds
the name it is for in a realistic sentence, and leaves the common words that look like it."""
import pytest

from anonymise import AnonymiseOptions, registry
from tests.anonymising import RULES, found


@pytest.mark.parametrize("text, name, detector", [
    ("jeg snakket med kari helene bakkevoll i går", "kari helene bakkevoll", "lower_surname"),
    ("da ringte jeg til ingrid tveitnes på kontoret", "ingrid tveitnes", "lower_surname"),
    ("det sa i alle fall terje skjeldrum til meg", "terje skjeldrum", "lower_surname"),
    ("det blir for dyrt , sier grimstvedt .", "grimstvedt", "lower_speaker"),
    ("vi får se , meiner hovdenak", "hovdenak", "lower_speaker"),
    ("ja hun heter kvernmo , tror jeg", "kvernmo", "lower_named"),
    ("vi møtte ordfører lianes på møtet", "lianes", "lower_named"),
    ("myrvoll var der hele dagen", "myrvoll", "lower_subject"),
    ("det var pedersen som ringte meg", "pedersen", "lower_patronym"),
    ("jeg har snakket med torgeirsen om det", "torgeirsen", "lower_patronym"),
])
def test_lower_case_person_by_cue(text, name, detector):
    spans = [s for s in registry.analyze(text, RULES) if s.category == "PERSON"]
    assert [text[s.start:s.end] for s in spans] == [name]
    assert detector in spans[0].detector.split("+")
    assert all(s.score >= RULES.threshold and s.reason for s in spans)


@pytest.mark.parametrize("text, place", [
    ("vi flyttet til kvamsdalen da jeg var liten", "kvamsdalen"),
    ("hun vokste opp på holmefjord", "holmefjord"),
    ("vi flyttet hit fra dombås i fjor", "dombås"),               # a town in GeoNames
    ("familien kom fra mogadishu", "mogadishu"),                  # a city in GeoNames
])
def test_lower_case_place_after_a_preposition(text, place):
    assert found(text, RULES) == {place: "PLACE"}


@pytest.mark.parametrize("text, name", [
    ("jeg jobber i helse vest nå", "helse vest"),
    ("hun var innlagt på sykehuset østfold", "sykehuset østfold"),
    ("helse sør-øst har ansvaret", "helse sør-øst"),
])
def test_lower_case_health_trust_is_an_organisation(text, name):
    assert found(text, RULES) == {name: "ORGANISATION"}


def test_a_service_with_a_preposition_is_a_common_noun():
    assert found("hun var på sykehuset i moss", RULES) == {"moss": "PLACE"}


@pytest.mark.parametrize("text", [
    "vi var der i andre omgang",                 # "andre": a first name, mostly a word
    "hun tok med sine barneklær",
    "det er ikke lett å vera turist her",        # nynorsk "vera": to be
    "vi fikk tre kroner per deltaker",
    "hans kollega kom også",
    "det gikk i svømming og alpint",             # unseen words after "i", not place-like
    "han kom fra trening",
    "det var bra i man",                         # cities that are words too
    "det var vanskelig , sier hun .",
    "det var vanskelig , sa legen .",
    "jeg heter det samme",
    "vi gikk på dansen i går",                   # a first name with -sen, and a word
    "abstinensen var verst om natta",            # a definite noun opening the sentence
    "ekstremvær er et problem",
])
def test_lower_case_common_words_stay(text):
    assert not set(found(text, RULES).values()) & {"PERSON", "PLACE", "ORGANISATION"}


def test_the_cues_leave_capitalised_text_to_the_capitals():
    # a sentence with capitals inside is written with capitals: "sier" does not make a name
    assert found("Det sa Kari, sier kontorsjefen.", RULES) == {"Kari": "PERSON"}


def test_the_model_keeps_what_the_cues_find():
    options = AnonymiseOptions()
    assert found("jeg snakket med kari helene bakkevoll i går", options).get(
        "kari helene bakkevoll") == "PERSON"


def test_each_name_of_a_kommune_is_a_place():
    from anonymise import gazetteers

    kommuner = gazetteers.kommuner()
    assert kommuner["trondheim"] == kommuner["tråante"] == kommuner["trondheim - tråante"]
    assert gazetteers.is_place("evenes") and gazetteers.is_place("nordland")
    assert found("hun flyttet til harstad i fjor", RULES) == {"harstad": "PLACE"}
    # one entry per kommune name, whatever its languages (two Herøy and two Våler share one)
    names = {row["kommunenavn"] for row in gazetteers._rows("kommuner_2024.csv", ",")}
    assert {name for name, _ in kommuner.values()} == names
