#!/usr/bin/env bash
# Development install on a CPU machine: PyTorch's CPU build first (openai-whisper would
# otherwise pull a multi-GB CUDA build), then kodeklar editable with test and openai extras.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --upgrade pip
python -m pip install "torch==2.13.0"
python -m pip install -e '.[dev,openai]'
# the checkpoint behind transcribe/diarise/segmentation_*.onnx, for their ONNX-vs-torch test
# (tests never download): pyannote's segmentation model as shipped in the whisperx wheel
python -m pip download whisperx==3.8.6 --no-deps -d .cache/whisperx
# the GE2E weights behind transcribe/diarise/speaker_encoder.onnx, for export_encoder's test:
# resemblyzer without its 'typing' backport (it would shadow the standard library's), and
# webrtcvad as the webrtcvad-wheels build (the original imports the removed pkg_resources);
# resemblyzer's other needs (torch, librosa) are installed above
python -m pip install --no-deps "resemblyzer==0.1.4" "webrtcvad-wheels>=2.0.14"
