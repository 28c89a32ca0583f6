"""The pyannote backend's side of its contract with pyannote.audio, for the quick lane:
pyannote.audio (`kodeklar[pyannote]`) is not a test dependency, so a stand-in `Pipeline` with
its interface returns a real `pyannote.core.Annotation`. The error paths without a pipeline
or without the library are in test_diarise.py."""
import sys
import types

import numpy as np
import pytest

from kodeklar.core.errors import UserError
from kodeklar.core.transcript import SpeakerTurn
from transcribe.diarise import DiariseOptions, diarise

pytest.importorskip("torch")
core = pytest.importorskip("pyannote.core")


def annotation():
    a = core.Annotation()
    a[core.Segment(0.5, 2.25)] = "SPEAKER_00"
    a[core.Segment(2.0, 4.1234)] = "SPEAKER_01"  # overlaps the first
    return a


class Output:
    """pyannote.audio 4 returns the annotation inside an output object."""

    def __init__(self, annotation):
        self.speaker_diarization = annotation


@pytest.fixture
def pipeline(monkeypatch, tmp_path):
    """A pipeline folder with a config.yaml, and a stand-in pyannote.audio that loads it."""
    (tmp_path / "config.yaml").write_text("pipeline: {}\n")
    calls = []

    class Pipeline:
        wrap = False

        @classmethod
        def from_pretrained(cls, path):
            calls.append(("load", path))
            return cls()

        def __call__(self, file, **hints):
            calls.append(("run", file["waveform"].shape, file["sample_rate"], hints))
            return Output(annotation()) if self.wrap else annotation()

    monkeypatch.setitem(sys.modules, "pyannote.audio",
                        types.SimpleNamespace(Pipeline=Pipeline))
    return tmp_path, Pipeline, calls


@pytest.mark.parametrize("wrapped", [False, True], ids=["pyannote-3", "pyannote-4"])
def test_turns_from_either_pyannote_version(pipeline, wrapped):
    folder, Pipeline, calls = pipeline
    Pipeline.wrap = wrapped
    audio = np.zeros(16000 * 5, np.float32)
    turns = diarise(audio, DiariseOptions(backend="pyannote", pipeline=str(folder)))
    assert turns == [SpeakerTurn(0.5, 2.25, "SPEAKER_00"), SpeakerTurn(2.0, 4.123, "SPEAKER_01")]
    # the folder's config.yaml is loaded; the audio goes in as one channel at 16 kHz
    assert calls[0] == ("load", str(folder / "config.yaml"))
    assert calls[1][:3] == ("run", (1, len(audio)), 16000)


def test_speaker_count_or_limits_are_passed_on(pipeline):
    folder, _, calls = pipeline
    audio = np.zeros(16000, np.float32)
    diarise(audio, DiariseOptions(backend="pyannote", pipeline=str(folder / "config.yaml"),
                                  speakers=2))
    diarise(audio, DiariseOptions(backend="pyannote", pipeline=str(folder), min_speakers=2,
                                  max_speakers=3))
    hints = [c[3] for c in calls if c[0] == "run"]
    assert hints == [{"num_speakers": 2}, {"min_speakers": 2, "max_speakers": 3}]


def test_a_broken_pipeline_names_the_error_kind_only(pipeline):
    folder, Pipeline, _ = pipeline

    def broken(path):
        raise ValueError("secret detail from the pipeline's files")

    Pipeline.from_pretrained = staticmethod(broken)
    with pytest.raises(UserError) as e:
        diarise(np.zeros(16000, np.float32),
                DiariseOptions(backend="pyannote", pipeline=str(folder)))
    assert str(e.value) == f"cannot load pyannote pipeline {folder / 'config.yaml'} (ValueError)"
