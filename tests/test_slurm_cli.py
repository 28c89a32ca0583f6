"""`kodeklar slurm` on a real one-node Slurm cluster (scripts/local-slurm.sh): the array and
the finishing job give what `kodeklar run` gives; an array task killed, then submitted
again, completes the study; the scripts pass `sbatch --test-only`; the passphrase never
reaches what Slurm keeps on disk."""
import json
import shutil
import subprocess
import time
import zipfile

import pytest

from conftest import PASSPHRASE, SAMPLES, cli_env, run_cli
from slurm import cluster, sbatch, states, wait  # noqa: F401  (cluster: the fixture)

# runs the real model in Slurm jobs: the full suite only
pytestmark = pytest.mark.slow

# the node has the machine's cores (2 here): one array task at a time
CPUS = ("--cpus-per-task", "2")


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    path.chmod(0o600)
    return path


def kodeklar_slurm(env, *args):
    result = run_cli("slurm", *args, env=cli_env(SLURM_CONF=env["SLURM_CONF"]))
    assert result.returncode == 0, result.stderr
    return result.stdout


def submitted(output: str) -> tuple[str | None, str]:
    """The job ids `kodeklar slurm --submit` printed: the array's (if any) and the finisher's."""
    ids = {line.split()[0]: line.split()[2].rstrip(":") for line in output.splitlines()
           if line.startswith(("array job", "finishing job"))}
    return ids.get("array"), ids["finishing"]


def comparable(out):
    """The shareable outputs, timestamps and provenance aside: every anonymised file, the
    JSON without its provenance, zips (docx) member by member without their dates."""
    files = {}
    for path in sorted((out / "anonymised").iterdir()):
        if path.suffix == ".json":
            data = json.loads(path.read_text())
            data.pop("provenance")
            files[path.name] = data
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                files[path.name] = {m: z.read(m) for m in z.namelist() if not m.startswith("docProps/")}
        else:
            files[path.name] = path.read_bytes()
    return files


def key_table(out):
    shown = run_cli("key", "show", out / "private" / "key.kodeklar")
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_array_and_finishing_job_give_what_kodeklar_run_gives(cluster, tmp_path, secret_file):
    ran = run_cli("run", SAMPLES, "-o", tmp_path / "run")
    assert ran.returncode == 0, ran.stderr

    out = tmp_path / "slurm"
    printed = kodeklar_slurm(cluster, SAMPLES, "-o", out, "--passphrase-file", secret_file, *CPUS, "--submit")
    array, finisher = submitted(printed)
    ended = wait(cluster, array, finisher, timeout=400)
    assert ended == {f"{array}_0": "COMPLETED", f"{array}_1": "COMPLETED", f"{array}_2": "COMPLETED",
                     finisher: "COMPLETED"}, (out / "slurm" / "logs").iterdir()

    assert comparable(out) == comparable(tmp_path / "run")
    assert sorted(p.name for p in (out / "reports").iterdir()) == \
        sorted(p.name for p in (tmp_path / "run" / "reports").iterdir())
    assert key_table(out) == key_table(tmp_path / "run")
    status = kodeklar_slurm(cluster, "--status", out)
    assert status.splitlines()[:3] == [f"intervju-0{i}  done         job {array}_{i - 1} completed"
                                       for i in (1, 2, 3)]
    assert f"finishing job {finisher}: completed" in status

    # the same OUT is done for kodeklar run too
    again = run_cli("run", SAMPLES, "-o", out)
    assert again.returncode == 0 and again.stderr.count("= already done") == 3, again.stderr


def test_killed_array_task_then_resubmission_completes(cluster, tmp_path, secret_file):
    recordings = tmp_path / "opptak"
    recordings.mkdir()
    for name in ("norwegian-medium-8s.mp3", "norwegian-short-3s.mp3"):
        shutil.copy(SAMPLES / name, recordings)
    out = tmp_path / "ut"
    # run's options reach both jobs
    args = (recordings, "-o", out, "--passphrase-file", secret_file, "--format", "json,txt", *CPUS, "--submit")
    array, finisher = submitted(kodeklar_slurm(cluster, *args))
    # killed while it transcribes, as by a node failure or its time limit
    wait(cluster, array, until=lambda now: now.get(f"{array}_1") == "RUNNING", timeout=200)
    subprocess.run(["scancel", f"{array}_1"], env=cluster, check=True, timeout=60)
    assert wait(cluster, array, finisher, timeout=200) == {
        f"{array}_0": "COMPLETED", f"{array}_1": "CANCELLED", finisher: "FAILED"}

    # the finishing job did the rest and named the one left undone, without transcribing it
    manifest = json.loads((out / "manifest.json").read_text())["recordings"]
    assert manifest["intervju-01"]["status"] == "done"
    assert manifest["intervju-02"]["status"] == "failed"
    assert "transcript is missing" in manifest["intervju-02"]["error"]
    log = (out / "slurm" / "logs" / f"finish-{finisher}.log").read_text()
    assert log.count("kodeklar: error:") == 1 and "transcript is missing" in log
    status = kodeklar_slurm(cluster, "--status", out)
    assert status.splitlines()[1].split()[:2] == ["intervju-02", "failed"]
    first = (out / "anonymised" / "intervju-01.json").stat().st_mtime_ns

    printed = kodeklar_slurm(cluster, *args)
    assert "2 recordings: 1 to transcribe, 1 transcribed already" in printed
    array, finisher = submitted(printed)
    assert wait(cluster, array, finisher, timeout=200) == {f"{array}_1": "COMPLETED", finisher: "COMPLETED"}
    manifest = json.loads((out / "manifest.json").read_text())["recordings"]
    assert [e["status"] for e in manifest.values()] == ["done", "done"]
    assert sorted(p.name for p in (out / "anonymised").iterdir()) == [
        "intervju-01.json", "intervju-01.txt", "intervju-02.json", "intervju-02.txt"]
    # what was done is not done again
    assert (out / "anonymised" / "intervju-01.json").stat().st_mtime_ns == first


def test_scripts_pass_sbatch_test_only(cluster, tmp_path, secret_file):
    config = tmp_path / "prosjekt.toml"
    config.write_text('[slurm]\nsbatch = ["--comment=kodeklar"]\n')
    out = tmp_path / "ut"
    kodeklar_slurm(cluster, SAMPLES, "-o", out, "--passphrase-file", secret_file, "--config", config,
                   *CPUS, "--partition", "debug", "--time", "30", "--mem", "500M", "--array-limit", "1")
    for name in ("transcribe", "finish"):
        checked = subprocess.run(["sbatch", "--test-only", out / "slurm" / f"{name}.sbatch"],
                                 capture_output=True, text=True, env=cluster, timeout=60)
        assert checked.returncode == 0 and "to start at" in checked.stderr, checked.stderr


def _state_dir(env) -> str:
    conf = open(env["SLURM_CONF"]).read().splitlines()
    return next(line.split("=", 1)[1] for line in conf if line.startswith("StateSaveLocation="))


def _kept(env, job: str) -> str:
    """What slurmctld keeps on disk of a submitted job: its script and environment."""
    for _ in range(20):  # written by slurmctld soon after it answers sbatch
        found = subprocess.run(["find", _state_dir(env), "-path", f"*/job.{job}/*", "-type", "f"],
                               capture_output=True, text=True, check=True).stdout.split()
        if found:
            break
        time.sleep(0.25)
    assert found, f"no state of job {job} on disk"
    return "".join(open(path, "rb").read().decode("utf-8", "replace") for path in found)


def test_the_passphrase_never_reaches_what_slurm_keeps(cluster, tmp_path, secret_file):
    out = tmp_path / "ut"
    kodeklar_slurm(cluster, SAMPLES, "-o", out, "--passphrase-file", secret_file, *CPUS)
    # submitted by hand from a shell that has the passphrase in its environment
    env = cluster | {"KODEKLAR_KEY_PASSPHRASE": PASSPHRASE}
    ours = sbatch(env, "--hold", out / "slurm" / "finish.sbatch")
    plain = sbatch(env, "--hold", "--wrap", "true")  # the control: sbatch's default
    try:
        assert PASSPHRASE in _kept(cluster, plain)
        assert "KODEKLAR_KEY_PASSPHRASE=\0" in _kept(cluster, ours)
        assert PASSPHRASE not in _kept(cluster, ours)
    finally:
        subprocess.run(["scancel", ours, plain], env=cluster, check=True, timeout=60)
