"""Default settings. instance/config.py overrides them, then RIPA_GUARD_* environment variables."""

from datetime import timedelta


class DefaultConfig:
    #: The council's name, shown in the header and on every printed document.
    COUNCIL_NAME = "Example Council"
    SERVICE_NAME = "RIPA guard"
    #: SQLAlchemy URL; None means SQLite in instance/ripa_guard.sqlite3.
    DATABASE_URL: str | None = None
    #: Prefix of unique reference numbers: RIPA/2026/0001.
    URN_PREFIX = "RIPA"
    #: Years a central record entry is kept after the authorisation ends; the Code's minimum is 3.
    RETENTION_YEARS = 3
    #: The review interval offered by default to an authorising officer, in days.
    DEFAULT_REVIEW_INTERVAL_DAYS = 28
    #: Forms and registers a coordinator may edit without a programmer; None: the shipped ones.
    FORMS_DIR: str | None = None
    OFFENCES_FILE: str | None = None

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token instead
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True in production behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    #: Upgrade the database schema when the app starts.
    AUTO_MIGRATE = True
    #: Minimum password length (NCSC: length over complexity).
    PASSWORD_MIN_LENGTH = 12
