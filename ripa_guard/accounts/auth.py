"""Accounts: password hashing, sign-in sessions, and who may open which route."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_login import LoginManager, current_user
from sqlalchemy.orm import joinedload
from werkzeug.security import generate_password_hash

from ripa_guard.accounts.models import Role, User
from ripa_guard.accounts.sessions import GENERATION
from ripa_guard.core import db, read_log

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "info"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def one_time_password() -> str:
    """A password to hand over once; the user must change it at first sign-in."""
    return secrets.token_urlsafe(12)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    try:
        key = int(user_id)
    except ValueError:
        return None
    # Every signed-in request asks this: user and roles in one query, not two.
    user = db.session().get(User, key, options=[joinedload(User.roles)])
    if user is None or not user.active or session.get(GENERATION) != user.session_generation:
        # Disabled, signed out elsewhere, or its password changed: this session is over.
        session.clear()
        return None
    return user


def roles_required(*roles: Role) -> Callable:
    """Sign-in required, and at least one of `roles`; 403 otherwise."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _force_password_change():
    """A one-time password opens nothing but the page that replaces it."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint
        not in {"auth.change_password", "auth.sign_out", "govuk_assets", "static"}
    ):
        flash("Choose a new password before you continue", "info")
        return redirect(url_for("auth.change_password"))
    return None


def init_app(app: Flask) -> None:
    from ripa_guard.accounts import sign_in

    login_manager.init_app(app)
    sign_in.init_app(app)
    # Who opened which record: written after each page that noted a read (DPA 2018 s.62).
    read_log.init_app(app)
    app.before_request(_force_password_change)
