"""The redaction report, the batch summary, the originals report and the review sheet."""
from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest

from kodeklar.core.transcript import load
from kodeklar.exporters.report.data import build_report, summary
from kodeklar.exporters.report.originals import originals
from kodeklar.exporters.report.sheets import write_review_sheet
from kodeklar.exporters.report.writers import (review_files, write_batch_report,
                                               write_originals_report, write_report)

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
# the invented originals behind the redactions of intervju-01.json, by redaction id
ORIGINALS = {"R1": "Kari Nordmann", "R2": "Haukeland", "R3": "Ola Hansen", "R4": "Bergen",
             "R5": "912 34 567", "R6": "Solveig"}
SETTINGS = {"anonymise": {"threshold": 0.6, "categories": ["PERSON", "STED", "TELEFON"]}}


@pytest.fixture
def anon():
    return load(FIXTURES / "intervju-01.json")


@pytest.fixture
def raw():
    return load(FIXTURES / "intervju-01.raw.json")


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_report_lists_every_redaction_and_no_original(anon, tmp_path):
    paths = write_report(anon, tmp_path, "intervju-01",
                         key_file="/sikker/nokler/prosjekt.key", settings=SETTINGS,
                         audio_spans=[(4.6, 9.8)])
    assert [p.name for p in paths] == ["intervju-01.report.html", "intervju-01.report.json",
                                       "intervju-01.report.csv"]
    for p in paths:
        text = p.read_text(encoding="utf-8-sig")
        for original in ORIGINALS.values():
            assert original not in text, (p.name, original)

    data = json.loads(paths[1].read_text(encoding="utf-8"))
    assert [r["id"] for r in data["redactions"]] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    r1 = data["redactions"][0]
    assert r1 == {"id": "R1", "segment": 2, "start": r1["start"], "end": r1["end"],
                  "time": "00:00:06.3", "speaker": "Informant", "category": "PERSON",
                  "replacement": "[PERSON-1]", "detector": "ner", "score": 0.97,
                  "decided_by": "rule"}
    assert data["summary"] == {"recording": "intervju-01", "duration": 34.0, "redactions": 6,
                               "by_category": {"PERSON": 3, "STED": 2, "TELEFON": 1},
                               "by_detector": {"ner": 2, "gazetteer": 2, "regex": 1, "review": 1},
                               "human_redacted": 1, "human_kept": 1, "review": 3,
                               "untranscribed": 0}
    assert data["human_kept"] == [{"segment": 1, "kind": "date", "speaker": "Intervjuer",
                                   "time": "00:00:00"}]
    assert [(c["kind"], c["text"], c["speaker"]) for c in data["review"]] == [
        ("occupation", "sykepleier", "Informant"), ("number", "tolv år", "Informant"),
        ("low_score", "Tromsø", "Intervjuer")]
    assert data["key_file"] == "/sikker/nokler/prosjekt.key"
    assert data["settings"] == SETTINGS
    assert data["provenance"]["model_sha256"] == "cd" * 32
    assert data["provenance"]["stages"]["anonymise"]["ner_sha256"] == "ef" * 32
    assert data["audio_redactions"] == [{"start": 4.6, "end": 9.8}]

    page = paths[0].read_text(encoding="utf-8")
    assert "<link" not in page and "<script" not in page and "src=" not in page
    for needle in ["[PERSON-1]", "[TELEFON-1]", "Tromsø", "sykepleier", "/sikker/nokler/prosjekt.key",
                   "ef" * 32, "cd" * 32, "personopplysning", "Gjennomgått av (navn)", "menneske",
                   "00:00:04.600"]:
        assert needle in page, needle
    assert len(re.findall(r"<tr><td>R\d+</td>", page)) == 6

    rows = _rows(paths[2])
    assert [r["id"] for r in rows if r["row"] == "redaction"] == list(ORIGINALS)
    assert [r["text"] for r in rows if r["row"] == "review"] == ["sykepleier", "tolv år", "Tromsø"]


def test_report_escapes_html(anon, tmp_path):
    anon.speakers[0].label = "<script>x</script>"
    page = write_report(anon, tmp_path, "i", key_file=None, settings={})[0].read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Ingen koblingsnøkkel" in page


def test_report_takes_audio_spans_from_provenance(anon, tmp_path):
    anon.provenance.stages["anonymise"]["redacted_audio"] = {"mode": "beep",
                                                             "spans": [[6.18, 7.62]]}
    data = build_report(anon, key_file=None, settings={})
    assert data["audio_redactions"] == [{"start": 6.18, "end": 7.62}]


def test_batch_report(anon, tmp_path):
    # as the batch passes them: summary() plus the name and status of each recording
    one = summary(anon) | {"name": "intervju-01", "status": "done"}
    failed = {"name": "intervju-02", "status": "failed", "error": "intervju-02: not audio",
              "warnings": ["intervju-02: cut off"]}
    json.dumps(one)  # kept in the manifest
    paths = write_batch_report([one, failed], tmp_path)
    assert [p.name for p in paths] == ["batch-report.html", "batch-report.json", "batch-report.csv"]
    data = json.loads(paths[1].read_text(encoding="utf-8"))
    assert (data["recordings"], data["failed"], data["redactions"], data["review"]) == (2, 1, 6, 3)
    assert data["by_category"] == {"PERSON": 3, "STED": 2, "TELEFON": 1}
    rows = _rows(paths[2])
    assert rows[0]["recording"] == "intervju-01" and rows[0]["status"] == "done"
    assert rows[0]["by_category"] == "PERSON: 3; STED: 2; TELEFON: 1"
    assert (rows[0]["human_redacted"], rows[0]["human_kept"], rows[0]["review"]) == ("1", "1", "3")
    assert rows[1]["status"] == "failed" and rows[1]["redactions"] == ""
    assert rows[1]["error"] == "intervju-02: not audio"
    assert rows[1]["warnings"] == "intervju-02: cut off"
    assert "not audio" in paths[0].read_text(encoding="utf-8")
    assert "intervju-02" in paths[0].read_text(encoding="utf-8")


def test_originals_report_recovers_each_original(anon, raw, tmp_path):
    path = write_originals_report(anon, raw, tmp_path, "intervju-01")
    assert path == tmp_path / "intervju-01.originals.csv"
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    rows = _rows(path)
    assert {r["id"]: r["original"] for r in rows} == ORIGINALS
    assert {r["found_by"] for r in rows} == {"text"}
    assert rows[4]["replacement"] == "[TELEFON-1]" and rows[4]["speaker"] == "Informant"


def test_originals_fall_back_to_word_times(anon, raw):
    # the raw text was edited after anonymisation: the pattern no longer fits
    raw.segments[1].text = raw.segments[1].text.replace("jobber", "arbeider")
    found = originals(anon, raw)
    assert found["R1"] == ("Kari Nordmann", "time")
    assert found["R2"] == ("Haukeland.", "time")  # whole words, punctuation and all
    assert found["R3"] == ("Ola Hansen", "text")


def test_originals_of_touching_replacements_use_times(anon, raw):
    # "[PERSON-2] [STED-2]" with nothing but a space between: the split is a guess
    seg_a, seg_r = anon.segments[4], raw.segments[4]
    r3, r4 = (r for r in anon.redactions if r.segment == 5)
    seg_a.text = "[PERSON-2] [STED-2]"
    r3.char_start, r3.char_end = 0, 10
    r4.char_start, r4.char_end = 11, 19
    seg_r.text = "Ola Hansen Bergen"
    found = originals(anon, raw)
    assert found["R3"] == ("Ola Hansen", "time")
    assert found["R4"] == ("Bergen.", "time")


def test_review_sheet_round_trips_its_columns(anon, raw, tmp_path):
    path = write_review_sheet(anon, tmp_path / "intervju-01.review.csv", "intervju-01")
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["recording", "item", "segment", "char_start", "char_end",
                                     "kind", "time", "speaker", "text", "category", "decision",
                                     "reviewer", "date"]
        rows = list(reader)
    assert len(rows) == len(anon.review)  # without the raw transcript: no redaction rows
    by_key = {(int(r["segment"]), int(r["char_start"]), int(r["char_end"]), r["kind"]): r
              for r in rows}
    for item in anon.review:
        row = by_key[(item.segment, item.char_start, item.char_end, item.kind)]
        # review offsets index the raw text; the sheet shows the same words
        seg = next(s for s in raw.segments if s.id == item.segment)
        assert row["text"] == seg.text[item.char_start:item.char_end]
        assert row["recording"] == "intervju-01" and row["decision"] == ""
        assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d", row["time"])
    assert [r["text"] for r in rows] == ["sykepleier", "tolv år", "Tromsø"]


def test_review_sheet_lists_redactions_at_their_raw_offsets(anon, raw, tmp_path):
    """With the raw transcript the sheet (private) has a row per redaction too: its original
    text, where that lies in the raw text, and its category; all in time order."""
    rows = _rows(write_review_sheet(anon, tmp_path / "r.csv", "intervju-01", raw))
    assert len(rows) == len(anon.redactions) + len(anon.review) + 1   # and the kept date
    assert [float(r["time"][6:]) for r in rows] == sorted(float(r["time"][6:]) for r in rows)
    redactions = {r["item"]: r for r in rows if r["kind"] == "redaction"}
    assert {i: r["text"] for i, r in redactions.items()} == ORIGINALS
    raw_text = {s.id: s.text for s in raw.segments}
    for r in redactions.values():
        assert raw_text[int(r["segment"])][int(r["char_start"]):int(r["char_end"])] == r["text"]
    assert redactions["R2"]["category"] == "STED" and redactions["R2"]["decision"] == ""
    # decisions made before stand in the sheet, so a second look keeps them
    assert redactions["R6"]["decision"] == "redact"     # decided by a human
    [kept] = [r for r in rows if r["item"] == "K1"]
    assert (kept["decision"], kept["kind"], kept["segment"]) == ("keep", "date", "1")
    assert kept["text"] == raw_text[1][35:40]


def test_report_records_decisions_and_signs_off_only_when_all_are_decided(anon, tmp_path):
    stage = anon.provenance.stages["anonymise"]
    w = {"reviewer": "Ada Lovelace", "date": "2026-12-07"}
    data = build_report(anon, key_file=None, settings={})
    assert data["sign_off"]["complete"] is False and data["sign_off"]["items"] == 6 + 3 + 1
    stage["decisions"] = [{"segment": 2, "char_start": 14, "char_end": 27, "kind": "redaction",
                           "decision": "keep", "category": "", **w}]
    anon.review = []
    for r in anon.redactions:
        r.decided_by = "human"
    data = build_report(anon, key_file=None, settings={}, lang="en")
    assert data["sign_off"]["complete"] is True and data["sign_off"]["by"] == [
        "Ada Lovelace, 2026-12-07"]
    assert data["decisions"][0]["speaker"] == "Informant"
    page = write_report(anon, tmp_path, "i", key_file=None, settings={},
                        lang="en")[0].read_text(encoding="utf-8")
    assert "The review is complete" in page and "Ada Lovelace" in page
    assert '<html lang="en">' in page and "Erstatninger" not in page
    stage["decisions"][0]["reviewer"] = ""  # a decision without a name does not sign
    assert build_report(anon, key_file=None, settings={})["sign_off"]["complete"] is False


def test_report_names_the_review_files_and_the_command(anon, tmp_path):
    files = review_files("intervju-01", raw="private/raw/intervju-01.json", key=None)
    page = write_report(anon, tmp_path, "i", key_file=None, settings={},
                        review_files=files)[0].read_text(encoding="utf-8")
    assert "private/review/intervju-01.review.html" in page
    assert "private/review/intervju-01.review.csv" in page
    assert ("kodeklar anonymise private/raw/intervju-01.json -o . --decisions "
            "private/review/intervju-01.review.csv") in page
    assert "ikke fullført" in page
    # a key kept elsewhere is named; the page's command applies the file the page saves
    files = review_files("intervju-01", raw="private/raw/intervju-01.json",
                         key="/sikker/prosjekt.key")
    assert files["page_command"] == ("kodeklar anonymise private/raw/intervju-01.json -o . "
                                     "--key /sikker/prosjekt.key --decisions "
                                     "intervju-01.decisions.csv")


def test_report_lists_low_confidence_stretches(anon, tmp_path):
    seg = anon.segments[2]
    seg.flags = ["low_confidence"]
    seg.words[1].p = seg.words[2].p = 0.2
    data = build_report(anon, key_file=None, settings={})
    [stretch] = data["low_confidence"]["stretches"]
    assert stretch["segment"] == seg.id and stretch["p"] == 0.2
    assert stretch["words"] == 2 and "text" not in stretch  # times, never the words
    rows = _rows(write_report(anon, tmp_path, "i", key_file=None, settings={})[2])
    assert [r["row"] for r in rows].count("low_confidence") == 1


def test_review_sheet_is_read_by_the_decisions_loader(anon, tmp_path):
    from anonymise import decisions

    path = write_review_sheet(anon, tmp_path / "r.csv", "intervju-01")
    rows = _rows(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # as Excel saves "CSV UTF-8"
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "decision": "keep"} for r in rows)
    loaded = decisions.load(path)
    assert {(d.segment, d.char_start, d.char_end, d.kind, d.decision) for d in loaded} == {
        (c.segment, c.char_start, c.char_end, c.kind, "keep") for c in anon.review}


def test_csv_cells_are_not_formulas(anon, tmp_path):
    seg = next(s for s in anon.segments if s.id == 3)
    seg.text = "=HYPERLINK(x) har vært sykepleier i tolv år."
    item = anon.review[0]
    item.char_start, item.char_end = 0, 13
    path = write_review_sheet(anon, tmp_path / "r.csv", "intervju-01")
    texts = [r["text"] for r in _rows(path)]
    assert "'=HYPERLINK(x)" in texts


def test_batch_warnings_go_into_the_batch_report(tmp_path):
    from kodeklar.app import batch, pipeline

    result = pipeline.Result(name="intervju-03", status="done", segments=4,
                             damage="the last 12 s could not be decoded",
                             untranscribed=[[61.0, 75.5]])
    found = batch.warnings("intervju-03", result)
    assert found[0] == "intervju-03: the last 12 s could not be decoded"
    assert "00:01:01–00:01:15" in found[1] and "uhørbart" in found[1]
    assert batch.warnings("intervju-04", pipeline.Result(name="intervju-04")) == []
    paths = write_batch_report([{"name": "intervju-03", "status": "done",
                                 "warnings": found}], tmp_path, lang="en")
    assert _rows(paths[2])[0]["warnings"] == " | ".join(found)
    page = paths[0].read_text(encoding="utf-8")
    assert "could not be decoded" in page and "Warnings" in page and "done" in page
