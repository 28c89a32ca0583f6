"""Every exporter on an invented three-speaker Norwegian interview with redactions."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kodeklar import exporters
from kodeklar.timefmt import clock
from kodeklar.transcript import Transcript, UserError, load

FIXTURES = Path(__file__).parent / "fixtures"
ANON = FIXTURES / "transcripts" / "intervju-01.json"
# the invented originals behind the redactions of intervju-01.json
ORIGINALS = ["Kari Nordmann", "Haukeland", "Ola Hansen", "Bergen", "912 34 567", "Solveig"]


@pytest.fixture
def transcript() -> Transcript:
    return load(ANON)


def test_clock_formats_and_cuts():
    assert clock(0) == "00:00:00"
    assert clock(3725.4567, 3) == "01:02:05.457"  # whole milliseconds, rounded
    assert clock(3725.4567, 1) == "01:02:05.4"  # then cut
    assert clock(3725.4567, 3, ",") == "01:02:05,457"
    assert clock(59.99) == "00:00:59"
    assert clock(1.9999999, 1) == "00:00:02.0"
    assert clock(4.6, 1, "-") == "00:00:04-6"


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
