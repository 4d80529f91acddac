"""Tallies of the viewing log, kept as each viewing or stopped attempt is written.

The SRO's viewings page shows, for each profile and each subject, how many looked, how often,
for how many investigations and how many attempts were stopped, signs of monitoring first
(viewing_rules.monitoring_signs; Code paras 3.10 to 3.17). Worked out from the whole log on every
request, that grew with the log (2.7 s at 1,000,000 viewings). Each tally is now kept in the
same transaction as the row it counts (log.request_viewing), so the page reads 100 rows by
index. `ripa-guard check-tallies` recounts them from the log; destruction, which rewrites the
log's rows, recounts the keys it touches (register.retention).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Insert,
    Integer,
    String,
    UniqueConstraint,
    Update,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ripa_guard.core.columns import UtcDateTime
from ripa_guard.core.db import Base
from ripa_guard.law import viewing_rules
from ripa_guard.viewing.models import Basis, Stop, Viewing, ViewingAttempt

#: What a tally counts by: the profile's identity, or the subject's name as compared.
PROFILE = "profile"
SUBJECT = "subject"
#: The column of the log each kind of tally is keyed by.
_KEYED_BY = {
    PROFILE: (Viewing.identity, ViewingAttempt.identity),
    SUBJECT: (Viewing.subject_key, ViewingAttempt.subject_key),
}
OFFICER = "officer"
INVESTIGATION = "investigation"


class ViewingTally(Base):
    """The council's viewings of one profile (or one subject) so far, and the attempts stopped."""

    __tablename__ = "viewing_tallies"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_viewing_tallies_kind_key"),
        # The viewings page's order: signs first, the most stopped, the latest viewed.
        Index("ix_viewing_tallies_order", "kind", "signs", "stopped", "last_viewed", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: PROFILE or SUBJECT.
    kind: Mapped[str] = mapped_column(String(20))
    #: The identity ("facebook:bargainbags") or the subject key.
    key: Mapped[str] = mapped_column(String(400))
    #: The subject's name as typed (the greatest of those typed), for the subject's label.
    subject: Mapped[str] = mapped_column(String(200), default="")
    viewings: Mapped[int] = mapped_column(Integer, default=0)
    #: Viewings made as initial research, without an authorisation.
    unauthorised: Mapped[int] = mapped_column(Integer, default=0)
    #: Different officers, and different investigations, among the viewings.
    officers: Mapped[int] = mapped_column(Integer, default=0)
    investigations: Mapped[int] = mapped_column(Integer, default=0)
    first_viewed: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_viewed: Mapped[datetime | None] = mapped_column(UtcDateTime)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    #: blocked + refused, kept for the page's order.
    stopped: Mapped[int] = mapped_column(Integer, default=0)
    #: Whether viewing_rules.monitoring_signs finds any, kept for the page's order.
    signs: Mapped[bool] = mapped_column(Boolean, default=False)


class ViewingTallyMember(Base):
    """An officer or an investigation already counted in a tally, so each counts once."""

    __tablename__ = "viewing_tally_members"
    __table_args__ = (
        UniqueConstraint("tally_id", "member", "member_id", name="uq_viewing_tally_members"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tally_id: Mapped[int] = mapped_column(ForeignKey("viewing_tallies.id"))
    #: OFFICER or INVESTIGATION.
    member: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[int] = mapped_column(Integer)


_EMPTY = dict(
    subject="",
    viewings=0,
    unauthorised=0,
    officers=0,
    investigations=0,
    first_viewed=None,
    last_viewed=None,
    blocked=0,
    refused=0,
    stopped=0,
    signs=False,
)


@dataclass(frozen=True)
class _Statements:
    """What counting a viewing or an attempt runs, in one database's dialect."""

    #: Make or add to a tally (one row of parameters each), locking its row; answers its id
    #: and the counts the signs of monitoring are worked out from.
    count_viewing: Insert
    #: Record an officer or an investigation as counted in a tally; answers only the new ones.
    count_member: Insert
    #: Set a tally's distinct officers and investigations and its signs.
    set_distinct: Update
    #: Make or add to a tally for a stopped attempt.
    count_attempt: Insert


@cache
def _statements(dialect: str) -> _Statements:
    """Built once for each database: every look runs them while it holds its locks. The
    dialect's INSERT has ON CONFLICT (PostgreSQL; SQLite from 3.24)."""
    insert_ = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    table = ViewingTally.__table__
    made = insert_(table)
    new, kept = made.excluded, table.c

    def by_code_point(text):
        # As Python compares strings: PostgreSQL's "C" collation does; SQLite's BINARY does.
        return text.collate("C") if dialect == "postgresql" else text

    subject = func.coalesce(kept.subject, "")
    count_viewing = made.on_conflict_do_update(
        index_elements=[kept.kind, kept.key],
        set_=dict(
            viewings=kept.viewings + new.viewings,
            unauthorised=kept.unauthorised + new.unauthorised,
            # The greatest name typed, as Python's max() gives it.
            subject=case(
                (by_code_point(subject) < by_code_point(new.subject), new.subject),
                else_=subject,
            ),
            first_viewed=case(
                (
                    kept.first_viewed.is_(None) | (new.first_viewed < kept.first_viewed),
                    new.first_viewed,
                ),
                else_=kept.first_viewed,
            ),
            last_viewed=case(
                (
                    kept.last_viewed.is_(None) | (new.last_viewed > kept.last_viewed),
                    new.last_viewed,
                ),
                else_=kept.last_viewed,
            ),
        ),
    ).returning(kept.id, kept.officers, kept.investigations, kept.unauthorised, kept.signs)
    count_attempt = made.on_conflict_do_update(
        index_elements=[kept.kind, kept.key],
        set_=dict(
            blocked=kept.blocked + new.blocked,
            refused=kept.refused + new.refused,
            stopped=kept.blocked + new.blocked + kept.refused + new.refused,
        ),
    )
    members = ViewingTallyMember.__table__
    count_member = (
        insert_(members)
        .on_conflict_do_nothing(
            index_elements=[members.c.tally_id, members.c.member, members.c.member_id]
        )
        .returning(members.c.tally_id, members.c.member)
    )
    set_distinct = (
        update(table)
        .where(kept.id == bindparam("tally_id"))
        .values(
            officers=bindparam("new_officers"),
            investigations=bindparam("new_investigations"),
            signs=bindparam("new_signs"),
        )
    )
    return _Statements(count_viewing, count_member, set_distinct, count_attempt)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _signs(officers: int, investigations: int, unauthorised: int) -> bool:
    return bool(viewing_rules.monitoring_signs(officers, investigations, unauthorised))


def count_viewing(session: Session, viewing: Viewing) -> None:
    """Add a viewing to its profile's and its subject's tallies, in the caller's transaction.

    One statement makes or adds to both tallies (INSERT ... ON CONFLICT DO UPDATE), locking
    their rows until the transaction ends; a second records the officer and the investigation
    as counted where they are new (ON CONFLICT DO NOTHING answers only the new ones); a third,
    only when the distinct officers or investigations or the signs of monitoring change, sets
    them. Each statement sends its rows at once (SQLAlchemy's "insertmanyvalues")."""
    statements = _statements(_dialect(session))
    unauthorised = int(viewing.basis == Basis.INITIAL_RESEARCH)
    counted = session.execute(
        statements.count_viewing,
        [
            _EMPTY
            | dict(
                kind=kind,
                key=key,
                subject=viewing.subject,
                viewings=1,
                unauthorised=unauthorised,
                first_viewed=viewing.viewed_at,
                last_viewed=viewing.viewed_at,
            )
            for kind, key in ((PROFILE, viewing.identity), (SUBJECT, viewing.subject_key))
        ],
    ).all()
    members = sorted(
        (tally.id, member, member_id)
        for tally in counted
        for member, member_id in (
            (OFFICER, viewing.officer_id),
            (INVESTIGATION, viewing.investigation_id),
        )
    )
    first_counted = {
        (tally_id, member)
        for tally_id, member in session.execute(
            statements.count_member,
            [dict(tally_id=t, member=m, member_id=i) for t, m, i in members],
        )
    }
    changed = []
    for tally in counted:
        officers = tally.officers + int((tally.id, OFFICER) in first_counted)
        investigations = tally.investigations + int((tally.id, INVESTIGATION) in first_counted)
        signs = _signs(officers, investigations, tally.unauthorised)
        if (officers, investigations, signs) != (tally.officers, tally.investigations, tally.signs):
            changed.append(
                dict(
                    tally_id=tally.id,
                    new_officers=officers,
                    new_investigations=investigations,
                    new_signs=signs,
                )
            )
    if changed:
        session.execute(statements.set_distinct, changed)


def count_attempt(session: Session, attempt: ViewingAttempt) -> None:
    """Add a stopped attempt to its profile's and its subject's tallies, in one statement."""
    blocked = int(attempt.outcome == Stop.BLOCKED)
    session.execute(
        _statements(_dialect(session)).count_attempt,
        [
            _EMPTY | dict(kind=kind, key=key, blocked=blocked, refused=1 - blocked, stopped=1)
            for kind, key in ((PROFILE, attempt.identity), (SUBJECT, attempt.subject_key))
        ],
    )


def leading(session: Session, kind: str, limit: int) -> list[ViewingTally]:
    """The tallies the viewings page shows: signs first, then the most stopped attempts, then
    the latest viewed; only keys viewed at least once."""
    return list(
        session.scalars(
            select(ViewingTally)
            .where(ViewingTally.kind == kind, ViewingTally.viewings > 0)
            .order_by(
                ViewingTally.signs.desc(),
                ViewingTally.stopped.desc(),
                ViewingTally.last_viewed.desc(),
                ViewingTally.key.desc(),
            )
            .limit(limit)
        )
    )


def of_key(session: Session, kind: str, key: str) -> ViewingTally | None:
    return session.scalar(
        select(ViewingTally).where(ViewingTally.kind == kind, ViewingTally.key == key)
    )


# Recounting from the log ----------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    """A tally as the log gives it."""

    subject: str
    viewings: int
    unauthorised: int
    officers: int
    investigations: int
    first_viewed: datetime | None
    last_viewed: datetime | None
    blocked: int
    refused: int

    @property
    def signs(self) -> bool:
        return bool(
            viewing_rules.monitoring_signs(self.officers, self.investigations, self.unauthorised)
        )


def _aware(moment) -> datetime | None:
    # Aggregates bypass the column type: SQLite hands back naive text.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return UtcDateTime().process_result_value(moment, None)


def recount(session: Session, kind: str, keys: list[str] | None = None) -> dict[str, Counted]:
    """Each key's tally worked out from the whole log (or only `keys`), as check-tallies and
    destruction need it."""
    viewing_key, attempt_key = _KEYED_BY[kind]
    viewings = select(
        viewing_key,
        func.max(Viewing.subject),
        func.count(),
        func.sum(case((Viewing.basis == Basis.INITIAL_RESEARCH, 1), else_=0)),
        func.count(Viewing.officer_id.distinct()),
        func.count(Viewing.investigation_id.distinct()),
        func.min(Viewing.viewed_at),
        func.max(Viewing.viewed_at),
    ).group_by(viewing_key)
    attempts = select(attempt_key, ViewingAttempt.outcome, func.count()).group_by(
        attempt_key, ViewingAttempt.outcome
    )
    if keys is not None:
        viewings = viewings.where(viewing_key.in_(keys))
        attempts = attempts.where(attempt_key.in_(keys))
    stops: dict[str, dict[str, int]] = {}
    for key, outcome, n in session.execute(attempts):
        stops.setdefault(key, {})[Stop(outcome).value] = n
    counted = {}
    for key, subject, n, unauth, officers, investigations, first, last in session.execute(viewings):
        stopped = stops.pop(key, {})
        counted[key] = Counted(
            subject or "",
            n,
            int(unauth or 0),
            officers,
            investigations,
            _aware(first),
            _aware(last),
            stopped.get(Stop.BLOCKED.value, 0),
            stopped.get(Stop.REFUSED.value, 0),
        )
    for key, stopped in stops.items():
        counted[key] = Counted(
            "",
            0,
            0,
            0,
            0,
            None,
            None,
            stopped.get(Stop.BLOCKED.value, 0),
            stopped.get(Stop.REFUSED.value, 0),
        )
    return counted


def _as_counted(tally: ViewingTally) -> Counted:
    return Counted(
        tally.subject or "",
        tally.viewings,
        tally.unauthorised,
        tally.officers,
        tally.investigations,
        tally.first_viewed,
        tally.last_viewed,
        tally.blocked,
        tally.refused,
    )


def differences(session: Session) -> list[str]:
    """Every tally that does not equal a recount of the log, said plainly; none when sound."""
    found = []
    for kind in (PROFILE, SUBJECT):
        counted = recount(session, kind)
        kept = {
            t.key: t for t in session.scalars(select(ViewingTally).where(ViewingTally.kind == kind))
        }
        for key in sorted(set(counted) | set(kept)):
            want = counted.get(key)
            have = kept.get(key)
            if want is None:
                if have is not None and (have.viewings or have.stopped):
                    found.append(f"{kind} {key!r}: kept but not in the log")
                continue
            if have is None:
                found.append(f"{kind} {key!r}: in the log but not kept")
            elif _as_counted(have) != want or have.signs != want.signs:
                found.append(f"{kind} {key!r}: kept {_as_counted(have)}, the log says {want}")
            elif have.stopped != have.blocked + have.refused:
                found.append(f"{kind} {key!r}: stopped is not blocked and refused together")
    return found


def rebuild(session: Session, kind: str, keys: list[str]) -> None:
    """Count these keys' tallies again from the log, in the caller's transaction (after a
    destruction rewrote the rows they counted)."""
    keys = sorted(set(keys))
    if not keys:
        return
    viewing_key, _attempt_key = _KEYED_BY[kind]
    old = select(ViewingTally.id).where(ViewingTally.kind == kind, ViewingTally.key.in_(keys))
    session.execute(delete(ViewingTallyMember).where(ViewingTallyMember.tally_id.in_(old)))
    session.execute(
        delete(ViewingTally).where(ViewingTally.kind == kind, ViewingTally.key.in_(keys))
    )
    counted = recount(session, kind, keys)
    for key, c in counted.items():
        session.add(
            ViewingTally(
                kind=kind,
                key=key,
                subject=c.subject,
                viewings=c.viewings,
                unauthorised=c.unauthorised,
                officers=c.officers,
                investigations=c.investigations,
                first_viewed=c.first_viewed,
                last_viewed=c.last_viewed,
                blocked=c.blocked,
                refused=c.refused,
                stopped=c.blocked + c.refused,
                signs=c.signs,
            )
        )
    session.flush()
    for member, column in (
        (OFFICER, Viewing.officer_id),
        (INVESTIGATION, Viewing.investigation_id),
    ):
        session.execute(
            insert(ViewingTallyMember).from_select(
                ["tally_id", "member", "member_id"],
                select(ViewingTally.id, _literal(member), column)
                .distinct()
                .select_from(Viewing)
                .join(
                    ViewingTally,
                    and_(ViewingTally.kind == kind, ViewingTally.key == viewing_key),
                )
                .where(viewing_key.in_(keys)),
            )
        )


def _literal(text: str):
    return literal(text, String(20))
