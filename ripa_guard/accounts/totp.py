"""Time-based one-time passwords (TOTP, RFC 6238) on HOTP (RFC 4226), with the standard library.

Pure: no Flask, no database. The codes are those of any authenticator app (SHA-1, 6 digits,
30-second steps), checked within one step either side for a clock that drifts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
#: Steps either side of now that are accepted (RFC 6238 s.5.2 recommends at most one).
WINDOW = 1


def new_secret() -> str:
    """A random 160-bit secret in base32, the length RFC 4226 s.4 recommends."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 s.5.3: HMAC of the counter, dynamically truncated to `digits` digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(unix_time: float, step: int = STEP_SECONDS) -> int:
    """RFC 6238 s.4.2: T = floor((now - T0) / X), with T0 = 0."""
    return int(unix_time // step)


def code_at(secret: str, unix_time: float) -> str:
    return hotp(_key(secret), step_at(unix_time))


def matching_step(secret: str, code: str, unix_time: float, window: int = WINDOW) -> int | None:
    """The time step whose code this is, within `window` steps of now; None if none matches."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == DIGITS):
        return None
    now = step_at(unix_time)
    key = _key(secret)
    found = None
    for step in range(now - window, now + window + 1):
        # Every step is compared, so the time taken does not tell which one matched.
        if hmac.compare_digest(hotp(key, step), code) and found is None:
            found = step
    return found


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads (Google Authenticator key URI format)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": 30}
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
