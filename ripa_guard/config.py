"""Default settings. instance/config.py overrides them, then RIPA_GUARD_* environment variables."""

from datetime import timedelta


class DefaultConfig:
    #: The council's name, shown in the header and on every printed document.
    COUNCIL_NAME = "Example Council"
    #: The council's postal address, printed on the papers for the magistrates' court.
    COUNCIL_ADDRESS = ""
    #: The council's telephone number for the court papers. The SRO's Council details page
    #: (council/details.py) overrides this and the settings below once filled in.
    COUNCIL_TELEPHONE = ""
    #: Where officers read the council's own RIPA and social media policy.
    POLICY_URL = ""
    #: The RIPA coordinator's name, e-mail and telephone, at the foot of every page.
    COORDINATOR_NAME = ""
    COORDINATOR_EMAIL = ""
    COORDINATOR_TELEPHONE = ""
    #: Whether the council's policy allows monitoring outside RIPA (an employment
    #: investigation, say) through the non-RIPA register. Some councils' social media policies
    #: forbid it: then triage's "outside RIPA" outcome says so and offers no non-RIPA route.
    NON_RIPA_MONITORING_ALLOWED = True
    SERVICE_NAME = "RIPA guard"
    #: SQLAlchemy URL; None means SQLite in instance/ripa_guard.sqlite3.
    DATABASE_URL: str | None = None
    #: Prefix of unique reference numbers: RIPA/2026/0001.
    URN_PREFIX = "RIPA"
    #: Years a central record entry is kept after the authorisation ends; the Code's minimum is 3.
    RETENTION_YEARS = 3
    #: The review interval offered by default to an authorising officer, in days.
    DEFAULT_REVIEW_INTERVAL_DAYS = 28
    #: How many days an earlier viewing of a profile (or its subject) for an investigation makes
    #: a further viewing without authorisation a repeat, which is blocked; None: for ever, the
    #: safe default. Counted in days in England and Wales, today included.
    REPEAT_VIEWING_WINDOW_DAYS: int | None = None
    #: The magistrates' court register code printed on the court papers, if the council's court
    #: uses one. None by default: the codes seen in guidance were not confirmed (DOMAIN.md §3).
    COURT_REGISTER_CODE = ""
    #: Prefix of the non-RIPA register's references: NR/2026/0001.
    NON_RIPA_PREFIX = "NR"
    #: Years after which training is out of date: the council's own setting. IPCO expects key
    #: staff to be trained and refreshed but sets no period; three years is common practice.
    TRAINING_LIMIT_YEARS = 3
    #: Refuse an approval by an authorising officer whose training is out of date. A council
    #: upgrading records its officers' training first, or sets this False until it has.
    REQUIRE_TRAINING = True
    #: Refuse a viewing by an officer whose online research training is out of date: IPCO
    #: expects officers who do online research to be trained (DOMAIN.md §8). A council upgrading
    #: records its officers' training first, or sets this False until it has.
    REQUIRE_OFFICER_TRAINING = True
    #: Training falling due within this many days shows as due soon.
    TRAINING_DUE_SOON_DAYS = 90
    #: Forms and registers a coordinator may edit without a programmer; None: the shipped ones.
    FORMS_DIR: str | None = None
    OFFENCES_FILE: str | None = None
    #: Where a file uploaded to import the earlier central record waits, 0600, until it is
    #: imported; None means instance/imports.
    IMPORT_FOLDER: str | None = None
    #: Where files captured during viewings (screenshots, PDFs) are kept, 0600, each named by
    #: its SHA-256 (viewing/capture_store.py); None means instance/captures.
    CAPTURE_STORE: str | None = None
    #: Months after a capture is made that its retention is reviewed, and months it is kept
    #: at most without a review keeping it (law/material.py; Code of Practice 2018 ch. 9,
    #: DPA 2018 s.39(2) periodic review). A review keeps it for at most CAPTURE_KEEP_MONTHS more.
    CAPTURE_REVIEW_MONTHS = 6
    CAPTURE_KEEP_MONTHS = 12
    #: The largest capture file the server takes, in megabytes (POST /api/v1/captures and the
    #: "Record a capture" page).
    CAPTURE_MAX_MB = 20
    # Reconciling proxy logs with the viewing log (viewing/reconcile.py) -----------------------
    #: How a proxy log's user names are matched to accounts: "email" (the whole address),
    #: "local-part" (the part before "@", a Windows domain dropped) or "username-map" (only
    #: the users file uploaded with the log, or RECONCILE_USER_MAP).
    RECONCILE_USER_MATCH = "local-part"
    #: Log user name -> e-mail address, used first whatever the mode: {"oofficer": "olive@..."}.
    RECONCILE_USER_MAP: dict[str, str] = {}
    #: Minutes either side of a visit within which a viewing by the officer of the same profile
    #: matches it.
    RECONCILE_MATCH_MINUTES = 10
    #: Requests of one profile by one officer within this many seconds of each other are one
    #: visit (the page, its images and scripts).
    RECONCILE_BURST_SECONDS = 120
    #: The largest proxy log the SRO's upload page takes, in bytes; larger ones are run with
    #: `ripa-guard reconcile FILE`.
    RECONCILE_UPLOAD_MAX_BYTES = 200 * 1024 * 1024

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the session lifetime bounds the token instead
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True in production behind HTTPS
    #: How many reverse proxies (nginx) stand in front of the app and set X-Forwarded-For,
    #: -Proto and -Host; 0 when none. Trusting more than there are lets a client forge its
    #: address, and the sign-in throttle counts by address (deploy/, README "Deploying").
    PROXY_FIX_HOPS = 0
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    #: Upgrade the database schema when the app starts.
    AUTO_MIGRATE = True
    #: The key of the audit trail's HMAC chain (core/audit.py), kept outside the database so
    #: that whoever can write to it cannot rewrite an event unseen. Generated into
    #: instance/config.py on first run, like SECRET_KEY; keep a copy with the backups' keys.
    AUDIT_KEY: str | None = None
    #: The first event chained with AUDIT_KEY: older ones (from before there was a key) carry
    #: plain SHA-256. Written with a generated key; 1 on a new install.
    AUDIT_KEYED_FROM = 1
    #: Append-only file outside the database where each committed event's number and hash are
    #: written, so a chain cut short or restored from an older copy shows; None means
    #: instance/audit-head.log. Put it where the database's users cannot write.
    AUDIT_HEAD_FILE: str | None = None
    #: The largest request taken, in bytes: every form and API body is far smaller. Larger
    #: ones get 413 before anything is read (ASVS 5.0 V4.4, resources bounded).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    #: The largest form held in memory; Flask's own default is 500 kB.
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    MAX_FORM_PARTS = 1000
    #: The host names the service answers to, e.g. ["ripa.borsetshire.gov.uk"]: any other Host
    #: header gets 400, so links the API and e-mails build cannot point elsewhere. None accepts
    #: any (for development); set it in production.
    TRUSTED_HOSTS: list[str] | None = None
    # Waits on the database (core/db.py, Waits). Each is below the app server's worker timeout
    # (gunicorn --timeout, 30 s by default; keep it above DB_STATEMENT_TIMEOUT_MS): a request
    # held up longer is answered 503 with Retry-After, its work rolled back, safe to retry.
    #: PostgreSQL lock_timeout: the longest wait for a lock, in milliseconds.
    DB_LOCK_TIMEOUT_MS = 5_000
    #: PostgreSQL statement_timeout: the longest one statement may run, in milliseconds.
    DB_STATEMENT_TIMEOUT_MS = 10_000
    #: PostgreSQL idle_in_transaction_session_timeout, in milliseconds.
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000
    #: SQLite's busy timeout: the longest wait for another writer, in seconds.
    SQLITE_BUSY_TIMEOUT_SECONDS = 10
    #: PostgreSQL max_parallel_workers_per_gather for the app's queries: how many workers one
    #: query may start beside its own process. None leaves the server's setting (2 by default).
    #: 0, because a page's queries read an index each: at 100,000 entries a year's register was
    #: counted in 9.5 ms alone and 14 ms with two workers, and under four readers on two CPUs
    #: the workers' start-up took the CPUs other requests needed (p95 91 ms; issue 19).
    DB_PARALLEL_WORKERS: int | None = 0
    #: Whether the PostgreSQL driver prepares a statement the fifth time a connection runs it
    #: (psycopg's prepare_threshold), so that the server plans it once per connection, not on
    #: every request (issue 19). False behind a pooler that gives each transaction to any server
    #: connection without carrying prepared statements (PgBouncer's transaction pooling before
    #: 1.21, or with max_prepared_statements 0).
    DB_PREPARED_STATEMENTS = True
    #: Seconds a client is asked to wait (Retry-After) after a 503 for a wait cut short.
    RETRY_AFTER_SECONDS = 5
    #: The key that seals second-step (TOTP) secrets in the database (accounts/sealing.py), kept
    #: outside it like AUDIT_KEY: generated into instance/config.py on first run.
    TOTP_KEY: str | None = None
    #: Days an API token for tools works after it is made (rotate it before then); 0: no end.
    API_TOKEN_DAYS = 90
    #: Days a one-time password (a new account's, or after a reset) works before the SRO must
    #: issue another.
    ONE_TIME_PASSWORD_DAYS = 7
    #: Minimum password length (NCSC: length over complexity).
    PASSWORD_MIN_LENGTH = 12

    # Sign-in security (ripa_guard/sign_in.py) ------------------------------------------------
    #: Where Flask-Limiter counts sign-in attempts: "memory://" for one app server; with several,
    #: a shared store such as "redis://127.0.0.1:6379" so that they count together.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "ripa_guard"
    #: If the shared store is down, count in memory rather than refuse every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    #: Attempts to sign in (POST /sign-in) from one address, and for one email address.
    SIGN_IN_LIMIT_PER_IP = "30 per minute; 300 per hour"
    SIGN_IN_LIMIT_PER_ACCOUNT = "10 per minute"
    #: Failed sign-ins naming one email address within the window (minutes) that lock it, counted
    #: in the database by every app server. The lock lasts while that many failures are within
    #: the window; the right password and a second step still get through (accounts/lockout.py).
    LOCKOUT_FAILURES = 5
    LOCKOUT_WINDOW_MINUTES = 15
    #: Failed sign-ins from one client address within the window after which every attempt from
    #: it is refused. Behind one council gateway address, raise it (and use ProxyFix).
    LOCKOUT_SOURCE_FAILURES = 50
    #: Failed passwords for one account within the window past which even the right password
    #: and second step are refused (NIST SP 800-63B s.5.2.2: no more than 100).
    LOCKOUT_CEILING = 100
    #: Signed out after this many minutes without a request, and this many after signing in.
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_MINUTES = 8 * 60
    #: The SRO, authorising officers, the RIPA coordinator and inspectors must set up a second
    #: step (an authenticator app) to sign in. Turn it off only where sign-in is through the
    #: council's single sign-on, which asks for a second factor itself.
    REQUIRE_TOTP_FOR_DECIDERS = True
    # Single sign-on (accounts/single_sign_on.py, README "Single sign-on") ----------------------
    #: The council's OpenID Connect provider, e.g. Entra ID's
    #: "https://login.microsoftonline.com/TENANT-ID/v2.0"; None: no single sign-on.
    OIDC_ISSUER: str | None = None
    OIDC_CLIENT_ID: str | None = None
    OIDC_CLIENT_SECRET: str | None = None
    OIDC_SCOPE = "openid email profile"
    #: The ID token's claim whose values the SRO maps to roles: "roles" (app roles) or "groups".
    ROLES_CLAIM = "roles"
    #: False: only single sign-on, except the break-glass account (with its second step).
    LOCAL_PASSWORDS_ENABLED = True
    #: The break-glass account's e-mail address; None: the first SRO's local account.
    BREAK_GLASS_EMAIL: str | None = None
    #: Setting up, changing or removing the second step asks for the password again unless it
    #: was given within this many minutes.
    RECENT_SIGN_IN_MINUTES = 5

    #: SMTP server for `ripa-guard send`'s e-mails, and its port (587 with STARTTLS, 465 SSL).
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    #: Upgrade the connection with STARTTLS before sending (usual on port 587).
    MAIL_USE_TLS = False
    #: Connect over TLS from the start (SMTPS, usual on port 465); takes precedence over STARTTLS.
    MAIL_USE_SSL = False
    #: Credentials for the SMTP server; no login when the username is None.
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    #: The From address of e-mails; its domain ends each e-mail's Message-ID.
    MAIL_SENDER = "RIPA guard <ripa-guard@example.gov.uk>"
    #: The address the service is reached at, for links in e-mails (no trailing slash needed).
    SERVICE_URL = "http://127.0.0.1:5000"

    # E-mail through the outbox (notifications/, `ripa-guard send`) ----------------------------
    #: How `ripa-guard send` delivers: "smtp" (the MAIL_* settings) or "notify" (GOV.UK Notify).
    EMAIL_BACKEND = "smtp"
    #: GOV.UK Notify's API key (from its API integration page), and where its API is.
    NOTIFY_API_KEY: str | None = None
    NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    #: The Notify e-mail template used for every message: subject ((subject)), body ((body)).
    NOTIFY_TEMPLATE_ID: str | None = None
    #: Templates of the council's own for some events, by event name (README, "E-mail").
    NOTIFY_TEMPLATES: dict[str, str] = {}
    #: Attempts before an e-mail is given up as failed, and the back-off between them: doubling
    #: from the base, never more than the cap.
    SEND_MAX_ATTEMPTS = 8
    SEND_RETRY_BASE_SECONDS = 60
    SEND_RETRY_CAP_SECONDS = 6 * 60 * 60
    #: A message claimed this long ago and still "sending" was left by a sender that stopped.
    SEND_CLAIM_TIMEOUT_SECONDS = 15 * 60
    #: Messages claimed at a time.
    SEND_BATCH = 50
