"""Effect of the project glossary (initial prompt) on recognition of the study's names.

    python bench/bench_glossary.py

Each clip is decoded twice with the bundled base model, without and with a glossary of
the names that occur in it; reported: word error rate against the reference and how many
glossary names appear verbatim in the transcript."""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import jiwer

from kodeklar.core.transcript import Source
from transcribe import asr, audio, models
from transcribe.options import TranscribeOptions

SAMPLES = Path(__file__).resolve().parents[1] / "sample_audio"
CLIPS = {
    "norwegian-medium-8s.mp3": ["Fredric Holen Bjørdal", "Trond Giske"],
    "dialogue.flac": ["Kari Nordmann", "Halden", "NAV Halden", "DPS", "Per Hansen"],
}


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def main() -> None:
    model = models.resolve("base")
    rows = []
    for clip, glossary in CLIPS.items():
        samples, probe = audio.decode(SAMPLES / clip)
        reference = (SAMPLES / clip).with_suffix(".ref.txt").read_text()
        source = Source(clip, "0" * 64, probe.duration)
        for used in ([], glossary):
            options = dataclasses.replace(TranscribeOptions(), glossary=used)
            text = " ".join(s.text for s in asr.transcribe(samples, source, options, model, "bench").segments)
            rows.append({"clip": clip, "glossary": bool(used),
                         "wer": round(jiwer.wer(norm(reference), norm(text)), 3),
                         "names_found": f"{sum(norm(n) in norm(text) for n in glossary)}/{len(glossary)}"})
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
