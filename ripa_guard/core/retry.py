"""Which database failures a client may safely retry: a wait cut short by its bound, or a
connection the server ended. The transaction was rolled back, so nothing of it was written,
and the same request sent again is answered afresh (issue 17, reliability under faults)."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

#: What the app's error handler catches from the database (web.py registers it).
DATABASE_ERROR = DBAPIError
#: PostgreSQL SQLSTATEs (Appendix A of its manual) for a wait cut short or a server that ended
#: the session: lock_not_available (lock_timeout), query_canceled (statement_timeout),
#: idle_in_transaction_session_timeout, admin_shutdown (pg_terminate_backend, a restart),
#: crash_shutdown, cannot_connect_now, serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = {"55P03", "57014", "25P03", "57P01", "57P02", "57P03", "40001", "40P01"}
#: SQLite's words for a busy timeout that ran out.
SQLITE_BUSY = ("database is locked", "database table is locked")


def is_worth_retrying(error: BaseException) -> bool:
    """True when the failure was a bounded wait or a lost connection, not a fault in the app."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate is not None:
        # Class 08: the connection failed.
        return sqlstate in RETRYABLE_SQLSTATES or sqlstate.startswith("08")
    module = type(original).__module__
    if module.startswith("psycopg"):
        # No SQLSTATE: the connection was closed under the app ("server closed the connection").
        return type(original).__name__ == "OperationalError"
    return module == "sqlite3" and str(original).startswith(SQLITE_BUSY)
