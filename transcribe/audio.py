"""Reading recordings: whatever FFmpeg (through PyAV) decodes, to 16 kHz float32.

Phones, dictaphones and Nettskjema give m4a, mp3, wav, mp4/mov video, ogg, flac, with one
to six channels at any sample rate. Everything is decoded here, once, so the rest of the
pipeline sees plain arrays."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kodeklar.transcript import UserError

SAMPLE_RATE = 16000
MEDIA_EXTENSIONS = {".wav", ".mp3", ".m4a", ".mp4", ".mov", ".ogg", ".oga", ".opus", ".flac",
                    ".aac", ".wma", ".webm", ".mkv", ".avi", ".3gp", ".amr", ".aiff", ".aif"}


@dataclass
class Probe:
    duration: float
    channels: int
    sample_rate: int


def _open(path: Path):
    import av

    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise UserError(f"{path}: empty file (0 bytes)")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except PermissionError:
        raise UserError(f"{path}: cannot read (permission denied)") from None
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError):
        raise UserError(f"{path}: not a recording FFmpeg can decode (corrupt or not audio)") from None
    if not container.streams.audio:
        container.close()
        raise UserError(f"{path}: has no audio stream")
    return container


def decode(path: str | Path, mono: bool = True, sample_rate: int = SAMPLE_RATE):
    """Decode to float32 at `sample_rate`: shape (n,) when `mono`, else (channels, n).
    Returns (samples, Probe of the original stream)."""
    import av
    import numpy as np

    path = Path(path)
    container = _open(path)
    try:
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels or 1
        layout = "mono" if mono else stream.codec_context.layout.name
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
        chunks = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
        original_rate = stream.codec_context.sample_rate or sample_rate
    except av.error.FFmpegError:
        raise UserError(f"{path}: the audio is corrupt and cannot be decoded") from None
    finally:
        container.close()
    if not chunks:
        raise UserError(f"{path}: contains no decodable audio")
    samples = np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
    probe = Probe(duration=samples.shape[1] / sample_rate, channels=channels,
                  sample_rate=original_rate)
    return (samples[0] if mono else samples), probe


def find_media(inputs: list[str | Path]) -> list[Path]:
    """Files named on the command line as they are; folders searched recursively for media
    extensions. Hidden files and our own outputs are skipped; order is stable."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*")
                                if f.is_file() and f.suffix.lower() in MEDIA_EXTENSIONS
                                and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            found.append(p)
    return list(dict.fromkeys(found))


def probe_duration(path: Path) -> float:
    """The container's stated duration, without decoding: for progress and ETA only."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            return (container.duration or 0) / 1_000_000
    except (OSError, av.error.FFmpegError, UnicodeDecodeError, ValueError):
        return 0.0
