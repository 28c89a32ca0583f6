"""Speaker embeddings from resemblyzer's GE2E encoder, exported to ONNX by
`export_encoder.py` and run on onnxruntime."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import runtime

ONNX_PATH = Path(__file__).with_name("speaker_encoder.onnx")
BATCH = 64  # windows per run: bounds memory on long recordings


def _session():
    return runtime.session(ONNX_PATH)


def embed_partials(utterances: list[np.ndarray], width: int, hop: int):
    """Embeddings of every `width`-frame partial, `hop` frames apart, of each mel utterance
    (each at least `width` frames): (n_partials, 256) unit vectors and, per partial, the
    index of its utterance. Partials are cut batch by batch: stacked at once, a long
    recording's overlapping partials would take gigabytes."""
    index = [(u, a) for u, mel in enumerate(utterances)
             for a in range(0, len(mel) - width + 1, hop)]
    session = _session()
    out = []
    for i in range(0, len(index), BATCH):
        batch = np.stack([utterances[u][a:a + width] for u, a in index[i:i + BATCH]])
        out.append(session.run(None, {"mels": batch.astype(np.float32)})[0])
    return np.concatenate(out), np.array([u for u, _ in index])
