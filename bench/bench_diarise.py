"""DER of a diariser on sample.wav and the ami_debug clips, with pyannote.metrics.

    /work/venv/bin/python bench/bench_diarise.py [--data DIR] [--backend embedded]
        [--oracle-count] [--telephone] [--set KEY=VALUE ...] [--offsets MS[,MS...]]

Prints a markdown table: per clip the reference and found speaker counts, DER with a
0.25 s collar and without, its parts (missed, false alarm, confusion; collar 0.25), and
the overall figures; then diarisation time against audio duration (real-time factor), and
the floor: the DER of a perfect diariser that gives one speaker per moment (the reference
itself with overlapped speech reduced to one speaker), which the embedded backend cannot
beat. `--offsets` runs it all again with every embedding window shifted by each of these
milliseconds: a result that changes when the windows move by 50 ms is luck, not method,
so settings are compared on the mean over offsets. `--telephone` scores each clip's
telephone copy instead: band-limited to 300-3400 Hz and sampled at 8 kHz."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYANNOTE_METRICS_ENABLED", "0")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from transcribe.audio import decode  # noqa: E402
from transcribe.diarise import DiariseOptions, diarise, embedded  # noqa: E402

_WINDOW_STARTS = embedded.window_starts

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "diarization"


def clips(data: Path):
    """(name, wav, reference rttm, uem or None), sample first, then dev and train clips."""
    yield "sample", data / "sample.wav", data / "sample.rttm", None
    ami = data / "ami_debug"
    for part in ("development", "train"):
        for line in (ami / f"debug.{part}.uem").read_text().splitlines():
            name = line.split()[0]
            yield name, ami / f"{name}.wav", ami / f"debug.{part}.rttm", ami / f"debug.{part}.uem"


def telephone(audio: np.ndarray) -> np.ndarray:
    """A 16 kHz recording as a phone line carries it: 300-3400 Hz at 8 kHz."""
    from scipy.signal import butter, resample_poly, sosfiltfilt

    narrow = sosfiltfilt(butter(8, [300, 3400], btype="band", fs=16000, output="sos"), audio)
    return resample_poly(narrow, 1, 2).astype(np.float32)


def evaluate(data: Path, options: dict, oracle_count: bool, phone: bool = False):
    """Per-clip rows and the two overall metrics (collar 0.25 and 0) for one setting."""
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.database.util import load_rttm, load_uem
    from pyannote.metrics.diarization import DiarizationErrorRate

    collared, strict = DiarizationErrorRate(collar=0.25), DiarizationErrorRate(collar=0.0)
    floor = DiarizationErrorRate(collar=0.25)
    rows, total_audio, total_time = [], 0.0, 0.0
    for name, wav, rttm, uem_file in clips(data):
        audio, rate = decode(wav)[0], 16000
        if phone:
            audio, rate = telephone(audio), 8000
        reference = load_rttm(rttm)[name]
        uem = (load_uem(uem_file)[name] if uem_file
               else Timeline([Segment(0, len(audio) / rate)]))
        clip_options = DiariseOptions(**options,
                                      speakers=len(reference.labels()) if oracle_count else None)
        diarise(audio[:rate], clip_options, rate)  # warm-up: model loading is not per-clip work
        t0 = time.perf_counter()
        turns = diarise(audio, clip_options, rate)
        total_time += time.perf_counter() - t0
        total_audio += len(audio) / rate
        hypothesis = Annotation(uri=name)
        for t in turns:
            hypothesis[Segment(t.start, t.end)] = t.speaker
        d = collared(reference, hypothesis, uem=uem, detailed=True)
        d0 = strict(reference, hypothesis, uem=uem)
        floor(reference, one_speaker_at_a_time(reference), uem=uem)
        rows.append((name, len(reference.labels()), len(hypothesis.labels()),
                     d["diarization error rate"], d0, d["missed detection"] / d["total"],
                     d["false alarm"] / d["total"], d["confusion"] / d["total"]))
    return rows, collared, strict, abs(floor), total_time / total_audio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--backend", default="embedded")
    ap.add_argument("--oracle-count", action="store_true",
                    help="tell the diariser the reference number of speakers")
    ap.add_argument("--telephone", action="store_true",
                    help="score each clip's 8 kHz, 300-3400 Hz telephone copy")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a DiariseOptions field, e.g. cluster_threshold=0.4")
    ap.add_argument("--offsets", default="0", metavar="MS[,MS...]",
                    help="shift the segmentation windows by each of these milliseconds "
                         "in turn and report each result and their mean")
    args = ap.parse_args()
    fields = DiariseOptions.__dataclass_fields__
    options = {"backend": args.backend,
               **{k: type(getattr(DiariseOptions(), k))(v)
                  for k, v in (s.split("=", 1) for s in args.set) if k in fields}}

    summary = []
    for i, offset in enumerate(int(ms) for ms in args.offsets.split(",")):
        _shift_windows(offset)
        rows, collared, strict, floor, rtf = evaluate(args.data, options, args.oracle_count,
                                                      args.telephone)
        parts = {k: sum(r[k] for _, r in collared.results_) for k in
                 ("missed detection", "false alarm", "confusion", "total")}
        total = parts["total"]
        overall = (f"**{abs(collared):.3f}** | **{abs(strict):.3f}** | "
                   f"{parts['missed detection'] / total:.3f} | {parts['false alarm'] / total:.3f} | "
                   f"{parts['confusion'] / total:.3f}")
        counts_right = sum(r[1] == r[2] for r in rows)
        train_der, held_out_der = (_der([r for uri, r in collared.results_
                                         if uri.startswith("trn") == train]) for train in (True, False))
        summary.append((offset, abs(collared), abs(strict), train_der, held_out_der, counts_right,
                        overall))
        if i == 0:
            print(f"window offset {offset} ms\n")
            print("| clip | speakers ref | found | DER 0.25 | DER 0 | missed | false alarm | confusion |")
            print("|---|---|---|---|---|---|---|---|")
            for name, n_ref, n_hyp, der, der0, miss, fa, conf in rows:
                print(f"| {name} | {n_ref} | {n_hyp} | {der:.3f} | {der0:.3f} | {miss:.3f} | {fa:.3f} "
                      f"| {conf:.3f} |")
            print(f"| **overall** | | | {overall} |")
            print(f"\nspeaker count right on {counts_right}/{len(rows)} clips; diarisation "
                  f"{rtf:.3f} x real time ({os.cpu_count()} cores); floor for one speaker at a "
                  f"time: DER {floor:.3f} (collar 0.25)")
    if len(summary) > 1:
        print("\n| window offset, ms | DER 0.25 | DER 0 | missed | false alarm | confusion "
              "| trn (tuned on), DER 0.25 | sample + dev (held out), DER 0.25 | counts right |")
        print("|---|---|---|---|---|---|---|---|---|")
        for offset, _, _, train_der, held_out_der, counts_right, overall in summary:
            print(f"| {offset} | {overall} | {train_der:.3f} | {held_out_der:.3f} "
                  f"| {counts_right}/{len(rows)} |")
        mean = np.mean([s[1:6] for s in summary], axis=0)
        print(f"| **mean** | **{mean[0]:.3f}** | **{mean[1]:.3f}** | | | | **{mean[2]:.3f}** "
              f"| **{mean[3]:.3f}** | {mean[4]:.1f} |")


def _der(results) -> float:
    return (sum(r["missed detection"] + r["false alarm"] + r["confusion"] for r in results)
            / sum(r["total"] for r in results))


def one_speaker_at_a_time(reference, step: float = 0.01):
    """The reference with overlap removed: where several people speak, the one already
    speaking keeps the floor (else the first listed)."""
    from pyannote.core import Annotation, Segment

    labels = sorted(reference.labels())
    end = max((s.end for s in reference.get_timeline()), default=0.0)
    active = np.zeros((int(np.ceil(end / step)), len(labels)), dtype=bool)
    for segment, _, label in reference.itertracks(yield_label=True):
        active[int(segment.start / step):int(segment.end / step), labels.index(label)] = True
    current, keep = -1, np.full(len(active), -1)
    for t, now in enumerate(active):
        if not now.any():
            current = -1
            continue
        if current < 0 or not now[current]:
            current = int(now.argmax())
        keep[t] = current
    result = Annotation(uri=reference.uri)
    for k, label in enumerate(labels):
        frames = np.flatnonzero(keep == k)
        for run in np.split(frames, np.flatnonzero(np.diff(frames) > 1) + 1):
            if len(run):
                result[Segment(run[0] * step, (run[-1] + 1) * step)] = label
    return result


def _shift_windows(ms: int) -> None:
    """Every segmentation window starts `ms` later (the first one still at 0)."""
    from transcribe.diarise import segmentation

    shift = int(round(ms / 1000 * segmentation.SAMPLE_RATE / segmentation.FRAME))

    def shifted(n_samples, step):
        starts = _WINDOW_STARTS(n_samples, step)
        return np.unique(np.concatenate([[0], np.minimum(starts + shift, starts[-1])]))

    embedded.window_starts = shifted


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
