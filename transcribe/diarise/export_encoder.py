"""Export resemblyzer's pretrained GE2E speaker encoder to ONNX, once, for the embedded
diariser: at run time the encoder runs on onnxruntime, so torch stays out of the default path.

    /work/venv/bin/python -m transcribe.diarise.export_encoder

Needs torch and resemblyzer (dev only). Writes `speaker_encoder.onnx` beside this file and
prints its sha256 and the largest difference between the ONNX and the torch embeddings on
random mel input of several lengths; the numbers are recorded in `speaker_encoder.md`.
The weights are resemblyzer's (Apache-2.0, Corentin Jemine); see `speaker_encoder.md`.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

ONNX_PATH = Path(__file__).with_name("speaker_encoder.onnx")
TOLERANCE = 1e-5  # embeddings are unit vectors; float32 LSTM reorderings differ by ~1e-7


def export(path: Path = ONNX_PATH) -> float:
    import onnxruntime
    import torch
    from resemblyzer import VoiceEncoder

    model = VoiceEncoder(device="cpu", verbose=False).eval()
    example = torch.randn(2, 160, 40).abs()
    torch.onnx.export(model, (example,), str(path), input_names=["mels"],
                      output_names=["embeddings"], opset_version=17, dynamo=False,
                      dynamic_axes={"mels": {0: "batch", 1: "frames"},
                                    "embeddings": {0: "batch"}})
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    worst = 0.0
    for batch, frames in [(1, 160), (7, 160), (3, 80), (2, 400)]:
        # mel power spectra are non-negative and heavy-tailed; exponentials look like them
        mels = rng.exponential(0.5, size=(batch, frames, 40)).astype(np.float32)
        with torch.no_grad():
            ref = model(torch.from_numpy(mels)).numpy()
        got = session.run(None, {"mels": mels})[0]
        worst = max(worst, float(np.abs(ref - got).max()))
    if worst > TOLERANCE:
        raise SystemExit(f"ONNX differs from torch by {worst:.2e} > {TOLERANCE:.0e}")
    return worst


def main() -> None:
    worst = export()
    digest = hashlib.sha256(ONNX_PATH.read_bytes()).hexdigest()
    print(f"{ONNX_PATH.name}: {ONNX_PATH.stat().st_size} bytes, sha256 {digest}")
    print(f"max |onnx - torch| over test batches: {worst:.2e} (tolerance {TOLERANCE:.0e})")


if __name__ == "__main__":
    main()
