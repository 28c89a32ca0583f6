import dataclasses
import re
import subprocess
import sys
import tomllib

import click
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



# Each option is defined once, as a field made with kodeklar.core.options.opt: default.toml
# and the command-line options are generated from the fields.

def _all_classes():
    return {**config._sections(), "recordings": config.RecordingOptions}


def test_default_toml_is_generated_from_the_option_fields():
    assert config.DEFAULT_CONFIG.read_text(encoding="utf-8") == config.default_toml(), \
        "run: python -m kodeklar.config --write-default"


def test_every_config_key_has_a_field_and_every_field_a_key():
    # a key is `key = value`, or `# key = example` where TOML cannot write the default
    # (None) and in the commented [recordings."NAME"] example
    keys, section = {}, None
    for line in config.DEFAULT_CONFIG.read_text(encoding="utf-8").splitlines():
        if found := re.fullmatch(r"(?:# )?\[(\w+)(?:\.\S+)?\]", line):
            section = found[1]
        elif section and (found := re.match(r"(?:# )?(\w+) = ", line)):
            keys.setdefault(section, set()).add(found[1])
    fields = {name: {f.name for f in dataclasses.fields(cls)}
              for name, cls in _all_classes().items()}
    assert keys == fields


def test_every_field_has_help_and_a_none_default_an_example():
    for name, cls in _all_classes().items():
        for f in dataclasses.fields(cls):
            assert f.metadata.get("help"), f"[{name}] {f.name} has no help"
            if getattr(cls(), f.name) is None:
                assert f.metadata["example"] is not None, f"[{name}] {f.name}"


def _options(command) -> dict:
    return {p.name: p for p in command.params if isinstance(p, click.Option)}


def test_command_line_options_are_generated_from_the_fields():
    from kodeklar.commands import run, slurm, transcribe
    from kodeklar.exporters import FORMATS
    from kodeklar.app.redact_audio import MODES
    from transcribe.diarise import BACKENDS
    from transcribe.engines import ENGINES

    fields = config.command_line_fields()
    # kodeklar slurm takes run's options and the [slurm] section's, which run has not
    options = _options(run.command) | _options(slurm.command)
    assert "partition" not in _options(run.command)
    for name, (section, f) in fields.items():
        assert options[name].opts == f.metadata["cli"].split("/")[:1], name
        assert options[name].help.startswith(f.metadata["help"]), name
    assert options["vad"].opts == ["--no-vad"] and options["backend"].opts == ["--diariser"]
    assert options["pipeline"].opts == ["--pyannote-pipeline"]
    assert list(options["engine"].type.choices) == list(ENGINES)
    assert list(options["backend"].type.choices) == list(BACKENDS)
    assert list(options["redact_audio"].type.choices) == ["none", *MODES]
    assert all(fmt in options["formats"].help for fmt in FORMATS)
    # the default shown is the field's
    assert options["beam_size"].help.endswith("[default: 5]")
    assert options["formats"].help.endswith("[default: json,txt,docx,srt,vtt]")
    assert options["diarise"].help.endswith("[default: on]")
    # transcribe: no anonymisation options, and its own word on --diarise (default off there)
    own = _options(transcribe.command)
    assert "anonymise" not in own and "redact_audio" not in own and "qdpx_project" not in own
    assert "implied by --speakers" in own["diarise"].help and "default" not in own["diarise"].help


def _parsed(command, *args):
    """The Config a command builds from ARGS (its options only; nothing runs)."""
    from kodeklar.commands import common

    params = command.make_context(command.name, ["in.wav", "-o", "out", *args]).params
    kw = {k: v for k, v in params.items()
          if k not in ("inputs", "out", "config_path", "key_path", "decisions_path", "no_cache")}
    return common.build_config(params["config_path"], kw)


def test_command_line_values_become_field_values():
    from kodeklar.commands import run

    c = _parsed(run.command, "--language", "auto", "--roles", "s1=Intervjuer, S2=Informant",
                "--no-vad", "--format", "TXT,docx", "--qdpx-project", "s.qdpx",
                "--glossary", "Kalnes", "--glossary", "Sarpsborg", "--diariser", "pyannote",
                "--pyannote-pipeline", "/p/config.yaml", "--speakers", "2", "--no-diarise",
                "--keep-names", "--beam-size", "3")
    assert c.transcribe.language is None and c.transcribe.vad is False
    assert c.transcribe.glossary == ["Kalnes", "Sarpsborg"] and c.transcribe.beam_size == 3
    assert c.run.roles == {"S1": "Intervjuer", "S2": "Informant"}
    assert c.run.diarise is False and c.run.keep_names is True and c.run.anonymise is True
    assert c.output.formats == ["txt", "docx"]
    assert c.diarise.backend == "pyannote" and c.diarise.speakers == 2
    assert c.diarise.pipeline == "/p/config.yaml"


def test_options_not_given_leave_the_project_config(tmp_path):
    from kodeklar.commands import run

    path = tmp_path / "p.toml"
    path.write_text("[transcribe]\nbeam_size = 2\nvad = false\nlanguage = 'nn'\n"
                    "[run]\ndiarise = false\n[output]\nformats = ['txt']\n")
    c = _parsed(run.command, "--config", str(path))
    assert (c.transcribe.beam_size, c.transcribe.vad, c.transcribe.language) == (2, False, "nn")
    assert c.run.diarise is False and c.output.formats == ["txt"] and c.transcribe.glossary == []
    assert _parsed(run.command, "--config", str(path), "--diarise").run.diarise is True
    assert _parsed(run.command, "--config", str(path), "--format", "").output.formats == ["txt"]


@pytest.mark.parametrize("args, message", [
    (("--format", "txt,pdf"), "unknown format 'pdf'"),
    (("--roles", "S1"), "--roles: expected S1=Label"),
])
def test_bad_command_line_values_are_named(args, message):
    from kodeklar.commands import run

    with pytest.raises(UserError, match=message):
        _parsed(run.command, *args)


def test_an_unknown_choice_lists_the_registry():
    from kodeklar.commands import run

    with pytest.raises(click.BadParameter, match="faster-whisper"):
        _parsed(run.command, "--engine", "wav2vec")


def test_speaker_options_imply_diarisation_in_transcribe():
    from kodeklar.commands import transcribe

    def wanted(*args):
        params = transcribe.command.make_context("transcribe", ["in.wav", "-o", "o", *args]).params
        return transcribe._diarise_wanted(params)

    assert wanted() is False and wanted("--diarise") is True
    assert wanted("--roles", "S1=A") is True and wanted("--diariser", "embedded") is True
    with pytest.raises(UserError, match="--diariser needs diarisation"):
        wanted("--diariser", "pyannote", "--no-diarise")


def test_the_commands_options_load_no_stage():
    # the registries' names are read when asked, not when `kodeklar --help` lists the commands
    code = ("import sys, kodeklar.commands.run, kodeklar.commands.transcribe;"
            "print(sorted({'numpy', 'transcribe.diarise'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
