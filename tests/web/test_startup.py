"""Start-up: settings in layers, reference data validated, schema from migrations."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ripa_guard import create_app
from ripa_guard.applications.definitions import DefinitionError
from ripa_guard.applications.offences import OffenceRegisterError
from ripa_guard.core import db
from ripa_guard.core.db import Base
from tests.conftest import TOTP_KEY


def test_migrations_produce_the_models_schema(app):
    with app.app_context(), db.engine().connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": db.for_dialect(connection.dialect.name),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_bad_offence_register_stops_the_app_naming_file_line_and_problem(tmp_path, database_url):
    bad = tmp_path / "offences.csv"
    bad.write_text(
        "code,title,act,section,max_custodial_months,threshold_exception,source\n"
        "FRAUD-1,Fraud by false representation,Fraud Act 2006,1,120,false,s.1(3)\n"
        "BAD-1,Something,Some Act 1999,3,six,false,made up\n",
        encoding="utf-8",
    )
    with pytest.raises(OffenceRegisterError) as error:
        create_app(
            {
                "OFFENCES_FILE": str(bad),
                "DATABASE_URL": database_url,
                "AUTO_MIGRATE": False,
                "SECRET_KEY": "x",
                "AUDIT_KEY": "x",
            }
        )
    assert "offences.csv, line 3" in str(error.value)
    assert "six" in str(error.value)


def test_bad_form_definition_stops_the_app_naming_file_and_line(tmp_path, database_url):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "triage.toml").write_text(
        'id = "triage"\ntitle = "T"\n[[pages]]\nslug = "p"\ntitle = "P"\n'
        '[[pages.questions]]\nname = "q"\nkind = "checkbox"\nlabel = "Q"\nerror = "E"\n',
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as error:
        create_app(
            {
                "FORMS_DIR": str(forms),
                "DATABASE_URL": database_url,
                "AUTO_MIGRATE": False,
                "SECRET_KEY": "x",
                "AUDIT_KEY": "x",
            }
        )
    assert "triage.toml, line 7" in str(error.value)
    assert "kind 'checkbox'" in str(error.value)


def test_environment_overrides_defaults(monkeypatch, database_url):
    monkeypatch.setenv("RIPA_GUARD_COUNCIL_NAME", "Felpersham City Council")
    monkeypatch.setenv("RIPA_GUARD_RETENTION_YEARS", "5")
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "SECRET_KEY": "x",
            "AUDIT_KEY": "x",
            "TOTP_KEY": TOTP_KEY,
        }
    )
    assert app.config["COUNCIL_NAME"] == "Felpersham City Council"
    assert app.config["RETENTION_YEARS"] == 5


def test_first_run_generates_and_keeps_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("RIPA_GUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    from flask import Flask

    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app()
    second = create_app()
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["AUDIT_KEY"]) == 64
    assert first.config["AUDIT_KEY"] == second.config["AUDIT_KEY"]
    assert first.config["AUDIT_KEYED_FROM"] == 1
    assert first.config["TOTP_KEY"] == second.config["TOTP_KEY"]
    assert (tmp_path / "instance" / "config.py").exists()


def test_serve_makes_the_first_sro_account_once(app):
    from ripa_guard.cli import FIRST_EMAIL, ensure_first_account

    with app.app_context():
        first = ensure_first_account()
        assert first is not None and first[0] == FIRST_EMAIL
        assert ensure_first_account() is None
