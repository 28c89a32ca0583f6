"""The default engine: faster-whisper on CTranslate2. int8 on CPU, float16 on CUDA, batched
inference on both, all through the library's own options."""
from __future__ import annotations

import os
from pathlib import Path

from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Word
from transcribe.engines import Decoded, DecodedSegment


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def pick_compute_type(compute_type: str, device: str) -> str:
    if compute_type != "auto":
        return compute_type
    return "float16" if device == "cuda" else "int8"


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, model_dir: Path, options):
        import faster_whisper
        from faster_whisper import BatchedInferencePipeline, WhisperModel

        if model_dir.is_file():
            raise UserError(f"{model_dir} is an openai-whisper checkpoint: use it with "
                            f"--engine openai-whisper, or give a CTranslate2 model folder")
        self.version = faster_whisper.__version__
        self.device = pick_device(options.device)
        self.compute_type = pick_compute_type(options.compute_type, self.device)
        # CTranslate2's own default leaves cores idle on a small machine
        self.threads = options.cpu_threads or os.cpu_count() or 0
        try:
            self.model = WhisperModel(str(model_dir), device=self.device,
                                      compute_type=self.compute_type,
                                      cpu_threads=self.threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as e:
            raise UserError(f"cannot load model {model_dir} on {self.device}/{self.compute_type}: "
                            f"{type(e).__name__}: {str(e).splitlines()[0][:200]}") from None
        self.batched = BatchedInferencePipeline(self.model)
        # on CPU each beam of a batch holds its own cross-attention cache, so memory grows
        # with the batch, while speed stops growing once the cores are busy
        self.batch_size = options.batch_size or (8 if self.device == "cuda" else 4)

    def transcribe(self, audio, options, max_tokens: int | None = None) -> Decoded:
        import ctranslate2

        if options.repetition_penalty <= 0:
            raise UserError(f"repetition_penalty must be above 0 (1 = off), not {options.repetition_penalty}")
        # per recording, so a transcript does not depend on what the process decoded before
        ctranslate2.set_random_seed(options.seed)
        kwargs = dict(
            language=options.language, beam_size=options.beam_size,
            word_timestamps=options.word_timestamps, vad_filter=options.vad,
            condition_on_previous_text=options.condition_on_previous_text,
            temperature=list(options.temperature),
            no_speech_threshold=options.no_speech_threshold,
            log_prob_threshold=options.log_prob_threshold,
            compression_ratio_threshold=options.compression_ratio_threshold,
            initial_prompt=options.initial_prompt(),
            max_new_tokens=max_tokens,
        )
        # batches of VAD chunks keep every core busy, on CPU too (bench/RESULTS.md); the
        # batched pipeline cuts long audio only where its VAD finds speech
        batch_size = options.batch_size or self.batch_size
        if batch_size > 1 and (options.vad or len(audio) <= 30 * 16000):
            # it decodes at the first temperature only, so a loop that the sequential
            # decoder would leave by sampling hotter runs on, is cut by the guards and
            # costs the coverage check a second, sequential decoding of that stretch
            segments, info = self.batched.transcribe(audio, batch_size=batch_size,
                                                     repetition_penalty=options.repetition_penalty,
                                                     **kwargs)
        else:
            segments, info = self.model.transcribe(audio, **kwargs)
        probs = dict(info.all_language_probs or []) if options.language is None else {}
        return Decoded(info.language, info.language_probability, _segments(segments), probs)

    def detect_language(self, audio) -> dict[str, float]:
        """Language probabilities on the first 30 s, as Whisper's language token sees them."""
        _, _, probs = self.model.detect_language(audio)
        return dict(probs)


def _segments(segments):
    for s in segments:
        words = [Word(start=round(w.start, 3), end=round(w.end, 3), text=w.word,
                      p=round(float(w.probability), 4)) for w in (s.words or [])]
        yield DecodedSegment(start=s.start, end=s.end, text=s.text, words=words,
                             avg_logprob=s.avg_logprob, no_speech_prob=s.no_speech_prob,
                             compression_ratio=s.compression_ratio)


def load(model_dir: Path, options) -> FasterWhisperEngine:
    return FasterWhisperEngine(model_dir, options)
