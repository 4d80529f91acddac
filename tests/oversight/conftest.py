"""Fixtures of the oversight tests: an officer and the investigation a proxy log is checked for."""

from __future__ import annotations

from datetime import date

import pytest

from ripa_guard.accounts.models import Role, User
from ripa_guard.core import db
from ripa_guard.viewing import investigations
from tests.viewing_setup import register_profile


@pytest.fixture
def olive(create_user):
    return create_user(
        Role.OFFICER, name="Olive Officer", email="olive.officer@borsetshire.example.gov.uk"
    )


@pytest.fixture
def case(app, sro, olive, other_officer):
    """Olive's investigation, with Oscar on it, and their research profile: (investigation
    id, profile id)."""
    profile_id = register_profile(app, sro, "web", "TS research laptop 3", olive, other_officer)
    with app.app_context():
        s = db.session()
        opened = investigations.open_investigation(
            s,
            s.get(User, olive.id),
            reference="TS/2026/0412",
            title="Counterfeit handbags",
            offences="Trade Marks Act 1994 s.92",
            subjects=[],
            officer_ids=[other_officer.id],
            today=date(2026, 1, 1),
        )
        return opened.id, profile_id
