"""Coverage check: speech without words is decoded again, and what stays wordless is
flagged in the Transcript, the console, the report and the txt/docx exports."""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import SAMPLES
from kodeklar import exporters
from kodeklar.exporters.report.data import build_report
from kodeklar.exporters.report.writers import write_report
from kodeklar.app.batch import untranscribed_warning
from kodeklar.app.pipeline import Result
from kodeklar.core.transcript import Segment, Source, Span, Transcript, Word, load, validate
from media import speech
from transcribe import asr, coverage, models
from transcribe.options import TranscribeOptions

FIXTURE = Path(__file__).parent / "fixtures" / "transcripts" / "intervju-01.json"
RATE = 16000


@pytest.fixture(scope="module")
def dialogue():
    return speech(SAMPLES / "dialogue.flac")


def _segment(start, end, text="ord"):
    return Segment(id=1, start=start, end=end, text=text,
                   words=[Word(start=start, end=end, text=f" {text}")])


def test_silence_and_quiet_noise_are_not_speech():
    rng = np.random.default_rng(0)
    quiet = (rng.standard_normal(RATE * 10) * 0.003).astype(np.float32)
    assert not coverage.speech_frames(np.zeros(RATE * 10, np.float32)).any()
    assert coverage.speech_frames(quiet).sum() * coverage.FRAME < 1.0


def test_speech_without_words_is_a_gap(dialogue):
    speech_mask = coverage.speech_frames(dialogue)
    assert speech_mask.sum() * coverage.FRAME > 25  # the dialogue is mostly speech
    # words only in the first 10 s: the rest of the speech is uncovered
    gaps = coverage.gaps(speech_mask, [_segment(0.4, 10.0)], min_gap=3.0)
    assert gaps and gaps[0].start > 10.0 and gaps[-1].end > 40.0
    # words everywhere: nothing uncovered
    everywhere = [_segment(t, t + 1.0) for t in np.arange(0, 42, 1.5)]
    assert coverage.gaps(speech_mask, everywhere, min_gap=3.0) == []


def test_a_stretch_the_decoder_skips_is_decoded_again(dialogue):
    asked = []

    def redecode(start, end):
        asked.append((start, end))
        return [_segment(t, t + 1.0, "igjen") for t in np.arange(start, end - 1, 1.5)]

    first_pass = [_segment(0.4, 10.0)]
    checked = coverage.check(dialogue, first_pass, 3.0, redecode)
    assert asked and all(end - start <= coverage.RETRY_WINDOW + 1 for start, end in asked)
    assert asked[0][0] > 9.0                                    # the gap, not the whole recording
    recovered = [s for s in checked.segments if "recovered" in s.flags]
    assert recovered and checked.untranscribed == []
    assert [s.id for s in checked.segments] == list(range(1, len(checked.segments) + 1))
    assert [s.start for s in checked.segments] == sorted(s.start for s in checked.segments)


def test_a_retry_decodes_a_bounded_number_of_tokens():
    # what a short stretch may decode grows with its length and stays within the window
    # Whisper has left after carrying over its longest prompt
    budgets = [coverage.token_budget(s) for s in (1, 5, 10, 25, 30)]
    assert budgets == sorted(budgets) and budgets[0] >= 15 and budgets[-1] == coverage.MAX_TOKENS
    assert coverage.MAX_TOKENS + 224 + 4 <= 448
    retry = asr.retry_options(TranscribeOptions())
    assert retry.log_prob_threshold is None and retry.compression_ratio_threshold is not None


def test_what_stays_wordless_is_untranscribed(dialogue):
    checked = coverage.check(dialogue, [], 3.0, lambda start, end: [])
    assert checked.segments == []
    covered = sum(u.end - u.start for u in checked.untranscribed)
    assert covered > 25 and checked.stats["untranscribed_seconds"] == pytest.approx(covered, abs=0.5)


def test_untranscribed_spans_travel_through_schema_exports_and_report(tmp_path):
    t = load(FIXTURE)
    t.untranscribed = [Span(1504.0, 1528.5)]
    validate(t.to_dict())
    again = Transcript.from_dict(t.to_dict())
    assert again.untranscribed == t.untranscribed
    marker = "[uhørbart 00:25:04–00:25:28]"
    assert marker in exporters.module("txt").render(t)
    import docx

    doc = docx.Document(io.BytesIO(exporters.module("docx").render(t)))
    assert marker in [p.text for p in doc.paragraphs]
    data = build_report(t, key_file=None, settings={})
    assert data["summary"]["untranscribed"] == 1
    assert data["untranscribed"][0]["time"].startswith("00:25:04")
    html = write_report(t, tmp_path, "i", key_file=None, settings={})[0].read_text()
    assert marker in html


def test_the_warning_names_the_pseudonym_and_times_only():
    r = Result(name="intervju-03", status="done", segments=0, untranscribed=[[12.0, 40.5]])
    line = untranscribed_warning("intervju-03", r)
    assert line.startswith("intervju-03: has speech but the transcript has no words at all")
    assert "00:00:12–00:00:40" in line
    r = Result(name="intervju-03", status="done", segments=9, untranscribed=[[1.0, 5.0], [9.0, 13.0]])
    assert "2 stretch(es) of speech" in untranscribed_warning("intervju-03", r)


def telephone_band(samples):
    """What a phone line leaves of a voice: 300–3400 Hz, sampled at 8 kHz (as ffmpeg's
    highpass=f=300,lowpass=f=3400 -ar 8000 does), back at 16 kHz."""
    import scipy.signal as ss

    for kind, hz in (("high", 300), ("low", 3400)):
        samples = ss.sosfilt(ss.butter(2, hz, btype=kind, fs=RATE, output="sos"), samples)
    narrow = ss.resample_poly(samples, 1, 2)
    return ss.resample_poly(narrow, 2, 1).astype(np.float32)


@pytest.mark.slow
def test_a_telephone_copy_gets_text(dialogue):
    """Whisper base judged the whole telephone copy to be silence (0 segments, no warning)."""
    tel = telephone_band(dialogue)
    source = Source(name="tel", sha256="0" * 64, duration=len(tel) / RATE)
    t = asr.transcribe(tel, source, TranscribeOptions(), models.resolve("base"), "test")
    words = [w for s in t.segments for w in s.words]
    assert len(words) >= 40 and t.untranscribed == []
    assert max(w.end for w in words) > 38  # to the end of the dialogue
    said = set(re.findall(r"\w+", (SAMPLES / "dialogue.ref.txt").read_text(encoding="utf-8").lower()))
    heard = set(re.findall(r"\w+", " ".join(w.text.lower() for w in words)))
    assert len(said & heard) >= 8


def test_words_stay_on_the_speech_after_a_minute_of_noise(dialogue):
    """A word at the join of two VAD chunks was put where the noise began, a minute early."""
    noise = (np.random.default_rng(2).standard_normal(60 * RATE) * 0.003).astype(np.float32)
    samples = np.concatenate([dialogue[:int(7.2 * RATE)], noise, dialogue[int(7.4 * RATE):int(12.4 * RATE)]])
    speech_mask = coverage.speech_frames(samples)
    resumes = 60 + 7.2 + (7.69 - 7.4)       # "Ja, jeg heter …" after the noise

    def later_words(first):
        return Segment(id=1, start=first.start, end=68.5, text="x", words=[
            first, Word(start=resumes + 0.4, end=resumes + 0.7, text=" jeg"),
            Word(start=resumes + 0.7, end=resumes + 1.0, text=" heter")])

    early = later_words(Word(start=7.3, end=7.6, text=" Ja,"))       # on the noise
    long = later_words(Word(start=7.3, end=resumes + 0.3, text=" Ja,"))  # spanning it
    right = later_words(Word(start=resumes, end=resumes + 0.3, text=" Ja,"))
    assert coverage.place_on_speech([early, long, right], speech_mask) == 2
    for seg in (early, long):
        assert resumes - 0.5 <= seg.start <= resumes + 0.4 and seg.words[0].end <= seg.words[1].start
    assert right.start == resumes  # a word on speech is left where it is


@pytest.mark.slow
def test_a_glossary_run_keeps_every_stretch_of_speech(dialogue):
    """With the example project's glossary as Whisper's prompt, 13-30 s went missing on a
    long recording. The coverage check decodes such stretches again without the prompt:
    here every stretch of speech ends up with words or flagged, none lost silently."""
    glossary = ["NAV Halden", "DPS Fredrikstad", "Sykehuset Østfold", "Kalnes"]
    quiet = np.zeros(20 * RATE, np.float32)
    samples = np.concatenate([dialogue, quiet, dialogue])
    source = Source(name="g", sha256="0" * 64, duration=len(samples) / RATE)
    t = asr.transcribe(samples, source, TranscribeOptions(glossary=glossary), models.resolve("base"), "test")
    speech_mask = coverage.speech_frames(samples)
    lost = coverage.gaps(speech_mask, t.segments, min_gap=3.0)
    flagged = [(u.start, u.end) for u in t.untranscribed]
    assert all(any(a <= g.start + 1 and g.end - 1 <= b for a, b in flagged) for g in lost)
    second = [w for s in t.segments for w in s.words if w.start > 62]
    assert second and second[0].start < 62 + 5  # the second copy's opening is there


def test_a_segment_is_split_where_its_words_lie_far_apart():
    """On a 28-minute recording one segment began with a word 22 s before the rest of it."""
    words = [Word(start=406.48, end=407.14, text=" Ja,"), Word(start=429.46, end=429.84, text=" jeg"),
             Word(start=429.84, end=430.42, text=" heter")]
    seg = Segment(id=20, start=406.48, end=430.42, text="Ja, jeg heter", words=words, flags=["low_confidence"])
    whole = _segment(1.0, 2.0)
    out = coverage.split_at_jumps([whole, seg])
    assert out[0] is whole
    assert [(s.start, s.end, s.text) for s in out[1:]] == [(406.48, 407.14, "Ja,"), (429.46, 430.42, "jeg heter")]
    assert all(s.flags == ["low_confidence"] for s in out[1:])


def test_the_transcript_names_the_thread_counts_and_the_processor(dialogue, monkeypatch):
    # the words can depend on them (CTranslate2 sums in another order, and picks its int8
    # kernels by processor), so provenance says
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    clip = dialogue[:5 * RATE]
    source = Source(name="clip", sha256="0" * 64, duration=5.0)
    t = asr.transcribe(clip, source, TranscribeOptions(cpu_threads=1), models.resolve("base"), "test")
    assert (t.provenance.params["threads"], t.provenance.params["omp_num_threads"]) == (1, "2")
    assert t.provenance.params["cpu"] == asr.processor() != ""
