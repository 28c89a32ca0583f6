"""The encrypted key file: the only place where pseudonyms are linked to the people, places and
organisations they stand for.

Layout (version 1): magic b"KODEKLAR-KEY" | version (1 byte) | scrypt log2(n), r, p (1 byte
each) | salt (16 bytes) | nonce (12 bytes) | AES-256-GCM ciphertext of the registry's JSON.
The header is authenticated as associated data, so a tampered header fails like a wrong
passphrase. The CLI takes the passphrase from KODEKLAR_KEY_PASSPHRASE or a prompt, never from
an argument."""
from __future__ import annotations

import json
import os
import struct
from pathlib import Path

from anonymise.pseudonyms import Pseudonyms
from kodeklar.core.errors import UserError
from kodeklar.core.files import write_atomic

MAGIC = b"KODEKLAR-KEY"
VERSION = 1
HEADER = struct.Struct(f"{len(MAGIC)}sBBBB16s12s")
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2 ** log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def save(path: str | os.PathLike, pseudonyms: Pseudonyms, passphrase: str) -> Path:
    """Encrypt the registry to `path` atomically, readable by the owner only."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise UserError("the key file passphrase is empty")
    salt, nonce = os.urandom(16), os.urandom(12)
    header = HEADER.pack(MAGIC, VERSION, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, nonce)
    key = _derive(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    plain = json.dumps(pseudonyms.to_dict(), ensure_ascii=False).encode("utf-8")
    return write_atomic(path, header + AESGCM(key).encrypt(nonce, plain, header), mode=0o600)


def load(path: str | os.PathLike, passphrase: str) -> Pseudonyms:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such key file") from None
    except OSError as e:
        raise UserError(f"{path}: cannot read ({e.strerror})") from None
    if len(data) < HEADER.size or not data.startswith(MAGIC):
        raise UserError(f"{path}: not a kodeklar key file")
    magic, version, log2_n, r, p, salt, nonce = HEADER.unpack(data[:HEADER.size])
    if version != VERSION:
        raise UserError(f"{path}: key file version {version} is not supported")
    if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise UserError(f"{path}: not a kodeklar key file")
    key = _derive(passphrase, salt, log2_n, r, p)
    try:
        plain = AESGCM(key).decrypt(nonce, data[HEADER.size:], data[:HEADER.size])
    except InvalidTag:
        raise UserError(f"wrong passphrase for key file {path} (or the file is damaged)") from None
    return Pseudonyms.from_dict(json.loads(plain.decode("utf-8")))

