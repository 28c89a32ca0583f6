"""Speech to Transcript: audio decoding, Whisper engines, offline model resolution,
hallucination guards, diarisation and speaker-to-word assignment.

Imports nothing of kodeklar but `kodeklar.transcript`; heavy libraries load lazily."""
