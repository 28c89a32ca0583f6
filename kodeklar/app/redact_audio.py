"""The shareable audio the QDA exports link: a copy of the recording under its pseudonym,
or one in which every redacted span is a tone or silence.

Either copy lies in `media/` beside `anonymised/`, never in it, and only the owner can
read it: the voice that remains is personal data; redaction only removes what was said in
the redacted spans (names, places, numbers), not who said the rest."""
from __future__ import annotations

import math
import shutil
import wave
from pathlib import Path

from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic
from kodeklar.core.transcript import Transcript

MEDIA_DIR = "media"
MEDIA_FILE_MODE = 0o600

MODES = ("beep", "silence")
TONE_HZ = 1000.0
# about -12 dBFS: clearly audible, not painful on headphones
TONE_LEVEL = 0.25


def spans(transcript: Transcript, pad: float = 0.15) -> list[tuple[float, float]]:
    """The redactions' times, padded on both sides (word timestamps from Whisper are
    often a little late or early) and merged where they touch or overlap."""
    merged: list[list[float]] = []
    for start, end in sorted((r.start, r.end) for r in transcript.redactions):
        start, end = max(0.0, start - pad), end + pad
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(round(s, 3), round(e, 3)) for s, e in merged]


def media_dir(out: Path) -> Path:
    from kodeklar.app import manifest

    return manifest.make_private(Path(out) / MEDIA_DIR)


def shareable_copy(media_path: Path, out: Path, name: str) -> Path:
    """`OUT/media/NAME.ext`: the recording under its pseudonym, so that no export links or
    names the input, whose file name may identify the informant. The copy is byte for
    byte: tags inside the file stay (a redacted copy, a new WAV, has none)."""
    media_path = Path(media_path)
    if not media_path.is_file():
        raise UserError(f"{media_path}: no such file")
    target = media_dir(out) / f"{name}{media_path.suffix.lower()}"
    if target.exists() and target.samefile(media_path):
        return target

    def copy(f):
        with open(media_path, "rb") as src:
            shutil.copyfileobj(src, f, 1 << 20)
    return write_atomic(target, copy, mode=MEDIA_FILE_MODE)


def redact_audio(media_path: Path, transcript: Transcript, out_path: Path, mode: str = "beep",
                 pad: float = 0.15) -> list[tuple[float, float]]:
    """Write `out_path` as a 16-bit PCM WAV with the sample rate and channels of
    `media_path`, every redaction span replaced by a 1 kHz tone (`beep`) or silence.
    Returns the spans (seconds) that were replaced."""
    import av

    if mode not in MODES:
        raise UserError(f"unknown audio redaction mode '{mode}'; choose from: {', '.join(MODES)}")
    media_path, out_path = Path(media_path), Path(out_path)
    todo = spans(transcript, pad)
    try:
        container = av.open(str(media_path))
    except FileNotFoundError:
        raise UserError(f"{media_path}: no such file") from None
    except (av.FFmpegError, OSError) as e:
        raise UserError(f"{media_path}: cannot open as audio ({type(e).__name__})") from None
    try:
        with container:
            # streamed: a two-hour stereo recording is over a gigabyte of PCM; the voice is
            # still personal data, so the file is the owner's only
            write_atomic(out_path, lambda f: _copy(container, f, todo, mode), mode=MEDIA_FILE_MODE)
    except av.FFmpegError as e:
        raise UserError(f"{media_path}: cannot decode audio ({type(e).__name__})") from None
    return todo


def _copy(container, f, todo: list[tuple[float, float]], mode: str) -> None:
    import av
    import numpy as np

    from transcribe import audio

    if not container.streams.audio:
        raise UserError("the media file has no audio stream")
    stream = container.streams.audio[0]
    ctx = stream.codec_context
    rate, channels = ctx.sample_rate, ctx.layout.nb_channels
    resampler = av.AudioResampler(format="s16", layout=ctx.layout, rate=rate)
    bounds = [(round(s * rate), round(e * rate)) for s, e in todo]
    amplitude = TONE_LEVEL * 32767
    offset = 0
    first = 0  # spans before this one end before the current frame: frames come in order

    with wave.open(f, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)

        def write(frames):
            nonlocal offset, first
            for frame in frames:
                pcm = frame.to_ndarray().reshape(-1, channels).copy()
                n = len(pcm)
                while first < len(bounds) and bounds[first][1] <= offset:
                    first += 1
                for a, b in bounds[first:]:
                    if a >= offset + n:
                        break
                    lo, hi = max(a, offset), min(b, offset + n)
                    if mode == "beep":
                        # phase from the absolute sample index: no click at frame edges
                        t = np.arange(lo, hi) / rate
                        tone = (amplitude * np.sin(2 * math.pi * TONE_HZ * t)).astype(np.int16)
                        pcm[lo - offset:hi - offset] = tone[:, None]
                    else:
                        pcm[lo - offset:hi - offset] = 0
                out.writeframes(pcm.tobytes())
                offset += n

        for frame in audio.frames(container, stream):
            if frame is not None:  # as the transcript skipped it (audio.decode)
                write(resampler.resample(frame))
        write(resampler.resample(None))
