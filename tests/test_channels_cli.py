"""`--channels-as-speakers`: a stereo recording with one microphone per person."""
import numpy as np
import pytest

import media
from conftest import SAMPLES, run_cli
from kodeklar.core import transcript as tr

# kodeklar in subprocesses on real audio: the full suite's, not the quick lane's
pytestmark = pytest.mark.slow


def test_each_channel_is_a_speaker(tmp_path):
    first = media.speech(SAMPLES / "norwegian-short-3s.mp3")
    second = media.speech(SAMPLES / "norwegian-medium-8s.mp3")
    gap = np.zeros(16000, np.float32)
    n = len(first) + len(gap) + len(second)
    left = np.zeros(n, np.float32)
    right = np.zeros(n, np.float32)
    left[:len(first)] = first
    right[len(first) + len(gap):] = second
    # a little crosstalk, as two table microphones pick up both voices
    stereo = np.stack([left + 0.05 * right, right + 0.05 * left])
    path = media.write_wav(tmp_path / "to-mikrofoner.wav", stereo, 16000)
    result = run_cli("transcribe", path, "-o", tmp_path / "ut", "--diarise", "--channels-as-speakers",
                     "--roles", "S1=Intervjuer,S2=Informant", "--format", "json")
    assert result.returncode == 0, result.stderr
    t = tr.load(tmp_path / "ut" / "transcripts" / "intervju-01.json")
    assert [s.label for s in t.speakers] == ["Intervjuer", "Informant"]
    boundary = (len(first) + len(gap) / 2) / 16000
    for w in t.words():
        assert w.speaker == ("S1" if w.end <= boundary else "S2"), (w.start, w.speaker)
    assert t.provenance.stages["diarise"]["backend"] == "channels"


def test_a_mono_recording_is_refused_in_channels_mode(tmp_path):
    result = run_cli("transcribe", SAMPLES / "norwegian-short-3s.mp3", "-o", tmp_path, "--diarise",
                     "--channels-as-speakers", "--format", "json")
    assert result.returncode == 1
    assert "needs a recording with one channel per speaker" in result.stderr
