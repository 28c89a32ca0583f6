import hashlib

import pytest

from kodeklar.core.errors import UserError
from transcribe import models


def test_bundled_model_assembles_with_the_known_checksum(tmp_path, monkeypatch):
    monkeypatch.setenv("KODEKLAR_CACHE", str(tmp_path))
    info = models.resolve("base")
    assert info.origin == "bundled"
    assert info.path.is_relative_to(tmp_path)
    assert (info.path / "model.bin").stat().st_size == models.BUNDLED_SIZE
    assert models.sha256_file(info.path / "model.bin") == models.BUNDLED_SHA256
    assert {p.name for p in info.path.iterdir()} == {"model.bin", *models.BUNDLED_FILES}
    # the second call finds it assembled and does not rewrite it
    mtime = (info.path / "model.bin").stat().st_mtime_ns
    assert models.resolve("base").path == info.path
    assert (info.path / "model.bin").stat().st_mtime_ns == mtime


def test_checksum_mismatch_fails_cleanly_and_leaves_no_model(tmp_path, monkeypatch):
    monkeypatch.setenv("KODEKLAR_CACHE", str(tmp_path))
    monkeypatch.setattr(models, "BUNDLED_SHA256", hashlib.sha256(b"other").hexdigest())
    with pytest.raises(UserError, match="checksum"):
        models.resolve("base")
    target = tmp_path / "models" / "whisper-base-ct2"
    assert not (target / "model.bin").exists()
    assert not any(p.name.startswith(".model.bin") for p in target.iterdir())


def test_truncated_cached_model_is_reassembled(tmp_path, monkeypatch):
    monkeypatch.setenv("KODEKLAR_CACHE", str(tmp_path))
    info = models.resolve("base")
    with open(info.path / "model.bin", "r+b") as f:
        f.truncate(1000)
    again = models.resolve("base")
    assert (again.path / "model.bin").stat().st_size == models.BUNDLED_SIZE


def test_missing_model_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(UserError, match="not available offline.*models download"):
        models.resolve("large-v3")


def test_a_folder_that_is_not_a_model_is_refused(tmp_path):
    with pytest.raises(UserError, match="not a CTranslate2 Whisper model folder"):
        models.resolve(str(tmp_path))


def test_model_folder_and_hub_cache_are_found_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("KODEKLAR_CACHE", str(tmp_path / "cache"))
    snapshot = tmp_path / "hub" / "models--Systran--faster-whisper-large-v3" / "snapshots" / "abc"
    snapshot.mkdir(parents=True)
    (snapshot / "model.bin").write_bytes(b"weights")
    (snapshot / "config.json").write_text("{}")
    (snapshot.parent.parent / "refs").mkdir()
    (snapshot.parent.parent / "refs" / "main").write_text("abc")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    info = models.resolve("large-v3")
    assert info.origin == "hf-cache" and info.path == snapshot
    assert info.sha256 == hashlib.sha256(b"weights").hexdigest()
    assert models.resolve(str(snapshot)).origin == "folder"


def test_an_openai_checkpoint_resolves_for_the_openai_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("KODEKLAR_CACHE", str(tmp_path / "cache"))
    checkpoint = tmp_path / "base.pt"
    checkpoint.write_bytes(b"torch zip")
    info = models.resolve(str(checkpoint))
    assert (info.origin, info.name, info.path) == ("checkpoint", "base", checkpoint)
    assert info.sha256 == hashlib.sha256(b"torch zip").hexdigest()
