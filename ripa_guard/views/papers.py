"""The papers for the magistrates' court hearing: a printable page and a PDF."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("papers", __name__, url_prefix="/applications")
