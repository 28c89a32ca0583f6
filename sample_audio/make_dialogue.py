"""Make `dialogue.flac`: an invented two-speaker Norwegian interview spoken by espeak-ng,
with its reference text (`dialogue.ref.txt`) and turn times (`dialogue.rttm`).

The people, places and numbers are invented; they are there so the anonymisation has
something to find. Needs espeak-ng and sox (Debian: apt-get install espeak-ng sox).
Run from the repository root: python sample_audio/make_dialogue.py"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
PAUSE = 0.7  # seconds between turns
VOICES = {"S1": "nb+f1", "S2": "nb+m7"}  # Intervjuer, Informant: the variants Whisper base hears best
TURNS = [
    ("S1", "Hei, og takk for at du vil være med. Kan du fortelle litt om deg selv?"),
    ("S2", "Ja. Jeg heter Kari Nordmann, og jeg bor i Halden. "
           "Jeg har fått hjelp fra NAV Halden i to år."),
    ("S1", "Hvordan har samarbeidet med DPS vært?"),
    ("S2", "Det har vært bra. Kontakten min der heter Per Hansen, og han ringer meg hver uke."),
    ("S1", "Takk. Er det noe mer du vil si om tilbudet i kommunen?"),
    ("S2", "Nei, egentlig ikke. Jeg er fornøyd med hjelpen, og jeg baker sjokoladekake på fredager."),
]


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def duration(path: Path) -> float:
    return float(run("soxi", "-D", str(path)))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        silence = tmp / "pause.wav"
        run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(silence), "trim", "0", str(PAUSE))
        pieces, rttm, t = [silence], [], PAUSE
        for i, (speaker, text) in enumerate(TURNS):
            raw, wav = tmp / f"raw{i}.wav", tmp / f"turn{i}.wav"
            run("espeak-ng", "-v", VOICES[speaker], "-s", "130", "-w", str(raw), text)
            # espeak pads each utterance with silence: trim it so turn times are exact
            run("sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav),
                "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse")
            d = duration(wav)
            rttm.append(f"SPEAKER dialogue 1 {t:.3f} {d:.3f} <NA> <NA> {speaker} <NA> <NA>")
            pieces += [wav, silence]
            t += d + PAUSE
        run("sox", *map(str, pieces), str(HERE / "dialogue.flac"))
    (HERE / "dialogue.ref.txt").write_text(" ".join(text for _, text in TURNS) + "\n", encoding="utf-8")
    (HERE / "dialogue.rttm").write_text("\n".join(rttm) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
