"""One person, one pseudonym: ASR spelling variants of a name link to the entity already in
the key (recorded for review), different people stay apart, `generalise` replaces every
mention of one entity alike, and `kodeklar key merge` / `split` correct the links."""
import json

import pytest
from click.testing import CliRunner

import anonymise
from anonymise import AnonymiseOptions, keyfile
from anonymise.pseudonyms import Pseudonyms, sound
from kodeklar.cli import cli
from kodeklar.core.errors import UserError
from kodeklar.core.transcript import save
from tests.anonymising import segment, transcript

ENV = {"KODEKLAR_KEY_PASSPHRASE": "test-passphrase"}


def test_sound_key_hears_spelling_variants_alike():
    assert sound("Nordmann") == sound("Nortman") == sound("nordman")
    assert sound("Hansen") != sound("Jensen")


@pytest.mark.parametrize("known, variant", [
    ("Kari Nordmann", "Kari Nortmann"),     # one letter misheard
    ("Kari Nordmann", "karinordmann"),      # run together
    ("Kari Nordmann", "Karinotman"),        # run together and misheard
    ("Trond Giske", "Trondgiske"),
    ("Fredrik Holmberg", "Holmbejordal"),   # the surname only, badly misheard: no link
    ("Halden", "Haldenn"),
])
def test_spelling_variants_link_to_one_entity(known, variant):
    p = Pseudonyms()
    category = "PLACE" if known == "Halden" else "PERSON"
    first = p.number(p.link(category, known))
    second = p.link(category, variant)
    if variant == "Holmbejordal":
        assert second is not first
        return
    assert second is first
    assert first.links and first.links[-1]["name"] == variant.lower()
    assert "alike" in first.links[-1]["how"]


@pytest.mark.parametrize("a, b", [("Kari Nordmann", "Kari Hansen"), ("Per Hansen", "Per Jensen"),
                                  ("Kari", "Karin"), ("Hamar", "Halden")])
def test_different_names_stay_apart(a, b):
    p = Pseudonyms()
    assert p.link("PERSON", a) is not p.link("PERSON", b)


def test_variants_in_a_recording_share_one_pseudonym():
    options = AnonymiseOptions(use_ner=False, known_names=["Kari Nordmann"])
    raw = transcript("t",
                     segment(1, 0.0, [" Jeg", " heter", " Kari", " Nordmann."]),
                     segment(2, 5.0, [" Så", " sa", " Kari", " Nortmann", " det."]),
                     segment(3, 10.0, [" Ja,", " jeg", " heter", " Karinordmann."]))
    p = Pseudonyms()
    out = anonymise.anonymise_transcript(raw, options, p)
    labels = {r.replacement for r in out.redactions if r.category == "PERSON"}
    assert labels == {"[PERSON-1]"}, [s.text for s in out.segments]
    assert len([e for e in p.entities if e.category == "PERSON"]) == 1


def test_generalise_is_consistent_per_entity():
    options = AnonymiseOptions(use_ner=False, actions={"PLACE": "generalise",
                                                       "PERSON": "generalise"})
    raw = transcript("t",
                     segment(1, 0.0, [" Hun", " bor", " i", " Halden."]),
                     segment(2, 5.0, [" Det", " var", " Halden", " som", " sa", " det."]))
    out = anonymise.anonymise_transcript(raw, options, Pseudonyms())
    assert [r.replacement for r in out.redactions] == ["en kommune i Østfold"] * 2


def run(args):
    return CliRunner().invoke(cli, args, env=ENV, catch_exceptions=True)


@pytest.fixture
def key(tmp_path):
    p = Pseudonyms()
    for name in ("Kari Nordmann", "Kari Nordby", "Ola Berg"):
        p.number(p.link("PERSON", name))
    p.number(p.link("PLACE", "Halden"))
    path = tmp_path / "key.kodeklar"
    keyfile.save(path, p, ENV["KODEKLAR_KEY_PASSPHRASE"])
    return path


def test_key_merge(key):
    result = run(["key", "merge", str(key), "PERSON-1", "[PERSON-2]"])
    assert result.exit_code == 0, result.output
    p = keyfile.load(key, ENV["KODEKLAR_KEY_PASSPHRASE"])
    people = [e for e in p.entities if e.category == "PERSON"]
    assert [(e.label, sorted(e.names)) for e in people] == [
        ("[PERSON-1]", ["kari nordby", "kari nordmann"]), ("[PERSON-3]", ["ola berg"])]
    assert p.link("PERSON", "Kari Nordby").label == "[PERSON-1]"
    assert "merged by hand" in json.dumps(people[0].links)
    shown = run(["key", "show", str(key)])
    assert "merged by hand" in shown.output


@pytest.mark.parametrize("args, message", [
    (["PERSON-1"], "two or more"),
    (["PERSON-1", "PERSON-1"], "two or more"),
    (["PERSON-1", "STED-1"], "different categories"),
    (["PERSON-1", "PERSON-9"], "no entity [PERSON-9]"),
])
def test_key_merge_refuses(key, args, message):
    result = run(["key", "merge", str(key), *args])
    assert isinstance(result.exception, UserError) and message in str(result.exception)


def test_key_split_undoes_a_link(key):
    assert run(["key", "merge", str(key), "PERSON-1", "PERSON-2"]).exit_code == 0
    result = run(["key", "split", str(key), "PERSON-1", "Kari Nordby"])
    assert result.exit_code == 0, result.output
    p = keyfile.load(key, ENV["KODEKLAR_KEY_PASSPHRASE"])
    assert p.link("PERSON", "Kari Nordmann").label == "[PERSON-1]"
    assert p.link("PERSON", "Kari Nordby").label == "[PERSON-4]"
    bad = run(["key", "split", str(key), "PERSON-1", "Kari Nordmann"])
    assert isinstance(bad.exception, UserError) and "at least one form" in str(bad.exception)


def test_merged_key_applies_on_the_next_run(tmp_path, key):
    raw = transcript("t", segment(1, 0.0, [" Kari", " Nordby", " ringte."]))
    save(raw, tmp_path / "t.json")
    assert run(["key", "merge", str(key), "PERSON-1", "PERSON-2"]).exit_code == 0
    config = tmp_path / "p.toml"
    config.write_text("[anonymise]\nuse_ner = false\n", encoding="utf-8")
    result = run(["anonymise", str(tmp_path / "t.json"), "-o", str(tmp_path / "out"),
                  "--key", str(key), "--config", str(config)])
    assert result.exit_code == 0, result.output
    out = json.loads((tmp_path / "out" / "anonymised" / "t.json").read_text(encoding="utf-8"))
    assert out["segments"][0]["text"] == "[PERSON-1] ringte."
