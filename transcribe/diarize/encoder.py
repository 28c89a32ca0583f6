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


def embed(mels: np.ndarray) -> np.ndarray:
    """(n, frames, 40) mel windows -> (n, 256) unit-length embeddings."""
    if len(mels) == 0:
        return np.zeros((0, 256), dtype=np.float32)
    session = _session()
    out = [session.run(None, {"mels": np.ascontiguousarray(mels[i:i + BATCH], np.float32)})[0]
           for i in range(0, len(mels), BATCH)]
    return np.concatenate(out)
