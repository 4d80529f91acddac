"""The council's own details, kept as one row that the SRO edits (council/details.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ripa_guard.core.columns import UtcDateTime, utcnow
from ripa_guard.core.db import Base


class CouncilDetails(Base):
    """The one row of the council's details; each change is an audit event with what it was
    and what it became, so the history is the audit trail and is never edited."""

    __tablename__ = "council_details"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The council's name, as on the court papers and in the header.
    name: Mapped[str] = mapped_column(String(200), default="")
    #: The postal address the court papers give.
    address: Mapped[str] = mapped_column(Text, default="")
    #: The telephone number the court papers give.
    telephone: Mapped[str] = mapped_column(String(50), default="")
    #: Where officers read the council's own RIPA and social media policy.
    policy_url: Mapped[str] = mapped_column(String(500), default="")
    #: The RIPA coordinator people ask, shown at the foot of every page.
    coordinator_name: Mapped[str] = mapped_column(String(200), default="")
    coordinator_email: Mapped[str] = mapped_column(String(254), default="")
    coordinator_telephone: Mapped[str] = mapped_column(String(50), default="")
    #: Who last changed them, and when.
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
