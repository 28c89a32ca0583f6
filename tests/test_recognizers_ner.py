"""The NER recognizer: NorNE labels to categories, and its place in the registry. A blank
spaCy pipeline with hand-set entities stands in for the trained model, so these tests run
without it; the last test uses the committed trained model."""
import sys


import spacy

import anonymise
from anonymise import registry
from anonymise.recognizers import model_ner


def fake_model(labels):
    nlp = spacy.blank("nb")

    def run(text):
        doc = nlp(text)
        doc.ents = [doc.char_span(text.index(word), text.index(word) + len(word), label=label)
                    for word, label in labels.items()]
        return doc
    return run


def test_labels_map_to_categories():
    model = fake_model({"Kari": "PER", "Halden": "GPE_LOC", "Rusken": "ORG", "Kvikk": "PROD"})
    spans = model_ner.NerRecognizer().spans(model("Kari i Halden drakk Kvikk hos Rusken"))
    assert [(s.category, s.detector) for s in spans] == [
        ("PERSON", "ner"), ("PLACE", "ner"), ("ORGANISATION", "ner")]
    assert all("NorNE model" in s.reason for s in spans)


def test_ner_joins_the_rules(monkeypatch):
    # a sentence-initial common word the rules leave alone, which the model calls a name
    text = "Dag kom hjem til Halden."
    monkeypatch.setattr(model_ner, "available", lambda: True)
    monkeypatch.setattr(model_ner, "model",
                        lambda: fake_model({"Dag": "PER", "Halden": "GPE_LOC"}))
    registry._recognizers.cache_clear()
    try:
        spans = {text[s.start:s.end]: s for s in anonymise.detect(text)}
    finally:
        registry._recognizers.cache_clear()
    assert spans["Dag"].detector == "ner" and spans["Dag"].category == "PERSON"
    assert spans["Halden"].category == "PLACE" and "ner" in spans["Halden"].detector


def test_trained_model_finds_names():
    assert model_ner.available(), "the trained model is committed in anonymise/ner/model"
    found = {s.category for s in anonymise.detect("Statsminister Jonas Gahr Støre besøkte Bodø.")}
    assert {"PERSON", "PLACE"} <= found
    assert len(model_ner.model_sha256()) == 64
    # the model loads without torch, and leaves torch importable for others
    assert sys.modules.get("torch", "not imported") is not None
