"""Test recordings made on the fly with PyAV (which kodeklar depends on anyway), so the
bad-input tests need no ffmpeg binary."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from transcribe import audio


def speech(sample: Path, rate: int = 16000) -> np.ndarray:
    """A real speech sample as float32 mono at `rate`."""
    samples, _ = audio.decode(sample, sample_rate=rate)
    return samples


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """`samples`: (n,) or (channels, n) float in [-1, 1]; written as 16-bit PCM."""
    import wave

    data = np.atleast_2d(samples)
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2").T.copy()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(data.shape[0])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def write_video(path: Path, samples: np.ndarray, rate: int = 16000, fps: int = 5) -> Path:
    """An MP4 with an MPEG-4 video track (grey frames) and an AAC audio track."""
    import av

    seconds = len(samples) / rate
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=fps)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = out.add_stream("aac", rate=rate)
        sound.layout = "mono"
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 128, np.uint8), format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                out.mux(packet)
        frame = av.AudioFrame.from_ndarray(samples[None, :].astype(np.float32), format="fltp", layout="mono")
        frame.sample_rate = rate
        for packet in sound.encode(frame):
            out.mux(packet)
        for stream in (video, sound):
            for packet in stream.encode(None):
                out.mux(packet)
    return path
