"""`kodeklar anonymise` and `kodeklar key show` end to end on a small raw transcript."""
import json

import pytest
from click.testing import CliRunner

from kodeklar.cli import cli
from kodeklar.core.errors import UserError
from kodeklar.core.transcript import save
from tests.anonymising import interview_1, interview_2

ENV = {"KODEKLAR_KEY_PASSPHRASE": "test-passphrase"}


def run(args, env=ENV):
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=True)


@pytest.fixture
def raw(tmp_path):
    save(interview_1(), tmp_path / "intervju-01.json")
    save(interview_2(), tmp_path / "intervju-02.json")
    config = tmp_path / "project.toml"
    config.write_text('[anonymise]\nuse_ner = false\nknown_names = ["Ola Hansen"]\n',
                      encoding="utf-8")
    return tmp_path


def test_anonymise_files_and_show_key(raw):
    out, key = raw / "out", raw / "key.kodeklar"
    result = run(["anonymise", str(raw / "intervju-01.json"), str(raw / "intervju-02.json"),
                  "-o", str(out), "--key", str(key), "--config", str(raw / "project.toml")])
    assert result.exit_code == 0, result.output
    for name in ("intervju-01", "intervju-02"):
        text = (out / f"{name}.json").read_text(encoding="utf-8")
        assert json.loads(text)["anonymised"] is True
        for original in ("Kari", "Nordmann", "Halden", "Ola", "Hansen", "Moss"):
            assert original not in text
    assert key.exists() and b"Nordmann" not in key.read_bytes()
    shown = run(["key", "show", str(key)])
    assert shown.exit_code == 0, shown.output
    assert "[PERSON-1]" in shown.output and "kari nordmann" in shown.output
    # a second run reuses the key: same pseudonyms
    again = run(["anonymise", str(raw / "intervju-02.json"), "-o", str(raw / "out2"),
                 "--key", str(key), "--config", str(raw / "project.toml")])
    assert again.exit_code == 0
    first, second = (json.loads((d / "intervju-02.json").read_text()) for d in (out, raw / "out2"))
    assert first["segments"] == second["segments"]
    assert first["redactions"] == second["redactions"]


def test_wrong_passphrase(raw):
    key = raw / "key.kodeklar"
    assert run(["anonymise", str(raw / "intervju-01.json"), "-o", str(raw / "o"),
                "--key", str(key)]).exit_code == 0
    bad = run(["key", "show", str(key)], env={"KODEKLAR_KEY_PASSPHRASE": "wrong"})
    assert isinstance(bad.exception, UserError)
    assert "wrong passphrase for key file" in str(bad.exception)


def test_text_mode(tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text("Kari Nordmann bor i Halden.\n\nHun ringte NAV Halden.\n", encoding="utf-8")
    result = run(["anonymise", "--text", str(path)], env={})
    assert result.exit_code == 0, result.output
    assert result.output == "[PERSON-1] bor i [STED-1].\n\nHun ringte NAV [STED-1].\n"


def test_unknown_config_key(raw):
    bad = raw / "bad.toml"
    bad.write_text("[anonymise]\nthreshhold = 0.3\n", encoding="utf-8")
    result = run(["anonymise", "--text", str(bad), "--config", str(bad)])
    assert isinstance(result.exception, UserError)
    assert "unknown key 'threshhold'" in str(result.exception)


def test_never_overwrites_an_input(raw):
    path = raw / "intervju-01.json"
    before = path.read_bytes()
    result = run(["anonymise", str(path), "-o", str(raw), "--key", str(raw / "k")])
    assert isinstance(result.exception, UserError) and "overwrite" in str(result.exception)
    assert path.read_bytes() == before
