import os
import subprocess
import sys
from pathlib import Path

import pytest
# urllib3 (pulled in by spaCy's dependencies) probes IPv6 support with a local socket when
# imported; load it before pytest-socket blocks sockets, so the probe is not mistaken for
# network access
import urllib3  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_audio"
NETBLOCK = Path(__file__).with_name("netblock")
PASSPHRASE = "test passphrase, not secret"


def cli_env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(NETBLOCK), str(ROOT), env.get("PYTHONPATH", "")])
    env.update({"HF_HUB_OFFLINE": "1", "KODEKLAR_KEY_PASSPHRASE": PASSPHRASE, **extra})
    return env


def run_cli(*args, env=None, timeout=600, **kw) -> subprocess.CompletedProcess:
    """`kodeklar ARGS` in a subprocess whose internet sockets are refused."""
    return subprocess.run([sys.executable, "-m", "kodeklar", *map(str, args)], capture_output=True,
                          text=True, env=env or cli_env(), timeout=timeout, cwd=ROOT, **kw)


@pytest.fixture
def make_silence(tmp_path):
    def make(seconds: float, name: str = "stille.wav", rate: int = 16000, channels: int = 1) -> Path:
        import wave

        path = tmp_path / name
        with wave.open(str(path), "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(b"\0\0" * channels * int(seconds * rate))
        return path
    return make
