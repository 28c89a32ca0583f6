"""One recording through the flow: ingest → transcribe → diarise → anonymise → export.

Each expensive stage's result is cached under `OUT/private/cache/` by a hash of its input,
every parameter that shapes it and the stage's code version (versions.py), so a re-run with
a changed name list re-anonymises without re-transcribing, and a killed batch resumes where
it stopped. The stages are a table; one helper times, caches and records each."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kodeklar import __version__
from kodeklar.app import events, manifest, versions
from kodeklar.core import transcript as tr
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic
from kodeklar.core.transcript import Source, Transcript

TOOL = f"kodeklar {__version__}"
STAGES = ("transcribe", "diarise", "anonymise", "export")

# seconds of audio from which the speech model is unloaded before diarisation: what
# diarisation holds grows with the recording (activity, spectrogram, voices), and beside the
# model it would set the run's peak memory; reloading costs seconds, decoding took minutes
RELEASE_MODEL_FROM = 3600.0

# what the stages after transcription cost per second of audio, as a share of what
# transcription costs (bench/RESULTS.md, stage costs): progress and ETA count them too
LATER_STAGES = {"diarise": 0.3, "anonymise": 0.02}


def _wanted(stage: str, settings: "Settings", config=None) -> bool:
    run = (config or settings.config).run
    switch = {"diarise": run.diarise, "anonymise": run.anonymise}.get(stage, True)
    return stage in settings.stages and bool(switch)


def work(duration: float, settings: "Settings", upto: str | None = None) -> float:
    """The work of one recording in seconds of transcription: the unit `process` reports
    progress in (transcription reports the audio position, the later stages their share).
    With `upto`, the work done once that stage is done."""
    later = list(LATER_STAGES)
    if upto is not None:
        later = later[:later.index(upto) + 1]
    return duration * (1 + sum(LATER_STAGES[s] for s in later if _wanted(s, settings)))


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
    stages: tuple[str, ...] = STAGES
    no_cache: frozenset[str] = frozenset()   # stages to redo although their result is cached
    # the finishing job of a Slurm array: transcripts come from the array tasks' cache only;
    # a recording without one fails instead of being transcribed here
    cached_only: bool = False


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


@dataclass
class Job:
    """One recording on its way through the stages."""
    path: Path | None                   # the recording; None when re-anonymising without it
    name: str
    settings: Settings
    config: object                      # the settings' config with this recording's overrides
    sha: str
    on_event: events.OnEvent
    result: Result
    stages: dict                        # the manifest entry's per-stage record
    transcript: Transcript | None = None
    raw: Transcript | None = None
    outputs: list[str] = field(default_factory=list)
    samples: object = None
    probe: object = None
    started: float = field(default_factory=time.perf_counter)

    def decoded(self):
        from transcribe import audio

        if self.samples is None:
            t = time.perf_counter()
            # on disk, read a piece at a time: memory must not grow with the recording.
            # Named by the recording, which only one process works on at a time (its lock):
            # two copies of one file in a Slurm array have one sha256 but two names
            spill = manifest.private_dir(self.settings.out, "cache") / f"{self.name}.audio.f32"
            self.samples, self.probe = audio.decode_to_file(self.path, spill)
            self.stages["ingest"] = {"seconds": round(time.perf_counter() - t, 2)}
        return self.samples

    def progress(self, done: float) -> None:
        self.on_event(events.Progress(self.name, done))


def _cached(job: Job, stage: str, key: str, make: Callable[[], Transcript]) -> tuple[Transcript, bool]:
    path = manifest.private_dir(job.settings.out, "cache") / f"{key}.json"
    if path.is_file() and stage not in job.settings.no_cache:
        try:
            return tr.load(path), True
        except UserError:
            pass  # a damaged cache entry is recomputed, never trusted
    if job.settings.cached_only:
        raise UserError(f"{job.path}: its transcript is missing: its Slurm array task failed or "
                        f"was killed (logs in OUT/slurm/logs); run kodeklar slurm again to finish it")
    result = make()
    write_atomic(path, result.to_json() + "\n", mode=manifest.PRIVATE_FILE_MODE)
    return result, False


def _step(job: Job, stage: str, make: Callable[[], Transcript], key: str = "") -> Transcript:
    """Run one stage: from the cache when it has a key, timed, recorded in the manifest
    entry, announced, and its share of the progress reported."""
    t = time.perf_counter()
    transcript, hit = _cached(job, stage, key, make) if key else (make(), False)
    seconds = round(time.perf_counter() - t, 2)
    job.stages[stage] = {"key": key, "cached": hit, "seconds": seconds} if key else {"seconds": seconds}
    job.on_event(events.StageDone(job.name, stage, seconds, hit))
    if stage in LATER_STAGES:
        job.progress(work(job.result.duration, job.settings, upto=stage))
    return transcript


def transcribe_key(settings: Settings, sha256: str, c) -> str:
    return stage_key("transcribe", TOOL, versions.version("transcribe"), sha256,
                     settings.model.sha256, dataclasses.asdict(c.transcribe))


def diarise_key(transcribe_key: str, c) -> str:
    return stage_key("diarise", versions.version("diarise"), transcribe_key,
                     dataclasses.asdict(c.diarise), c.run.channels_as_speakers, c.run.roles)


def transcribed(path: Path, settings: Settings) -> bool:
    """Whether the stages that make the raw transcript (transcription, and diarisation if
    on) are cached for the recording at `path`: what one Slurm array task leaves behind."""
    from kodeklar.config import for_recording
    from transcribe import models

    if settings.no_cache & {"transcribe", "diarise"}:
        return False
    c = for_recording(settings.config, path.stem)
    key = transcribe_key(settings, models.sha256_file(path), c)
    if _wanted("diarise", settings, c):
        key = diarise_key(key, c)
    return (settings.out / "private" / "cache" / f"{key}.json").is_file()


def _transcribe(job: Job) -> Transcript:
    from transcribe import asr, pieces

    s, c = job.settings, job.config
    key = transcribe_key(s, job.sha, c)
    checkpoint = pieces.Checkpoint(manifest.private_dir(s.out, "cache") / f"{key}.partial.json")
    if "transcribe" in s.no_cache:
        checkpoint.remove()

    def make():
        samples = job.decoded()
        p = job.probe
        source = Source(name=job.name, sha256=job.sha, duration=round(p.duration, 3),
                        channels=p.channels, sample_rate=p.sample_rate, damage=p.damage)
        return asr.transcribe(samples, source, c.transcribe, s.model, TOOL, job.progress,
                              checkpoint=checkpoint)

    transcript = _step(job, "transcribe", make, key)
    checkpoint.remove()
    job.stages["transcribe"]["resumed_seconds"] = checkpoint.resumed_seconds
    r = job.result
    r.duration, r.damage = transcript.source.duration, transcript.source.damage
    r.untranscribed = [[u.start, u.end] for u in transcript.untranscribed]
    return transcript


def _diarise(job: Job) -> Transcript:
    c = job.config
    key = diarise_key(job.stages["transcribe"]["key"], c)

    def make():
        if job.transcript.source.duration >= RELEASE_MODEL_FROM:
            from transcribe import asr

            asr.release()
        transcribed = job.result.duration  # the work done so far, in `work()`'s unit

        def progress(share: float) -> None:
            job.progress(transcribed + share * LATER_STAGES["diarise"] * transcribed)
        return speakers(job.transcript, job.path, job.decoded, c, progress)
    return _step(job, "diarise", make, key)


def speakers(transcript: Transcript, path: Path, decoded, c,
             on_progress: Callable[[float], None] | None = None) -> Transcript:
    from transcribe import assign, audio, diarise

    if c.run.channels_as_speakers:
        channels, _ = audio.decode(path, mono=False)
        if channels.shape[0] < 2:
            raise UserError(f"{path}: --channels-as-speakers needs a recording with one "
                            f"channel per speaker, this one has 1 channel")
        turns, used = diarise.diarise_channels(channels), {"backend": "channels"}
    else:
        audio, options = decoded(), c.diarise
        used = options.as_params()
        if options.backend == "embedded":
            from transcribe.diarise import vad_fill

            # decided here, once, because the setting alone does not say whether this
            # recording was found narrowband; the diariser is told the outcome
            used["vad_fill_applied"] = vad_fill.applies(audio, options.vad_fill)
            options = dataclasses.replace(options, vad_fill="always" if used["vad_fill_applied"] else "never")
        turns = diarise.diarise(audio, options, on_progress=on_progress)
    return assign.assign_speakers(transcript, turns, c.run.roles, diariser=used)


def _anonymise(job: Job) -> Transcript:
    def make():
        import anonymise

        s = job.settings
        decisions = [d for d in s.decisions if d.applies_to(job.name)]
        result = anonymise.anonymise_transcript(job.raw, job.config.anonymise, s.pseudonyms, decisions)
        if s.key_file is not None:
            from anonymise import keyfile

            keyfile.save(s.key_file, s.pseudonyms, s.passphrase)
        return result
    return _step(job, "anonymise", make)


def _export(job: Job) -> Transcript:
    def make():
        job.outputs += export_all(job)
        return job.transcript
    return _step(job, "export", make)


# the stages that make the raw transcript, and those that use it
MAKE = (("transcribe", _transcribe), ("diarise", _diarise))
USE = (("anonymise", _anonymise), ("export", _export))


def final_key(settings: Settings, sha256: str, c) -> str:
    return stage_key(TOOL, sha256, settings.model.sha256 if settings.model else "",
                     c.as_dict(), settings.stages, settings.decisions_sha256,
                     [versions.version(s) for s in STAGES])


def process(path: Path, name: str, settings: Settings, entry: dict,
            on_event: events.OnEvent = events.ignore,
            on_start: Callable[[], None] | None = None) -> Result:
    """Run one recording through every stage. Raises UserError with one clean line.
    `on_event` gets Progress (in the unit of `work()`), StageDone and FilesRemoved.
    `on_start` is called once the recording is known to need work (to save the manifest)."""
    from kodeklar.config import for_recording
    from transcribe import models

    started = time.perf_counter()
    c = for_recording(settings.config, path.stem)
    sha = models.sha256_file(path)
    done_key = final_key(settings, sha, c)
    if not settings.no_cache and entry.get("status") == "done" and entry.get("key") == done_key \
            and all((settings.out / p).is_file() for p in entry.get("outputs", [])):
        counts = entry.get("counts", {})
        return Result(name=name, status="skipped", duration=entry.get("duration", 0.0),
                      damage=entry.get("damage", ""), report=entry.get("report", {}),
                      media=entry.get("media", ""),
                      untranscribed=entry.get("untranscribed", []),
                      segments=counts.get("segments", 0), speakers=counts.get("speakers", 0),
                      redactions=counts.get("redactions", 0), review=counts.get("review", 0))
    job = _start(path, name, settings, c, sha, entry, on_event)
    job.started = started
    if on_start:
        on_start()
    try:
        for stage, run in MAKE:
            if stage == "transcribe" or _wanted(stage, settings, c):
                job.transcript = run(job)
    finally:
        if job.samples is not None:
            job.samples.remove()
    job.raw = job.transcript
    private_raw = manifest.private_dir(settings.out, "raw") / f"{name}.json"
    write_atomic(private_raw, job.raw.to_json() + "\n", mode=manifest.PRIVATE_FILE_MODE)
    job.outputs.append(str(private_raw.relative_to(settings.out)))
    return _finish(job, entry, done_key)


def redo(raw: Transcript, name: str, settings: Settings, entry: dict, audio: Path | None,
         on_event: events.OnEvent = events.ignore) -> Result:
    """The stages after the raw transcript (anonymise, export) again, for `kodeklar
    anonymise`: the same stage code as `process`. `audio` is the recording when it is known
    (the run's own input), for the shareable or redacted copy the exports link."""
    from kodeklar.config import for_recording

    c = for_recording(settings.config, name)
    if c.run.roles:  # `run` labels the speakers when it diarises; the config may have changed since
        raw = dataclasses.replace(raw, speakers=[dataclasses.replace(s, label=c.run.roles.get(s.id, s.label))
                                                 for s in raw.speakers])
    job = _start(audio, name, settings, c, raw.source.sha256, entry, on_event)
    job.result.duration = raw.source.duration
    job.result.damage = raw.source.damage
    job.result.untranscribed = [[u.start, u.end] for u in raw.untranscribed]
    job.transcript = job.raw = raw
    # no done-key: a later `kodeklar run` into OUT checks its own stages again
    return _finish(job, entry, "")


def _start(path, name, settings, c, sha, entry, on_event) -> Job:
    entry.update(sha256=sha, status="running", started=manifest.now(), stages={}, error="")
    return Job(path=path, name=name, settings=settings, config=c, sha=sha, on_event=on_event,
               result=Result(name=name), stages=entry["stages"])


def _finish(job: Job, entry: dict, done_key: str) -> Result:
    for stage, run in USE:
        if _wanted(stage, job.settings, job.config):
            job.transcript = run(job)
    if "export" in job.settings.stages:
        _remove_stale(job, entry.get("outputs", []))
    result, t = job.result, job.transcript
    result.status = "done"
    result.segments, result.speakers = len(t.segments), len(t.speakers)
    result.redactions, result.review = len(t.redactions), len(t.review)
    result.seconds = round(time.perf_counter() - job.started, 2)
    entry.update(status="done", key=done_key, finished=manifest.now(), duration=result.duration,
                 damage=result.damage, untranscribed=result.untranscribed,
                 seconds=result.seconds, outputs=job.outputs, media=result.media,
                 report=result.report,
                 counts={"segments": result.segments, "speakers": result.speakers,
                         "redactions": result.redactions, "review": result.review})
    return result


def _remove_stale(job: Job, before: list[str]) -> None:
    """The shareable transcripts of the previous run of this recording that this run no
    longer writes (fewer formats): removed, so that the folder and the manifest agree."""
    out = job.settings.out
    stale = [p for p in before if p not in job.outputs and p.split("/")[0] in ("anonymised", "transcripts")
             and (out / p).is_file()]
    for p in stale:
        (out / p).unlink()
    if stale:
        job.on_event(events.FilesRemoved(job.name, stale))


def export_all(job: Job) -> list[str]:
    """Write every requested format, the reports and the redacted audio. Returns the
    written paths relative to OUT, for the manifest's completeness check."""
    from kodeklar import exporters
    from kodeklar.app import export, redact_audio
    from kodeklar.exporters.report.data import summary

    transcript, name, settings, result = job.transcript, job.name, job.settings, job.result
    c = settings.config
    out = settings.out
    anonymised = transcript.anonymised
    folder = export_folder(out, anonymised)
    written: list[Path] = []

    # the exports link the shareable audio (OUT/media), never the input
    media = None
    if job.path is None:
        pass  # re-anonymised from a transcript whose recording is not known here
    elif anonymised and c.output.redact_audio != "none":
        media = redact_audio.media_dir(out) / f"{name}.redacted.wav"
        spans = redact_audio.redact_audio(job.path, transcript, media, mode=c.output.redact_audio)
        transcript.provenance.stages.setdefault("anonymise", {})["redacted_audio"] = {
            "mode": c.output.redact_audio, "spans": [[round(a, 2), round(b, 2)] for a, b in spans]}
    elif anonymised or any(exporters.links_media(fmt) for fmt in c.output.formats):
        # the review pages play each item's stretch from it too
        media = redact_audio.shareable_copy(job.path, out, name)
    if media is not None:
        written.append(media)
        result.media = str(media.relative_to(out))
    options = exporters.Options(media=media, embed_media=c.output.qdpx_embed_media,
                                text_timestamps=c.output.qdpx_timestamps)
    written += export.formats(transcript, c.output.formats, folder, name, options,
                              mode=None if anonymised else manifest.PRIVATE_FILE_MODE)

    if anonymised:
        written += _write_reports(job, media)
        result.report = summary(transcript)
    return [str(p.relative_to(out)) for p in written]


def _write_reports(job: Job, media: Path | None) -> list[Path]:
    """The redaction report, the review sheet and the review pages (private with the
    originals, shareable without), and the originals report if asked for. `media`: the
    audio this run wrote; re-anonymised without the recording, the pages play the copy an
    earlier run left in OUT/media."""
    from kodeklar.app import redact_audio
    from kodeklar.exporters import review_page
    from kodeklar.exporters.report.sheets import write_review_sheet
    from kodeklar.exporters.report.writers import (review_files, write_originals_report,
                                                   write_report)

    transcript, raw, name, settings = job.transcript, job.raw, job.name, job.settings
    c = settings.config
    out = settings.out
    reports = out / "reports"
    reports.mkdir(exist_ok=True)
    key_file = str(settings.key_file) if settings.key_file else None
    key = Path(settings.key_file or out / "private" / "key.kodeklar")
    written: list[Path] = []
    raw_path = manifest.private_dir(out, "raw") / f"{name}.json"
    if not raw_path.is_file():
        # re-anonymised from a transcript elsewhere: the command the report names reads it here
        write_atomic(raw_path, raw.to_json() + "\n", mode=manifest.PRIVATE_FILE_MODE)
    if str(raw_path.relative_to(out)) not in job.outputs:  # `run` counted its own already
        written.append(raw_path)
    files = review_files(
        name, raw=str(raw_path.relative_to(out)),
        key=None if key == out / "private" / "key.kodeklar" else str(key))
    written += write_report(transcript, reports, name, key_file=key_file,
                            settings=c.shareable_dict(), lang=c.output.lang,
                            review_files=files)
    manifest.private_dir(out, "review")  # owner-only, before the sheet and page land in it
    sheet = write_review_sheet(transcript, out / files["sheet"], name, raw)
    sheet.chmod(manifest.PRIVATE_FILE_MODE)
    written.append(sheet)
    if media is None:
        media = next(iter(sorted(redact_audio.media_dir(out).glob(f"{name}.*"))), None)
    for path, private in ((out / files["page"], True), (out / files["shareable_page"], False)):
        written.append(review_page.write(transcript, raw, path, media=media, lang=c.output.lang,
                                         command=files["page_command"], private=private))
    if c.output.report_include_originals:
        p = write_originals_report(transcript, raw, manifest.private_dir(out, "reports"), name)
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
