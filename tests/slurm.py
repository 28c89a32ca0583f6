"""The local Slurm cluster (scripts/local-slurm.sh) for the tests: a module fixture that starts
it, and job submission and job states read with `squeue -t all` (sacct needs slurmdbd, which
the local cluster does not run). Jobs stay visible to squeue for MinJobAge (300 s) after they
end, longer than any wait here."""
from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "local-slurm.sh"
# https://slurm.schedmd.com/squeue.html#SECTION_JOB-STATE-CODES: the states a job leaves no more
ENDED = {"BOOT_FAIL", "CANCELLED", "COMPLETED", "DEADLINE", "FAILED", "NODE_FAIL",
         "OUT_OF_MEMORY", "PREEMPTED", "TIMEOUT"}


def _unavailable(reason: str):
    """Skips where Slurm cannot be started; in CI (which starts it in .ci/run) a skip would hide
    the Slurm tests, so it fails instead."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"local Slurm is needed in CI: {reason}")
    pytest.skip(f"local Slurm unavailable: {reason}")


@pytest.fixture(scope="module")
def cluster():
    """Environment for Slurm's commands with the local cluster running; stops it afterwards
    only if it was not already running (a developer's or CI's cluster is left up)."""
    # `up` would install the packages, which needs the network; tests never touch it
    missing = [c for c in ("sbatch", "squeue", "slurmctld", "slurmd", "munged") if not shutil.which(c)]
    if missing:
        _unavailable(f"{', '.join(missing)} not installed (scripts/local-slurm.sh up installs them)")
    was_up = subprocess.run([SCRIPT, "status"], capture_output=True).returncode == 0
    up = subprocess.run([SCRIPT, "up"], capture_output=True, text=True, timeout=120)
    if up.returncode:
        if not was_up:  # a daemon that did start is not left behind
            subprocess.run([SCRIPT, "down"], timeout=60)
        _unavailable((up.stderr.strip().splitlines() or ["scripts/local-slurm.sh up failed"])[-1])
    conf = up.stdout.strip().rpartition("SLURM_CONF=")[2]
    yield {**os.environ, "SLURM_CONF": conf}
    if not was_up:
        subprocess.run([SCRIPT, "down"], check=True, timeout=60)


def sbatch(env: dict, *args) -> str:
    """Submits a job (`sbatch ARGS`) and returns its id."""
    done = subprocess.run(["sbatch", "--parsable", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=60)
    if done.returncode:
        raise RuntimeError(f"sbatch failed: {done.stderr.strip()}")
    return done.stdout.strip().split(";")[0]


def states(env: dict, *job_ids: str) -> dict[str, str]:
    """State of each job, and of each array task by itself (`ID_INDEX`), pending ones too. An
    array task cancelled while pending leaves no record (Slurm 22.05): it is absent here."""
    out = subprocess.run(["squeue", "-h", "-t", "all", "-r", "-j", ",".join(job_ids), "-o", "%i %T"],
                         capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    return dict(line.split() for line in out.splitlines())


def ended(now: dict[str, str]) -> bool:
    return bool(now) and set(now.values()) <= ENDED


def wait(env: dict, *job_ids: str, until=ended, timeout: float = 120) -> dict[str, str]:
    """Waits until the states of the jobs and their array tasks satisfy `until` (by default:
    all have ended); returns them."""
    deadline = time.monotonic() + timeout
    while not until(now := states(env, *job_ids)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"Slurm jobs not as awaited after {timeout:.0f} s: {now}")
        time.sleep(0.5)
    return now
