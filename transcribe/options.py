"""Every transcription and diarisation setting, one field each with its default and help
(kodeklar.core.options.opt): the CLI options and default.toml are made from these fields.
Each whole dataclass goes into the Transcript's provenance and into the cache key, so a
changed option means a new transcript.

Diarisation's options live here rather than in `transcribe.diarise`, whose import loads
numpy: `kodeklar --help` builds the options from this module."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass

from kodeklar.core.options import opt


def _engines() -> list[str]:
    from transcribe.engines import ENGINES

    return list(ENGINES)


def _backends() -> list[str]:
    from transcribe.diarise import BACKENDS

    return list(BACKENDS)


VAD_FILL_MODES = ("narrowband", "always", "never")


def _language(text: str) -> str | None:
    return None if text == "auto" else text


@dataclass
class TranscribeOptions:
    engine: str = opt("faster-whisper", "Speech engine (openai-whisper needs "
                      "pip install 'kodeklar[openai]').", cli="--engine", choices=_engines)
    model: str = opt("base", "Model: 'base' (bundled), a CTranslate2 model folder, or a name "
                     "in the local Hugging Face cache.", cli="--model")
    language: str | None = opt(
        "no", "Language code: no (bokmål), nn, en …; 'auto' on the command line detects it "
        "(Whisper base mistakes synthetic Norwegian for Latin, so not by default).",
        cli="--language", parse=_language)
    device: str = opt("auto", "Where to decode.", cli="--device",
                      choices=lambda: ["auto", "cpu", "cuda"])
    compute_type: str = opt("auto", "auto (int8 on CPU, float16 on CUDA), int8, float16, "
                            "float32 …", cli="--compute-type")
    beam_size: int = opt(5, "Beam search width.", cli="--beam-size", limits=(1, 20))
    batch_size: int = opt(0, "Decode this many VAD chunks at once; 1 = sequential; 0 = 4 on "
                          "CPU (half the memory of 8), 8 on CUDA.",
                          cli="--batch-size", limits=(0, 256))
    vad: bool = opt(True, "Silero VAD: no decoding of silence (--no-vad decodes silence "
                    "too, not advised).", cli="--no-vad")
    word_timestamps: bool = opt(True, "A time for every word.")
    condition_on_previous_text: bool = opt(
        False, "Prompt each window with the last one's text; off, one hallucination cannot "
        "seed the next.")
    temperature: tuple[float, ...] = opt(
        (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), "Whisper's fallback temperatures, tried in turn.")
    # Whisper's own fallback thresholds, also used by the guards to drop silence text
    no_speech_threshold: float | None = opt(
        0.6, "Above this no-speech probability a quiet window is silence.")
    log_prob_threshold: float = opt(-1.0, "Below this mean log probability a window is "
                                    "decoded again, hotter.")
    compression_ratio_threshold: float = opt(2.4, "Above this gzip ratio a window is a loop "
                                             "and decoded again, hotter.")
    repetition_penalty: float = opt(
        1.1, "Batched decoding only, which has no temperature fallback to leave a loop: "
        "words already written in a window score this much lower; 1 = off.")
    # guards of our own
    low_confidence: float = opt(0.4, "Words below this probability are marked for listening.")
    max_repeats: int = opt(3, "A phrase repeated more often in a row is a loop and cut.")
    piece_seconds: float = opt(300.0, "Decoded in pieces of about this length cut at silence: "
                               "a killed run resumes at the last whole piece.")
    coverage_min_gap: float = opt(3.0, "Seconds of heard speech without words that are "
                                  "decoded again, then flagged; 0 = off.")
    glossary: list[str] = opt([], "A name of a place or institution in the study (repeatable); "
                              "primes Whisper's spelling.", cli="--glossary", metavar="NAME")
    cpu_threads: int = opt(0, "CPU threads; 0 = every core.")
    seed: int = opt(0, "For Whisper's temperature fallback: the same input gives the same "
                    "transcript (with the same thread counts).")

    def as_params(self) -> dict:
        """For provenance, which travels with the anonymised transcript: the glossary holds
        the study's names, so only its size and a hash are recorded."""
        d = asdict(self)
        d["temperature"] = list(self.temperature)
        d["glossary"] = {"terms": len(self.glossary),
                         "sha256": hashlib.sha256("\n".join(self.glossary).encode()).hexdigest()}
        return d

    def initial_prompt(self) -> str | None:
        """Whisper's prompt primes spelling of names it would otherwise mishear."""
        if not self.glossary:
            return None
        return ", ".join(self.glossary) + "."


@dataclass
class DiariseOptions:
    """Every diarisation setting; the whole dataclass goes into the cache key."""
    backend: str = opt("embedded", "Diariser: embedded (offline, no token) or pyannote "
                       "(a pipeline on disk: set the pipeline).", cli="--diariser",
                       choices=_backends)
    speakers: int | None = opt(
        None, "Exact number of speakers, if known: give it for interviews (the automatic "
        "count is unreliable on far-field audio).", cli="--speakers", limits=(1, 32),
        example=2)
    min_speakers: int = opt(1, "At least this many speakers (2 for an interview).",
                            cli="--min-speakers", limits=(1, 32))
    max_speakers: int = opt(8, "At most this many speakers.", cli="--max-speakers",
                            limits=(1, 32))
    pipeline: str | None = opt(
        None, "Folder or config.yaml of a pyannote pipeline on disk (with the pyannote "
        "diariser).", cli="--pyannote-pipeline", metavar="PATH",
        example="/path/to/pyannote-pipeline/config.yaml")
    # the embedded backend's tuning, chosen on the ami_debug train clips (bench/RESULTS.md)
    seg_step: float = opt(0.5, "Seconds between 5 s segmentation windows.")
    embed_step: float = opt(0.5, "Seconds between the windows whose speakers are embedded "
                            "(a multiple of seg_step); the windows between follow their "
                            "neighbours by shared activity.")
    onset: float = opt(0.5, "Segmentation probability counted as talking.")
    window: float = opt(1.6, "Seconds per voice embedding (the encoder's training length).")
    step: float = opt(1.6, "Seconds between voice partials (as long as the window: back to back).")
    min_voice: float = opt(0.5, "Seconds a local speaker must talk to be given a voice.")
    cluster_threshold: float = opt(0.55, "Cosine distance cutting the speaker tree.")
    together_share: float = opt(0.1, "Share of windows in which the segmentation hears k "
                                "people (each for min_voice) that makes k the least count; "
                                "0 = off.")
    min_speaker_share: float = opt(0.1, "Smaller clusters are noise, not a person.")
    vad_fill: str = opt("narrowband", "Where Silero VAD hears speech that no turn covers, give "
                        "it to the nearest speaker: on narrowband (telephone) audio, always "
                        "or never.", choices=lambda: list(VAD_FILL_MODES))
    min_gap: float = opt(0.1, "Shorter pauses do not end a turn (seconds).")
    min_turn: float = opt(0.1, "Shorter bursts are not turns (seconds).")

    def as_params(self) -> dict:
        return asdict(self)
