"""Time and peak memory of the default diariser on a long recording.

    python bench/bench_long.py [MINUTES]
    python bench/bench_long.py --file AUDIO     # a recording read from disk, as `kodeklar run` does

The recording is the shared AMI clips and sample.wav end to end, repeated to MINUTES
(default 30): real speech by many voices. Prints the diarisation time against the audio's
duration, the speakers found, and the process's peak resident memory before and after
(the decoded audio alone is 3.8 MB a minute)."""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from transcribe.audio import decode  # noqa: E402
from transcribe.diarise import DiariseOptions, diarise  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "diarization"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import tempfile

    from transcribe.audio import decode_to_file

    diarise(decode(DATA / "sample.wav")[0][:16000 * 10], DiariseOptions())  # load the models first
    if sys.argv[1:2] == ["--file"]:
        spill = Path(tempfile.mkdtemp()) / "audio.f32"
        audio, _ = decode_to_file(sys.argv[2], spill)
        minutes = len(audio) / 16000 / 60
    else:
        minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
        clips = [decode(p)[0] for p in [DATA / "sample.wav", *sorted((DATA / "ami_debug").glob("*.wav"))]]
        audio = np.resize(np.concatenate(clips), int(minutes * 60 * 16000))
    before = peak_mb()
    t0 = time.perf_counter()
    turns = diarise(audio, DiariseOptions())
    seconds = time.perf_counter() - t0
    print(f"{minutes:.0f} min of audio: diarised in {seconds:.1f} s ({seconds / len(audio) * 16000:.3f} "
          f"x real time), {len({t.speaker for t in turns})} speakers, {len(turns)} turns; peak RSS "
          f"{before:.0f} MB before, {peak_mb():.0f} MB after")


if __name__ == "__main__":
    main()
