"""Fixtures for e-mail: a real SMTP server (aiosmtpd) on a free port, and the app's mail settings
pointed at it for one test. Loaded as a plugin by tests/conftest.py."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

SERVICE_URL = "https://ripa.borsetshire.example.gov.uk"
SENDER = "RIPA guard <ripa-guard@borsetshire.example.gov.uk>"
MAIL_KEYS = (
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_SENDER",
    "SERVICE_URL",
)


class Inbox:
    """An aiosmtpd handler that keeps every envelope it is given, or gives `answer` instead."""

    def __init__(self):
        self.envelopes = []
        #: What the server says at the end of DATA; a 4xx or 5xx refuses the message.
        self.answer = "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.answer.startswith("250"):
            self.envelopes.append(envelope)
        return self.answer

    def parsed(self) -> list:
        """Every message received, parsed, in order."""
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def messages(self) -> dict[str, object]:
        """Recipient -> the parsed message; one recipient per message."""
        received = {}
        for envelope in self.envelopes:
            [recipient] = envelope.rcpt_tos
            received[recipient] = message_from_bytes(envelope.content, policy=policy.default)
        return received


def text(message) -> str:
    # SMTP carries CRLF line ends; compare with the text as written.
    return message.get_content().replace("\r\n", "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail_config(app):
    """Point the app's mail settings somewhere for one test, and put them back after."""
    saved = {key: app.config[key] for key in MAIL_KEYS}
    app.config.update(
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
        MAIL_SENDER=SENDER,
        SERVICE_URL=SERVICE_URL + "/",
    )
    yield app.config
    app.config.update(saved)


@pytest.fixture
def inbox(mail_config):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    mail_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield handler
    controller.stop()
