"""A batch of recordings into one output folder: lock, manifest, events, reports.

One bad recording is reported and skipped; the others finish. The manifest is saved after
every recording, so a killed batch resumes where it stopped. Nothing here writes to the
terminal: the caller's `on_event` gets what to show."""
from __future__ import annotations

import contextlib
from functools import partial
import os
import shutil
import tempfile
import time
import traceback
from pathlib import Path

from kodeklar.app import events, manifest, pipeline
from kodeklar.app.prepare import prepare_output
from kodeklar.core import timefmt
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic


def remove_partial_files(out: Path) -> None:
    """A killed run leaves the temporary files of the writes it was in the middle of; under
    the lock nobody else is writing, so every one of them is garbage (and may hold text)."""
    for partial in out.rglob(".*.tmp"):
        partial.unlink(missing_ok=True)
    for folder in (out / "private").glob("tmp-*"):
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def private_tempdir(out: Path):
    """Every temporary file of this run, ours or a library's, goes into an owner-only
    folder inside OUT/private, removed on exit, on Ctrl-C, on SIGTERM and on errors."""
    folder = Path(tempfile.mkdtemp(prefix="tmp-", dir=manifest.private_dir(out)))
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _locked(out: Path, whole_folder: bool = True):
    prepare_output(out)
    with manifest.OutputLock(out) if whole_folder else contextlib.nullcontext():
        # an array task's half-written files are not garbage while it runs
        if whole_folder and not manifest.busy_recordings(out):
            remove_partial_files(out)
        with private_tempdir(out):
            yield manifest.Manifest(out)


@contextlib.contextmanager
def _recording_locked(out: Path, name: str, on_event: events.OnEvent):
    """One process per recording: a Slurm array task may be at it; then this one waits,
    and finds its work cached."""
    lock = manifest.recording_lock(out, name)
    if not lock.acquire(wait=False):
        on_event(events.RecordingWarning(name, f"{name}: another job is working on it; waiting"))
        lock.acquire(wait=True)
    try:
        yield
    finally:
        lock.release()


def run(inputs: list[str], settings: pipeline.Settings,
        on_event: events.OnEvent = events.ignore, whole_folder: bool = True) -> int:
    """Process every recording found in `inputs`. Returns the exit status: 0 if all
    succeeded, 1 if any failed. `whole_folder=False` is for one task of a Slurm array,
    which shares OUT with the other tasks: it takes no folder lock and leaves the
    temporary files alone (it has its recording's lock only)."""
    from transcribe import audio

    with _locked(settings.out, whole_folder) as man:
        files = audio.find_media(inputs)
        if not files:
            raise UserError("no recordings found in the given paths")
        run_ = settings.config.run
        names = [man.name_for(f, run_.keep_names, run_.name_prefix) for f in files]
        man.save()
        return _each(settings, man, on_event, [
            (name, f, audio.probe_duration(f) if f.is_file() else 0.0,
             partial(pipeline.process, f, name, settings, on_event=on_event, on_start=man.save))
            for f, name in zip(files, names)])


def reanonymise(raw_paths: list[Path], settings: pipeline.Settings,
                on_event: events.OnEvent = events.ignore) -> int:
    """`kodeklar anonymise`: the stages after the raw transcript again (a changed name list,
    threshold or review decisions), with the same stage code, reports and manifest as `run`."""
    from kodeklar.core.transcript import load

    raws = [load(p) for p in raw_paths]
    # "intervju-01.raw.json" and the run's private/raw/intervju-01.json -> "intervju-01"
    names = [p.name.removesuffix(".json").removesuffix(".raw") for p in raw_paths]
    folder = settings.out / "anonymised"
    for path, raw, name in zip(raw_paths, raws, names):
        if raw.anonymised:
            raise UserError(f"{path}: already anonymised; give the raw transcript")
        if any((folder / f"{name}.{ext}").resolve() == path.resolve() for ext in ("json", "txt")):
            raise UserError(f"{path}: the output would overwrite this input; choose another -o")
    if len(set(names)) < len(names):
        raise UserError("two transcripts have the same name; anonymise them into separate folders")
    with _locked(settings.out) as man:
        # the run's own recording, when OUT is the run's folder: the exports link its copy
        audio = {s["name"]: Path(s["input"]) for s in man.sources.values()
                 if Path(s["input"]).is_file()}
        return _each(settings, man, on_event, [
            (name, path, raw.source.duration,
             partial(pipeline.redo, raw, name, settings, audio=audio.get(name), on_event=on_event))
            for path, raw, name in zip(raw_paths, raws, names)])


def _each(settings: pipeline.Settings, man, on_event, recordings: list) -> int:
    """The batch loop `run` and `reanonymise` share: `recordings` holds (name, path, seconds
    of audio, process) each, where process(entry) does the work for the manifest `entry`;
    each runs under its recording's lock, and its entry is saved after it."""
    works = [pipeline.work(seconds, settings) for _, _, seconds, _ in recordings]
    on_event(events.BatchStarted(work=sum(works), audio=sum(r[2] for r in recordings)))
    results = []
    for (name, path, seconds, process), work in zip(recordings, works):
        on_event(events.RecordingStarted(name, work=work, audio=seconds))
        with _recording_locked(settings.out, name, on_event):
            entry = man.recording(name)
            results.append(_one(path, name, settings, entry, on_event, man.save,
                                partial(process, entry)))
            man.save()
    return _close(settings, results, on_event)


def _close(settings: pipeline.Settings, results: list, on_event) -> int:
    project = None
    ok = any(r.status != "failed" for r in results)
    if settings.config.output.qdpx_project and "export" in settings.stages and ok:
        project = pipeline.study_project(settings, results)
    on_event(events.BatchFinished(results, project))
    if ok and "export" in settings.stages and settings.config.run.anonymise:
        from kodeklar.exporters.report.writers import write_batch_report

        write_batch_report([r.report | {"name": r.name, "status": r.status, "error": r.error,
                                        "warnings": warnings(r.name, r)}
                            for r in results], settings.out / "reports",
                           settings.config.output.lang)
    return 1 if any(r.status == "failed" for r in results) else 0


def _one(path: Path, name: str, settings, entry: dict, on_event, on_start, process):
    try:
        result = process()
    except (KeyboardInterrupt, SystemExit):
        # Ctrl-C, or SIGTERM (cli.py): the manifest must not claim a run that is gone;
        # decoded pieces stay checkpointed
        entry.update(status="interrupted", failed=manifest.now())
        on_start()
        raise
    except UserError as e:
        # the user sees their own path; the manifest only the pseudonymous name
        # (and the batch report, shareable, too)
        error = str(e).replace(str(path), name)
        entry.update(status="failed", error=error, failed=manifest.now())
        return _failed(on_event, name, error, str(e))
    except MemoryError:
        entry.update(status="failed", error=f"{name}: out of memory", failed=manifest.now())
        return _failed(on_event, name, f"{name}: out of memory", f"{path}: out of memory")
    except Exception as e:  # a bug must not end the night's batch
        log = manifest.private_dir(settings.out, "logs") / f"error-{name}-{int(time.time())}.txt"
        # the traceback can carry transcript text in messages: private folder only
        write_atomic(log, traceback.format_exc(), mode=manifest.PRIVATE_FILE_MODE)
        message = f"{name}: internal error ({type(e).__name__}); details in {log.relative_to(settings.out)}"
        entry.update(status="failed", error=message, failed=manifest.now())
        return _failed(on_event, name, message, message)
    on_event(events.RecordingFinished(name, result, warnings=warnings(name, result)))
    return result


def warnings(name: str, result) -> list[str]:
    """What the user must know about a finished recording: the console shows it, the batch
    report keeps it."""
    found = [f"{name}: {result.damage}"] if result.damage else []
    if result.untranscribed:
        found.append(untranscribed_warning(name, result))
    return found


def _failed(on_event, name: str, error: str, message: str) -> pipeline.Result:
    result = pipeline.Result(name=name, error=error)
    on_event(events.RecordingFinished(name, result, message=message))
    return result


def untranscribed_warning(name: str, result) -> str:
    """Names only the pseudonym and times: never what was (not) said. The times are written
    as the [uhørbart hh:mm:ss–hh:mm:ss] markers in the transcript write them."""
    spans = result.untranscribed
    seconds = sum(b - a for a, b in spans)
    where = ", ".join(f"{timefmt.clock(a)}–{timefmt.clock(b)}" for a, b in spans[:5]) + \
        (" …" if len(spans) > 5 else "")
    what = ("has speech but the transcript has no words at all" if not result.segments
            else f"{len(spans)} stretch(es) of speech ({timefmt.clock(seconds)}) have no words")
    return f"{name}: {what} ({where}); marked [uhørbart] in the transcript: listen to them"
