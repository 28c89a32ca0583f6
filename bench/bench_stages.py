"""Time of each pipeline stage of one `kodeklar run`, from the manifest it writes.

    python bench/bench_stages.py [AUDIO [RUN OPTION ...]]

Answers "how much does diarisation (and anonymisation) add to transcription?" within one
run on the same audio (default ../shared/data/speech/ub_erna.mp3, 184 s). The run is a
batch of two recordings: the audio itself, then a copy with its first second cut off (a
different file, so no cache is shared). The first pays the one-off costs of a process
(imports, model sessions); the second shows what every further recording of a batch costs.
Options after AUDIO go to `kodeklar run` (e.g. `--config diarise.toml` to time a setting)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
DEFAULT_AUDIO = ROOT.parent / "shared" / "data" / "speech" / "ub_erna.mp3"

import media  # noqa: E402  (the tests' recording helpers)


def main() -> None:
    audio = sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT_AUDIO)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        first = inputs / ("a" + Path(audio).suffix)
        first.symlink_to(Path(audio).resolve())
        media.write_wav(inputs / "b.wav", media.speech(Path(audio))[16000:], 16000)
        out = Path(tmp) / "out"
        env = {**os.environ, "KODEKLAR_KEY_PASSPHRASE": os.environ.get("KODEKLAR_KEY_PASSPHRASE", "bench")}
        subprocess.run([sys.executable, "-m", "kodeklar", "run", str(inputs), "-o", str(out),
                        "--format", "json", "--keep-names", *sys.argv[2:]], check=True, env=env, capture_output=True)
        recordings = json.loads((out / "manifest.json").read_text())["recordings"]
    for label, (_, entry) in zip(("first recording (cold process)", "second recording (warm)"),
                                 sorted(recordings.items())):
        stages = {k: v["seconds"] for k, v in entry["stages"].items()}
        asr = stages["transcribe"]
        print(json.dumps({"recording": label, "duration_s": entry["duration"], "stage_seconds": stages,
                          "diarise_over_transcribe": round(stages.get("diarise", 0) / asr, 3),
                          "anonymise_over_transcribe": round(stages.get("anonymise", 0) / asr, 3),
                          "real_time_factor_total": round(entry["seconds"] / entry["duration"], 3)}, indent=1))


if __name__ == "__main__":
    main()
