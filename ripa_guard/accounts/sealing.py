"""Second-step secrets sealed at rest (issue 17, item 8; OWASP ASVS 5.0 V13.3.1 names "keys and
seeds for time-based tokens" among the secrets to protect).

A TOTP secret is what an authenticator app holds: whoever reads it from the database can make
codes. It is stored encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the
`cryptography` package) under TOTP_KEY, which lives in instance/config.py or the environment,
never in the database: a copy of the database alone gives no codes.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str | None = None) -> Fernet:
    key = key or current_app.config.get("TOTP_KEY")
    if not key:
        raise RuntimeError("TOTP_KEY is not set: second-step secrets cannot be read or written")
    return Fernet(key)


def seal(secret: str, key: str | None = None) -> str:
    return _fernet(key).encrypt(secret.encode("ascii")).decode("ascii")


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise RuntimeError(
            "TOTP_KEY does not open the second-step secrets in the database: put back the key "
            "they were sealed with (instance/config.py, or its backup)"
        ) from error
