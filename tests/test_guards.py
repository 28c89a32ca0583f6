from kodeklar.core.transcript import Word
from transcribe import guards
from transcribe.engines import DecodedSegment
from transcribe.options import TranscribeOptions


def words(text, p=0.9):
    return [Word(start=i * 0.5, end=i * 0.5 + 0.4, text=" " + w, p=p) for i, w in enumerate(text.split())]


def test_loop_of_a_phrase_is_cut_to_one_copy():
    ws = words("jeg vet ikke " + "takk for nå " * 6 + "ja")
    kept, cut = guards.cut_repeats(ws, max_repeats=3)
    assert "".join(w.text for w in kept).strip() == "jeg vet ikke takk for nå ja"
    assert cut == 15


def test_repeats_up_to_the_limit_are_speech_not_a_loop():
    ws = words("nei nei nei ja")
    kept, cut = guards.cut_repeats(ws, max_repeats=3)
    assert cut == 0 and len(kept) == 4


def test_repeat_detection_ignores_case_and_punctuation():
    ws = words("Ja, ja. ja ja! JA")
    kept, cut = guards.cut_repeats(ws, max_repeats=3)
    assert [w.text for w in kept] == [" Ja,"] and cut == 4


def seg(no_speech, logprob, ws):
    return DecodedSegment(0.0, 2.0, "x", ws, avg_logprob=logprob, no_speech_prob=no_speech,
                          compression_ratio=1.2)


def test_text_decoded_in_silence_is_dropped_and_speech_kept():
    o = TranscribeOptions()
    assert guards.is_silence_text(seg(0.9, -1.5, words("Takk for at du så på")), o)
    assert not guards.is_silence_text(seg(0.9, -0.3, words("Hei der")), o)
    assert not guards.is_silence_text(seg(0.1, -1.5, words("Hei der")), o)
    assert guards.is_silence_text(seg(0.2, -0.5, words("mm hm", p=0.05)), o)


def test_low_confidence_and_loops_are_flagged():
    o = TranscribeOptions()
    ws = words("hei der")
    ws[1].p = 0.2
    s = seg(0.1, -0.2, ws)
    s.compression_ratio = 3.0
    assert guards.flags_for(s, o) == ["low_confidence", "high_compression"]


def test_text_over_audio_without_energy_is_dropped():
    import numpy as np

    rate = 16000
    audio = np.zeros(rate * 4, np.float32)
    t = np.arange(rate) / rate
    audio[rate:2 * rate] = 0.05 * np.sin(2 * np.pi * 200 * t)       # about -29 dBFS
    audio[3 * rate:] = 1e-4 * np.random.default_rng(0).standard_normal(rate)  # about -80 dBFS hiss
    assert guards.is_silent_audio(audio, 0.0, 1.0)
    assert not guards.is_silent_audio(audio, 1.0, 2.0)
    assert not guards.is_silent_audio(audio, 0.5, 1.5)   # half silence, half signal
    assert guards.is_silent_audio(audio, 3.0, 4.0)
    assert guards.is_silent_audio(audio, 5.0, 6.0)       # past the end: nothing there
