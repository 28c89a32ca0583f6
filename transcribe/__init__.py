"""Speech to Transcript: audio decoding, Whisper engines, offline model resolution,
hallucination guards, diarisation and speaker-to-word assignment.

Imports nothing of kodeklar but `kodeklar.transcript`; heavy libraries load lazily."""
import os

# never reach for a model hub or a telemetry endpoint: set before any of those libraries
# is imported (they read these once, at import)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0")
