"""The committed speaker encoder (transcribe/diarise/speaker_encoder.onnx) is resemblyzer's
GE2E encoder: exporting it again, as export_encoder does, gives the same embeddings.
Needs torch and resemblyzer (scripts/install-dev.sh); nothing is downloaded."""
import numpy as np
import onnxruntime

from transcribe.diarise import export_encoder


def embed(model_path, mels):
    session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    return session.run(None, {"mels": mels})[0]


def test_a_fresh_export_matches_torch_and_the_committed_model(tmp_path):
    fresh = tmp_path / "speaker_encoder.onnx"
    assert export_encoder.export(fresh) <= export_encoder.TOLERANCE
    mels = np.random.default_rng(1).exponential(0.5, size=(3, 160, 40)).astype(np.float32)
    got, committed = embed(fresh, mels), embed(export_encoder.ONNX_PATH, mels)
    assert np.abs(got - committed).max() < export_encoder.TOLERANCE
    # unit vectors that differ between speakers' inputs: not a constant model
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    assert np.abs(got[0] - got[1]).max() > 1e-3
