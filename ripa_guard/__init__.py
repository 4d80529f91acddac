"""ripa_guard: the guardrail in front of a council's covert online research."""

from __future__ import annotations

import secrets
import sys
from collections import ChainMap
from pathlib import Path

from flask import Flask, send_from_directory
from flask.templating import Environment
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader, Undefined
from jinja2.utils import missing
from werkzeug.middleware.proxy_fix import ProxyFix

from ripa_guard import tables  # noqa: F401  (every table, before the mappers configure)
from ripa_guard.applications import definitions, offences
from ripa_guard.config import DefaultConfig
from ripa_guard.core import db
from ripa_guard.core.private_files import append_secret, private_folder
from ripa_guard.core.records import IdConverter

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


def create_app(config: dict | None = None) -> Flask:
    """The app factory: defaults, then instance/config.py, then RIPA_GUARD_*, then `config`."""
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_environment = TemplateEnvironment
    # Before any route is added: every <int:...> id is bounded (core.records.IdConverter).
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(DefaultConfig)
    private_folder(app.instance_path)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("RIPA_GUARD")
    if config:
        app.config.update(config)
    _ensure_secret_key(app)
    if hops := app.config["PROXY_FIX_HOPS"]:
        # Behind nginx: the client's address, the scheme (https) and the host come from the
        # X-Forwarded-* headers that the configured number of proxies set, and only those.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'ripa_guard.sqlite3'}"
    if not app.config["AUDIT_HEAD_FILE"]:
        app.config["AUDIT_HEAD_FILE"] = str(Path(app.instance_path) / "audit-head.log")

    _load_reference_data(app)
    _init_templates(app)
    csrf.init_app(app)
    db.init_app(app)
    _ensure_totp_key(app)
    if app.config["AUTO_MIGRATE"]:
        from ripa_guard.core.migrate import upgrade

        upgrade(app.config["DATABASE_URL"], totp_key=app.config["TOTP_KEY"])
    _ensure_audit_key(app)

    from ripa_guard import cli
    from ripa_guard import web as views
    from ripa_guard import web_security as security
    from ripa_guard.accounts import auth

    auth.init_app(app)
    security.init_app(app)
    views.register(app)
    cli.register(app)

    @app.route("/assets/<path:filename>")
    def govuk_assets(filename: str):
        # The compiled GOV.UK Frontend CSS refers to its fonts and images under /assets/.
        return send_from_directory(Path(app.static_folder) / "assets", filename)

    return app


def _ensure_secret_key(app: Flask) -> None:
    """Generate a secret key into instance/config.py on first run, so sessions survive restarts."""
    if app.config.get("SECRET_KEY"):
        return
    key = secrets.token_hex(32)
    append_secret(
        Path(app.instance_path) / "config.py",
        f"# Generated on first run. Keep it secret.\nSECRET_KEY = {key!r}\n",
    )
    app.config["SECRET_KEY"] = key


def _ensure_totp_key(app: Flask) -> None:
    """Generate the key that seals second-step secrets into instance/config.py on first run,
    before the upgrade that seals any kept in plain text (accounts/sealing.py)."""
    if app.config.get("TOTP_KEY"):
        return
    from ripa_guard.accounts.sealing import new_key

    key = new_key()
    append_secret(
        Path(app.instance_path) / "config.py",
        "# Generated on first run: seals second-step secrets. Keep it secret, and keep a copy.\n"
        f"TOTP_KEY = {key!r}\n",
    )
    app.config["TOTP_KEY"] = key


def _ensure_audit_key(app: Flask) -> None:
    """Generate the audit trail's key into instance/config.py on first run. An install that
    already has events keeps them as they are: the key chains from the next one on, and the
    head written so far goes to the head file, so the older events are covered by it too."""
    if app.config.get("AUDIT_KEY"):
        return
    from ripa_guard.core import audit

    with app.app_context():
        written = _audit_head(app)
        keyed_from = written[0] + 1 if written else 1
        key = secrets.token_hex(32)
        append_secret(
            Path(app.instance_path) / "config.py",
            "# Generated on first run: the audit trail's key. Keep it secret, and keep a copy.\n"
            f"AUDIT_KEY = {key!r}\nAUDIT_KEYED_FROM = {keyed_from}\n",
        )
        app.config["AUDIT_KEY"], app.config["AUDIT_KEYED_FROM"] = key, keyed_from
        if written and written[0] > 0:
            audit.write_head(audit.head_file(), [written])


def _audit_head(app: Flask) -> tuple[int, str] | None:
    """The newest event's number and hash, or None when there is no audit table yet."""
    from sqlalchemy import exc

    from ripa_guard.core.models import AuditHead

    try:
        with db.engine().connect() as connection:
            row = connection.execute(
                AuditHead.__table__.select().where(AuditHead.id == 1)
            ).one_or_none()
    except exc.DBAPIError:
        return None
    return (row.seq, row.last_hash) if row is not None else None


def _load_reference_data(app: Flask) -> None:
    """Read and validate forms/ and registers/; a bad file stops the app with file, line, problem."""
    forms_dir = Path(app.config["FORMS_DIR"] or ROOT / "forms")
    offences_file = Path(app.config["OFFENCES_FILE"] or ROOT / "registers" / "offences.csv")
    app.extensions["ripa_guard.offences"] = offences.load_offences(offences_file)
    app.extensions["ripa_guard.forms"] = definitions.load_all(forms_dir)


class _Globals(ChainMap):
    """A template's globals (Jinja's own ChainMap), whose keys() set Python subtracts in C.

    Jinja subtracts one template's global names from another's at every `{% from ... import
    %}`, which every page and many macros do: with a ChainMap that is one Python call per name,
    about 40 names, 17 imports a page (issue 19, "where the time goes"). The names are the same.
    """

    def keys(self):
        merged: dict = {}
        for mapping in reversed(self.maps):
            merged.update(mapping)
        return merged.keys()


class TemplateEnvironment(Environment):
    """Flask's environment, with the globals above; nothing else changes."""

    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


class UndefinedNameError(Undefined):
    """In tests, an undefined name in one of our templates fails, so a typo fails a test.

    govuk-frontend-jinja's macros rely on undefined names and keys for their optional
    parameters, so anything undefined inside them stays lenient.
    """

    def _fail_if_ours(self):
        if self._undefined_obj is missing and _rendering_our_template():
            self._fail_with_undefined_error()

    def __str__(self) -> str:
        self._fail_if_ours()
        return ""

    def __bool__(self) -> bool:
        self._fail_if_ours()
        return False

    def __iter__(self):
        self._fail_if_ours()
        return iter(())


def _rendering_our_template() -> bool:
    # Jinja compiles each template to a module whose globals carry its `name`.
    frame = sys._getframe(2)
    while frame is not None:
        if "environment" in frame.f_globals and "name" in frame.f_globals:
            return not str(frame.f_globals["name"]).startswith("govuk_frontend")
        frame = frame.f_back
    return False


def _init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    if app.config.get("TESTING"):
        app.jinja_env.undefined = UndefinedNameError
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
