"""`kodeklar anonymise` and `kodeklar key show` end to end on a small raw transcript."""
import json

import pytest
from click.testing import CliRunner

from kodeklar.cli import cli
from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Speaker, save
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
        text = (out / "anonymised" / f"{name}.json").read_text(encoding="utf-8")
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
    first, second = (json.loads((d / "anonymised" / "intervju-02.json").read_text())
                     for d in (out, raw / "out2"))
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
    (raw / "anonymised").mkdir()
    path = (raw / "intervju-01.json").rename(raw / "anonymised" / "intervju-01.json")
    before = path.read_bytes()
    result = run(["anonymise", str(path), "-o", str(raw), "--key", str(raw / "k")])
    assert isinstance(result.exception, UserError) and "overwrite" in str(result.exception)
    assert path.read_bytes() == before


def test_anonymise_writes_what_run_writes(raw):
    """Every configured format, the reports, the review sheet, the config's key file and
    roles, and a manifest entry: the same stage code as `kodeklar run`."""
    key = raw / "elsewhere" / "prosjekt.kodeklar"
    config = raw / "project.toml"
    config.write_text('[anonymise]\nuse_ner = false\nknown_names = ["Ola Hansen"]\n'
                      '[run]\nroles = {S1 = "Intervjuer"}\n'
                      f'[output]\nformats = ["json", "txt", "docx"]\nkey_file = "{key}"\n',
                      encoding="utf-8")
    diarised = interview_1()
    diarised.speakers = [Speaker("S1", "S1")]
    for seg in diarised.segments:
        seg.speaker = "S1"
    save(diarised, raw / "intervju-01.json")
    out = raw / "out"
    result = run(["anonymise", str(raw / "intervju-01.json"), "-o", str(out), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "anonymised").iterdir()) == [
        "intervju-01.docx", "intervju-01.json", "intervju-01.txt"]
    assert {p.name for p in (out / "reports").iterdir()} >= {
        "intervju-01.report.html", "intervju-01.report.json", "batch-report.json"}
    assert (out / "private" / "review" / "intervju-01.review.csv").is_file()
    assert key.is_file() and not (out / "private" / "key.kodeklar").exists()
    entry = json.loads((out / "manifest.json").read_text())["recordings"]["intervju-01"]
    assert entry["status"] == "done" and "anonymise" in entry["stages"]
    assert sorted(entry["outputs"]) == sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
        and p.parts[len(out.parts)] in ("anonymised", "reports", "private")
        and "batch-report" not in p.name and p.name != "sources.json" and p != key)
    text = (out / "anonymised" / "intervju-01.txt").read_text(encoding="utf-8")
    assert "Kari" not in text and "Intervjuer" in text
    # again into the same folder: the manifest still lists what is there
    again = run(["anonymise", str(raw / "intervju-01.json"), "-o", str(out), "--config", str(config)])
    assert again.exit_code == 0, again.output
    entry = json.loads((out / "manifest.json").read_text())["recordings"]["intervju-01"]
    assert "private/raw/intervju-01.json" in entry["outputs"]


def test_anonymise_writes_the_review_pages_in_english_linking_the_audio_left_in_out(raw):
    """Re-anonymised without the recording, the review pages play the copy an earlier run
    left in OUT/media; `--lang en` makes the reports and pages English."""
    out = raw / "out"
    (out / "media").mkdir(parents=True)
    (out / "media" / "intervju-01.mp3").write_bytes(b"not really audio")
    result = run(["anonymise", str(raw / "intervju-01.json"), "-o", str(out),
                  "--config", str(raw / "project.toml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = (out / "private" / "review" / "intervju-01.review.html").read_text(encoding="utf-8")
    assert 'src="../../media/intervju-01.mp3"' in page and '<html lang="en">' in page
    assert "Kari" in page  # the private page shows the originals
    shareable = (out / "reports" / "intervju-01.review.html").read_text(encoding="utf-8")
    assert 'src="../media/intervju-01.mp3"' in shareable and "Kari" not in shareable
    report = (out / "reports" / "intervju-01.report.html").read_text(encoding="utf-8")
    assert "How to review" in report and "--decisions intervju-01" not in report
    assert ("kodeklar anonymise private/raw/intervju-01.json -o . --decisions "
            "private/review/intervju-01.review.csv") in report
    # the raw transcript the command names is there
    assert (out / "private" / "raw" / "intervju-01.json").read_text(encoding="utf-8") == \
        (raw / "intervju-01.json").read_text(encoding="utf-8")
