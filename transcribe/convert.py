"""A CTranslate2 Whisper model as an openai-whisper checkpoint, so the second engine runs
on the same bundled weights as the first, offline.

The checkpoint is what `whisper.load_model(path)` reads: `{"dims": {...},
"model_state_dict": {...}}` saved with `torch.save`. torch is used to write it because the
openai engine needs torch anyway and `torch.save` is the only specification of that format.
It is cached by the sha256 of `model.bin`, so the conversion runs once per model. Weights
keep their dtype (float16 for the bundled model, as in OpenAI's own checkpoints); quantised
int8/int16 weights are scaled back to float32, as openai-whisper has no integer layers.
"""
from __future__ import annotations

import base64
import gzip
import io
import json
from pathlib import Path

from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic
from transcribe import ct2_model
from transcribe.models import folder_model

# scalars CTranslate2 keeps as configuration; openai-whisper's architecture fixes them
CONFIG_SCALARS = {"decoder/activation", "decoder/alibi", "decoder/alignment_heads",
                  "decoder/alignment_layer", "decoder/num_heads", "decoder/pre_norm",
                  "decoder/scale_embeddings", "decoder/start_from_zero_embedding",
                  "encoder/num_heads"}


def openai_checkpoint(ct2_dir: Path, cache_dir: Path) -> Path:
    """Convert `ct2_dir/model.bin` once; return the cached checkpoint's path."""
    info = folder_model(Path(ct2_dir))
    target = Path(cache_dir) / f"openai-whisper-{info.sha256}.pt"
    if target.is_file():
        return target
    import torch

    dims, state = state_dict(ct2_model.read(info.path / "model.bin"))
    buffer = io.BytesIO()
    torch.save({"dims": dims, "model_state_dict": {k: torch.from_numpy(v) for k, v in state.items()}},
               buffer)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the model cache {target.parent} ({e.strerror})") from None
    return write_atomic(target, buffer.getbuffer())


def state_dict(model: ct2_model.CT2Model) -> tuple[dict, dict]:
    """openai-whisper's `dims` and `state_dict` (numpy arrays) from CTranslate2's variables."""
    if model.spec != "WhisperSpec":
        raise UserError(f"the CTranslate2 model is a {model.spec}, not a Whisper model")
    import numpy as np

    v = model.variables
    used = set(CONFIG_SCALARS)

    def take_stored(name):
        used.add(name)
        try:
            return v[name]
        except KeyError:
            raise UserError(f"the CTranslate2 Whisper model lacks '{name}'") from None

    def take(name):
        value = take_stored(name)
        if f"{name}_scale" in v:
            used.add(f"{name}_scale")
            return _dequantised(value, v[f"{name}_scale"])
        return value

    state = {}

    def linear(ct2: str, *openai: str, bias: tuple[bool, ...] = ()):
        """CTranslate2 fuses projections along the output rows (q|k|v, or k|v): split them.
        openai's key projection has no bias; CTranslate2 stores zeros there, and a bias on
        the keys would shift every attention score of a query equally, so dropping it is exact."""
        weights = _split(take(f"{ct2}/weight"), len(openai))
        biases = _split(take(f"{ct2}/bias"), len(openai))
        for name, w, b, has_bias in zip(openai, weights, biases, bias or (True,) * len(openai)):
            state[f"{name}.weight"] = w
            if has_bias:
                state[f"{name}.bias"] = b

    def norm(ct2: str, openai: str):
        state[f"{openai}.weight"] = take(f"{ct2}/gamma")
        state[f"{openai}.bias"] = take(f"{ct2}/beta")

    def block(ct2: str, openai: str, cross: bool):
        norm(f"{ct2}/self_attention/layer_norm", f"{openai}.attn_ln")
        linear(f"{ct2}/self_attention/linear_0", *(f"{openai}.attn.{p}" for p in ("query", "key", "value")),
               bias=(True, False, True))
        linear(f"{ct2}/self_attention/linear_1", f"{openai}.attn.out")
        if cross:
            norm(f"{ct2}/attention/layer_norm", f"{openai}.cross_attn_ln")
            linear(f"{ct2}/attention/linear_0", f"{openai}.cross_attn.query")
            linear(f"{ct2}/attention/linear_1", f"{openai}.cross_attn.key", f"{openai}.cross_attn.value",
                   bias=(False, True))
            linear(f"{ct2}/attention/linear_2", f"{openai}.cross_attn.out")
        norm(f"{ct2}/ffn/layer_norm", f"{openai}.mlp_ln")
        linear(f"{ct2}/ffn/linear_0", f"{openai}.mlp.0")
        linear(f"{ct2}/ffn/linear_1", f"{openai}.mlp.2")

    n_audio_layer = _count_layers(v, "encoder")
    n_text_layer = _count_layers(v, "decoder")
    for conv in ("conv1", "conv2"):
        state[f"encoder.{conv}.weight"] = take(f"encoder/{conv}/weight")
        state[f"encoder.{conv}.bias"] = take(f"encoder/{conv}/bias")
    state["encoder.positional_embedding"] = take("encoder/position_encodings/encodings")
    for i in range(n_audio_layer):
        block(f"encoder/layer_{i}", f"encoder.blocks.{i}", cross=False)
    norm("encoder/layer_norm", "encoder.ln_post")
    state["decoder.token_embedding.weight"] = embedding = take("decoder/embeddings/weight")
    state["decoder.positional_embedding"] = take("decoder/position_encodings/encodings")
    for i in range(n_text_layer):
        block(f"decoder/layer_{i}", f"decoder.blocks.{i}", cross=True)
    norm("decoder/layer_norm", "decoder.ln")
    # openai-whisper ties the output projection to the token embedding (compared as stored:
    # an alias carries no scale of its own)
    projection, stored = take_stored("decoder/projection/weight"), v["decoder/embeddings/weight"]
    if projection is not stored and not np.array_equal(projection, stored):
        raise UserError("the CTranslate2 Whisper model has an untied output projection, "
                        "which openai-whisper cannot represent")
    unknown = sorted(set(v) - used)
    if unknown:
        raise UserError(f"the CTranslate2 Whisper model has variables openai-whisper has no place "
                        f"for (e.g. '{unknown[0]}')")

    dims = {
        "n_mels": int(state["encoder.conv1.weight"].shape[1]),
        "n_audio_ctx": int(state["encoder.positional_embedding"].shape[0]),
        "n_audio_state": int(state["encoder.conv1.weight"].shape[0]),
        "n_audio_head": int(take_stored("encoder/num_heads")),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(embedding.shape[0]),
        "n_text_ctx": int(state["decoder.positional_embedding"].shape[0]),
        "n_text_state": int(embedding.shape[1]),
        "n_text_head": int(take_stored("decoder/num_heads")),
        "n_text_layer": n_text_layer,
    }
    return dims, state


def alignment_heads(ct2_dir: Path, dims) -> bytes | None:
    """config.json's cross-attention heads that follow the audio, in the form
    `Whisper.set_alignment_heads` takes (base85 of a gzipped layer × head bool mask)."""
    import numpy as np

    try:
        heads = json.loads((Path(ct2_dir) / "config.json").read_text()).get("alignment_heads")
    except (OSError, ValueError):
        return None
    if not heads:
        return None
    mask = np.zeros((dims.n_text_layer, dims.n_text_head), dtype=bool)
    for layer, head in heads:
        mask[layer, head] = True
    return base64.b85encode(gzip.compress(mask.tobytes()))


def _dequantised(stored, scale):
    """An int8 weight has one scale per output row (conv: per output channel), an int16 one
    scale in all: stored = round(weight × scale)."""
    import numpy as np

    return stored.astype(np.float32) / scale.reshape(scale.shape + (1,) * (stored.ndim - scale.ndim))


def _split(array, parts: int):
    rows = array.shape[0] // parts
    return [array[i * rows:(i + 1) * rows] for i in range(parts)]


def _count_layers(variables: dict, stack: str) -> int:
    n = 0
    while f"{stack}/layer_{n}/ffn/linear_0/weight" in variables:
        n += 1
    if n == 0:
        raise UserError(f"the CTranslate2 Whisper model has no {stack} layers")
    return n
