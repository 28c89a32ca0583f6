"""The embedded (segmentation + voice clustering) diariser, channels mode and the pyannote backend's error paths.

Real-speech tests use the AMI clips in the shared data folder (CC BY 4.0, see its README):
set KODEKLAR_DIARIZATION_DATA to their folder; they are skipped where it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from kodeklar.core.errors import UserError
from kodeklar.core.transcript import SpeakerTurn
from transcribe.diarise import DiariseOptions, diarise, diarise_channels
from transcribe.diarise import embedded, features, vad_fill

DATA = Path(os.environ.get("KODEKLAR_DIARIZATION_DATA",
                           Path(__file__).resolve().parents[2] / "shared" / "data" / "diarization"))
needs_data = pytest.mark.skipif(not (DATA / "sample.wav").exists(),
                                reason="AMI diarisation clips not available")
RATE = 16000


def load(name: str) -> np.ndarray:
    from transcribe.audio import decode

    path = DATA / "sample.wav" if name == "sample" else DATA / "ami_debug" / f"{name}.wav"
    return decode(path)[0]


def cut(name: str, start: float, end: float) -> np.ndarray:
    return load(name)[int(start * RATE):int(end * RATE)]


def phone_line(audio: np.ndarray) -> np.ndarray:
    """16 kHz audio as a phone line carries it: 300-3400 Hz, sent at 8 kHz."""
    from scipy.signal import butter, resample_poly, sosfiltfilt

    narrow = sosfiltfilt(butter(8, [300, 3400], btype="band", fs=RATE, output="sos"), audio)
    return resample_poly(narrow, 1, 2).astype(np.float32)


def speakers(turns: list[SpeakerTurn]) -> int:
    return len({t.speaker for t in turns})


def test_mel_matches_resemblyzer():
    librosa = pytest.importorskip("librosa")
    audio = np.random.default_rng(0).standard_normal(12345).astype(np.float32) * 0.1
    theirs = librosa.feature.melspectrogram(y=audio, sr=RATE, n_fft=400, hop_length=160,
                                            n_mels=40).T
    np.testing.assert_allclose(features.mel_spectrogram(audio), theirs, rtol=1e-4, atol=1e-6)


def test_mel_is_the_same_read_in_chunks_and_from_a_file(tmp_path, monkeypatch):
    audio = np.random.default_rng(1).standard_normal(RATE * 3 + 77).astype(np.float32) * 0.05
    whole = features.mel_spectrogram(audio, gain=2.0)
    path = tmp_path / "a.f32"
    audio.tofile(path)
    monkeypatch.setattr(features, "CHUNK", 7)
    # equal up to the summing order of FFTs and products of other lengths
    np.testing.assert_allclose(features.mel_spectrogram(audio, gain=2.0), whole, rtol=1e-5, atol=1e-9)
    from transcribe.audio import Recording
    np.testing.assert_allclose(features.mel_spectrogram(Recording(path, len(audio)), gain=2.0), whole,
                               rtol=1e-5, atol=1e-9)
    assert features.volume_gain(Recording(path, len(audio))) == pytest.approx(features.volume_gain(audio))
    assert features.volume_gain(audio * 100) == 1.0      # loud audio is never lowered


def der(name: str, turns: list[SpeakerTurn], collar: float = 0.25) -> float:
    os.environ["PYANNOTE_METRICS_ENABLED"] = "0"
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    rttm = DATA / "sample.rttm" if name == "sample" else DATA / "ami_debug" / "debug.development.rttm"
    reference = load_rttm(rttm)[name]
    hypothesis = Annotation()
    for t in turns:
        hypothesis[Segment(t.start, t.end)] = t.speaker
    return DiarizationErrorRate(collar=collar)(reference, hypothesis, uem=Timeline([Segment(0, 30)]))


@needs_data
@pytest.mark.parametrize("name", ["sample", "dev00", "dev01"])
def test_der_on_held_out_clips_without_a_count(name):
    """Held-out clips (never tuned on), no count given. At the default window grid these
    two-person clips score 0.43, 0.47 and 0.38 (0.15-0.39 at other offsets, bench/RESULTS.md):
    the count is often one. The bound guards against worse, not for good."""
    turns = diarise(load(name), DiariseOptions())
    assert der(name, turns) < 0.5
    assert all(t.end > t.start for t in turns)


@needs_data
def test_der_on_sample_wav_with_the_count():
    """Measured 0.016-0.024 over window offsets."""
    assert der("sample", diarise(load("sample"), DiariseOptions(speakers=2))) < 0.05


@needs_data
@pytest.mark.xfail(strict=True, reason="open (issue #10 item 4): on sample.wav's 8 kHz copy the two "
                   "voices merge in GE2E: DER 0.37 against 0.04 on the file itself (bench/RESULTS.md)")
def test_telephone_copy_scores_within_a_tenth_of_wideband():
    """sample.wav band-limited to 300-3400 Hz and sent through 8 kHz, as a phone line does."""
    wide = load("sample")
    phone = phone_line(wide)
    options = DiariseOptions(speakers=2)
    wideband = der("sample", diarise(wide, options))
    telephone = der("sample", diarise(phone, options, sample_rate=8000))
    assert telephone <= wideband + 0.10


@needs_data
def test_overlapping_voices_give_overlapping_turns():
    """Two people from different clips mixed so they talk at once for 4 s: both are heard
    there, as two speakers with turns that overlap."""
    a, b = cut("sample", 21.8, 27.9), cut("trn03", 2.0, 10.0)
    mix = np.zeros(14 * RATE, dtype=np.float32)
    mix[:len(a)] += a                       # a: 0-6.1 s
    mix[2 * RATE:2 * RATE + len(b)] += b    # b: 2-10 s, over a for 2-6.1 s
    turns = diarise(mix, DiariseOptions(speakers=2))
    both = [t for t in turns if t.start < 5.5 and t.end > 2.5]
    assert len({t.speaker for t in both}) == 2
    by = {k: [(t.start, t.end) for t in turns if t.speaker == k] for k in {t.speaker for t in turns}}
    spans = [sum(min(e, 5.5) - max(s, 2.5) for s, e in v if e > 2.5 and s < 5.5) for v in by.values()]
    assert min(spans) > 1.5  # each speaker active for most of the 3 s checked


def test_least_count_is_what_enough_windows_hear_at_once():
    """k people talking for min_voice each in one window, in at least together_share of the
    windows, make k the least count; hints stay in charge."""
    frames = int(round(1.0 / embedded.SEG))          # a second of talk
    active = np.zeros((20, 300, 3), dtype=bool)
    active[:, :frames, 0] = True                       # one voice in every window
    active[:3, -frames:, 1] = True                     # a second in 3 of 20 windows
    options = DiariseOptions(together_share=0.1)
    assert embedded._least_count(active, options) == 2
    assert embedded._least_count(active[2:], options) == 1        # 1 of 18: a stray split
    assert embedded._least_count(active, DiariseOptions(together_share=0)) == 1
    assert embedded._least_count(active, DiariseOptions(together_share=0.1, max_speakers=1)) == 1
    assert embedded._least_count(active[2:], DiariseOptions(min_speakers=3)) == 3


def rotation(voices: list[np.ndarray], seconds: int) -> np.ndarray:
    """The voices taking turns of `seconds` each, while each has audio left."""
    n = seconds * RATE
    return np.concatenate([v[i * n:(i + 1) * n] for i in range(max(map(len, voices)) // n)
                           for v in voices if len(v) >= (i + 1) * n])


@needs_data
def test_speaker_count_one_and_four():
    """Automatic count, on people's solo stretches (by the RTTMs): the natural AMI clips
    are no fair test of it, as in their 30 s most people say under 2 s."""
    person91 = cut("sample", 21.8, 27.9)
    meo069 = cut("trn03", 1.18, 30.0)  # 29 s of one man
    fee083, mee075 = cut("trn09", 6.0, 12.9), cut("trn04", 16.8, 21.2)
    assert speakers(diarise(person91, DiariseOptions())) == 1
    assert speakers(diarise(meo069, DiariseOptions())) == 1
    four = rotation([person91, meo069[:8 * RATE], fee083, mee075], 4)
    assert speakers(diarise(four, DiariseOptions())) == 4


@needs_data
def test_speaker_count_two():
    """Two voices the encoder places closer than the tree's cut: the segmentation model
    hears both in one window often enough to make two the least count."""
    person91, fee083 = cut("sample", 21.8, 27.9), cut("trn09", 6.0, 12.9)
    assert speakers(diarise(rotation([person91, fee083], 3), DiariseOptions())) == 2


@needs_data
def test_count_hints_are_obeyed():
    audio = load("sample")
    assert speakers(diarise(audio, DiariseOptions(speakers=3))) == 3
    assert speakers(diarise(audio, DiariseOptions(max_speakers=1))) == 1


@needs_data
def test_other_sample_rates_are_resampled():
    from scipy.signal import resample_poly

    audio = resample_poly(cut("sample", 21.8, 27.9), 3, 1).astype(np.float32)
    turns = diarise(audio, DiariseOptions(), sample_rate=48000)
    assert speakers(turns) == 1 and 5.8 < turns[-1].end <= 6.1


def test_silence_and_empty_audio_give_no_turns():
    assert diarise(np.zeros(5 * RATE, dtype=np.float32), DiariseOptions()) == []
    assert diarise(np.zeros(0, dtype=np.float32), DiariseOptions()) == []


def test_bad_options_are_user_errors():
    audio = np.zeros(RATE, dtype=np.float32)
    for options in (DiariseOptions(backend="nope"), DiariseOptions(speakers=0),
                    DiariseOptions(min_speakers=3, max_speakers=2), DiariseOptions(step=0),
                    DiariseOptions(embed_step=0), DiariseOptions(vad_fill="sometimes")):
        with pytest.raises(UserError):
            diarise(audio, options)


def test_narrowband_is_told_from_wideband(tmp_path):
    from scipy.signal import resample_poly

    from transcribe.audio import Recording

    noise = np.random.default_rng(2).standard_normal(3 * RATE).astype(np.float32) * 0.1
    assert not vad_fill.is_narrowband(noise)
    phone = resample_poly(phone_line(noise), 2, 1).astype(np.float32)
    assert vad_fill.is_narrowband(phone)
    path = tmp_path / "phone.f32"
    phone.tofile(path)
    assert vad_fill.is_narrowband(Recording(path, len(phone)))
    assert not vad_fill.is_narrowband(np.zeros(RATE, dtype=np.float32))  # nothing to tell


def test_fill_gives_unheard_speech_to_the_nearest_speaker():
    turns = [SpeakerTurn(0.0, 1.0, "spk0"), SpeakerTurn(3.0, 4.0, "spk1")]
    heard = np.zeros(700, dtype=bool)
    for a, b in ((0.5, 1.4), (2.7, 3.5), (5.0, 6.0), (1.9, 2.1)):
        heard[int(a / vad_fill.FRAME):int(b / vad_fill.FRAME)] = True
    assert vad_fill.fill(turns, heard) == [
        SpeakerTurn(0.0, 1.4, "spk0"),   # stretches touching a turn extend it
        SpeakerTurn(1.9, 2.1, "spk0"),   # as near to both: the earlier speaker
        SpeakerTurn(2.7, 4.0, "spk1"),
        SpeakerTurn(5.0, 6.0, "spk1")]
    assert vad_fill.fill([], heard) == []   # no speaker to give it to


@needs_data
def test_telephone_copy_misses_less_speech_with_the_vad_fill():
    """On a phone line the segmentation model misses much of the speech; the VAD fill,
    on by default for narrowband audio, gives it back to the speakers."""
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    reference = load_rttm(DATA / "ami_debug" / "debug.development.rttm")["dev00"]
    phone = phone_line(load("dev00"))
    missed = {}
    for mode in ("narrowband", "never"):
        hypothesis = Annotation()
        for t in diarise(phone, DiariseOptions(vad_fill=mode), sample_rate=8000):
            hypothesis[Segment(t.start, t.end)] = t.speaker
        d = DiarizationErrorRate(collar=0.25)(reference, hypothesis, uem=Timeline([Segment(0, 30)]),
                                              detailed=True)
        missed[mode] = d["missed detection"] / d["total"]
    assert missed["narrowband"] < missed["never"] - 0.1


def test_pyannote_backend_without_pipeline_or_library(tmp_path):
    audio = np.zeros(RATE, dtype=np.float32)
    with pytest.raises(UserError, match="needs a local pipeline"):
        diarise(audio, DiariseOptions(backend="pyannote"))
    with pytest.raises(UserError, match="not found"):
        diarise(audio, DiariseOptions(backend="pyannote", pipeline=str(tmp_path / "missing")))
    (tmp_path / "config.yaml").write_text("pipeline: {}\n")
    try:
        import pyannote.audio  # noqa: F401
    except ImportError:
        with pytest.raises(UserError, match=r"kodeklar\[pyannote\]"):
            diarise(audio, DiariseOptions(backend="pyannote", pipeline=str(tmp_path)))
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_channels_mode_on_generated_stereo():
    rng = np.random.default_rng(1)
    t = np.arange(8 * RATE) / RATE
    voice = lambda f: (0.3 * np.sin(2 * np.pi * f * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)))  # noqa: E731
    left_talks = (t >= 0.5) & (t < 3.0) | (t >= 6.0) & (t < 7.5)
    right_talks = (t >= 3.5) & (t < 6.3)  # overlaps the left speaker 6.0-6.3
    near, leak = voice(180) * left_talks, voice(240) * right_talks
    noise = rng.standard_normal((2, len(t))) * 0.002
    stereo = np.stack([near + 0.1 * leak, leak + 0.1 * near]) + noise  # each mic hears both
    turns = diarise_channels(stereo.astype(np.float32))
    got = [(t.speaker, t.start, t.end) for t in turns]
    expected = [("ch1", 0.5, 3.0), ("ch2", 3.5, 6.3), ("ch1", 6.0, 7.5)]
    assert len(got) == len(expected)
    for (spk, start, end), (want_spk, want_start, want_end) in zip(got, expected):
        assert spk == want_spk
        assert abs(start - want_start) <= 0.04 and abs(end - want_end) <= 0.04
    assert diarise_channels(np.zeros((2, RATE), dtype=np.float32)) == []


def test_windows_not_embedded_follow_their_neighbours_by_activity():
    """With embed_step, a window between embedded ones gives each of its local speakers the
    global speaker of the neighbour's local speaker active at the same moments over the
    frames they share, whatever local slot the model put them in; one whom the neighbours
    hear but gave no voice stays unassigned."""
    from transcribe.diarise.embedded import _follow

    fpw, shift = 293, 30
    frames = np.arange(fpw + 2 * shift)
    person = (frames // 25) % 3  # A, B and C take turns of 25 frames
    timeline = (person[:, None] == np.arange(3)).astype(np.float32)
    timeline[frames % 75 > 60, 0] = 1  # A talks over C at the end of each of C's turns
    probs = np.zeros((3, fpw, 3), dtype=np.float32)
    probs[0] = timeline[:fpw]                                # A, B, C in slots 0, 1, 2
    probs[1] = timeline[shift:shift + fpw][:, [1, 2, 0]]     # B, C, A
    probs[2] = timeline[2 * shift:][:, [2, 0, 1]]            # C, A, B
    speaker_of = np.array([[4, 2, -1], [-1, -1, -1], [-1, 4, 2]])  # C was given no voice
    _follow(speaker_of, 5, np.array([0, shift, 2 * shift]), probs, probs > 0.5, np.array([0, 2]))
    assert speaker_of[1].tolist() == [2, -1, 4]


@needs_data
def test_embed_step_embeds_fewer_windows_and_keeps_the_speakers(monkeypatch):
    """embed_step 1.5 s with 0.5 s segmentation windows embeds about a third of the local
    speakers, and sample.wav with its count still scores as with every window embedded
    (0.016-0.024 over window offsets)."""
    from transcribe.diarise import encoder

    utterances = []
    embed = encoder.embed_partials
    monkeypatch.setattr(encoder, "embed_partials",
                        lambda u, *a: (utterances.append(len(u)), embed(u, *a))[1])
    audio = load("sample")
    diarise(audio, DiariseOptions(speakers=2))
    every = sum(utterances)
    utterances.clear()
    turns = diarise(audio, DiariseOptions(speakers=2, embed_step=1.5))
    assert sum(utterances) < every / 2
    assert der("sample", turns) < 0.05


def test_clustering_samples_long_recordings_and_folds_outliers():
    from transcribe.diarise.cluster import MAX_POINTS, centroids

    rng = np.random.default_rng(0)
    voices = rng.standard_normal((3, 256))
    # two voices in long runs, as in a recording, and a few stray windows of a third sound
    who = np.repeat([0, 1, 0, 1], (MAX_POINTS + 1000) // 4)
    who[::400] = 2
    x = voices[who] + rng.standard_normal((len(who), 256)) * 0.5
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    defaults = DiariseOptions()
    tuned = {"threshold": defaults.cluster_threshold, "min_share": defaults.min_speaker_share}
    means = centroids(x, None, 1, 8, **tuned)
    assert len(means) == 2
    found = (x @ means.T).argmax(axis=1)
    a, b = (np.bincount(found[who == v], minlength=2) / np.sum(who == v) for v in (0, 1))
    assert a.max() > 0.95 and b.max() > 0.95 and a.argmax() != b.argmax()
    assert len(centroids(x, 3, 1, 8, **tuned)) == 3


def test_clustering_memory_on_three_hours_of_embeddings():
    """A 3-hour recording gives about 43,000 local-speaker embeddings (two per 0.5 s
    window): clustering them must not build their 43,000 x 43,000 distance matrix (7 GB)."""
    import tracemalloc

    from transcribe.diarise.cluster import centroids

    rng = np.random.default_rng(0)
    voices = rng.standard_normal((4, 256))
    who = rng.integers(0, 4, 3 * 3600 * 2 * 2)
    x = (voices[who] + rng.standard_normal((len(who), 256)) * 0.5).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    defaults = DiariseOptions()
    tracemalloc.start()
    means = centroids(x, None, 1, 8, defaults.cluster_threshold, defaults.min_speaker_share)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(means) == 4
    assert peak < 200e6  # measured peak in bench/RESULTS.md


@needs_data
def test_progress_is_reported_as_a_growing_share_of_the_work():
    shares = []
    diarise(cut("sample", 0.0, 40.0), DiariseOptions(), on_progress=shares.append)
    assert len(shares) > 10 and shares == sorted(shares)
    assert 0 < shares[0] < 0.6 and shares[-1] <= 1.0
    assert any(s <= embedded.SEGMENTATION_SHARE for s in shares) and any(s > embedded.SEGMENTATION_SHARE for s in shares)
