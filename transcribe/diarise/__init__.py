"""Speaker diarisation: who speaks when, as a list of `SpeakerTurn`s.

Backends are registered by name; each is one module with `diarise(audio, options)` taking
16 kHz mono float32. `embedded` (default) needs nothing beyond the installed packages;
`pyannote` runs a pyannote.audio pipeline the user has on disk."""
from __future__ import annotations

import importlib
from typing import Callable

from kodeklar.core.errors import UserError
from transcribe.options import VAD_FILL_MODES, DiariseOptions

from kodeklar.core.transcript import SpeakerTurn

__all__ = ["BACKENDS", "DiariseOptions", "diarise", "diarise_channels"]

BACKENDS = {
    "embedded": "transcribe.diarise.embedded",
    "pyannote": "transcribe.diarise.pyannote_backend",
}
SAMPLE_RATE = 16000


def _check(options: DiariseOptions) -> None:
    if options.backend not in BACKENDS:
        raise UserError(f"unknown diariser '{options.backend}' "
                        f"(choose from: {', '.join(BACKENDS)})")
    if options.vad_fill not in VAD_FILL_MODES:
        raise UserError(f"unknown vad_fill '{options.vad_fill}' (choose from: {', '.join(VAD_FILL_MODES)})")
    if options.speakers is not None and options.speakers < 1:
        raise UserError("the number of speakers must be at least 1")
    if not 1 <= options.min_speakers <= options.max_speakers:
        raise UserError("speaker limits must satisfy 1 <= min_speakers <= max_speakers")
    if min(options.step, options.window, options.seg_step, options.embed_step) <= 0:
        raise UserError("the diariser's window and step must be positive (seconds)")


def _mono16k(audio, sample_rate: int):
    import numpy as np

    from transcribe.audio import Recording

    if isinstance(audio, Recording):
        return audio  # read a window at a time; already 16 kHz mono
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 1:
        raise ValueError(f"expected mono audio, got shape {audio.shape}")
    if sample_rate != SAMPLE_RATE:
        from scipy.signal import resample_poly

        g = np.gcd(sample_rate, SAMPLE_RATE)
        audio = resample_poly(audio, SAMPLE_RATE // g, sample_rate // g).astype(np.float32)
    return audio


def diarise(audio, options: DiariseOptions | None = None, sample_rate: int = SAMPLE_RATE,
            on_progress: Callable[[float], None] | None = None) -> list[SpeakerTurn]:
    """Speaker turns of a mono recording, in time order; turns may overlap. `on_progress`
    gets the share of the work done, from 0 to 1, as it goes (the embedded backend only)."""
    options = options or DiariseOptions()
    _check(options)
    backend = importlib.import_module(BACKENDS[options.backend])
    return backend.diarise(_mono16k(audio, sample_rate), options, on_progress or (lambda share: None))


def diarise_channels(channels, sample_rate: int = SAMPLE_RATE) -> list[SpeakerTurn]:
    """Turns of a recording with one microphone per person: see `channels.py`."""
    from .channels import diarise_channels as by_channel

    return by_channel(channels, sample_rate)
