"""Mail to the council's server goes encrypted (STARTTLS) and signed in (AUTH) when configured,
against a real SMTP server (aiosmtpd) that offers both and refuses mail without them."""

from __future__ import annotations

import ssl
import subprocess
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from ripa_guard.notifications.backends import SmtpBackend, TemporaryFailure
from tests.mail_setup import Inbox, free_port

USER, PASSWORD = "ripa-guard", "mail password for tests"


class Seen(Inbox):
    """Keeps what the session was like for each message: encrypted, and who signed in."""

    def __init__(self):
        super().__init__()
        self.sessions = []

    async def handle_DATA(self, server, session, envelope):
        self.sessions.append((session.ssl is not None, session.authenticated))
        return await super().handle_DATA(server, session, envelope)


def _check_login(_server, _session, _envelope, mechanism, auth_data):
    ok = mechanism in ("LOGIN", "PLAIN") and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """A throwaway certificate for 127.0.0.1, trusted by this test's default TLS context only."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    # ssl.create_default_context() reads OpenSSL's SSL_CERT_FILE: the client verifies the
    # server as it would the council's, against this one certificate.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return cert, key


@pytest.fixture
def council_mail_server(certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    seen, port = Seen(), free_port()
    controller = Controller(
        seen,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_check_login,
        auth_require_tls=True,
        auth_required=True,
    )
    controller.start()
    yield seen, port
    controller.stop()


def _settings(port, **overrides) -> dict:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": True,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": USER,
        "MAIL_PASSWORD": PASSWORD,
        "MAIL_SENDER": "ripa-guard@borsetshire.example.gov.uk",
        **overrides,
    }


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "ripa-guard@borsetshire.example.gov.uk"
    message["To"] = "olive.officer@borsetshire.example.gov.uk"
    message["Subject"] = "RIPA guard: 1 review due"
    message.set_content("A review is due.")
    return message


def test_mail_goes_encrypted_and_signed_in_when_configured(council_mail_server):
    seen, port = council_mail_server
    smtp = SmtpBackend(_settings(port))._connect()
    smtp.send_message(_message())
    smtp.quit()
    assert seen.sessions == [(True, True)]
    assert list(seen.messages()) == ["olive.officer@borsetshire.example.gov.uk"]


def test_a_server_whose_certificate_is_not_trusted_gets_no_password(
    council_mail_server, monkeypatch, tmp_path
):
    seen, port = council_mail_server
    # Trust nothing: the certificate no longer checks out, so STARTTLS fails before AUTH.
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))
    with pytest.raises(TemporaryFailure) as refused:
        SmtpBackend(_settings(port))._connect()
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
    assert seen.envelopes == []
