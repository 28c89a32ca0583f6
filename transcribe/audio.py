"""Reading recordings: whatever FFmpeg (through PyAV) decodes, to 16 kHz float32.

Phones, dictaphones and Nettskjema give m4a, mp3, wav, mp4/mov video, ogg, flac, with one
to six channels at any sample rate. Everything is decoded here, once, so the rest of the
pipeline sees plain arrays, or a Recording on disk read a slice at a time."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kodeklar.core.errors import UserError

SAMPLE_RATE = 16000
MEDIA_EXTENSIONS = {".wav", ".mp3", ".m4a", ".mp4", ".mov", ".ogg", ".oga", ".opus", ".flac",
                    ".aac", ".wma", ".webm", ".mkv", ".avi", ".3gp", ".amr", ".aiff", ".aif"}


@dataclass
class Probe:
    duration: float
    channels: int
    sample_rate: int
    damage: str = ""      # what could not be decoded, in one line; empty for a sound file


# decoded audio shorter than the file states by more than both of these may be a cut-off
# recording (a dictaphone whose battery died); a length the file only estimates (a VBR mp3
# without a frame count) can miss by a little, so "may"
MISSING_SECONDS = 1.0
MISSING_SHARE = 0.01
MAX_STATED = 12 * 3600.0  # a stated length beyond this is not believed when sizing the buffer


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
    samples, probe = _decode(Path(path), mono, sample_rate, Samples)
    samples = samples.array()
    return (samples[0] if mono else samples), probe


def decode_to_file(path: str | Path, dest: Path):
    """Decode to 16 kHz mono float32 in the raw file `dest` (owner-only), for recordings
    too long to hold in memory. Returns (Recording, Probe of the original stream)."""
    try:
        written, probe = _decode(Path(path), True, SAMPLE_RATE, lambda _, __: FileSamples(dest))
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    written.close()
    return Recording(dest, written.length), probe


def _decode(path: Path, mono: bool, sample_rate: int, sink):
    import av

    container = _open(path)
    try:
        stream = container.streams.audio[0]
        channels = stream.codec_context.channels or 1
        layout = "mono" if mono else stream.codec_context.layout.name
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
        original_rate = stream.codec_context.sample_rate or sample_rate
        stated = (float(stream.duration * stream.time_base) if stream.duration
                  else (container.duration or 0) / 1_000_000)
        samples = sink(1 if mono else channels, int(min(stated, MAX_STATED) * sample_rate) + sample_rate)
        broken = 0
        for frame in frames(container, stream):
            if frame is None:
                broken += 1
                continue
            for out in resampler.resample(frame):
                samples.add(out.to_ndarray())
        for out in resampler.resample(None):
            samples.add(out.to_ndarray())
    except av.error.FFmpegError:
        raise UserError(f"{path}: the audio is corrupt and cannot be decoded") from None
    finally:
        container.close()
    if not samples.length:
        raise UserError(f"{path}: contains no decodable audio")
    duration = samples.length / sample_rate
    probe = Probe(duration=duration, channels=channels, sample_rate=original_rate,
                  damage=_damage(duration, stated, broken))
    return samples, probe


class Samples:
    """Decoded audio written into one array sized from the file's stated length, so a long
    recording is held once, not once in pieces and again joined. A file that states too
    little (or nothing) grows it by half at a time."""

    def __init__(self, channels: int, expected: int):
        import numpy as np

        self.buffer = np.empty((channels, max(expected, 1)), dtype=np.float32)
        self.length = 0

    def add(self, block) -> None:
        import numpy as np

        n = block.shape[1]
        if self.length + n > self.buffer.shape[1]:
            grown = np.empty((self.buffer.shape[0], max(self.length + n, self.buffer.shape[1] * 3 // 2)),
                             dtype=np.float32)
            grown[:, :self.length] = self.buffer[:, :self.length]
            self.buffer = grown
        self.buffer[:, self.length:self.length + n] = block
        self.length += n

    def array(self):
        return self.buffer[:, :self.length]


class FileSamples:
    """Decoded mono audio appended to a raw float32 file as it comes."""

    def __init__(self, path: Path):
        import os

        self.file = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        self.length = 0

    def add(self, block) -> None:
        self.file.write(block[0].tobytes())
        self.length += block.shape[1]

    def close(self) -> None:
        self.file.close()


class Recording:
    """A decoded mono 16 kHz recording in a raw float32 file, read a slice at a time: the
    stages take what they need (a piece, a window), so a three-hour recording costs memory
    by the piece, not by its length. `len()` and contiguous slices work as on an array."""

    def __init__(self, path: Path, length: int):
        self.path, self.length = path, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice):
        import numpy as np

        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("a Recording is read by contiguous slices")
        start, stop, _ = key.indices(self.length)
        return np.fromfile(self.path, dtype=np.float32, count=max(0, stop - start),
                           offset=start * 4)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def frames(container, stream):
    """The decoded frames of `stream`, with None in place of each packet that will not
    decode: one broken packet (often the cut-off last one) must not cost the rest of the
    recording, so it is skipped, as ffmpeg does, and the caller can say so."""
    import av

    for packet in container.demux(stream):
        try:
            decoded = packet.decode()
        except av.error.FFmpegError:
            yield None
            continue
        yield from decoded


def _damage(decoded: float, stated: float, broken_packets: int) -> str:
    from kodeklar.core.timefmt import clock

    notes = []
    if stated - decoded > max(MISSING_SECONDS, MISSING_SHARE * stated):
        notes.append(f"the audio ends at {clock(decoded)} but the file states {clock(stated)}: "
                     f"it may be cut off; what is there was transcribed")
    if broken_packets:
        notes.append(f"{broken_packets} damaged audio packet(s) skipped")
    return "; ".join(notes)


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
