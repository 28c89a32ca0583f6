"""pyannote.audio, for users who have a pyannote pipeline on disk (`kodeklar[pyannote]`).
Never downloads: the pipeline is loaded from the folder or config file given in
`options.pipeline`, with the hub forced offline."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from kodeklar.core.errors import UserError

from .turns import SpeakerTurn


def _load(pipeline: str | None):
    if not pipeline:
        raise UserError("the pyannote diariser needs a local pipeline: give its folder or "
                        "config.yaml as the diarisation pipeline path")
    path = Path(pipeline).expanduser()
    config = path / "config.yaml" if path.is_dir() else path
    if not config.is_file():
        raise UserError(f"pyannote pipeline not found: {config}")
    try:
        from pyannote.audio import Pipeline
    except ImportError:
        raise UserError("the pyannote diariser needs pyannote.audio: "
                        "pip install 'kodeklar[pyannote]'") from None
    try:
        return Pipeline.from_pretrained(str(config))
    except Exception as e:  # a broken or incomplete pipeline folder; name the kind only
        raise UserError(f"cannot load pyannote pipeline {config} ({type(e).__name__})") from None


def diarise(audio: np.ndarray, options, on_progress) -> list[SpeakerTurn]:
    """pyannote's own pipeline; it reports no progress."""
    pipeline = _load(options.pipeline)
    import torch  # present whenever pyannote.audio is
    hints = ({"num_speakers": options.speakers} if options.speakers else
             {"min_speakers": options.min_speakers, "max_speakers": options.max_speakers})
    # pyannote takes the waveform in memory: a Recording on disk is read whole
    result = pipeline({"waveform": torch.from_numpy(audio[:])[None], "sample_rate": 16000}, **hints)
    # pyannote.audio 4 wraps the annotation in an output object; 3.x returns it directly
    annotation = getattr(result, "speaker_diarization", result)
    return [SpeakerTurn(round(seg.start, 3), round(seg.end, 3), str(label))
            for seg, _, label in annotation.itertracks(yield_label=True)]
