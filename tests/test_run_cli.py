"""End to end: `kodeklar run` on the sample recordings — transcribe, diarise, anonymise,
export, reports — and re-runs, in subprocesses that may not open internet sockets."""
import csv
import json
import zipfile

import pytest

from conftest import PASSPHRASE, SAMPLES, cli_env, run_cli
from kodeklar.core import transcript as tr

# runs the real model in kodeklar subprocesses: the full suite only
pytestmark = pytest.mark.slow

ALL_FORMATS = "json,txt,docx,srt,vtt,rttm,maxqda,nvivo,atlasti,eaf,qdpx"


def shareable_texts(out):
    """Every file outside private/, as text; zips (docx, qdpx) member by member."""
    for path in sorted(out.rglob("*")):
        if not path.is_file() or "private" in path.relative_to(out).parts:
            continue
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                for member in z.namelist():
                    yield f"{path.name}:{member}", z.read(member).decode("utf-8", "replace")
        else:
            yield path.name, path.read_bytes().decode("utf-8", "replace")


def run_batch(out, *options):
    """The batch every test here shares: the dialogue and a short clip, every output."""
    return run_cli("run", SAMPLES / "dialogue.flac", SAMPLES / "norwegian-medium-8s.mp3", "-o", out,
                   "--format", ALL_FORMATS, "--report-include-originals", "--redact-audio", "beep",
                   "--roles", "S1=Intervjuer,S2=Informant", *options)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("ut")
    return out, run_batch(out)


def test_run_succeeds_and_writes_every_output(batch):
    out, result = batch
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())["recordings"]
    assert set(manifest) == {"intervju-01", "intervju-02"}
    for name, entry in manifest.items():
        assert entry["status"] == "done"
        assert set(entry["stages"]) >= {"transcribe", "diarise", "anonymise", "export"}
        for rel in entry["outputs"]:
            assert (out / rel).stat().st_size > 0, rel
    for ext in ("json", "txt", "docx", "srt", "vtt", "rttm", "maxqda.txt", "nvivo.txt", "atlasti.txt", "eaf", "qdpx"):
        assert (out / "anonymised" / f"intervju-01.{ext}").is_file(), ext
    assert (out / "reports" / "intervju-01.report.html").is_file()
    assert (out / "reports" / "batch-report.html").is_file()
    assert (out / "media" / "intervju-01.redacted.wav").is_file()


def test_dialogue_is_diarised_into_two_labelled_speakers(batch):
    out, _ = batch
    t = tr.load(out / "anonymised" / "intervju-01.json")
    assert [s.label for s in t.speakers] == ["Intervjuer", "Informant"]
    assert t.anonymised and t.redactions
    txt = (out / "anonymised" / "intervju-01.txt").read_text()
    assert "Intervjuer:" in txt and "Informant:" in txt


def test_no_original_of_a_redacted_span_in_any_shareable_file(batch):
    out, _ = batch
    originals_csv = next((out / "private" / "reports").glob("intervju-01.originals.*"))
    with open(originals_csv, encoding="utf-8-sig") as f:
        originals = {row["original"] for row in csv.DictReader(f)}
    originals = {o for o in originals if len(o) >= 4}
    assert originals, "the dialogue names someone: there must be redactions"
    for name, text in shareable_texts(out):
        for original in originals:
            assert original not in text, f"an original of a redaction is in {name}"


def test_private_outputs_are_owner_only(batch):
    out, _ = batch
    private = out / "private"
    assert private.stat().st_mode & 0o777 == 0o700
    for path in private.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == expected, path


def test_the_decoded_audio_is_removed_after_the_run(batch):
    out, _ = batch
    assert list((out / "private").rglob("*.f32")) == []


def test_key_show_needs_the_right_passphrase(batch):
    out, _ = batch
    shown = run_cli("key", "show", out / "private" / "key.kodeklar")
    assert shown.returncode == 0 and "[PERSON-1]" in shown.stdout
    wrong = run_cli("key", "show", out / "private" / "key.kodeklar",
                    env=cli_env(KODEKLAR_KEY_PASSPHRASE="not the passphrase"))
    assert wrong.returncode != 0
    assert wrong.stderr.strip().splitlines() == [
        f"kodeklar: error: wrong passphrase for key file {out / 'private' / 'key.kodeklar'} (or the file is damaged)"]
    assert PASSPHRASE not in shown.stderr + wrong.stderr


def test_rerun_with_a_new_name_list_reanonymises_without_retranscribing(batch, tmp_path):
    out, _ = batch
    config = tmp_path / "prosjekt.toml"
    config.write_text('[anonymise]\nknown_names = ["Kontakten"]\n')
    result = run_batch(out, "--config", config)
    assert result.returncode == 0, result.stderr
    # a known name is the study's own list of people: never in a shareable file
    for name, text in shareable_texts(out):
        assert "Kontakten" not in text, name
    manifest = json.loads((out / "manifest.json").read_text())["recordings"]
    for entry in manifest.values():
        assert entry["stages"]["transcribe"]["cached"] is True
        assert entry["stages"]["diarise"]["cached"] is True
        assert entry["status"] == "done"


def test_review_decisions_change_the_next_run(batch):
    out, _ = batch
    # the batch's own settings again (an earlier test may have left another name list's run):
    # cached transcription and diarisation, anonymised afresh
    assert run_batch(out).returncode == 0
    sheet = out / "private" / "review" / "intervju-01.review.csv"
    with open(sheet, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    # the dialogue's names are always redacted, whatever else the model hears this time:
    # the reviewer undoes the first redaction (a false positive)
    first = next((r for r in rows if r["kind"] == "redaction"), None)
    assert first, "the dialogue's names are redacted and listed in the sheet"
    before = tr.load(out / "anonymised" / "intervju-01.json")
    # a Norwegian Excel saves with semicolons; only the first row is decided
    decided = out.parent / "beslutninger.csv"
    lines = [";".join(rows[0].keys())]
    for row in rows:
        lines.append(";".join({**row, "decision": "keep" if row is first else "",
                               "reviewer": "Ada" if row is first else ""}.values()))
    decided.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_batch(out, "--decisions", decided)
    assert result.returncode == 0, result.stderr
    after = tr.load(out / "anonymised" / "intervju-01.json")
    assert len(after.redactions) == len(before.redactions) - 1
    applied = after.provenance.stages["anonymise"]["decisions"]
    assert [(d["kind"], d["decision"], d["reviewer"]) for d in applied] == [("redaction", "keep", "Ada")]
    report = json.loads((out / "reports" / "intervju-01.report.json").read_text())
    assert "Ada" in json.dumps(report)
