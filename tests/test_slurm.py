"""`kodeklar slurm` without a cluster: the sbatch files it writes, the recordings it leaves
to the array, the passphrase file, the status it reads from the manifest, and the manifest
and locks that let array tasks and `kodeklar run` share one output folder. The jobs
themselves run on a real Slurm in test_slurm_cli.py."""
import json
import shlex
import sys

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from kodeklar.app import manifest, pipeline, slurm
from kodeklar.cli import cli
from kodeklar.config import SlurmOptions, load_config
from kodeklar.core.errors import UserError


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text("a long passphrase\n")
    path.chmod(0o600)
    return path


def kodeklar(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=True)


def exec_line(script_path) -> list[str]:
    line = next(l for l in script_path.read_text().splitlines() if l.startswith("exec "))
    return shlex.split(line)[1:]


def sbatch_lines(script_path) -> list[str]:
    return [l.split(None, 1)[1] for l in script_path.read_text().splitlines() if l.startswith("#SBATCH ")]


def test_array_spec_is_runs_of_indices_with_the_limit():
    assert slurm.array_spec([7, 0, 1, 2, 5, 8]) == "0-2,5,7-8"
    assert slurm.array_spec([3], limit=4) == "3%4"


def test_writes_both_scripts_with_the_same_options_for_both_phases(tmp_path, secret_file):
    out = tmp_path / "ut"
    result = kodeklar("slurm", SAMPLES, "-o", out, "--passphrase-file", secret_file,
                      "--roles", "S1=Intervjuer,S2=Informant", "--glossary", "Ahus sykehus",
                      "--no-diarise", "--no-vad", "--keep-names", "--format", "json,txt", "--partition", "gpu",
                      "--gpus-per-task", "1", "--array-limit", "2", "--time", "2:00:00",
                      "--mem", "8G", "--account", "p123")
    assert result.exit_code == 0, result.output
    assert "3 recordings: 3 to transcribe, 0 transcribed already" in result.output
    transcribe, finish = out / "slurm" / "transcribe.sbatch", out / "slurm" / "finish.sbatch"
    options = sbatch_lines(transcribe)
    assert "--array=0-2%2" in options
    assert {"--partition=gpu", "--account=p123", "--time=2:00:00", "--mem=8G", "--gpus-per-task=1",
            "--ntasks=1", "--cpus-per-task=4", "--export=ALL,KODEKLAR_KEY_PASSPHRASE="} <= set(options)
    assert f"--output={out.resolve()}/slurm/logs/transcribe-%A_%a.log" in options
    # the finishing job anonymises on CPU: no array, no GPU
    assert not any(o.startswith(("--array", "--gpus")) for o in sbatch_lines(finish))
    assert "--partition=gpu" in sbatch_lines(finish)

    forwarded = ["--roles=S1=Intervjuer,S2=Informant", "--no-diarise", "--no-vad", "--keep-names",
                 "--format=json,txt"]
    task = exec_line(transcribe)
    assert task[:6] == [sys.executable, "-m", "kodeklar", "slurm", "--phase", "transcribe"]
    assert task[6:8] == ["-o", str(out.resolve())]
    assert set(forwarded) < set(task) and "--glossary=Ahus sykehus" in task
    assert not any(arg.startswith("--partition") for arg in task)
    finisher = exec_line(finish)
    assert finisher[5] == "finish" and finisher[6:-1] == task[6:]
    assert finisher[-1] == f"--passphrase-file={secret_file}"
    # the passphrase itself is nowhere in the scripts
    assert "a long passphrase" not in transcribe.read_text() + finish.read_text()


def test_recordings_are_named_and_listed_before_any_task_runs(tmp_path, secret_file):
    out = tmp_path / "ut"
    assert kodeklar("slurm", SAMPLES, "-o", out, "--passphrase-file", secret_file).exit_code == 0
    files = slurm.read_recordings(out)
    assert [f.name for f in files] == ["dialogue.flac", "norwegian-medium-8s.mp3", "norwegian-short-3s.mp3"]
    assert all(f.is_absolute() for f in files)
    man = manifest.Manifest(out)
    assert [man.named(f) for f in files] == ["intervju-01", "intervju-02", "intervju-03"]
    # it names the input files: owner-only, like OUT/private
    assert (out / "slurm").stat().st_mode & 0o777 == 0o700
    assert (out / "slurm" / "recordings.txt").stat().st_mode & 0o777 == 0o600


def test_only_what_is_not_transcribed_goes_to_the_array(tmp_path, secret_file):
    out = tmp_path / "ut"
    args = ("slurm", SAMPLES, "-o", out, "--passphrase-file", secret_file)
    assert kodeklar(*args).exit_code == 0
    # recording 1 transcribed and diarised (by an array task or kodeklar run): its cache entry
    from kodeklar.config import for_recording
    from transcribe import models

    settings = pipeline.Settings(config=load_config(), out=out, model=models.resolve("base"))
    path = slurm.read_recordings(out)[1]
    c = for_recording(settings.config, path.stem)
    key = pipeline.diarise_key(pipeline.transcribe_key(settings, models.sha256_file(path), c), c)
    (manifest.private_dir(out, "cache") / f"{key}.json").write_text("{}")
    assert pipeline.transcribed(path, settings)

    result = kodeklar(*args)
    assert "3 recordings: 2 to transcribe, 1 transcribed already" in result.output
    assert "--array=0,2" in sbatch_lines(out / "slurm" / "transcribe.sbatch")
    # without diarisation the transcription's own cache is what counts: not there
    assert kodeklar(*args, "--no-diarise").exit_code == 0
    assert "--array=0-2" in sbatch_lines(out / "slurm" / "transcribe.sbatch")
    # asked to redo the transcription: all of them, in the array only
    assert kodeklar(*args, "--no-cache=transcribe").exit_code == 0
    assert "--array=0-2" in sbatch_lines(out / "slurm" / "transcribe.sbatch")
    assert "--no-cache=transcribe" in exec_line(out / "slurm" / "transcribe.sbatch")


def test_nothing_left_to_transcribe_writes_the_finishing_job_only(tmp_path, secret_file, monkeypatch):
    out = tmp_path / "ut"
    monkeypatch.setattr(pipeline, "transcribed", lambda path, settings: True)
    result = kodeklar("slurm", SAMPLES / "norwegian-short-3s.mp3", "-o", out, "--passphrase-file", secret_file)
    assert result.exit_code == 0, result.output
    assert not (out / "slurm" / "transcribe.sbatch").exists()
    assert f"sbatch {out.resolve()}/slurm/finish.sbatch" in result.output


def test_passphrase_file_must_be_owner_only_and_is_needed_to_anonymise(tmp_path, secret_file):
    out = tmp_path / "ut"
    secret_file.chmod(0o640)
    result = kodeklar("slurm", SAMPLES, "-o", out, "--passphrase-file", secret_file)
    assert result.exit_code != 0
    assert str(result.exception) == f"passphrase file {secret_file} can be read by others (mode 640); chmod 600 {secret_file}"
    result = kodeklar("slurm", SAMPLES, "-o", out, env={"KODEKLAR_KEY_PASSPHRASE": "in the environment"})
    assert "--passphrase-file" in str(result.exception)
    assert not (out / "slurm" / "finish.sbatch").exists()
    result = kodeklar("slurm", SAMPLES, "-o", out, "--no-anonymise")
    assert result.exit_code == 0, result.output
    assert not any(a.startswith("--passphrase-file") for a in exec_line(out / "slurm" / "finish.sbatch"))


def test_wrong_passphrase_for_an_existing_key_fails_at_submission(tmp_path, secret_file):
    from anonymise import keyfile
    from anonymise.pseudonyms import Pseudonyms

    out = tmp_path / "ut"
    out.mkdir()
    manifest.private_dir(out)
    keyfile.save(out / "private" / "key.kodeklar", Pseudonyms(), "another passphrase")
    result = kodeklar("slurm", SAMPLES, "-o", out, "--passphrase-file", secret_file)
    assert result.exit_code != 0 and "passphrase" in str(result.exception)
    assert not (out / "slurm" / "finish.sbatch").exists()


def test_sbatch_lines_from_the_config(tmp_path, secret_file):
    config = tmp_path / "prosjekt.toml"
    config.write_text('[slurm]\nsbatch = ["--qos=normal", "--mail-type=END"]\ncpus_per_task = 2\n')
    out = tmp_path / "ut"
    result = kodeklar("slurm", SAMPLES, "-o", out, "--passphrase-file", secret_file, "--config", config)
    assert result.exit_code == 0, result.output
    for name in ("transcribe", "finish"):
        lines = sbatch_lines(out / "slurm" / f"{name}.sbatch")
        assert lines[-2:] == ["--qos=normal", "--mail-type=END"] and "--cpus-per-task=2" in lines
        assert exec_line(out / "slurm" / f"{name}.sbatch")[8] == f"--config={config}"


@pytest.mark.parametrize("options, message", [
    (SlurmOptions(sbatch=["qos=normal"]), "not an sbatch option"),
    (SlurmOptions(sbatch=["--qos=normal\nrm -rf ~"]), "no spaces or line breaks"),
    (SlurmOptions(time="1 day"), "no spaces or line breaks"),
])
def test_bad_slurm_options_are_refused(tmp_path, options, message):
    with pytest.raises(UserError, match=message):
        slurm.script("finish", tmp_path, options, [])


def test_slurm_options_do_not_change_the_cache_keys_or_reports(tmp_path):
    config = tmp_path / "p.toml"
    config.write_text('[slurm]\npartition = "gpu"\naccount = "p123"\n')
    assert load_config(config).as_dict() == load_config().as_dict()
    assert "slurm" not in load_config(config).shareable_dict()


def _submission(out, names, entries):
    """An OUT as `kodeklar slurm` leaves it, with these manifest entries."""
    inputs = [out.parent / f"{n}.wav" for n in names]
    man = manifest.Manifest(out)
    for f in inputs:
        man.name_for(f, keep_names=True, prefix="")
        man.recording(f.stem).update(entries.get(f.stem, {}))
    man.save()
    (slurm.folder(out) / "recordings.txt").write_text("".join(f"{f.resolve()}\n" for f in inputs))


def test_status_per_recording_from_the_manifest_and_the_locks(tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    done = {"status": "done", "stages": {"transcribe": {}, "diarise": {}, "anonymise": {}, "export": {}}}
    _submission(out, ["a", "b", "c", "d", "e", "f", "g"], {
        "a": done,
        "b": {"status": "done", "stages": {"transcribe": {}, "diarise": {}}},
        "c": {"status": "running"},
        "d": {"status": "running"},
        "e": {"status": "failed", "error": "e: not a recording"},
        "f": {"status": "interrupted"}})
    lock = manifest.recording_lock(out, "c")
    assert lock.acquire(wait=False)
    try:
        rows, lines = slurm.status(out)
        shown = kodeklar("slurm", "--status", out)
    finally:
        lock.release()
    assert rows == [("a", "done", ""), ("b", "transcribed", "waiting for the finishing job"),
                    ("c", "running", ""),
                    ("d", "failed", "stopped while running (killed, out of time, or its node failed)"),
                    ("e", "failed", "e: not a recording"), ("f", "failed", "interrupted"),
                    ("g", "pending", "")]
    assert lines == []  # no jobs submitted: nothing to ask squeue
    assert shown.exit_code == 0
    assert shown.output.splitlines()[2].split() == ["c", "running"]
    assert shown.output.splitlines()[-1] == "7 recordings: 1 done, 1 transcribed, 1 running, 3 failed, 1 pending"


def test_status_of_a_folder_never_submitted_says_so(tmp_path):
    result = kodeklar("slurm", "--status", tmp_path)
    assert "no Slurm submission here" in str(result.exception)


def test_manifest_writers_keep_each_others_recordings(tmp_path):
    """Two array tasks finishing at once: each rewrites only its own entry."""
    first, second = manifest.Manifest(tmp_path), manifest.Manifest(tmp_path)
    first.recording("intervju-01").update(status="done")
    second.recording("intervju-02").update(status="failed")
    first.save()
    second.save()
    on_disk = json.loads((tmp_path / "manifest.json").read_text())["recordings"]
    assert on_disk == {"intervju-01": {"stages": {}, "status": "done"},
                       "intervju-02": {"stages": {}, "status": "failed"}}
    # an entry is read afresh the first time a process takes it up
    third = manifest.Manifest(tmp_path)
    first.recording("intervju-01").update(status="running")
    first.save()
    assert third.recording("intervju-01")["status"] == "running"


def test_a_recording_lock_is_seen_by_others(tmp_path):
    lock = manifest.recording_lock(tmp_path, "intervju-02")
    assert manifest.busy_recordings(tmp_path) == []
    assert lock.acquire(wait=False)
    assert manifest.busy_recordings(tmp_path) == ["intervju-02"]
    assert not manifest.recording_lock(tmp_path, "intervju-02").acquire(wait=False)
    lock.release()
    assert manifest.busy_recordings(tmp_path) == []


def test_the_finishing_job_never_transcribes(tmp_path):
    from transcribe import models

    settings = pipeline.Settings(config=load_config(), out=tmp_path, model=models.resolve("base"),
                                 cached_only=True)
    entry = {"stages": {}}
    recording = SAMPLES / "norwegian-short-3s.mp3"
    with pytest.raises(UserError, match=r"transcript is missing: its Slurm array task failed or was killed"):
        pipeline.process(recording, "intervju-01", settings, entry)
    assert not list((tmp_path / "private" / "cache").glob("*.json"))


def test_array_task_needs_its_index(tmp_path):
    result = kodeklar("slurm", "--phase", "transcribe", "-o", tmp_path, env={"SLURM_ARRAY_TASK_ID": None})
    assert "runs inside a Slurm array task" in str(result.exception)


def test_kodeklar_run_waits_for_an_array_task_at_the_same_recording(tmp_path):
    """Then it finds the task's work cached instead of doing it a second time beside it."""
    import threading

    from kodeklar.app import batch

    task = manifest.recording_lock(tmp_path, "intervju-01")
    assert task.acquire(wait=False)
    told = []
    entered = threading.Event()

    def run():
        with batch._recording_locked(tmp_path, "intervju-01", told.append):
            entered.set()

    waiting = threading.Thread(target=run)
    waiting.start()
    try:
        assert not entered.wait(0.5)
        assert [e.message for e in told] == ["intervju-01: another job is working on it; waiting"]
    finally:
        task.release()
    waiting.join(10)
    assert entered.is_set()
