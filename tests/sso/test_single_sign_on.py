"""Signing in with the council's account, against a real OpenID provider (oidc-provider, a
certified implementation, started by the tests): no mock of either side."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ripa_guard.accounts import single_sign_on
from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db
from ripa_guard.core.models import AuditEvent
from tests.helpers import PageClient, check_page
from tests.sso.conftest import Browser, with_params

AMY = "amy.ashdown@borsetshire.example.gov.uk"
BEN = "ben.bramley@borsetshire.example.gov.uk"
CAT = "cat.cotton@borsetshire.example.gov.uk"


def _account(sso_app, email):
    with sso_app.app_context():
        # Its roles with it: they are read after the session has closed.
        user = db.session().scalar(
            select(User).where(User.email == email).options(selectinload(User.roles))
        )
        if user is not None:
            db.session().expunge(user)
        return user


def _map(sso_app, sro, value, role):
    with sso_app.app_context():
        single_sign_on.add_mapping(db.session(), db.session().get(User, sro.id), value, role)


def _actions(sso_app) -> list[str]:
    with sso_app.app_context():
        return list(db.session().scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _text(response) -> str:
    return " ".join(check_page(response.get_data(as_text=True)).get_text(" ").split())


def test_the_sign_in_page_offers_the_council_account(sso_app):
    page = check_page(sso_app.test_client().get("/sign-in").get_data(as_text=True))
    button = page.find("a", string="Sign in with your council account")
    assert button and button["href"].startswith("/sign-in/council")


def test_first_sign_in_makes_an_account_with_no_role(sso_app, visitor):
    answer = visitor.sign_in("cat-nobody")
    assert answer.status_code == 302 and answer.headers["Location"] == "/account"
    cat = _account(sso_app, CAT)
    assert cat.name == "Cat Cotton" and cat.sign_on_subject == "cat-nobody"
    assert cat.sign_on_issuer.startswith("http://127.0.0.1:") and cat.role_set == frozenset()
    page = _text(visitor.app.get("/account"))
    assert "None yet: your senior responsible officer gives roles" in page
    assert "With your council account" in page and "Change your password" not in page
    assert "user.created_by_sign_on" in _actions(sso_app)


def test_a_value_the_sro_mapped_gives_its_role(sso_app, visitor, sro):
    _map(sso_app, sro, "RIPA.Officer", Role.OFFICER)
    answer = visitor.sign_in("ben-officer")
    assert answer.status_code == 302 and answer.headers["Location"] == "/dashboard"
    assert _account(sso_app, BEN).role_set == {Role.OFFICER}
    assert visitor.app.get("/research/").status_code == 200


def test_roles_can_come_from_the_groups_claim(sso_app, visitor, sro, monkeypatch):
    monkeypatch.setitem(sso_app.config, "ROLES_CLAIM", "groups")
    _map(sso_app, sro, "grp-officers", Role.OFFICER)
    visitor.sign_in("ben-officer")
    assert _account(sso_app, BEN).role_set == {Role.OFFICER}


def test_a_role_removed_in_the_provider_is_removed_and_with_none_left_the_account_is_disabled(
    sso_app, council, sro
):
    _map(sso_app, sro, "RIPA.SRO", Role.SRO)
    _map(sso_app, sro, "RIPA.Officer", Role.OFFICER)
    council.set("amy-sro", roles=["RIPA.SRO", "RIPA.Officer"])
    first = Browser(sso_app)
    first.sign_in("amy-sro")
    assert _account(sso_app, AMY).role_set == {Role.SRO, Role.OFFICER}

    council.set("amy-sro", roles=["RIPA.Officer"])
    Browser(sso_app).sign_in("amy-sro")
    assert _account(sso_app, AMY).role_set == {Role.OFFICER}
    assert "user.roles_from_sign_on" in _actions(sso_app)

    council.set("amy-sro", roles=[])
    refused = Browser(sso_app).sign_in("amy-sro")
    assert refused.status_code == 403
    assert "You no longer have a role in RIPA guard" in _text(refused)
    amy = _account(sso_app, AMY)
    assert not amy.active and amy.role_set == frozenset()
    assert "user.disabled_by_sign_on" in _actions(sso_app)
    # The session she signed in with first has ended too.
    assert first.app.get("/dashboard").headers["Location"].startswith("/sign-in")


def test_a_role_given_in_ripa_guard_that_no_value_gives_stays(sso_app, visitor, sro):
    _map(sso_app, sro, "RIPA.Officer", Role.OFFICER)
    visitor.sign_in("ben-officer")
    with sso_app.app_context():
        ben = db.session().scalar(select(User).where(User.email == BEN))
        ben.roles.append(type(ben.roles[0])(role=Role.INSPECTOR))
        db.session().commit()
    Browser(sso_app).sign_in("ben-officer")
    assert _account(sso_app, BEN).role_set == {Role.OFFICER, Role.INSPECTOR}


def test_a_disabled_account_is_refused(sso_app, visitor):
    visitor.sign_in("cat-nobody")
    with sso_app.app_context():
        cat = db.session().scalar(select(User).where(User.email == CAT))
        cat.active = False
        db.session().commit()
    refused = Browser(sso_app).sign_in("cat-nobody")
    assert refused.status_code == 403 and "is disabled" in _text(refused)


def test_a_changed_state_is_refused_with_a_clear_page(sso_app, visitor):
    refused = visitor.sign_in("ben-officer", change={"state": "made-up-by-an-attacker"})
    assert refused.status_code == 400
    assert "did not match a sign-in started here" in _text(refused)
    assert _account(sso_app, BEN) is None


def test_a_changed_nonce_is_refused(sso_app, visitor):
    refused = visitor.sign_in("ben-officer", change={"nonce": "replayed-nonce"})
    assert refused.status_code == 400
    assert "could not be trusted" in _text(refused)
    assert _account(sso_app, BEN) is None


def test_an_expired_id_token_is_refused(sso_app, visitor):
    # The provider's ID tokens last 60 seconds (provider.mjs): the answer arrives an hour on.
    later = datetime.now(UTC) + timedelta(hours=1)
    refused = visitor.sign_in(
        "ben-officer", before_return=lambda: time_machine.travel(later, tick=False)
    )
    assert refused.status_code == 400
    assert "could not be trusted" in _text(refused)
    assert _account(sso_app, BEN) is None


def test_an_account_with_a_local_password_is_not_taken_over(sso_app, visitor, create_user):
    create_user(Role.SRO, email=BEN)
    refused = visitor.sign_in("ben-officer")
    assert refused.status_code == 403
    assert "already signs in with a password" in _text(refused)


def test_a_while_after_signing_in_the_provider_is_asked_again_before_the_second_step_changes(
    sso_app, visitor
):
    visitor.sign_in("cat-nobody")
    assert visitor.app.get("/dashboard").status_code == 200
    with visitor.app.session_transaction() as session:
        # Signed in ten minutes ago: the provider's tokens are real, so the clock stays put.
        session["password_checked_at"] -= 10 * 60
    answer = visitor.app.get("/account/two-step")
    assert answer.headers["Location"].startswith("/sign-in/council?again=1")
    to_provider = visitor.app.get(answer.headers["Location"]).headers["Location"]
    assert "prompt=login" in to_provider
    back = visitor.app.get(visitor.at_provider(with_params(to_provider, login_hint="cat-nobody")))
    assert back.headers["Location"] == "/account/two-step"
    page = check_page(visitor.app.get("/account/two-step").get_data(as_text=True))
    assert page.select_one("#totp-secret") is not None
    assert page.select_one("input[name=password]") is None


def test_the_sro_sees_who_signs_in_with_a_council_account(sso_app, visitor, sro):
    visitor.sign_in("cat-nobody")
    page = PageClient(sso_app).sign_in(sro).get("/admin/users")
    row = next(r for r in page.select("tbody tr") if "Cat Cotton" in r.get_text())
    assert "Signs in with a council account" in row.get_text()
