"""The TOTP second factor's arithmetic, against the RFCs' own test vectors."""

from __future__ import annotations

import base64
import hashlib

import pytest

from ripa_guard.accounts import totp

SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"
SHA512_KEY = b"1234567890123456789012345678901234567890123456789012345678901234"


@pytest.mark.parametrize(
    "counter, code",
    list(
        enumerate(
            [
                "755224",
                "287082",
                "359152",
                "969429",
                "338314",
                "254676",
                "287922",
                "162583",
                "399871",
                "520489",
            ]
        )
    ),
)
def test_hotp_matches_rfc_4226_appendix_d(counter, code):
    assert totp.hotp(SHA1_KEY, counter) == code


@pytest.mark.parametrize(
    "unix_time, sha1, sha256, sha512",
    [
        (59, "94287082", "46119246", "90693936"),
        (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"),
        (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"),
        (20000000000, "65353130", "77737706", "47863826"),
    ],
)
def test_totp_matches_rfc_6238_appendix_b(unix_time, sha1, sha256, sha512):
    step = totp.step_at(unix_time)
    assert totp.hotp(SHA1_KEY, step, digits=8) == sha1
    assert totp.hotp(SHA256_KEY, step, digits=8, digest=hashlib.sha256) == sha256
    assert totp.hotp(SHA512_KEY, step, digits=8, digest=hashlib.sha512) == sha512


def test_a_code_is_accepted_one_step_either_side_and_no_further():
    secret = base64.b32encode(SHA1_KEY).decode()
    now = 1234567890
    for offset, accepted in [(-60, False), (-30, True), (0, True), (30, True), (60, False)]:
        code = totp.code_at(secret, now + offset)
        assert (totp.matching_step(secret, code, now) is not None) is accepted, offset


def test_malformed_codes_are_refused_without_error():
    secret = totp.new_secret()
    for code in ["", "12345", "1234567", "abcdef", "12 34 5", "１２３４５６"]:
        assert totp.matching_step(secret, code, 1_700_000_000) is None


def test_a_code_typed_with_a_space_is_read():
    secret = totp.new_secret()
    code = totp.code_at(secret, 1_700_000_000)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", 1_700_000_000) is not None


def test_new_secrets_are_random_160_bit_base32():
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(first) == 32
    assert len(base64.b32decode(first)) == 20


def test_provisioning_uri_names_the_service_and_account():
    uri = totp.provisioning_uri(
        "JBSWY3DPEHPK3PXP", "olive@borsetshire.example.gov.uk", "RIPA guard"
    )
    assert uri.startswith("otpauth://totp/RIPA%20guard%3Aolive%40borsetshire.example.gov.uk?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri and "issuer=RIPA+guard" in uri
