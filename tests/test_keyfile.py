"""The encrypted key file: round trip, permissions, wrong passphrase, damage."""
import os
import stat

import pytest

from anonymise import keyfile
from anonymise.pseudonyms import Pseudonyms
from kodeklar.core.errors import UserError


def registry():
    p = Pseudonyms()
    p.number(p.link("PERSON", "Kari Nordmann"))
    return p


def test_round_trip_and_mode(tmp_path):
    path = tmp_path / "key.kodeklar"
    keyfile.save(path, registry(), "korrekt hest batteri")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert b"Nordmann" not in path.read_bytes() and b"nordmann" not in path.read_bytes()
    assert keyfile.load(path, "korrekt hest batteri").to_dict() == registry().to_dict()


def test_wrong_passphrase(tmp_path):
    path = tmp_path / "key.kodeklar"
    keyfile.save(path, registry(), "riktig")
    with pytest.raises(UserError, match="wrong passphrase for key file") as e:
        keyfile.load(path, "galt")
    assert "riktig" not in str(e.value) and "galt" not in str(e.value)


def test_damaged_and_foreign_files(tmp_path):
    path = tmp_path / "key.kodeklar"
    keyfile.save(path, registry(), "riktig")
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(UserError, match="wrong passphrase"):
        keyfile.load(path, "riktig")
    other = tmp_path / "other"
    other.write_bytes(b"not a key")
    with pytest.raises(UserError, match="not a kodeklar key file"):
        keyfile.load(other, "riktig")
    with pytest.raises(UserError, match="no such key file"):
        keyfile.load(tmp_path / "missing", "riktig")

