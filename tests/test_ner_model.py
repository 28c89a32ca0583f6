"""The committed NER model finds people, places and organisations in interview-like
Norwegian, with and without capitals. Sentences are written for this test, not from NorNE."""
import pytest

from anonymise.ner import MODEL_DIR, load
from anonymise.recognizers.model_ner import LABELS
from kodeklar.core.errors import UserError

# labels by the category the recognizer gives them
PERSON, PLACE, ORGANISATION = ({label for label, c in LABELS.items() if c == category}
                               for category in ("PERSON", "PLACE", "ORGANISATION"))

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
    # Whisper may drop capitals and the final full stop. Without them the model may take a
    # town for an organisation ("flyttet vi til tromsø": ORG); the category the recognizer
    # gives is checked next.
    assert found(nlp, text.lower().rstrip("."), name.lower(), set(LABELS))


@pytest.mark.parametrize("text,name,labels", CASES)
def test_lower_cased_entity_gets_its_category(text, name, labels):
    import anonymise

    lowered, name = text.lower().rstrip("."), name.lower()
    start = lowered.index(name)
    categories = {LABELS[label] for label in labels}
    assert any(s.category in categories and s.start < start + len(name) and start < s.end
               for s in anonymise.detect(lowered))


def test_ordinary_sentence_has_no_person(nlp):
    doc = nlp("Det var en lang dag, og jeg var veldig sliten da jeg kom hjem.")
    assert not [e for e in doc.ents if e.label_ == "PER"]


def test_missing_model_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="not found"):
        load(tmp_path)


def test_model_is_small():
    size = sum(f.stat().st_size for f in MODEL_DIR.rglob("*") if f.is_file())
    assert size < 15_000_000


def test_a_name_after_heter_is_a_person_whatever_the_model_says():
    # from a base-model transcript of sample_audio/dialogue.flac ("Kari Nordmann" run together)
    import anonymise

    text = "Ja, jeg heter Karinotman, og jeg bor i Halden."
    spans = {text[s.start:s.end]: s.category for s in anonymise.detect(text)}
    assert spans["Karinotman"] == "PERSON" and spans["Halden"] == "PLACE"
