"""A recording is decoded in pieces of a few minutes, cut at the quietest moment near each
boundary. Each piece is decoded on its own, so the pieces are the unit of checkpointing:
a run killed mid-file continues at the first piece not yet saved, and the finished
transcript is the one an uninterrupted run gives, because the cuts depend only on the audio
and the options."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kodeklar.core.files import write_atomic
from transcribe.coverage import FRAME, SAMPLE_RATE, frame_db

SEARCH_SHARE = 0.1     # the cut is looked for in this last share of a piece,
SEARCH_MIN = 5.0       # but over at least this many seconds (a pause between turns)
SMOOTH = 0.5           # seconds: the quietest half second, not the quietest frame


def cut_points(samples, piece_seconds: float) -> list[float]:
    """Seconds at which the recording is cut: one per `piece_seconds`, each moved back to
    the quietest frame of the quietest half second in the last tenth (at least SEARCH_MIN
    seconds) of its piece. A tail shorter than a quarter of a piece joins the piece before."""
    import numpy as np

    duration = len(samples) / SAMPLE_RATE
    cuts: list[float] = []
    start = 0.0
    while duration - start > piece_seconds * 1.25:
        target = start + piece_seconds
        lo = target - min(piece_seconds / 2, max(SEARCH_MIN, piece_seconds * SEARCH_SHARE))
        db = frame_db(samples[int(lo * SAMPLE_RATE):int(target * SAMPLE_RATE)])
        width = max(1, int(SMOOTH / FRAME))
        smooth = np.convolve(db, np.ones(width) / width, mode="valid") if len(db) >= width else db
        best = int(np.argmin(smooth))
        # within the quietest half second, its quietest frame: a pause may be shorter
        frame = best + int(np.argmin(db[best:best + width]))
        start = round(lo + (frame + 0.5) * FRAME, 2)
        cuts.append(start)
    return cuts


@dataclass
class Checkpoint:
    """The decoded pieces of one recording so far, in one owner-only JSON file, rewritten
    atomically after every piece."""
    path: Path
    resumed_seconds: float = 0.0      # audio an earlier, interrupted run had decoded

    def load(self) -> list[dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            pieces = data["pieces"]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError):
            return []  # a damaged checkpoint is decoded again, never trusted
        self.resumed_seconds = pieces[-1]["end"] if pieces else 0.0
        return pieces

    def save(self, pieces: list[dict]) -> None:
        write_atomic(self.path, json.dumps({"pieces": pieces}, ensure_ascii=False) + "\n", mode=0o600)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
