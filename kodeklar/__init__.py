"""kodeklar: offline, anonymised, speaker-labelled transcripts for qualitative research."""
__version__ = "0.1.0"
