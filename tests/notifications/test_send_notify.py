"""`ripa-guard send` by GOV.UK Notify, with its official client, against a local HTTP server
that checks the client's signed token and the request it makes, as Notify would."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from sqlalchemy import select

from ripa_guard.accounts.models import Role
from ripa_guard.core import db
from ripa_guard.notifications import sending
from ripa_guard.notifications.backends import NotifyBackend
from ripa_guard.notifications.models import MessageStatus, OutboxMessage
from tests import records

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"ripa_guard_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


class FakeNotify(ThreadingHTTPServer):
    """Notify's two endpoints the app uses; every request must carry a token signed with the
    key's secret and issued by the service (docs.notifications.service.gov.uk, "Authorisation
    header")."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), NotifyHandler)
        self.sent: list[dict] = []
        self.tokens: list[dict] = []
        #: What the next POSTs answer: "ok", "lost" (accepted, but the answer is a 500), "bad".
        self.answers: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class NotifyHandler(BaseHTTPRequestHandler):
    server: FakeNotify

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iat"]})
        except jwt.InvalidTokenError as error:
            self._answer(403, {"errors": [{"error": "AuthError", "message": str(error)}]})
            return False
        if claims.get("iss") != SERVICE_ID:
            self._answer(403, {"errors": [{"error": "AuthError", "message": "Invalid iss"}]})
            return False
        self.server.tokens.append(claims)
        return True

    def do_GET(self):
        if not self._authorised():
            return
        url = urlsplit(self.path)
        assert url.path == "/v2/notifications"
        [reference] = parse_qs(url.query)["reference"]
        found = [n for n in self.server.sent if n["reference"] == reference]
        self._answer(200, {"notifications": found, "links": {}})

    def do_POST(self):
        if not self._authorised():
            return
        assert self.path == "/v2/notifications/email"
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        answer = self.server.answers.pop(0) if self.server.answers else "ok"
        if answer == "bad":
            error = {"error": "BadRequestError", "message": "Template not found"}
            self._answer(400, {"errors": [error], "status_code": 400})
            return
        notification = {"id": str(uuid.uuid4()), **body}
        self.server.sent.append(notification)
        if answer == "lost":
            self._answer(500, {"errors": [{"error": "Exception", "message": "Internal error"}]})
            return
        self._answer(201, {"id": notification["id"], "reference": body.get("reference")})


@pytest.fixture
def notify(app):
    server = FakeNotify()
    # A short poll, so that shutdown() at the end of the test does not wait half a second.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    keys = ("EMAIL_BACKEND", "NOTIFY_API_KEY", "NOTIFY_BASE_URL", "NOTIFY_TEMPLATE_ID")
    saved = {key: app.config[key] for key in keys} | {"NOTIFY_TEMPLATES": {}}
    app.config.update(
        EMAIL_BACKEND="notify",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_BASE_URL=server.url,
        NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
    )
    yield server
    app.config.update(saved)
    server.shutdown()
    server.server_close()


def send(app, now=NOW) -> sending.Run:
    with app.app_context():
        return sending.run(
            db.session(),
            NotifyBackend(app.config),
            lambda: now,
            sending.Settings.from_config(app.config),
        )


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_notify_is_sent_the_template_address_and_fields_with_a_signed_token(
    app, notify, officer, authoriser
):
    application_id = records.submitted(app, officer, title="Fake perfume")

    result = app.test_cli_runner().invoke(args=["send"])

    assert result.exit_code == 0, result.output
    [sent] = notify.sent
    [row] = outbox(app)
    assert sent["template_id"] == TEMPLATE_ID
    assert sent["email_address"] == authoriser.email
    assert sent["reference"] == f"ripa-guard-outbox-{row.id}"
    fields = sent["personalisation"]
    urn = fields["reference"]
    assert fields["title"] == "Fake perfume"
    assert fields["link"] == f"http://127.0.0.1:5000/applications/{application_id}"
    assert fields["subject"] == f"{urn} is waiting for an authorising officer's decision"
    assert fields["body"].startswith("RIPA guard, Borsetshire District Council")
    assert notify.tokens[0]["iss"] == SERVICE_ID
    assert row.status == MessageStatus.SENT and row.provider_id == sent["id"]


def test_an_event_with_a_template_of_its_own_uses_it(app, notify, officer, authoriser):
    own = "0f2b5a3e-9c1d-4c4e-8f3a-2b9d7e6c5a41"
    app.config["NOTIFY_TEMPLATES"] = {"application_submitted": own}
    records.submitted(app, officer)

    send(app)

    assert [n["template_id"] for n in notify.sent] == [own]


def test_an_answer_lost_on_the_way_back_does_not_send_the_email_twice(
    app, notify, officer, authoriser
):
    records.submitted(app, officer)
    notify.answers = ["lost"]

    first = send(app)
    second = send(app, NOW + timedelta(minutes=1))

    assert first.retrying == 1 and second.sent == 1
    assert len(notify.sent) == 1
    [row] = outbox(app)
    assert row.status == MessageStatus.SENT and row.attempts == 2
    assert row.provider_id == notify.sent[0]["id"]


def test_a_sender_stopped_after_notify_took_the_email_does_not_send_it_again(
    app, notify, officer, authoriser
):
    records.submitted(app, officer)
    with app.app_context():
        _, [claimed] = sending.claim(db.session(), NOW, batch=10)
        NotifyBackend(app.config).send(claimed)  # and then the sender dies

    send(app, NOW + timedelta(minutes=16))

    assert len(notify.sent) == 1
    assert outbox(app)[0].status == MessageStatus.SENT


def test_a_request_notify_refuses_is_failed_not_retried(app, notify, officer, authoriser):
    records.submitted(app, officer)
    notify.answers = ["bad"]

    result = app.test_cli_runner().invoke(args=["send"])

    assert result.exit_code == 1
    assert "Template not found" in result.output
    assert outbox(app)[0].status == MessageStatus.FAILED


def test_a_token_signed_with_another_secret_is_refused(app, notify, officer, authoriser):
    app.config["NOTIFY_API_KEY"] = f"ripa_guard_test-{SERVICE_ID}-{uuid.uuid4()}"
    records.submitted(app, officer)

    run = send(app)

    assert run.failed == 1 and notify.sent == []
    assert "Signature verification failed" in outbox(app)[0].last_error


def test_notify_out_of_reach_is_tried_again_later(app, notify, officer, create_user):
    create_user(Role.AUTHORISING_OFFICER)
    create_user(Role.AUTHORISING_OFFICER)
    records.submitted(app, officer)
    app.config["NOTIFY_BASE_URL"] = "http://127.0.0.1:9"  # the discard port: nothing listens

    run = send(app)

    assert run.retrying == 2
    assert all("Could not reach Notify" in m.last_error for m in outbox(app))


def test_send_says_what_to_set_when_notify_has_no_key(app, notify, officer, authoriser):
    app.config["NOTIFY_API_KEY"] = None
    records.submitted(app, officer)

    result = app.test_cli_runner().invoke(args=["send"])

    assert result.exit_code == 1
    assert "EMAIL_BACKEND is notify: set NOTIFY_API_KEY. No e-mails were sent." in result.output
    assert outbox(app)[0].status == MessageStatus.PENDING
