"""The unit's registry key and the sub-keys derived from it.

The key never leaves the process: the registry file stores only values keyed with it.
Sub-keys separate the uses (choosing shingles, hashing shingles, hashing titles and
文号, checking that the right key was given), so no one value serves two purposes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from baomi.errors import InputError

KEY_ENV = "BAOMI_REGISTRY_KEY"
MIN_KEY_BYTES = 16


class RegistryKeyError(InputError):
    """The registry key is missing, too short or not the one the registry was made with."""


@dataclass(frozen=True, slots=True)
class RegistryKeys:
    select: bytes  # seeds the cheap keyed hash that picks which shingles to keep
    shingle: bytes  # HMAC key of the stored shingle fingerprints
    label: bytes  # HMAC key of titles and 文号
    check: str  # hex HMAC of a fixed label: tells a wrong key from a right one

    @classmethod
    def from_secret(cls, secret: bytes) -> RegistryKeys:
        if len(secret) < MIN_KEY_BYTES:
            raise RegistryKeyError(f"登记库密钥太短：至少需要 {MIN_KEY_BYTES} 个字节")

        def sub(name: str) -> bytes:
            return hmac.digest(secret, f"baomi-registry/{name}".encode(), hashlib.sha256)

        return cls(sub("select"), sub("shingle"), sub("label"), sub("check").hex())


def load_keys(key_file: str | Path | None = None) -> RegistryKeys:
    """The keys from `key_file` (its bytes, surrounding whitespace stripped) or, without
    one, from the environment variable BAOMI_REGISTRY_KEY."""
    if key_file is not None:
        try:
            secret = Path(key_file).read_bytes().strip()
        except OSError as exc:
            raise RegistryKeyError(f"无法读取登记库密钥文件（{type(exc).__name__}）") from None
    else:
        value = os.environ.get(KEY_ENV, "")
        if not value:
            raise RegistryKeyError(f"没有登记库密钥：请设置环境变量 {KEY_ENV} 或使用 --key-file")
        secret = value.encode("utf-8")
    return RegistryKeys.from_secret(secret)
