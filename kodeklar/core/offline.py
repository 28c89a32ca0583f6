"""No network and no telemetry, for every library kodeklar may load.

The libraries read these switches once, when they are imported, so this module must run
before any of them: `kodeklar/__init__.py` imports it first, and `transcribe` and `anonymise`
import it, so the CLI, `python -m kodeklar` and the library API all pass here.
The values are forced, not defaults: a researcher's shell may have telemetry or the hub on
for other work, and kodeklar's promise is that nothing leaves the machine."""
import os

SWITCHES = {
    # onnxruntime (speaker models) carries Microsoft's 1DS telemetry client, which stores a
    # device id and events under ~/.cache/Microsoft for later upload; only this variable,
    # set before import, stops the store being created
    "ORT_DISABLE_TELEMETRY": "1",
    # huggingface_hub (used by faster-whisper and pyannote): no model lookups, no telemetry
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    # transformers, which the pyannote backend may pull in
    "TRANSFORMERS_OFFLINE": "1",
    # pyannote.audio's usage metrics (the pyannote backend)
    "PYANNOTE_METRICS_ENABLED": "0",
    # the Console Do Not Track convention, for any library that honours it
    "DO_NOT_TRACK": "1",
}

os.environ.update(SWITCHES)
