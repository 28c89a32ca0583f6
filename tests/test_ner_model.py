"""The committed NER model finds people, places and organisations in interview-like
Norwegian, with and without capitals. Sentences are written for this test, not from NorNE."""
import pytest

from anonymise.ner import MODEL_DIR, load
from kodeklar.core.errors import UserError

PERSON = {"PER"}
PLACE = {"LOC", "GPE_LOC"}
ORGANISATION = {"ORG", "GPE_ORG"}

CASES = [
    ("Jeg snakket med Kari Nordmann i går, og hun sa at det gikk fint.", "Kari Nordmann", PERSON),
    ("Etterpå flyttet vi til Tromsø fordi mannen min fikk jobb der.", "Tromsø", PLACE),
    ("Saksbehandleren i NAV ringte meg tilbake etter to uker.", "NAV", ORGANISATION),
    ("Han hadde vore innlagd på Haukeland universitetssjukehus i tre veker.", "Haukeland universitetssjukehus", ORGANISATION | PLACE),
    ("Da møtte jeg Ole Hansen på kafeen i Bergen sentrum.", "Ole Hansen", PERSON),
    ("Vi budde i Førde heile oppveksten.", "Førde", PLACE),
]


@pytest.fixture(scope="module")
def nlp():
    return load()


def found(nlp, text, name, labels):
    doc = nlp(text)
    start = text.index(name)
    return any(e.label_ in labels and e.start_char < start + len(name) and start < e.end_char
               for e in doc.ents)


@pytest.mark.parametrize("text,name,labels", CASES)
def test_finds_entity_cased(nlp, text, name, labels):
    assert found(nlp, text, name, labels)


@pytest.mark.parametrize("text,name,labels", CASES)
def test_finds_entity_lower_cased_without_punctuation(nlp, text, name, labels):
    # Whisper may drop capitals and the final full stop.
    assert found(nlp, text.lower().rstrip("."), name.lower(), labels)


def test_ordinary_sentence_has_no_person(nlp):
    doc = nlp("Det var en lang dag, og jeg var veldig sliten da jeg kom hjem.")
    assert not [e for e in doc.ents if e.label_ == "PER"]


def test_missing_model_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="not found"):
        load(tmp_path)


def test_model_is_small():
    size = sum(f.stat().st_size for f in MODEL_DIR.rglob("*") if f.is_file())
    assert size < 15_000_000
