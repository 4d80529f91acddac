"""Single sign-on with the council's OpenID Connect provider (Microsoft Entra ID, or any other),
through Authlib (issue 18, item 1).

The account is matched by the provider's issuer and its `sub` for the person, never by e-mail
(an e-mail address can be changed in the provider, and given to someone else). Roles come from
the ID token's ROLES_CLAIM ("roles" for Entra ID's app roles, or "groups") through the mapping
the SRO sets: re-read at every sign-in, so a role taken away in the provider is taken away here.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ripa_guard.accounts.auth import hash_password
from ripa_guard.accounts.models import Role, SignOnRole, User, UserRole
from ripa_guard.accounts.sessions import end_sessions
from ripa_guard.core import audit

#: The name the provider is registered under with Authlib.
PROVIDER = "council"

NO_LONGER_A_ROLE = (
    "You no longer have a role in {service}, so your account has been disabled. "
    "If you still need it, ask your senior responsible officer."
)
DISABLED = (
    "Your account in {service} is disabled. If you need it, ask your senior responsible officer."
)
EMAIL_TAKEN = (
    "An account with your email address already signs in with a password. Ask your senior "
    "responsible officer to disable it, then sign in with your council account again."
)


class SignOnRefused(Exception):
    """The provider vouched for the person, but ripa_guard does not let them in: why, in words."""


def init_app(app: Flask) -> None:
    """Register the provider with Authlib when OIDC_ISSUER is set; its endpoints and keys come
    from its discovery document, read when first needed."""
    if not is_configured(app):
        return
    oauth = OAuth(app)
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_ISSUER"].rstrip("/")
        + "/.well-known/openid-configuration",
        client_kwargs={"scope": app.config["OIDC_SCOPE"]},
    )
    app.extensions["ripa_guard.oidc"] = oauth


def is_configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def client():
    return current_app.extensions["ripa_guard.oidc"].create_client(PROVIDER)


@dataclass
class Arrival:
    """Who signed in, and what changed in their account on the way."""

    user: User
    created: bool
    added: list[Role]
    removed: list[Role]


def expired(claims: dict, now: datetime) -> bool:
    """An ID token past its `exp` is refused (OpenID Connect Core 1.0 s.3.1.3.7, step 9)."""
    exp = claims.get("exp")
    return not isinstance(exp, int | float) or exp <= now.timestamp()


def arrive(s: Session, claims: dict, now: datetime) -> Arrival:
    """The account for these ID-token claims: made on first sign-in with no role; its roles
    brought into line with the token's; disabled and signed out if it has none left."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    user = s.scalar(
        select(User).where(User.sign_on_issuer == issuer, User.sign_on_subject == subject)
    )
    created = user is None
    if created:
        user = _first_sign_in(s, issuer, subject, claims)
    elif not user.active:
        raise SignOnRefused(DISABLED.format(service=current_app.config["SERVICE_NAME"]))
    had_roles = bool(user.roles)
    added, removed = _bring_roles_into_line(s, user, claim_values(claims))
    if had_roles and not user.roles:
        user.active = False
        audit.record(s, None, "user.disabled_by_sign_on", "user", user.id, removed=_names(removed))
        end_sessions(s, user)
        s.commit()
        raise SignOnRefused(NO_LONGER_A_ROLE.format(service=current_app.config["SERVICE_NAME"]))
    audit.record(s, user, "user.signed_in_with_sign_on", "user", user.id, issuer=issuer)
    s.commit()
    return Arrival(user, created, added, removed)


def claim_values(claims: dict) -> set[str]:
    """The values of ROLES_CLAIM: a list of strings (Entra ID), or one string."""
    values = claims.get(current_app.config["ROLES_CLAIM"]) or []
    if isinstance(values, str):
        values = [values]
    return {str(v) for v in values if isinstance(v, str | int)}


def _first_sign_in(s: Session, issuer: str, subject: str, claims: dict) -> User:
    email = str(claims.get("email") or claims.get("preferred_username") or "").strip().lower()
    if not email or "@" not in email:
        raise SignOnRefused(
            "Your council account did not give an email address. Ask IT to release the email "
            "claim to RIPA guard."
        )
    if s.scalar(select(User.id).where(User.email == email)) is not None:
        raise SignOnRefused(EMAIL_TAKEN)
    user = User(
        email=email[:254],
        name=str(claims.get("name") or email)[:200],
        # Nobody knows this password: the account signs in through the provider only.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        must_change_password=False,
        sign_on_issuer=issuer,
        sign_on_subject=subject,
        roles=[],
    )
    s.add(user)
    s.flush()
    audit.record(s, None, "user.created_by_sign_on", "user", user.id, email=user.email)
    return user


def _bring_roles_into_line(
    s: Session, user: User, values: set[str]
) -> tuple[list[Role], list[Role]]:
    """Roles that the mapping gives for these claim values are added; roles that the mapping
    can give but these values no longer do are removed. Roles the mapping never gives (given
    by the SRO in ripa_guard) are left as they are."""
    mappings = s.scalars(select(SignOnRole)).all()
    wanted = {m.role for m in mappings if m.claim_value in values}
    managed = {m.role for m in mappings}
    current = user.role_set
    removed = sorted((current & managed) - wanted)
    added = sorted(wanted - current)
    if added or removed:
        user.roles = [r for r in user.roles if r.role not in removed] + [
            UserRole(role=r) for r in added
        ]
        audit.record(
            s,
            None,
            "user.roles_from_sign_on",
            "user",
            user.id,
            added=_names(added),
            removed=_names(removed),
        )
    return added, removed


def _names(roles: Iterable[Role]) -> list[str]:
    return [r.value for r in roles]


# The SRO's mapping ------------------------------------------------------------------------------


def mappings(s: Session) -> list[SignOnRole]:
    return s.scalars(select(SignOnRole).order_by(SignOnRole.claim_value, SignOnRole.role)).all()


def add_mapping(s: Session, actor: User, claim_value: str, role: Role) -> SignOnRole:
    claim_value = claim_value.strip()
    exists = s.scalar(
        select(SignOnRole.id).where(SignOnRole.claim_value == claim_value, SignOnRole.role == role)
    )
    if exists is not None:
        raise SignOnRefused(f"{claim_value} already gives the role {role.title}")
    mapping = SignOnRole(claim_value=claim_value, role=role)
    s.add(mapping)
    s.flush()
    audit.record(
        s, actor, "sign_on_role.added", "sign_on_role", mapping.id, claim=claim_value, role=role
    )
    s.commit()
    return mapping


def remove_mapping(s: Session, actor: User, mapping: SignOnRole) -> None:
    """The role stays with those who have it until they next sign in."""
    audit.record(
        s,
        actor,
        "sign_on_role.removed",
        "sign_on_role",
        mapping.id,
        claim=mapping.claim_value,
        role=mapping.role,
    )
    s.delete(mapping)
    s.commit()


# Local passwords -------------------------------------------------------------------------------


def passwords_allowed_for(s: Session, email: str) -> bool:
    """Whether a password may be used to sign in as `email`: always while
    LOCAL_PASSWORDS_ENABLED; otherwise only for the break-glass account."""
    if current_app.config["LOCAL_PASSWORDS_ENABLED"]:
        return True
    return email.strip().lower() == break_glass_email(s)


def break_glass_email(s: Session) -> str | None:
    """BREAK_GLASS_EMAIL, or the first SRO's local account: the way in when the provider is
    down or wrongly set up."""
    if configured := current_app.config.get("BREAK_GLASS_EMAIL"):
        return configured.strip().lower()
    return s.scalar(
        select(User.email)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.SRO, User.sign_on_subject.is_(None))
        .order_by(User.id)
        .limit(1)
    )
