"""A page of a form definition, as a web form: fill from saved answers, validate, collect."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from flask_wtf import FlaskForm

from ripa_guard.applications.definitions import FormDefinition, Page, conditional_errors
from ripa_guard.applications.forms import page_form_class
from ripa_guard.core import db


@dataclass
class PageResult:
    form: FlaskForm
    answers: dict | None  # to save; None when the page must be shown again
    draft: bool  # "save as draft": required questions may stay empty


def _offered(field) -> set:
    return {c.value for c in field.choices} | {"", None}


def definition(form_id: str) -> FormDefinition:
    return current_app.extensions["ripa_guard.forms"][form_id]


def offence_register() -> dict:
    """The register: registers/offences.csv, and the offences the RIPA coordinator has added.

    Read once a page: a GET changes nothing, so a page that asks twice (the central record's
    filter and its stopped plans) reads it once (issue 19). A POST reads it afresh each time.
    """
    from ripa_guard.applications import offence_holds

    reading = has_request_context() and request.method == "GET"
    if reading and "offence_register" in g:
        return g.offence_register
    found = offence_holds.full_register(db.session(), current_app.extensions["ripa_guard.offences"])
    if reading:
        g.offence_register = found
    return found


class RegisterWhenRead(Mapping):
    """The offence register, read the first time a page looks in it. A submitted
    application names its offences as the register read at submission, and the application
    form asks no offence question, so its page usually asks the register nothing (issue 19)."""

    def __init__(self) -> None:
        self._found: dict | None = None

    def _register(self) -> dict:
        if self._found is None:
            self._found = offence_register()
        return self._found

    def __getitem__(self, code: str):
        return self._register()[code]

    def __iter__(self):
        return iter(self._register())

    def __len__(self) -> int:
        return len(self._register())


def handle_page(page: Page, saved: dict) -> PageResult:
    """Show the saved answers; on POST validate, and return the page's answers to save."""
    form_class = page_form_class(page, offence_register())
    if request.method != "POST":
        return PageResult(
            form_class(data={q.name: saved.get(q.name) for q in page.questions}), None, False
        )
    form = form_class()
    draft = "save_draft" in request.form
    valid = form.validate()
    typed = {q.name: getattr(form, q.name).data or "" for q in page.questions}
    if not draft:
        for name, message in conditional_errors(page, {**saved, **typed}).items():
            getattr(form, name).errors.append(message)
            valid = False
    if draft:
        # Empty required questions may wait for a draft; anything else wrong may not.
        required_messages = {q.error for q in page.questions}
        for q in page.questions:
            field = getattr(form, q.name)
            if q.kind in ("radios", "offence") and field.data not in _offered(field):
                # A choice that was not offered is never kept, draft or not.
                typed[q.name] = ""
                continue
            field.errors = [e for e in field.errors if e not in required_messages]
        valid = (
            not any(getattr(form, q.name).errors for q in page.questions)
            and not form.csrf_token.errors
        )
    return PageResult(form, typed if valid else None, draft)


def viewing_log_of(application) -> dict:
    """The application's viewing log, read by whichever package keeps it (viewing/, which
    registers its reader); an app without it shows an empty log."""
    reader = current_app.extensions.get("ripa_guard.application_viewing_log")
    if reader is None:
        return {"viewings": [], "refused": [], "research": []}
    return reader(db.session(), application)
