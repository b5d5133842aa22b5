"""Secrets of the service: argon2 passwords, random tokens stored as hashes, the HMAC key
for content hashes and the audit chain, and AES-GCM keys (with ids) for held content."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from baomi.service.settings import Settings, SettingsError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(password_hash) and _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_digest(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to store them."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_password() -> str:
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class Keys:
    """The HMAC key and the AES-GCM keyring; `active` names the key that encrypts."""

    hmac_key: bytes
    aes: dict[str, bytes]
    active: str

    def content_hash(self, text: str, attachment_digests: list[str]) -> str:
        """Keyed hash of a message: same text and files → same hash, unguessable without the key."""
        body = " ".join(text.split()) + "\x00" + "\x00".join(sorted(attachment_digests))
        return hmac.new(self.hmac_key, b"content\x00" + body.encode(), hashlib.sha256).hexdigest()

    def chain_hash(self, prev_hash: str, payload: bytes) -> str:
        return hmac.new(self.hmac_key, prev_hash.encode() + b"\x00" + payload, hashlib.sha256).hexdigest()

    def sign(self, payload: bytes, secret: str = "") -> str:
        key = secret.encode() if secret else self.hmac_key
        return hmac.new(key, payload, hashlib.sha256).hexdigest()

    def encrypt(self, plaintext: bytes, aad: str) -> tuple[str, bytes, bytes]:
        nonce = os.urandom(12)
        return self.active, nonce, AESGCM(self.aes[self.active]).encrypt(nonce, plaintext, aad.encode())

    def decrypt(self, key_id: str, nonce: bytes, ciphertext: bytes, aad: str) -> bytes:
        if key_id not in self.aes:
            raise SettingsError(f"缺少内容密钥 {key_id}（BAOMI_CONTENT_KEYS）")
        return AESGCM(self.aes[key_id]).decrypt(nonce, ciphertext, aad.encode())


def _b64key(value: str, setting: str, size: int | None = 32) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except ValueError:
        raise SettingsError(f"{setting}：密钥不是有效的 base64") from None
    if size is not None and len(key) != size:
        raise SettingsError(f"{setting}：密钥长度必须是 {size} 字节（base64 编码后 44 个字符）")
    if len(key) < 16:
        raise SettingsError(f"{setting}：密钥太短（至少 16 字节）")
    return key


def _parse_keyring(text: str, setting: str) -> tuple[dict[str, bytes], str]:
    ring: dict[str, bytes] = {}
    for part in text.replace("\n", ",").split(","):
        if not part.strip() or part.strip().startswith("#"):
            continue
        kid, sep, value = part.strip().partition(":")
        if not sep or not kid:
            raise SettingsError(f"{setting}：每个密钥写作 密钥编号:base64")
        ring[kid] = _b64key(value, setting)
    if not ring:
        raise SettingsError(f"{setting}：没有密钥")
    return ring, next(iter(ring))


def _write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def load_keys(settings: Settings, create: bool = False) -> Keys:
    """Keys from the environment or key files; `create` writes fresh files into the data dir
    on first start (only the parent process does that, before workers start)."""
    key_dir = settings.data_dir / "keys"
    content_file = settings.content_key_file or key_dir / "content.keys"
    hmac_file = settings.hmac_key_file or key_dir / "hmac.key"
    if settings.content_keys:
        aes, active = _parse_keyring(settings.content_keys, "BAOMI_CONTENT_KEYS")
    else:
        if create and not content_file.exists() and settings.content_key_file is None:
            kid = "k" + secrets.token_hex(4)
            _write_secret(content_file, f"{kid}:{base64.b64encode(os.urandom(32)).decode()}\n")
        try:
            aes, active = _parse_keyring(content_file.read_text(), "BAOMI_CONTENT_KEY_FILE")
        except OSError as exc:
            raise SettingsError(
                f"BAOMI_CONTENT_KEY_FILE：无法读取 {content_file}（{exc.strerror}）"
            ) from None
    if settings.hmac_key:
        hkey = _b64key(settings.hmac_key, "BAOMI_HMAC_KEY", None)
    else:
        if create and not hmac_file.exists() and settings.hmac_key_file is None:
            _write_secret(hmac_file, base64.b64encode(os.urandom(32)).decode() + "\n")
        try:
            hkey = _b64key(hmac_file.read_text(), "BAOMI_HMAC_KEY_FILE", None)
        except OSError as exc:
            raise SettingsError(f"BAOMI_HMAC_KEY_FILE：无法读取 {hmac_file}（{exc.strerror}）") from None
    return Keys(hkey, aes, active)
