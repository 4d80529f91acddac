"""Several senders at once (a cron job overlapping a worker) never take the same e-mail."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import insert

from ripa_guard.core import db
from ripa_guard.notifications import sending
from ripa_guard.notifications.models import OutboxMessage

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def test_senders_claiming_at_once_never_take_the_same_email(app, officer):
    with app.app_context():
        rows = [
            {
                "event": "reminder",
                "user_id": officer.id,
                "email": officer.email,
                "subject": f"Reminder {n}",
                "body": "",
                "personalisation": {},
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": NOW,
                "last_error": "",
                "created_at": NOW,
            }
            for n in range(60)
        ]
        db.session().execute(insert(OutboxMessage), rows)
        db.session().commit()
    taken: list[list[int]] = [[] for _ in range(3)]
    start = threading.Barrier(3)

    def sender(n: int) -> None:
        with app.app_context():
            session = db.session()
            start.wait()
            while True:
                _, batch = sending.claim(session, NOW, batch=4)
                if not batch:
                    return
                taken[n].extend(m.id for m in batch)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = [i for ids in taken for i in ids]
    assert len(everything) == 60
    assert len(set(everything)) == 60
