"""The anonymiser's real output through every export and report: no original survives,
and the private report of originals finds each one."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path


from kodeklar import exporters
from kodeklar.exporters.report.sheets import write_review_sheet
from kodeklar.exporters.report.writers import write_originals_report, write_report
from kodeklar.core.transcript import load

RAW = Path(__file__).parent / "fixtures" / "transcripts" / "intervju-01.raw.json"
ORIGINALS = ["Kari Nordmann", "Haukeland", "Ola Hansen", "Bergen", "912 34 567", "Solveig",
             "Tromsø"]


def test_anonymised_outputs_hold_no_original(tmp_path):
    from anonymise import redact
    from anonymise.options import AnonymiseOptions
    from anonymise.pseudonyms import Pseudonyms

    raw = load(RAW)
    anon = redact.anonymise_transcript(
        raw, AnonymiseOptions(use_ner=False, known_names=["Kari Nordmann", "Ola Hansen",
                                                          "Solveig"]), Pseudonyms())
    out = tmp_path / "anonymised"
    out.mkdir()
    for fmt in exporters.FORMATS:
        exporters.export(anon, fmt, out, "intervju-01")
    write_report(anon, out, "intervju-01", key_file="key.enc", settings={})
    write_review_sheet(anon, out / "intervju-01.review.csv", "intervju-01")

    texts = []
    for path in out.iterdir():
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                texts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    everything = "\n".join(texts)
    assert "[PERSON-1]" in everything
    for original in ORIGINALS:
        assert original not in everything, original

    private = write_originals_report(anon, raw, tmp_path, "intervju-01")
    with open(private, encoding="utf-8-sig", newline="") as f:
        found = {r["replacement"]: r["original"] for r in csv.DictReader(f)}
    assert found["[PERSON-1]"] == "Kari Nordmann"
    assert found["[TELEFON-1]"] == "912 34 567"
    assert len(found) == len(anon.redactions)
