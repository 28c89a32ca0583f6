"""kodeklar: offline, anonymised, speaker-labelled transcripts for qualitative research."""
# first of all: the offline and no-telemetry switches, before any library is imported
from kodeklar.core import offline  # noqa: F401

__version__ = "0.1.0"
