"""A ripa_guard server that dies in the middle of a transaction, for tests/core/test_faults.py.

    python tests/serve_and_die.py DATABASE_URL PORT TABLE

Serves the app on 127.0.0.1:PORT, and the moment a flush writes a new row into TABLE (before
the change it belongs to has been committed) the process ends at once, with no clean-up, as
if the machine had lost power: os._exit, never an exception the app could catch.
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from ripa_guard import create_app

DIED = 137


def main() -> None:
    url, port, table, head_file = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    app = create_app(
        {
            "SECRET_KEY": "test only",
            "AUDIT_KEY": "test audit key",
            "TOTP_KEY": "dGVzdCBvbmx5OiBzZWFscyBzZWNvbmQtc3RlcCBrZXk=",
            "REQUIRE_TOTP_FOR_DECIDERS": False,
            "AUDIT_HEAD_FILE": head_file,
            "DATABASE_URL": url,
            "AUTO_MIGRATE": False,
            "TESTING": False,
        }
    )

    @event.listens_for(Session, "after_flush")
    def _die(session, _context):
        if any(getattr(row, "__tablename__", "") == table for row in session.new):
            os._exit(DIED)

    server = make_server("127.0.0.1", port, app, threaded=False)
    print("serving", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
