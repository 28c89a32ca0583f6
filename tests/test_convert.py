"""The CTranslate2 reader and the conversion to an openai-whisper checkpoint, on the real
bundled model (Whisper base) and on small hand-made model.bin files."""
import struct

import numpy as np
import pytest

from kodeklar.core.errors import UserError
from transcribe import convert, ct2_model, models


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("cache")
        mp.setenv("KODEKLAR_CACHE", str(path))
        yield path


@pytest.fixture(scope="module")
def model_dir(cache):
    return models.resolve("base").path


@pytest.fixture(scope="module")
def base(model_dir):
    return ct2_model.read(model_dir / "model.bin")


def _string(s: str) -> bytes:
    raw = s.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def _model_bin(variables: dict, aliases=(), version=6, spec="WhisperSpec") -> bytes:
    """A model.bin as CTranslate2 writes it; dtype ids as in ct2_model.DTYPES."""
    out = struct.pack("<I", version) + _string(spec) + struct.pack("<II", 3, len(variables))
    for name, (dtype_id, array) in variables.items():
        out += _string(name) + struct.pack("<B", array.ndim)
        out += b"".join(struct.pack("<I", d) for d in array.shape)
        out += struct.pack("<BI", dtype_id, array.nbytes) + array.tobytes()
    out += struct.pack("<I", len(aliases))
    for alias, target in aliases:
        out += _string(alias) + _string(target)
    return out


def test_reader_on_the_bundled_model(base):
    assert (base.spec, base.revision) == ("WhisperSpec", 3)
    # 212 stored variables and one alias: the output projection is the token embedding
    assert len(base.variables) == 213
    v = base.variables
    assert v["decoder/projection/weight"] is v["decoder/embeddings/weight"]
    assert v["decoder/embeddings/weight"].shape == (51865, 512)
    assert v["encoder/conv1/weight"].shape == (512, 80, 3)
    assert v["encoder/conv2/weight"].shape == (512, 512, 3)
    assert v["encoder/position_encodings/encodings"].shape == (1500, 512)
    assert v["decoder/position_encodings/encodings"].shape == (448, 512)
    assert v["encoder/layer_5/self_attention/linear_0/weight"].shape == (1536, 512)
    assert v["decoder/layer_5/attention/linear_1/weight"].shape == (1024, 512)
    assert v["encoder/layer_0/ffn/linear_0/weight"].dtype == np.float16
    assert int(v["encoder/num_heads"]) == 8 and int(v["decoder/num_heads"]) == 8
    # the fused key bias CTranslate2 stores is zero: dropping it loses nothing
    assert not v["encoder/layer_0/self_attention/linear_0/bias"][512:1024].any()


def test_checkpoint_loads_in_openai_whisper_with_the_same_weights(model_dir, cache, base):
    whisper = pytest.importorskip("whisper")
    path = convert.openai_checkpoint(model_dir, cache / "openai")
    assert models.BUNDLED_SHA256 in path.name
    model = whisper.load_model(str(path), device="cpu")  # strict: every key present, none extra
    assert model.dims == whisper.model.ModelDimensions(
        n_mels=80, n_audio_ctx=1500, n_audio_state=512, n_audio_head=8, n_audio_layer=6,
        n_vocab=51865, n_text_ctx=448, n_text_state=512, n_text_head=8, n_text_layer=6)
    state = model.state_dict()
    fused = base.variables["decoder/layer_2/self_attention/linear_0/weight"]
    np.testing.assert_array_equal(state["decoder.blocks.2.attn.key.weight"].numpy(), fused[512:1024])
    np.testing.assert_array_equal(state["decoder.blocks.2.attn.value.bias"].numpy(),
                                  base.variables["decoder/layer_2/self_attention/linear_0/bias"][1024:])
    kv = base.variables["decoder/layer_3/attention/linear_1/weight"]
    np.testing.assert_array_equal(state["decoder.blocks.3.cross_attn.value.weight"].numpy(), kv[512:])
    np.testing.assert_array_equal(state["encoder.ln_post.weight"].numpy(),
                                  base.variables["encoder/layer_norm/gamma"])
    # the heads config.json names are openai's own for base
    dump = convert.alignment_heads(model_dir, model.dims)
    model.set_alignment_heads(dump)
    assert _mask(dump) == _mask(whisper._ALIGNMENT_HEADS["base"])
    # cached: the second call neither converts nor rewrites
    mtime = path.stat().st_mtime_ns
    assert convert.openai_checkpoint(model_dir, cache / "openai") == path
    assert path.stat().st_mtime_ns == mtime


def _mask(dump):
    import base64
    import gzip

    return gzip.decompress(base64.b85decode(dump))


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "trailing", "bad_dtype", "bad_size"])
def test_damaged_model_bin_is_a_user_error(tmp_path, damage):
    good = _model_bin({"w": (0, np.ones((2, 3), np.float32))})
    data = {
        "empty": b"",
        "truncated": good[:-7],
        "garbage": b"\x06\0\0\0\xff\xff" + b"x" * 40,
        "trailing": good + b"\0",
        "bad_dtype": good.replace(struct.pack("<BI", 0, 24), struct.pack("<BI", 9, 24)),
        "bad_size": good.replace(struct.pack("<BI", 0, 24), struct.pack("<BI", 0, 20)),
    }[damage]
    (tmp_path / "model.bin").write_bytes(data)
    with pytest.raises(UserError, match="not a readable CTranslate2 model"):
        ct2_model.read(tmp_path / "model.bin")


def test_truncated_real_model_is_a_user_error(tmp_path, model_dir):
    with open(model_dir / "model.bin", "rb") as f:
        (tmp_path / "model.bin").write_bytes(f.read(5_000_000))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(UserError, match="truncated or corrupt"):
        convert.openai_checkpoint(tmp_path, tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_other_versions_and_models_are_refused_in_one_line(tmp_path):
    (tmp_path / "model.bin").write_bytes(_model_bin({}, version=5))
    with pytest.raises(UserError, match="binary version 5 is not supported"):
        ct2_model.read(tmp_path / "model.bin")
    (tmp_path / "model.bin").write_bytes(_model_bin({}, spec="TransformerSpec"))
    with pytest.raises(UserError, match="not a Whisper model"):
        convert.state_dict(ct2_model.read(tmp_path / "model.bin"))
    (tmp_path / "model.bin").write_bytes(_model_bin({"encoder/conv1/weight": (0, np.ones((4, 2, 3), np.float32))}))
    with pytest.raises(UserError, match="has no encoder layers"):
        convert.state_dict(ct2_model.read(tmp_path / "model.bin"))


@pytest.mark.slow
def test_an_int8_model_is_scaled_back_to_float(base):
    """The bundled model quantised as `ct2-transformers-converter --quantization int8` does:
    per output row (conv: per output channel), stored = round(weight × 127 / max|row|)."""
    dtype_ids = {np.dtype(name): i for i, name in enumerate(ct2_model.DTYPES[:5])}
    stored = {}
    for name, value in base.variables.items():
        if name == "decoder/projection/weight":
            continue  # the alias, written below
        if value.ndim >= 2 and "position_encodings" not in name:
            rows = value.astype(np.float32).reshape(value.shape[0], -1)
            scale = 127 / np.abs(rows).max(axis=1)
            stored[name] = (1, np.rint(rows * scale[:, None]).astype(np.int8).reshape(value.shape))
            stored[f"{name}_scale"] = (0, scale.astype(np.float32))
        else:
            stored[name] = (dtype_ids[value.dtype], np.asarray(value))
    data = _model_bin(stored, aliases=[("decoder/projection/weight", "decoder/embeddings/weight")])
    dims, state = convert.state_dict(ct2_model._parse(data))
    reference_dims, reference = convert.state_dict(base)
    assert dims == reference_dims and state.keys() == reference.keys()
    assert state["encoder.blocks.0.attn.query.weight"].dtype == np.float32
    for key, expected in reference.items():
        half_step = np.abs(expected.astype(np.float32)).max() / 254 + 1e-6
        assert np.abs(state[key] - expected.astype(np.float32)).max() <= half_step, key


def test_dtypes_scalars_and_aliases():
    bf16 = np.array([1.5, -2.0], np.float32).view(np.uint32) >> 16
    data = _model_bin({"half": (4, np.array([[0.5, 1.0]], np.float16)),
                       "brain": (5, bf16.astype(np.uint16)),
                       "flag": (1, np.array(3, np.int8)),
                       "heads": (2, np.array(8, np.int16))},
                      aliases=[("same", "half")])
    m = ct2_model._parse(data)
    assert m.variables["half"].dtype == np.float16 and m.variables["half"].shape == (1, 2)
    np.testing.assert_array_equal(m.variables["brain"], [1.5, -2.0])
    assert int(m.variables["flag"]) == 3 and int(m.variables["heads"]) == 8
    assert m.variables["same"] is m.variables["half"]
