"""Speaker embeddings from resemblyzer's GE2E encoder, exported to ONNX by
`export_encoder.py` and run on onnxruntime."""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

ONNX_PATH = Path(__file__).with_name("speaker_encoder.onnx")
BATCH = 64  # windows per run: bounds memory on long recordings


@functools.lru_cache(maxsize=1)
def _session():
    import onnxruntime

    opts = onnxruntime.SessionOptions()
    opts.log_severity_level = 3
    return onnxruntime.InferenceSession(str(ONNX_PATH), sess_options=opts,
                                        providers=["CPUExecutionProvider"])


def embed(mel: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """Embeddings of the windows mel[s:s + width] for s in `starts`: (len(starts), 256),
    unit length. Windows are cut batch by batch: stacked at once, a long recording's
    overlapping windows would take gigabytes."""
    if len(starts) == 0:
        return np.zeros((0, 256), dtype=np.float32)
    session = _session()
    out = []
    for i in range(0, len(starts), BATCH):
        batch = np.stack([mel[s:s + width] for s in starts[i:i + BATCH]]).astype(np.float32)
        out.append(session.run(None, {"mels": batch})[0])
    return np.concatenate(out)
