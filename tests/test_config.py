import dataclasses
import tomllib

import pytest

from kodeklar import config
from kodeklar.core.errors import UserError
from conftest import ROOT


def test_default_toml_lists_every_key_with_the_dataclass_default():
    """default.toml is documentation: it must not drift from the code's defaults."""
    data = tomllib.loads(config.DEFAULT_CONFIG.read_text())
    for name, cls in config._sections().items():
        if name == "recordings":  # keyed by the study's file names: an example in comments
            continue
        instance = cls()
        # TOML has no null: keys whose default is None are documented as comments
        fields = {f.name for f in dataclasses.fields(cls) if getattr(instance, f.name) is not None}
        assert set(data[name]) == fields, name
        for key, value in data[name].items():
            expected = getattr(instance, key)
            if isinstance(expected, tuple):
                expected = list(expected)
            assert value == expected, f"[{name}] {key}"


def test_example_project_config_loads():
    c = config.load_config(ROOT / "configs" / "example-project.toml")
    assert c.run.roles == {"S1": "Intervjuer", "S2": "Informant"}
    assert c.anonymise.actions["PLACE"] == "generalise"
    assert c.transcribe.beam_size == 5  # untouched default


@pytest.mark.parametrize("text, message", [
    ("[transcribe]\nbeam_sise = 3\n", r"\[transcribe\]: unknown key 'beam_sise'"),
    ("[transcribe]\nbeam_size = 'five'\n", r"key 'beam_size' must be int, not str"),
    ("[output]\nformats = 'docx'\n", r"key 'formats' must be list\[str\]"),
    ("[run]\nroles = {S1 = 3}\n", r"key 'roles' must be dict\[str, str\]"),
    ("[transcribe]\nvad = 1\n", r"key 'vad' must be bool"),
    ("[anonymiser]\n", r"unknown section \[anonymiser\]"),
    ("transcribe = 3\n", r"\[transcribe\] must be a table"),
    ("[transcribe\n", r"not valid TOML"),
    ('[recordings."a"]\nspeakers = "two"\n', r'\[recordings."a"\]: key \'speakers\' must be int'),
    ('[recordings."a"]\nspeaker = 2\n', r"unknown key 'speaker'"),
    ("[recordings]\na = 2\n", r'\[recordings."a"\] must be a table'),
])
def test_bad_config_names_the_key(tmp_path, text, message):
    path = tmp_path / "prosjekt.toml"
    path.write_text(text)
    with pytest.raises(UserError, match=message):
        config.load_config(path)


def test_floats_accept_integers_and_tuples_come_back_as_tuples(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[transcribe]\nno_speech_threshold = 1\ntemperature = [0.0]\n")
    c = config.load_config(path)
    assert c.transcribe.no_speech_threshold == 1 and c.transcribe.temperature == (0.0,)


def test_command_line_overrides_only_what_was_given(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[transcribe]\nbeam_size = 2\nlanguage = 'nn'\n")
    c = config.override(config.load_config(path), "transcribe", beam_size=None, language="en")
    assert c.transcribe.beam_size == 2 and c.transcribe.language == "en"


def test_the_studys_names_stay_out_of_shareable_settings_and_provenance(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[anonymise]\nknown_names = ["Kari Nordmann"]\n[transcribe]\nglossary = ["Kalnes"]\n')
    c = config.load_config(path)
    shown = repr(c.shareable_dict()) + repr(c.transcribe.as_params()) + repr(c.anonymise.as_params())
    assert "Kari" not in shown and "Kalnes" not in shown
    assert c.shareable_dict()["anonymise"]["known_names"] == 1
    other = config.override(c, "transcribe", glossary=["Sarpsborg"])
    assert other.transcribe.as_params()["glossary"] != c.transcribe.as_params()["glossary"]


def test_per_recording_counts_and_roles_replace_the_projects(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[diarise]\nspeakers = 2\n[run]\nroles = {S1 = "Intervjuer"}\n'
                    '[recordings."fokus 1"]\nmin_speakers = 4\nroles = {S1 = "Moderator"}\n'
                    '[recordings.kort]\nspeakers = 1\n')
    c = config.override(config.load_config(path), "diarise", max_speakers=6)
    focus, short, other = (config.for_recording(c, stem) for stem in ("fokus 1", "kort", "intervju"))
    assert (focus.diarise.speakers, focus.diarise.min_speakers, focus.diarise.max_speakers) == (None, 4, 8)
    assert focus.run.roles == {"S1": "Moderator"}
    assert short.diarise.speakers == 1 and short.run.roles == {"S1": "Intervjuer"}
    assert other is c and other.diarise.speakers == 2
    assert "fokus" not in repr(c.shareable_dict())

