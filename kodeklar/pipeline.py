"""One recording through the flow: ingest → transcribe → diarise → anonymise → export.

Each expensive stage's result is cached under `OUT/private/cache/` by a hash of its input
and every parameter that shapes it, so a re-run with a changed name list re-anonymises
without re-transcribing, and a killed batch resumes where it stopped."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kodeklar import __version__, manifest
from kodeklar.core import transcript as tr
from kodeklar.core.files import write_atomic
from kodeklar.core.errors import UserError
from kodeklar.core.transcript import Source, Transcript

TOOL = f"kodeklar {__version__}"

# what the stages after transcription cost per second of audio, as a share of what
# transcription costs (bench/RESULTS.md, stage costs): progress and ETA count them too
LATER_STAGES = {"diarise": 0.1, "anonymise": 0.02}


def work(duration: float, settings: "Settings") -> float:
    """The work of one recording in seconds of transcription: the unit `process` reports
    progress in (transcription reports the audio position, the later stages their share)."""
    c = settings.config
    later = [s for s, on in (("diarise", c.run.diarise), ("anonymise", c.run.anonymise))
             if on and s in settings.stages]
    return duration * (1 + sum(LATER_STAGES[s] for s in later))


def stage_key(*parts) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class Settings:
    """Everything one batch needs besides the recordings themselves."""
    config: object                       # kodeklar.config.Config
    out: Path
    model: object = None                 # transcribe.models.ModelInfo
    pseudonyms: object = None            # anonymise.pseudonyms.Pseudonyms
    key_file: Path | None = None
    passphrase: str = field(default="", repr=False)
    decisions: list = field(default_factory=list)
    decisions_sha256: str = ""
    stages: tuple[str, ...] = ("transcribe", "diarise", "anonymise", "export")


@dataclass
class Result:
    name: str
    status: str = "failed"              # done | skipped | failed
    duration: float = 0.0
    seconds: float = 0.0
    error: str = ""
    segments: int = 0
    speakers: int = 0
    redactions: int = 0
    review: int = 0
    damage: str = ""                    # the recording is cut off or damaged: see audio.decode
    media: str = ""                     # the shareable audio the exports link, relative to OUT
    untranscribed: list = field(default_factory=list)  # [start, end] of speech left without words
    report: dict = field(default_factory=dict)


def _cached(settings: Settings, key: str, make: Callable[[], Transcript]) -> tuple[Transcript, bool]:
    path = manifest.private_dir(settings.out, "cache") / f"{key}.json"
    if path.is_file():
        try:
            return tr.load(path), True
        except UserError:
            pass  # a damaged cache entry is recomputed, never trusted
    result = make()
    write_atomic(path, result.to_json() + "\n", mode=manifest.PRIVATE_FILE_MODE)
    return result, False


def _decisions_for(settings: Settings, name: str) -> list:
    return [d for d in settings.decisions if d.applies_to(name)]


def final_key(settings: Settings, sha256: str, c) -> str:
    return stage_key(TOOL, sha256, settings.model.sha256 if settings.model else "",
                     c.as_dict(), settings.stages, settings.decisions_sha256)


def process(path: Path, name: str, settings: Settings, entry: dict,
            on_progress: Callable[[float], None] | None = None,
            on_start: Callable[[], None] | None = None) -> Result:
    """Run one recording through every stage. Raises UserError with one clean line.
    `on_progress` gets the work done so far, in the unit of `work()`.
    `on_start` is called once the recording is known to need work (to save the manifest)."""
    from kodeklar.config import for_recording
    from transcribe import asr, audio, models, pieces

    c = for_recording(settings.config, path.stem)
    result = Result(name=name)
    t0 = time.perf_counter()
    sha = models.sha256_file(path)
    done_key = final_key(settings, sha, c)
    if entry.get("status") == "done" and entry.get("key") == done_key and \
            all((settings.out / p).is_file() for p in entry.get("outputs", [])):
        counts = entry.get("counts", {})
        return Result(name=name, status="skipped", duration=entry.get("duration", 0.0),
                      damage=entry.get("damage", ""), report=entry.get("report", {}),
                      media=entry.get("media", ""),
                      untranscribed=entry.get("untranscribed", []),
                      segments=counts.get("segments", 0), speakers=counts.get("speakers", 0),
                      redactions=counts.get("redactions", 0), review=counts.get("review", 0))
    entry.update(sha256=sha, status="running", started=manifest.now(), stages={}, error="")
    stages = entry["stages"]
    if on_start:
        on_start()

    samples = probe = None

    def decoded():
        nonlocal samples, probe
        if samples is None:
            t = time.perf_counter()
            samples, probe = audio.decode(path)
            stages["ingest"] = {"seconds": round(time.perf_counter() - t, 2)}
        return samples

    # transcribe
    t = time.perf_counter()
    asr_key = stage_key("transcribe", TOOL, sha, settings.model.sha256, dataclasses.asdict(c.transcribe))

    checkpoint = pieces.Checkpoint(manifest.private_dir(settings.out, "cache") / f"{asr_key}.partial.json")

    def run_asr():
        samples = decoded()
        source = Source(name=name, sha256=sha, duration=round(probe.duration, 3),
                        channels=probe.channels, sample_rate=probe.sample_rate,
                        damage=probe.damage)
        return asr.transcribe(samples, source, c.transcribe, settings.model, TOOL, on_progress,
                              checkpoint=checkpoint)

    transcript, hit = _cached(settings, asr_key, run_asr)
    checkpoint.remove()
    stages["transcribe"] = {"key": asr_key, "cached": hit, "seconds": round(time.perf_counter() - t, 2),
                            "resumed_seconds": checkpoint.resumed_seconds}
    result.duration = transcript.source.duration
    result.damage = transcript.source.damage
    result.untranscribed = [[u.start, u.end] for u in transcript.untranscribed]

    # diarise
    if "diarise" in settings.stages and c.run.diarise:
        t = time.perf_counter()
        diar_key = stage_key("diarise", asr_key, dataclasses.asdict(c.diarise),
                             c.run.channels_as_speakers, c.run.roles)
        transcript, hit = _cached(settings, diar_key,
                                  lambda: _diarise(transcript, path, decoded, c))
        stages["diarise"] = {"key": diar_key, "cached": hit, "seconds": round(time.perf_counter() - t, 2)}
        if on_progress:
            on_progress(result.duration * (1 + LATER_STAGES["diarise"]))

    raw = transcript
    private_raw = manifest.private_dir(settings.out, "raw") / f"{name}.json"
    write_atomic(private_raw, raw.to_json() + "\n", mode=manifest.PRIVATE_FILE_MODE)
    outputs = [str(private_raw.relative_to(settings.out))]

    # anonymise
    if "anonymise" in settings.stages and c.run.anonymise:
        import anonymise

        t = time.perf_counter()
        transcript = anonymise.anonymise_transcript(raw, c.anonymise, settings.pseudonyms,
                                                    _decisions_for(settings, name))
        if settings.key_file is not None:
            from anonymise import keyfile

            keyfile.save(settings.key_file, settings.pseudonyms, settings.passphrase)
        stages["anonymise"] = {"seconds": round(time.perf_counter() - t, 2)}
        if on_progress:
            on_progress(work(result.duration, settings))

    # export
    if "export" in settings.stages:
        t = time.perf_counter()
        outputs += export_all(transcript, raw, path, name, settings, result)
        stages["export"] = {"seconds": round(time.perf_counter() - t, 2)}

    result.status = "done"
    result.segments = len(transcript.segments)
    result.speakers = len(transcript.speakers)
    result.redactions = len(transcript.redactions)
    result.review = len(transcript.review)
    result.seconds = round(time.perf_counter() - t0, 2)
    entry.update(status="done", key=done_key, finished=manifest.now(), duration=result.duration,
                 damage=result.damage, untranscribed=result.untranscribed,
                 seconds=result.seconds, outputs=outputs, media=result.media,
                 report=result.report,
                 counts={"segments": result.segments, "speakers": result.speakers,
                         "redactions": result.redactions, "review": result.review})
    return result


def _diarise(transcript: Transcript, path: Path, decoded, c) -> Transcript:
    from transcribe import assign, audio, diarize

    if c.run.channels_as_speakers:
        channels, _ = audio.decode(path, mono=False)
        if channels.shape[0] < 2:
            raise UserError(f"{path}: --channels-as-speakers needs a recording with one "
                            f"channel per speaker, this one has 1 channel")
        turns, used = diarize.diarize_channels(channels), {"backend": "channels"}
    else:
        turns, used = diarize.diarize(decoded(), c.diarise), c.diarise.as_params()
    return assign.assign_speakers(transcript, turns, c.run.roles, diariser=used)


def export_all(transcript: Transcript, raw: Transcript, path: Path, name: str,
               settings: Settings, result: Result) -> list[str]:
    """Write every requested format, the reports and the redacted audio. Returns the
    written paths relative to OUT, for the manifest's completeness check."""
    from kodeklar import exporters, redact_audio, report

    c = settings.config
    out = settings.out
    anonymised = transcript.anonymised
    folder = export_folder(out, anonymised)
    mode = None if anonymised else manifest.PRIVATE_FILE_MODE
    written: list[Path] = []

    # the exports link the shareable audio (OUT/media), never the input
    media = None
    if anonymised and c.output.redact_audio != "none":
        media = redact_audio.media_dir(out) / f"{name}.redacted.wav"
        spans = redact_audio.redact_audio(path, transcript, media, mode=c.output.redact_audio)
        transcript.provenance.stages.setdefault("anonymise", {})["redacted_audio"] = {
            "mode": c.output.redact_audio, "spans": [[round(a, 2), round(b, 2)] for a, b in spans]}
    elif anonymised or any(exporters.links_media(fmt) for fmt in c.output.formats):
        # the review pages play each item's stretch from it too
        media = redact_audio.shareable_copy(path, out, name)
    if media is not None:
        written.append(media)
        result.media = str(media.relative_to(out))
    options = exporters.Options(media=media, embed_media=c.output.qdpx_embed_media,
                                text_timestamps=c.output.qdpx_timestamps)

    for fmt in c.output.formats:
        p = exporters.export(transcript, fmt, folder, name, options)
        if mode is not None:
            p.chmod(mode)
        written.append(p)

    if anonymised:
        written += _write_reports(transcript, raw, name, settings, media)
        result.report = report.summary(transcript)
    return [str(p.relative_to(out)) for p in written]


def _write_reports(transcript: Transcript, raw: Transcript, name: str, settings: Settings,
                   media: Path | None) -> list[Path]:
    """The redaction report, the review sheet and the review pages (private with the
    originals, shareable without), and the originals report if asked for."""
    from kodeklar import report
    from kodeklar.exporters import review_page

    c = settings.config
    out = settings.out
    reports = out / "reports"
    reports.mkdir(exist_ok=True)
    key_file = str(settings.key_file) if settings.key_file else None
    key = settings.key_file or out / "private" / "key.kodeklar"
    raw_path = manifest.private_dir(out, "raw") / f"{name}.json"
    files = report.review_files(
        name, raw=str(raw_path.relative_to(out)),
        key=str(key.relative_to(out)) if key.is_relative_to(out) else str(key))
    written = report.write_report(transcript, reports, name, key_file=key_file,
                                  settings=c.shareable_dict(), lang=c.output.lang,
                                  review_files=files)
    manifest.private_dir(out, "review")  # owner-only, before the sheet and page land in it
    sheet = report.write_review_sheet(transcript, out / files["sheet"], name, raw)
    sheet.chmod(manifest.PRIVATE_FILE_MODE)
    written.append(sheet)
    for path, private in ((out / files["page"], True), (out / files["shareable_page"], False)):
        written.append(review_page.write(transcript, raw, path, media=media, lang=c.output.lang,
                                         command=files["page_command"], private=private))
    if c.output.report_include_originals:
        p = report.write_originals_report(transcript, raw, manifest.private_dir(out, "reports"),
                                          name)
        p.chmod(manifest.PRIVATE_FILE_MODE)
        written.append(p)
    return written


def export_folder(out: Path, anonymised: bool) -> Path:
    # without anonymisation the transcripts hold personal data: owner-only folder
    folder = out / "anonymised" if anonymised else manifest.make_private(out / "transcripts")
    folder.mkdir(exist_ok=True)
    return folder


def study_project(settings: Settings, results: list[Result]) -> Path:
    """`output.qdpx_project`: one REFI-QDA project of every recording that is done, made
    from their JSON transcripts beside it and linking the same audio as their own exports."""
    from kodeklar import exporters
    from kodeklar.exporters import qdpx

    c = settings.config
    folder = export_folder(settings.out, c.run.anonymise)
    recordings = [(tr.load(folder / f"{r.name}.json"),
                   settings.out / r.media if r.media else None)
                  for r in results if r.status != "failed"]
    options = exporters.Options(embed_media=c.output.qdpx_embed_media,
                                text_timestamps=c.output.qdpx_timestamps)
    target = qdpx.project_path(folder, Path(c.output.qdpx_project).name)
    return write_atomic(target, qdpx.project(target.stem, recordings, options),
                           mode=None if c.run.anonymise else manifest.PRIVATE_FILE_MODE)
