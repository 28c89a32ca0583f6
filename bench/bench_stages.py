"""Time of each pipeline stage of one `kodeklar run`, from the manifest it writes.

    python bench/bench_stages.py [AUDIO]

Answers "how much does diarisation (and anonymisation) add to transcription?" within one
run on the same audio (default ../shared/data/speech/ub_erna.mp3, 184 s)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AUDIO = ROOT.parent / "shared" / "data" / "speech" / "ub_erna.mp3"


def main() -> None:
    audio = sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT_AUDIO)
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "KODEKLAR_KEY_PASSPHRASE": os.environ.get("KODEKLAR_KEY_PASSPHRASE", "bench")}
        subprocess.run([sys.executable, "-m", "kodeklar", "run", audio, "-o", out, "--format", "json"],
                       check=True, env=env, capture_output=True)
        entry = next(iter(json.loads((Path(out) / "manifest.json").read_text())["recordings"].values()))
    stages = {k: v["seconds"] for k, v in entry["stages"].items()}
    asr = stages["transcribe"]
    print(json.dumps({"audio": Path(audio).name, "duration_s": entry["duration"], "stage_seconds": stages,
                      "diarise_over_transcribe": round(stages.get("diarise", 0) / asr, 3),
                      "anonymise_over_transcribe": round(stages.get("anonymise", 0) / asr, 3),
                      "real_time_factor_total": round(entry["seconds"] / entry["duration"], 3)}, indent=1))


if __name__ == "__main__":
    main()
