"""How an e-mail leaves: by SMTP, or by GOV.UK Notify with its official client.

Each backend's `send` returns the provider's id (or None) or raises one of three failures, which
decide what the outbox does next (sending.py): try again later, give up, or never resend.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from ripa_guard.notifications.models import OutboxMessage

#: Seconds to wait for the SMTP server or Notify before giving up on an attempt.
TIMEOUT = 30


class TemporaryFailure(Exception):
    """Nothing was delivered, or the provider can be asked later: try again after a while."""


class PermanentFailure(Exception):
    """Refused for good (a bad address, a bad template or key): trying again will not help."""


class Uncertain(Exception):
    """It may have been delivered and there is no way to ask: never send it again."""


class SmtpBackend:
    """The council's mail server. Each e-mail's Message-ID comes from its outbox id, so a
    duplicate, should one ever go, can be recognised by whoever receives it."""

    name = "smtp"
    #: SMTP cannot say whether an e-mail went: a sender stopped mid-way is not retried.
    can_check_delivery = False

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        #: Why the server could not be reached in this run: the rest wait for the next run
        #: rather than each waiting out its own time-out.
        self.down: str | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        try:
            if config["MAIL_USE_SSL"]:
                context = ssl.create_default_context()
                smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(host, port, timeout=TIMEOUT)
            try:
                if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                    smtp.starttls(context=ssl.create_default_context())
                if config["MAIL_USERNAME"]:
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            except BaseException:
                smtp.close()
                raise
        except (OSError, smtplib.SMTPException) as error:
            # Nothing was handed over yet, so trying again later cannot make a duplicate.
            raise TemporaryFailure(
                f"Could not connect to the mail server {host}:{port}: "
                f"{error or type(error).__name__}. Check MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, "
                "MAIL_USE_SSL and the credentials."
            ) from error
        return smtp

    def email(self, message: OutboxMessage) -> EmailMessage:
        sender = self.config["MAIL_SENDER"]
        domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        email = EmailMessage()
        email["From"] = sender
        email["To"] = message.email
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = f"<{message.reference}@{domain}>"
        email.set_content(message.body)
        return email

    def send(self, message: OutboxMessage) -> str | None:
        if self.down:
            raise TemporaryFailure(self.down)
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except TemporaryFailure as error:
                self.down = str(error)
                raise
        try:
            self.smtp.send_message(self.email(message))
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
            codes = [code for code, _ in getattr(error, "recipients", {}).values()] or [
                getattr(error, "smtp_code", 500)
            ]
            self._refused(min(codes), error)
        except smtplib.SMTPResponseException as error:
            # The server answered with a code: it did not take the message.
            self._refused(error.smtp_code, error)
        except (OSError, smtplib.SMTPException) as error:
            # The connection broke: perhaps after the server took the message.
            self.close()
            raise Uncertain(
                f"The connection to the mail server broke while sending: {error}"
            ) from error
        return None

    def _refused(self, code: int, error: Exception):
        if 400 <= code < 500:
            raise TemporaryFailure(f"The mail server said to try later: {error}") from error
        raise PermanentFailure(f"The mail server refused it: {error}") from error

    def find(self, message: OutboxMessage) -> str | None:
        return None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


class NotifyBackend:
    """GOV.UK Notify. Each e-mail goes with a reference derived from its outbox id, and before
    any second attempt Notify is asked whether it already has one with that reference, so a
    message is not sent twice even when an answer was lost on the way back."""

    name = "notify"
    can_check_delivery = True

    def __init__(self, config):
        self.templates = dict(config["NOTIFY_TEMPLATES"] or {})
        self.default_template = config["NOTIFY_TEMPLATE_ID"]
        self.client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=TIMEOUT
        )
        #: Why Notify could not be reached in this run: the rest wait for the next run.
        self.down: str | None = None

    def send(self, message: OutboxMessage) -> str | None:
        if self.down:
            raise TemporaryFailure(self.down)
        if message.attempts > 1:
            already = self.find(message)
            if already:
                return already
        template = self.templates.get(message.event) or self.default_template
        if not template:
            raise PermanentFailure(
                f"No Notify template is set for {message.event}: set NOTIFY_TEMPLATE_ID."
            )
        try:
            answer = self.client.send_email_notification(
                email_address=message.email,
                template_id=template,
                personalisation=message.personalisation,
                reference=message.reference,
            )
        except APIError as error:
            self._failed(error)
        return answer.get("id")

    def find(self, message: OutboxMessage) -> str | None:
        """Notify's id of a notification already sent with this message's reference."""
        try:
            found = self.client.get_all_notifications(reference=message.reference)
        except APIError as error:
            raise TemporaryFailure(f"Could not ask Notify what it already has: {error}") from error
        notifications = found.get("notifications") or []
        return notifications[0]["id"] if notifications else None

    def _failed(self, error: APIError):
        # 429: too many requests; 5xx and no answer at all (the client says 503): try again,
        # asking first whether Notify took it. Any other 4xx is a bad key, template or address.
        if error.response is None:
            self.down = f"Could not reach Notify at {self.client.base_url}: {error}"
            raise TemporaryFailure(self.down) from error
        if error.status_code == 429 or error.status_code >= 500:
            raise TemporaryFailure(f"Notify: {error}") from error
        raise PermanentFailure(f"Notify refused it: {error}") from error

    def close(self) -> None:
        self.client.request_session.close()


BACKENDS = {"smtp": SmtpBackend, "notify": NotifyBackend}


class NotConfigured(Exception):
    """The settings name no way to send: the message says which to set."""


def backend_for(config):
    """The backend EMAIL_BACKEND names, or NotConfigured saying what is missing."""
    name = config["EMAIL_BACKEND"]
    if name not in BACKENDS:
        raise NotConfigured(f"EMAIL_BACKEND is {name!r}: set it to smtp or notify.")
    if name == "notify" and not config["NOTIFY_API_KEY"]:
        raise NotConfigured("EMAIL_BACKEND is notify: set NOTIFY_API_KEY.")
    return BACKENDS[name](config)
