"""Speech to Transcript: audio decoding, Whisper engines, offline model resolution,
hallucination guards, diarisation and speaker-to-word assignment.

Imports nothing of kodeklar but `kodeklar.core`; heavy libraries load lazily."""
# the offline and no-telemetry switches, before any library is imported
import kodeklar.core.offline  # noqa: F401
