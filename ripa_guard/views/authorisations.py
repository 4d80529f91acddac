"""Decisions, the magistrate, reviews, renewals and cancellation of an authorisation."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("authorisations", __name__, url_prefix="/authorisations")
