"""The second engine: OpenAI's reference implementation on PyTorch (`kodeklar[openai]`).

It runs on the same weights as faster-whisper: a CTranslate2 model folder is converted once
into an openai-whisper checkpoint (`transcribe.convert`); an openai-whisper `.pt` checkpoint
is used as it is. fp16 on CUDA, fp32 on CPU. openai-whisper has no VAD of its own, so the
same Silero VAD that faster-whisper runs (shipped inside faster-whisper, a core dependency)
cuts the silence first and the times are mapped back, exactly as faster-whisper does.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Word
from transcribe.convert import alignment_heads, openai_checkpoint
from transcribe.engines import Decoded, DecodedSegment
from transcribe.models import cache_dir

SAMPLE_RATE = 16000
# faster-whisper samples this many candidates per fallback temperature; openai-whisper one
BEST_OF = 5


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class OpenAIWhisperEngine:
    name = "openai-whisper"

    def __init__(self, model_dir: Path, options):
        try:
            import whisper
        except ImportError:
            raise UserError("the openai-whisper engine is not installed: "
                            "pip install 'kodeklar[openai]'") from None
        import torch

        self.version = whisper.__version__
        self.device = pick_device(options.device)
        if self.device == "cuda" and not torch.cuda.is_available():
            raise UserError("device 'cuda' was asked for, but PyTorch sees no CUDA GPU")
        # openai-whisper computes in float16 or float32 only; int8 is CTranslate2's
        fp16 = self.device == "cuda" and options.compute_type != "float32"
        self.compute_type = "float16" if fp16 else "float32"
        if options.cpu_threads:
            torch.set_num_threads(options.cpu_threads)
        self.threads = torch.get_num_threads()
        model_dir = Path(model_dir)
        given = model_dir.is_file() and model_dir.suffix == ".pt"
        checkpoint = model_dir if given else openai_checkpoint(model_dir, cache_dir() / "openai-whisper")
        try:
            self.model = whisper.load_model(str(checkpoint), device=self.device)
        except (RuntimeError, KeyError, OSError, EOFError, pickle.UnpicklingError) as e:
            # the first line of the library's message, if it has one, names what is wrong
            detail = (str(e).splitlines() or [""])[0][:200]
            raise UserError(f"cannot load the openai-whisper checkpoint {checkpoint}: "
                            f"{type(e).__name__}{': ' + detail if detail else ''}") from None
        # word timestamps follow these cross-attention heads, which load_model sets only for
        # the models it downloads by name; an official checkpoint keeps its name (base.pt)
        heads = whisper._ALIGNMENT_HEADS.get(model_dir.stem) if given \
            else alignment_heads(model_dir, self.model.dims)
        if heads is not None:
            self.model.set_alignment_heads(heads)

    def transcribe(self, audio, options, max_tokens: int | None = None) -> Decoded:
        import torch

        # per recording, so a transcript does not depend on what the process decoded before
        torch.manual_seed(options.seed)
        speech_chunks = None
        if options.vad:
            audio, speech_chunks = _speech(audio)
        if options.language is not None:
            language, probability, probs = options.language, 1.0, {}
        else:
            probs = self.detect_language(audio)
            language = max(probs, key=probs.get)
            probability = probs[language]
        segments = self._segments(audio, language, options, max_tokens)
        if speech_chunks:
            from faster_whisper.transcribe import restore_speech_timestamps

            segments = restore_speech_timestamps(segments, speech_chunks, SAMPLE_RATE)
        return Decoded(language, probability, segments, probs)

    def detect_language(self, audio) -> dict[str, float]:
        """Language probabilities on the first 30 s, as Whisper's language token sees them.
        The mel is taken as faster-whisper takes it (one hop of zeros after the audio, the
        window padded after the mel, not before), so both engines detect alike: padding the
        samples instead moves the probabilities of a short clip by ~0.02."""
        import numpy as np
        import whisper

        clip = audio[:whisper.audio.N_SAMPLES]
        # the STFT needs one window of samples; less is left when the VAD found no speech
        clip = np.pad(clip, (0, max(0, whisper.audio.N_FFT - len(clip))))
        mel = whisper.log_mel_spectrogram(clip, self.model.dims.n_mels,
                                          padding=whisper.audio.HOP_LENGTH, device=self.device)
        mel = whisper.pad_or_trim(mel, whisper.audio.N_FRAMES)
        _, probs = self.model.detect_language(mel.half() if self.compute_type == "float16" else mel)
        return dict(sorted(probs.items(), key=lambda kv: -kv[1]))

    def _segments(self, audio, language: str, options, max_tokens: int | None):
        """Decoded lazily, like faster-whisper's generator: nothing runs until iterated."""
        if audio.size == 0:
            return
        result = self.model.transcribe(
            audio, verbose=None, language=language, task="transcribe",
            fp16=self.compute_type == "float16",
            beam_size=options.beam_size, best_of=BEST_OF,
            word_timestamps=options.word_timestamps,
            condition_on_previous_text=options.condition_on_previous_text,
            temperature=tuple(options.temperature),
            no_speech_threshold=options.no_speech_threshold,
            logprob_threshold=options.log_prob_threshold,
            compression_ratio_threshold=options.compression_ratio_threshold,
            initial_prompt=options.initial_prompt(),
            sample_len=max_tokens,
        )
        for s in result["segments"]:
            words = [Word(start=round(w["start"], 3), end=round(w["end"], 3), text=w["word"],
                          p=round(float(w["probability"]), 4)) for w in s.get("words", [])]
            yield DecodedSegment(start=s["start"], end=s["end"], text=s["text"], words=words,
                                 avg_logprob=s["avg_logprob"], no_speech_prob=s["no_speech_prob"],
                                 compression_ratio=s["compression_ratio"])


def _speech(audio):
    """The speech in `audio`, concatenated, and where it came from (faster-whisper's VAD)."""
    import numpy as np
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    chunks = get_speech_timestamps(audio, VadOptions())
    if not chunks:
        return np.zeros(0, dtype=np.float32), []
    return np.concatenate(collect_chunks(audio, chunks)[0]), chunks


def load(model_dir: Path, options) -> OpenAIWhisperEngine:
    return OpenAIWhisperEngine(model_dir, options)
