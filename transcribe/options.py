"""Every decoding parameter in one place. The whole dataclass goes into the Transcript's
provenance and into the cache key, so a changed option means a new transcript."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


@dataclass
class TranscribeOptions:
    engine: str = "faster-whisper"
    model: str = "base"
    language: str | None = "no"      # None = detect (only when asked: base detects Latin on Norwegian)
    device: str = "auto"             # auto | cpu | cuda
    compute_type: str = "auto"       # auto = int8 on CPU, float16 on CUDA
    beam_size: int = 5
    batch_size: int = 8              # BatchedInferencePipeline; 1 = sequential decoding
    vad: bool = True
    word_timestamps: bool = True
    condition_on_previous_text: bool = False
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    # Whisper's own fallback thresholds, also used by the guards to drop silence text
    no_speech_threshold: float | None = 0.6   # None: never skip a window as silent
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    # guards of our own
    low_confidence: float = 0.4      # words under this probability are marked
    max_repeats: int = 3             # a phrase repeated more often than this is a loop
    piece_seconds: float = 300.0     # decoded and checkpointed in pieces of about this length
    coverage_min_gap: float = 3.0    # seconds of speech without words that are decoded again; 0 = off
    glossary: list[str] = field(default_factory=list)  # study names → initial prompt
    cpu_threads: int = 0             # 0 = every core
    seed: int = 0                    # temperature fallback samples: same input, same transcript

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
