"""The local Slurm cluster does what `kodeklar slurm` will rely on: array jobs, a job that waits
for the whole array (afterany), `sbatch --test-only`, and one array task cancelled and then
submitted again."""
import subprocess

import pytest

from slurm import cluster, sbatch, states, wait  # noqa: F401  (cluster: the fixture)

# starts a Slurm cluster and waits for its jobs: the full suite only
pytestmark = pytest.mark.slow

# Writes one file per array task; a task sleeps first so that a job not waiting for the array
# would find files missing. The task named by SLOW_TASK sleeps long enough to be cancelled.
TASK = """#!/bin/bash
#SBATCH --job-name=kodeklar-test
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time=5
i=$SLURM_ARRAY_TASK_ID
sleep 1
if [ "$i" = "${SLOW_TASK:-}" ]; then sleep 300; fi
echo "task $i of job $SLURM_ARRAY_JOB_ID" > "out/$i.txt"
"""


def _task_script(tmp_path):
    (tmp_path / "out").mkdir()
    script = tmp_path / "task.sbatch"
    script.write_text(TASK)
    return script


def _submit_array(env, tmp_path, script, indices):
    return sbatch(env, f"--array={indices}", "--chdir", tmp_path,
                  "--output", tmp_path / "%A_%a.log", script)


def test_array_then_dependent_summary(cluster, tmp_path):
    script = _task_script(tmp_path)
    array = _submit_array(cluster, tmp_path, script, "0-2")
    summary = sbatch(cluster, f"--dependency=afterany:{array}", "--chdir", tmp_path,
                     "--output", tmp_path / "summary.log", "--wrap", "ls out > summary.txt")
    assert states(cluster, summary)[summary] == "PENDING"
    ended = wait(cluster, array, summary)
    assert ended == {f"{array}_0": "COMPLETED", f"{array}_1": "COMPLETED",
                     f"{array}_2": "COMPLETED", summary: "COMPLETED"}
    for i in range(3):
        assert (tmp_path / "out" / f"{i}.txt").read_text() == f"task {i} of job {array}\n"
    assert (tmp_path / "summary.txt").read_text().split() == ["0.txt", "1.txt", "2.txt"]


def test_test_only_checks_a_script_without_running_it(cluster, tmp_path):
    script = _task_script(tmp_path)
    ok = subprocess.run(["sbatch", "--test-only", "--array=0-2", script], capture_output=True,
                        text=True, env=cluster, cwd=tmp_path, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "to start at" in ok.stderr
    bad = subprocess.run(["sbatch", "--test-only", "--partition=no-such-partition", script],
                         capture_output=True, text=True, env=cluster, cwd=tmp_path, timeout=60)
    assert bad.returncode != 0
    assert "partition" in bad.stderr.lower()
    assert not list((tmp_path / "out").iterdir())


def test_cancelled_task_resubmitted_alone(cluster, tmp_path):
    script = _task_script(tmp_path)
    array = _submit_array({**cluster, "SLOW_TASK": "1"}, tmp_path, script, "0-2")
    # killed while it runs, as a task would be by a node failure or a time limit
    wait(cluster, array, until=lambda now: now.get(f"{array}_1") == "RUNNING", timeout=60)
    subprocess.run(["scancel", f"{array}_1"], env=cluster, check=True, timeout=60)
    assert wait(cluster, array) == {f"{array}_0": "COMPLETED", f"{array}_1": "CANCELLED",
                                    f"{array}_2": "COMPLETED"}
    missing = [i for i in range(3) if not (tmp_path / "out" / f"{i}.txt").exists()]
    assert missing == [1]

    again = _submit_array(cluster, tmp_path, script, ",".join(map(str, missing)))
    assert wait(cluster, again) == {f"{again}_1": "COMPLETED"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.txt", "1.txt", "2.txt"]
    assert (tmp_path / "out" / "1.txt").read_text() == f"task 1 of job {again}\n"
