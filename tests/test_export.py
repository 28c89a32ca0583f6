"""Every exporter on an invented three-speaker Norwegian interview with redactions."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kodeklar import exporters
from kodeklar.core.timefmt import clock
from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Transcript, load

FIXTURES = Path(__file__).parent / "fixtures"
ANON = FIXTURES / "transcripts" / "intervju-01.json"
# the invented originals behind the redactions of intervju-01.json
ORIGINALS = ["Kari Nordmann", "Haukeland", "Ola Hansen", "Bergen", "912 34 567", "Solveig"]


@pytest.fixture
def transcript() -> Transcript:
    return load(ANON)


@pytest.fixture
def linked(tmp_path) -> exporters.Options:
    """Options linking a shareable audio file that exists (its content is never read)."""
    audio = tmp_path / "media" / "intervju-01.m4a"
    audio.parent.mkdir()
    audio.write_bytes(b"not really audio")
    return exporters.Options(media=audio)


def test_clock_formats_and_cuts():
    assert clock(0) == "00:00:00"
    assert clock(3725.4567, 3) == "01:02:05.457"  # whole milliseconds, rounded
    assert clock(3725.4567, 1) == "01:02:05.4"  # then cut
    assert clock(3725.4567, 3, ",") == "01:02:05,457"
    assert clock(59.99) == "00:00:59"
    assert clock(1.9999999, 1) == "00:00:02.0"
    assert clock(4.6, 1, "-") == "00:00:04-6"


@given(st.floats(0, 359_999), st.floats(0, 359_999), st.sampled_from([0, 1, 3]))
def test_clock_is_exact_and_keeps_order(a, b, digits):
    a, b = sorted((a, b))
    ca, cb = clock(a, digits), clock(b, digits)
    assert re.fullmatch(r"\d\d:[0-5]\d:[0-5]\d" + (rf"\.\d{{{digits}}}" if digits else ""), ca)
    assert ca <= cb
    h, m, s = ca.split(":")
    cut = round(a * 1000) / 1000 - (int(h) * 3600 + int(m) * 60 + float(s))
    assert -1e-6 < cut < 10 ** -digits + 1e-6


def test_unknown_format_lists_the_formats(transcript, tmp_path):
    with pytest.raises(UserError) as e:
        exporters.export(transcript, "pdf", tmp_path, "x")
    assert "pdf" in str(e.value) and "docx" in str(e.value) and "\n" not in str(e.value)


def test_turns_merge_consecutive_segments_of_one_speaker(transcript):
    turns = exporters.turns(transcript)
    assert [t.speaker for t in turns] == ["Intervjuer", "Informant", "Intervjuer", "P3",
                                          "Informant", "Intervjuer"]
    assert turns[1].start == 4.6 and turns[1].end == 13.5
    assert turns[1].text == ("Ja, jeg heter [PERSON-1] og jobber på [STED-1]. "
                             "Jeg har vært sykepleier i tolv år.")


def test_json_round_trips(transcript, tmp_path):
    path = exporters.export(transcript, "json", tmp_path, "intervju-01")
    assert path == tmp_path / "intervju-01.json"
    assert load(path) == transcript


def test_txt(transcript, tmp_path):
    text = exporters.export(transcript, "txt", tmp_path, "i").read_text(encoding="utf-8")
    paras = text.rstrip("\n").split("\n\n")
    assert len(paras) == 6
    assert paras[0] == "[00:00:00] Intervjuer: Hei, og takk for at du stiller opp i dag."
    assert paras[3] == ("[00:00:17] P3: Jeg kan legge til at [PERSON-2] var sjefen hennes "
                        "i [STED-2].")
    assert paras[-1] == "[00:00:29] Intervjuer: Og [PERSON-3], hun kom fra Tromsø? Takk skal du ha."


def test_txt_and_docx_mark_turns_with_someone_talking_meanwhile(transcript, tmp_path):
    """The diariser heard the informant (S2) over the interviewer's first turn (0-4.6 s)
    for 1 s, and P3 for a blip too short to count."""
    import docx

    from kodeklar.core.transcript import SpeakerTurn

    ids = {s.label: s.id for s in transcript.speakers}
    transcript.turns = [SpeakerTurn(0.0, 4.5, ids["Intervjuer"]),
                        SpeakerTurn(3.0, 4.0, ids["Informant"]),
                        SpeakerTurn(2.0, 2.2, ids["P3"])]
    text = exporters.export(transcript, "txt", tmp_path, "i").read_text(encoding="utf-8")
    paras = text.rstrip("\n").split("\n\n")
    assert paras[0].startswith("[00:00:00] Intervjuer (samtidig med Informant): Hei,")
    assert sum("samtidig" in p for p in paras) == 1
    doc = docx.Document(str(exporters.export(transcript, "docx", tmp_path, "i")))
    assert any(p.text.startswith("[00:00:00] Intervjuer (samtidig med Informant):")
               for p in doc.paragraphs)
    assert load(exporters.export(transcript, "json", tmp_path, "i")) == transcript


def test_txt_and_docx_mark_uncertain_words_in_parentheses(transcript, tmp_path):
    """Words under the low-confidence threshold of a flagged segment, in runs; a word just
    at the threshold, and low words of an unflagged segment, stay plain."""
    import docx

    seg = transcript.segments[0]          # " Hei, og takk for at du stiller opp i dag."
    seg.flags = ["low_confidence"]
    for i, p in {0: 0.2, 2: 0.1, 3: 0.3, 4: 0.4}.items():
        seg.words[i].p = p
    transcript.segments[3].words[0].p = 0.1  # no flag: the transcriber did not mark it
    transcript.provenance.params["low_confidence"] = 0.4
    expected = "[00:00:00] Intervjuer: (Hei,) og (takk for) at du stiller opp i dag."
    text = exporters.export(transcript, "txt", tmp_path, "i").read_text(encoding="utf-8")
    paras = text.rstrip("\n").split("\n\n")
    assert paras[0] == expected
    assert "(" not in "".join(paras[1:])
    doc = docx.Document(str(exporters.export(transcript, "docx", tmp_path, "i")))
    assert expected in [p.text for p in doc.paragraphs]
    # the QDA formats code the turns' text, unmarked
    assert exporters.turns(transcript)[0].text.startswith("Hei, og takk")


def _times(pattern, text):
    return [tuple(m) for m in re.findall(pattern, text)]


def test_srt(transcript, tmp_path):
    text = exporters.export(transcript, "srt", tmp_path, "i").read_text(encoding="utf-8")
    cues = text.strip().split("\n\n")
    assert len(cues) == len(transcript.segments)
    assert cues[1] == ("2\n00:00:04,600 --> 00:00:09,800\n"
                       "Informant: Ja, jeg heter [PERSON-1] og jobber på [STED-1].")
    for i, cue in enumerate(cues, 1):
        assert re.fullmatch(r"\d+\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n.+", cue)
        assert cue.startswith(f"{i}\n")
    starts = re.findall(r"^(\S+) -->", text, re.M)
    assert starts == sorted(starts)


def test_vtt(transcript, tmp_path):
    text = exporters.export(transcript, "vtt", tmp_path, "i").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n")
    cues = text.strip().split("\n\n")[1:]
    assert len(cues) == len(transcript.segments)
    assert cues[4] == ("00:00:17.800 --> 00:00:23.400\n"
                       "<v P3>Jeg kan legge til at [PERSON-2] var sjefen hennes i [STED-2].")
    starts = re.findall(r"^(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})$", text, re.M)
    assert len(starts) == len(cues)
    assert [s for s, _ in starts] == sorted(s for s, _ in starts)
    assert all(s <= e for s, e in starts)


def test_vtt_escapes_markup(transcript):
    from kodeklar.exporters import vtt
    transcript.segments[0].text = "a < b & c"
    transcript.speakers[0].label = "<Intervjuer>"
    assert "<v &lt;Intervjuer&gt;>a &lt; b &amp; c" in vtt.render(transcript)


def test_rttm_follows_word_speakers(transcript, tmp_path):
    lines = exporters.export(transcript, "rttm", tmp_path, "i").read_text().splitlines()
    rows = [line.split() for line in lines]
    assert all(len(r) == 10 and r[0] == "SPEAKER" and r[1] == "intervju-01" and r[2] == "1"
               and r[5:7] == ["<NA>", "<NA>"] and r[8:] == ["<NA>", "<NA>"] for r in rows)
    assert all(re.fullmatch(r"\d+\.\d{3}", r[3]) and re.fullmatch(r"\d+\.\d{3}", r[4])
               for r in rows)
    # segment 3 is the informant's, but its second word was said by P3
    assert [r[7] for r in rows] == ["S1", "S2", "S3", "S2", "S1", "S3", "S2", "S1"]
    assert rows[2][3:5] == ["10.500", "0.480"]
    starts = [float(r[3]) for r in rows]
    assert starts == sorted(starts)


def test_nvivo_rows(transcript, tmp_path):
    raw = exporters.export(transcript, "nvivo", tmp_path, "i").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == ""
    lines = lines[:-1]
    assert lines[0] == "Timespan\tSpeaker\tContent"
    assert {line.count("\t") for line in lines} == {2}
    assert lines[2] == ("00:00:04.6-00:00:13.5\tInformant\tJa, jeg heter [PERSON-1] og jobber "
                        "på [STED-1]. Jeg har vært sykepleier i tolv år.")
    spans = [re.fullmatch(r"(\d\d:\d\d:\d\d\.\d)-(\d\d:\d\d:\d\d\.\d)", line.split("\t")[0])
             for line in lines[1:]]
    assert all(spans)
    assert all(m[1] <= m[2] for m in spans)
    assert [m[1] for m in spans] == sorted(m[1] for m in spans)


def test_nvivo_keeps_tab_count_when_text_has_tabs(transcript):
    from kodeklar.exporters import nvivo
    transcript.segments[0].text = "med\ttab og\nlinjeskift"
    lines = nvivo.render(transcript).removeprefix(exporters.BOM).split("\r\n")[:-1]
    assert {line.count("\t") for line in lines} == {2}


def test_maxqda(transcript, tmp_path):
    lines = (exporters.export(transcript, "maxqda", tmp_path, "i")
             .read_bytes().decode("utf-8-sig").split("\r\n")[:-1])
    assert len(lines) == 6
    assert lines[0] == "Intervjuer: Hei, og takk for at du stiller opp i dag. #00:00:04-6#"
    assert lines[-1] == "Intervjuer: Og [PERSON-3], hun kom fra Tromsø? Takk skal du ha. #00:00:33-0#"
    stamps = re.findall(r"#(\d\d:\d\d:\d\d-\d)#", "\n".join(lines))
    assert len(stamps) == 6 and stamps == sorted(stamps)
    assert all(re.fullmatch(r"[^:#]+: .+ #\d\d:\d\d:\d\d-\d#", line) for line in lines)


def test_maxqda_marks_a_late_first_turn(transcript):
    from kodeklar.exporters import maxqda
    for seg in transcript.segments:
        seg.start += 2.0
        seg.end += 2.0
    lines = maxqda.render(transcript).removeprefix(exporters.BOM).split("\r\n")
    assert lines[0] == "#00:00:02-0#"
    assert lines[1].startswith("Intervjuer: Hei")


def test_atlasti(transcript, tmp_path):
    lines = (exporters.export(transcript, "atlasti", tmp_path, "i")
             .read_bytes().decode("utf-8-sig").split("\r\n")[:-1])
    assert lines[0] == "#00:00:00.000# Intervjuer: Hei, og takk for at du stiller opp i dag."
    assert lines[3] == ("#00:00:17.800# P3: Jeg kan legge til at [PERSON-2] var sjefen hennes "
                        "i [STED-2].")
    assert lines[-1] == "#00:00:33.000#"
    stamps = [re.match(r"#(\d\d:\d\d:\d\d\.\d{3})#", line)[1] for line in lines]
    assert stamps == sorted(stamps)


def test_docx_reads_back(transcript, tmp_path, linked):
    import docx
    doc = docx.Document(str(exporters.export(transcript, "docx", tmp_path, "i", linked)))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "intervju-01"
    assert "Dato: 2026-11-20" in paras
    assert "Varighet: 00:00:34" in paras
    assert "Talere: Intervjuer, Informant, P3" in paras
    assert "Lydfil: intervju-01.m4a" in paras
    turns = [p for p in paras if p.startswith("[")]
    assert turns[0] == "[00:00:00] Intervjuer: Hei, og takk for at du stiller opp i dag."
    assert turns[3] == "[00:00:17] P3: Jeg kan legge til at [PERSON-2] var sjefen hennes i [STED-2]."
    assert len(turns) == 6
    assert doc.core_properties.author == "kodeklar"


def _schema(name):
    from lxml import etree
    return etree.XMLSchema(etree.parse(str(FIXTURES / "specs" / name)))


def test_eaf_is_valid_and_has_a_tier_per_speaker(transcript, tmp_path, linked):
    from lxml import etree
    path = exporters.export(transcript, "eaf", tmp_path, "i", linked)
    doc = etree.parse(str(path))
    schema = _schema("EAFv3.0.xsd")
    assert schema.validate(doc), schema.error_log
    assert [t.get("TIER_ID") for t in doc.iter("TIER")] == ["Intervjuer", "Informant", "P3"]
    md = doc.find("HEADER/MEDIA_DESCRIPTOR")
    assert md.get("RELATIVE_MEDIA_URL") == "./media/intervju-01.m4a"
    assert md.get("MEDIA_URL") == linked.media.as_uri()
    assert doc.getroot().get("DATE") == "2026-11-20T10:00:00Z"
    assert md.get("MIME_TYPE") == "audio/mp4"
    slots = {s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE")) for s in doc.iter("TIME_SLOT")}
    anns = sorted(((slots[a.get("TIME_SLOT_REF1")], slots[a.get("TIME_SLOT_REF2")],
                    a.findtext("ANNOTATION_VALUE")) for a in doc.iter("ALIGNABLE_ANNOTATION")))
    assert anns[1] == (4600, 9800, "Ja, jeg heter [PERSON-1] og jobber på [STED-1].")
    assert all(s < e for s, e, _ in anns)
    values = list(slots.values())
    assert values == sorted(values)


def test_eaf_without_media_is_valid(transcript):
    from lxml import etree
    from kodeklar.exporters import eaf
    transcript.provenance.created = "not a date"
    doc = etree.fromstring(eaf.render(transcript))
    assert _schema("EAFv3.0.xsd").validate(doc)
    assert doc.find("HEADER/MEDIA_DESCRIPTOR") is None


def test_eaf_shows_both_speakers_during_overlap(transcript):
    """Each word has one speaker, so the text tiers cannot overlap; the diariser's turns
    go into a tier per speaker, where speech over someone else's words shows."""
    from lxml import etree
    from kodeklar.exporters import eaf
    from kodeklar.core.transcript import SpeakerTurn

    ids = {s.label: s.id for s in transcript.speakers}
    transcript.turns = [SpeakerTurn(0.0, 4.5, ids["Intervjuer"]),
                        SpeakerTurn(3.0, 4.0, ids["Informant"])]
    doc = etree.fromstring(eaf.render(transcript))
    assert _schema("EAFv3.0.xsd").validate(doc)
    slots = {s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE")) for s in doc.iter("TIME_SLOT")}
    spoken = {t.get("TIER_ID"): [(slots[a.get("TIME_SLOT_REF1")], slots[a.get("TIME_SLOT_REF2")])
                                 for a in t.iter("ALIGNABLE_ANNOTATION")]
              for t in doc.iter("TIER") if t.get("LINGUISTIC_TYPE_REF") == "taletur"}
    assert spoken == {"Intervjuer taletur": [(0, 4500)], "Informant taletur": [(3000, 4000)]}
    assert doc.find("TIER[@TIER_ID='Informant taletur']").get("PARTICIPANT") == "Informant"
    assert list(slots.values()) == sorted(set(slots.values()))


def test_qdpx_is_a_valid_refi_project(transcript, tmp_path, linked):
    import zipfile
    from lxml import etree
    path = exporters.export(transcript, "qdpx", tmp_path, "i", linked)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        qde = etree.fromstring(z.read("project.qde"))
        schema = _schema("refi-qda-project-1.0.xsd")
        assert schema.validate(qde), schema.error_log
        ns = {"q": "urn:QDA-XML:project:1.0"}
        audio = qde.find("q:Sources/q:AudioSource", ns)
        assert audio.get("path") == "relative://intervju-01.m4a"
        assert qde.get("basePath") == f"{linked.media.parent.as_posix()}/"
        assert audio.get("name") == "intervju-01.m4a"
        assert audio.get("creationDateTime") == "2026-11-20T10:00:00Z"
        tr = audio.find("q:Transcript", ns)
        text_path = tr.get("plainTextPath")
        assert text_path.startswith("internal://")
        member = "sources/" + text_path.removeprefix("internal://")
        assert sorted(names) == sorted(["project.qde", member])
        text = z.read(member).decode("utf-8")
    syncs = {s.get("guid"): (int(s.get("timeStamp")), int(s.get("position")))
             for s in tr.findall("q:SyncPoint", ns)}
    stamps = [v[0] for v in syncs.values()]
    assert stamps == sorted(stamps)
    sels = tr.findall("q:TranscriptSelection", ns)
    assert len(sels) == 6
    pieces = []
    for sel in sels:
        (t0, p0), (t1, p1) = syncs[sel.get("fromSyncPoint")], syncs[sel.get("toSyncPoint")]
        pieces.append((t0, t1, text[p0:p1]))
    assert pieces[1] == (4600, 13500, "Informant: Ja, jeg heter [PERSON-1] og jobber på "
                                      "[STED-1]. Jeg har vært sykepleier i tolv år.")
    cases = {c.get("name"): [r.get("targetGUID") for r in c.findall("q:SelectionRef", ns)]
             for c in qde.find("q:Cases", ns)}
    assert set(cases) == {"Intervjuer", "Informant", "P3"}
    by_guid = {s.get("guid"): text[syncs[s.get("fromSyncPoint")][1]:] for s in sels}
    assert all(by_guid[g].startswith("P3:") for g in cases["P3"]) and len(cases["P3"]) == 1
    assert len(cases["Intervjuer"]) == 3
    codes = {c.get("guid"): c.get("name") for c in qde.iterfind("q:CodeBook/q:Codes/q:Code", ns)}
    assert sorted(codes.values()) == ["Informant", "Intervjuer", "P3"]
    for sel in sels:
        (ref,) = sel.findall("q:Coding/q:CodeRef", ns)
        assert by_guid[sel.get("guid")].startswith(codes[ref.get("targetGUID")] + ":")
    # the same recording gives the same project
    assert exporters.export(transcript, "qdpx", tmp_path, "again", linked).read_bytes() == \
        path.read_bytes()


def _all_text(folder: Path) -> str:
    """Every file in `folder` as text, zip members and DOCX parts included."""
    import zipfile
    out = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                out += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            out.append(data.decode("utf-8", "replace"))
    return "\n".join(out)


def test_no_original_text_in_any_output(transcript, tmp_path):
    from kodeklar.exporters.report.sheets import write_review_sheet
    from kodeklar.exporters.report.writers import write_report
    for fmt in exporters.FORMATS:
        exporters.export(transcript, fmt, tmp_path, "intervju-01")
    write_report(transcript, tmp_path, "intervju-01", key_file="k", settings={})
    write_review_sheet(transcript, tmp_path / "intervju-01.review.csv", "intervju-01")
    assert len(list(tmp_path.iterdir())) == len(exporters.FORMATS) + 4
    everything = _all_text(tmp_path)
    assert "[PERSON-1]" in everything  # the search does see inside the files
    for original in ORIGINALS:
        assert original not in everything


def test_importing_the_export_modules_loads_no_heavy_library():
    import subprocess
    import sys
    code = ("import sys, kodeklar.exporters, kodeklar.exporters.report.writers, "
            "kodeklar.app.redact_audio, kodeklar.commands.export;"
            "print(sorted({'lxml', 'docx', 'av', 'numpy'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parents[1], check=True).stdout
    assert out.strip() == "[]"
