"""The fair floor: the least a signed-in ripa_guard page can do, served like the app (issue 19).

Every ripa_guard page must load the signed-in user by id (Flask-Login, from the session cookie),
carry a CSRF token (the sign-out form in the header), read what it shows with an indexed query,
and render the GOV.UK page template. This app does only that, on the same database: 50
applications, newest first (ix_applications_submitted_at_id), in govuk-frontend-jinja's table
macro inside its page template. A page near this floor spends its time on its own work; the bare
floor (bench/floor.py) shows what Flask alone costs.

    RIPA_GUARD_DATABASE_URL=... gunicorn 'bench.fair_floor:create_app()'

Signing in (POST /sign-in with the e-mail and the CSRF token) takes no password: the floor
measures the signed-in page, not the sign-in.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, redirect, render_template, request
from flask_login import LoginManager, UserMixin, login_required, login_user
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import create_engine, text

#: The page's one read: the newest 50 applications, by the register's own index.
ROWS = text(
    "SELECT urn, investigation_title, status, submitted_at FROM applications"
    " ORDER BY submitted_at DESC, id DESC LIMIT 50"
)
USER = text("SELECT id, name, email, active FROM users WHERE id = :id")
BY_EMAIL = text("SELECT id, name, email, active FROM users WHERE email = :email")


class User(UserMixin):
    def __init__(self, row):
        self.id, self.name, self.email, self.active = row

    @property
    def is_active(self) -> bool:
        return bool(self.active)


def create_app() -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config.update(
        SECRET_KEY=os.environ.get("RIPA_GUARD_SECRET_KEY", "fair-floor"),
        WTF_CSRF_TIME_LIMIT=None,
    )
    engine = create_engine(os.environ["RIPA_GUARD_DATABASE_URL"], pool_pre_ping=False)
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(Path(__file__).parent / "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    CSRFProtect(app)
    login = LoginManager(app)
    login.login_view = "sign_in"

    def one_user(query, **params) -> User | None:
        with engine.connect() as conn:
            row = conn.execute(query, params).first()
        return User(row) if row else None

    @login.user_loader
    def load_user(user_id: str) -> User | None:
        return one_user(USER, id=int(user_id))

    @app.route("/sign-in", methods=["GET", "POST"])
    def sign_in():
        if request.method == "POST":
            user = one_user(BY_EMAIL, email=request.form.get("email", ""))
            if user is None:
                return "Unknown e-mail address", 400
            login_user(user)
            return redirect("/", code=303)
        return render_template("fair_floor_sign_in.html")

    @app.route("/")
    @login_required
    def page():
        with engine.connect() as conn:
            rows = conn.execute(ROWS).all()
        return render_template("fair_floor.html", rows=rows)

    return app
