"""Fill a database with invented data at the size of a large authority, by bulk inserts.

    python bench/seed.py URL [--applications N] [--users N] [--viewings N]

URL is a SQLAlchemy URL (sqlite:///path or postgresql+psycopg://...). The schema is brought up
to date first with ripa_guard.migrate.upgrade(URL). The database should hold no applications:
ids are allocated here, and URNs are BENCH/<year>/<nnnnn>.

Every account's password is PASSWORD below; the SRO (who is also shown everything on the
register) is SRO_EMAIL. Nothing goes through the web or the lifecycle functions, so there is no
audit trail for these rows: this is data to measure reads against, not a history.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from ripa_guard.auth import hash_password  # noqa: E402
from ripa_guard.migrate import upgrade  # noqa: E402
from ripa_guard.models import (  # noqa: E402
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Cancellation,
    CourtHearing,
    CourtOutcome,
    Decision,
    Review,
    ReviewOutcome,
    Role,
    Subject,
    Triage,
    User,
    UserRole,
)
from ripa_guard.viewing_models import (  # noqa: E402
    Basis,
    Channel,
    Investigation,
    ResearchProfile,
    Viewing,
)

PASSWORD = "bench-password-1234"  # noqa: S105 - invented data only
SRO_EMAIL = "bench-sro@example.gov.uk"
COORDINATOR_EMAIL = "bench-coordinator@example.gov.uk"
CHUNK = 5000
YEARS = list(range(2020, 2027))
TODAY = date(2026, 11, 25)
#: The spread of states, by weight.
STATES = [
    (ApplicationStatus.SUBMITTED, 15),
    (ApplicationStatus.AWAITING_COURT, 10),
    (ApplicationStatus.ACTIVE, 20),
    (ApplicationStatus.CANCELLED, 45),
    (ApplicationStatus.REFUSED, 10),
]
SERVICES = ["Trading Standards", "Environmental Health", "Licensing", "Fraud", "Housing"]
PLATFORMS = ["facebook", "instagram", "x", "tiktok", "web"]


def answers(n: int, title: str, ref: str) -> dict:
    return {
        "investigation_title": title,
        "case_reference": ref,
        "summary": f"Complaints about seller {n}: goods bought online are said to be fakes. " * 3,
        "offence": "TMA94-92",
        "offence_details": "Goods bearing a registered trade mark offered without consent.",
        "activity": "View the seller's pages and capture listings.",
        "frequency": "Twice a week",
        "duration": "Six weeks",
        "research_profile": "TS research profile 3",
        "intended_outcome": "Evidence of the scale of sales and the seller's identity.",
        "necessity": "The seller trades only online.",
        "proportionality_balance": "Counterfeiting at scale harms consumers and traders.",
        "proportionality_least_intrusive": "Only business pages are viewed, at set times.",
        "proportionality_appropriate": "Test purchases alone cannot show the scale.",
        "proportionality_alternatives": "A test purchase was made.",
        "collateral_intrusion": "Customers' comments on the listings.",
        "collateral_minimise": "Customers' names are redacted.",
        "confidential_likely": "no",
        "confidential_details": "",
    }


def insert_chunks(conn, model, rows: list[dict]) -> int:
    table = model.__table__
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i : i + CHUNK])
    return len(rows)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def seed(url: str, n_apps: int, n_users: int, n_viewings: int, seed_value: int = 9) -> dict:
    rnd = random.Random(seed_value)
    t0 = time.monotonic()
    upgrade(url)
    timings = {"migrate": time.monotonic() - t0}
    engine = create_engine(url)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(Application.__table__)):
            raise SystemExit("The database already holds applications; seed an empty one.")
        base_user = (conn.scalar(select(func.max(User.__table__.c.id))) or 0) + 1

        # Users -------------------------------------------------------------------------------
        t = time.monotonic()
        pw = hash_password(PASSWORD)
        now = datetime(2026, 11, 1, 9, tzinfo=UTC)
        n_users = max(n_users, 4)
        n_ao = max(1, n_users // 20)
        users, roles = [], []
        officers, aos = [], []
        for i in range(n_users):
            uid = base_user + i
            if i == 0:
                email, name, grade, rs = SRO_EMAIL, "Sam Rowe", "Director of Law", [Role.SRO]
            elif i == 1:
                email, name, grade, rs = COORDINATOR_EMAIL, "Cory Ord", "RIPA coordinator", [
                    Role.COORDINATOR
                ]
            elif i < 2 + n_ao:
                email, name, grade, rs = (
                    f"bench-ao-{i}@example.gov.uk", f"Authoriser {i}", "Head of Service",
                    [Role.AUTHORISING_OFFICER],
                )
                aos.append(uid)
            else:
                email, name, grade, rs = (
                    f"bench-officer-{i}@example.gov.uk", f"Officer {i}", "Investigator",
                    [Role.OFFICER],
                )
                officers.append(uid)
            users.append({
                "id": uid, "email": email, "name": name, "grade": grade,
                "service": SERVICES[i % len(SERVICES)], "password_hash": pw,
                "must_change_password": False, "active": True,
                "can_authorise_confidential": False, "created_at": now, "version": 1,
            })
            roles.extend({"user_id": uid, "role": r} for r in rs)
        if not officers:
            officers = [base_user]
        counts["users"] = insert_chunks(conn, User, users)
        counts["user_roles"] = insert_chunks(conn, UserRole, roles)
        user_name = {u["id"]: u["name"] for u in users}
        sro, coordinator = base_user, base_user + 1
        aos = aos or [sro]

        # Research profiles -------------------------------------------------------------------
        profiles = [
            {"id": i + 1, "platform": PLATFORMS[i % len(PLATFORMS)], "handle": f"bench.profile.{i}",
             "covert": True, "created_on": date(2019, 1, 1), "notes": "",
             "registered_by_id": sro, "registered_at": now, "retirement_reason": "", "version": 1}
            for i in range(50)
        ]
        counts["research_profiles"] = insert_chunks(conn, ResearchProfile, profiles)
        timings["users"] = time.monotonic() - t

        # Triages, applications and what their states imply --------------------------------
        t = time.monotonic()
        states = [s for s, _ in STATES]
        weights = [w for _, w in STATES]
        per_year: dict[int, int] = {}
        rows = {k: [] for k in (
            "triages", "applications", "subjects", "decisions", "hearings", "reviews",
            "cancellations", "investigations")}
        app_info = []  # (id, urn or None if not authorised, investigation id, started)
        for n in range(n_apps):
            aid = n + 1
            year = YEARS[n * len(YEARS) // n_apps] if n_apps >= len(YEARS) else 2026
            per_year[year] = per_year.get(year, 0) + 1
            urn = f"BENCH/{year}/{per_year[year]:05d}"
            status = rnd.choices(states, weights)[0]
            if year < 2026 and status in (ApplicationStatus.ACTIVE, ApplicationStatus.SUBMITTED,
                                          ApplicationStatus.AWAITING_COURT):
                status = ApplicationStatus.CANCELLED  # old ones have all ended
            last = date(year, 10, 31) if year == 2026 else date(year, 12, 31)
            submitted = date(year, 1, 1) + timedelta(days=rnd.randrange((last - date(year, 1, 1)).days))
            officer = officers[n % len(officers)]
            ao = aos[n % len(aos)]
            title = f"Bench investigation {n} into an online seller"
            ref = f"TS/{year}/{per_year[year]:05d}"
            rows["triages"].append({
                "id": aid, "officer_id": officer, "title": title, "answers": {},
                "started_at": at(submitted, 9), "completed_at": at(submitted, 9),
                "outcome": "directed_surveillance", "reasons": [], "offence_codes": ["TMA94-92"],
                "threshold_met": True, "threshold_reason": "", "version": 1,
            })
            app = {
                "id": aid, "urn": urn, "triage_id": aid, "officer_id": officer, "status": status,
                "investigation_title": title, "case_reference": ref, "offence_code": "TMA94-92",
                "offence_snapshot": {"title": "Trade mark offence", "citation": "TMA 1994, s.92"},
                "confidential_likely": False, "answers": answers(n, title, ref),
                "created_at": at(submitted, 9), "updated_at": at(submitted, 11),
                "submitted_at": at(submitted, 10), "takes_effect": None, "last_day": None,
                "review_interval_days": None, "authorised_by_id": None, "directly_involved": None,
                "cancelled_on": None, "version": 1,
            }
            rows["subjects"].append({
                "application_id": aid, "name": f"Seller {n}", "description": f"Trading as Shop {n}",
                "profiles": [{"platform": "Facebook", "url": f"https://www.facebook.com/shop{n}.example"}],
            })
            rows["investigations"].append({
                "id": aid, "key": ref.replace("/", ""), "reference": ref,
                "created_at": at(submitted, 9), "created_by_id": officer, "requests": 0,
            })
            decided = submitted + timedelta(days=1)
            if status != ApplicationStatus.SUBMITTED:
                approved = status != ApplicationStatus.REFUSED
                rows["decisions"].append({
                    "application_id": aid, "renewal_id": None, "decided_by_id": ao,
                    "decided_by_name": user_name[ao], "decided_by_grade": "Head of Service",
                    "decision": Decision.APPROVED if approved else Decision.REFUSED,
                    "decided_at": at(decided), "what_authorised": "The seller's pages, twice a week.",
                    "reasons": "Necessary and proportionate." if approved else "Not proportionate.",
                    "review_interval_days": 28 if approved else None, "directly_involved": False,
                    "directly_involved_reason": "",
                })
            effect = submitted + timedelta(days=3)
            if status in (ApplicationStatus.ACTIVE, ApplicationStatus.CANCELLED):
                rows["hearings"].append({
                    "application_id": aid, "renewal_id": None,
                    "court": "Borchester Magistrates' Court", "hearing_date": effect,
                    "magistrate": "A. N. Justice JP", "outcome": CourtOutcome.APPROVED,
                    "decided_at": at(effect, 15), "notes": "", "recorded_by_id": coordinator,
                    "recorded_at": at(effect, 16),
                })
                last_day = effect + timedelta(days=89)
                app.update(takes_effect=effect, last_day=last_day, review_interval_days=28,
                           authorised_by_id=ao, directly_involved=False)
                review_on = effect + timedelta(days=28)
                if review_on <= TODAY:
                    rows["reviews"].append({
                        "application_id": aid, "reviewed_by_id": ao,
                        "reviewed_by_name": user_name[ao], "reviewed_on": review_on,
                        "due_on": review_on, "outcome": ReviewOutcome.CONTINUE,
                        "reasons": "Still needed.", "next_interval_days": 28,
                        "recorded_at": at(review_on),
                    })
                if status == ApplicationStatus.CANCELLED:
                    cancelled_on = min(effect + timedelta(days=40), TODAY)
                    app["cancelled_on"] = cancelled_on
                    rows["cancellations"].append({
                        "application_id": aid, "cancelled_by_id": ao,
                        "cancelled_by_name": user_name[ao], "cancelled_by_grade": "Head of Service",
                        "cancelled_on": cancelled_on, "stop_instructed_at": at(cancelled_on, 9),
                        "reason": "Seller identified.", "obtained": "42 screenshots.",
                        "handling": "Kept until the case ends.", "after_lapse": False,
                        "recorded_at": at(cancelled_on),
                    })
                app_info.append((aid, urn, officer, effect, cancelled_on
                                 if status == ApplicationStatus.CANCELLED else TODAY))
            else:
                app_info.append((aid, None, officer, submitted, submitted))
            rows["applications"].append(app)
        timings["build_application_rows"] = time.monotonic() - t

        t = time.monotonic()
        for key, model in (
            ("triages", Triage), ("applications", Application), ("subjects", Subject),
            ("decisions", AuthorisingDecision), ("hearings", CourtHearing), ("reviews", Review),
            ("cancellations", Cancellation), ("investigations", Investigation),
        ):
            counts[key] = insert_chunks(conn, model, rows[key])
        timings["insert_applications"] = time.monotonic() - t

        # Viewings ----------------------------------------------------------------------------
        t = time.monotonic()
        counts["viewings"] = 0
        batch = []
        for v in range(n_viewings):
            aid, urn, officer, start, end = app_info[rnd.randrange(len(app_info))] if app_info else (
                None, None, officers[0], TODAY, TODAY)
            span = max((end - start).days, 0)
            day = start + timedelta(days=rnd.randrange(span + 1))
            profile = profiles[v % len(profiles)]
            ref = rows["investigations"][aid - 1]["reference"] if aid else "NONE"
            handle = f"shop{aid}"
            batch.append({
                "viewed_at": at(day, 9 + v % 8), "officer_id": officer,
                "officer_name": user_name[officer], "officer_service": "Trading Standards",
                "research_profile_id": profile["id"], "investigation_id": aid or 1,
                "reference": ref, "url": f"https://www.facebook.com/{handle}.example",
                "platform": "Facebook", "identity": f"facebook:{handle}.example",
                "subject": f"Seller {aid}", "subject_key": f"seller {aid}",
                "purpose": "Capture current listings.", "captured": v % 3 == 0,
                "capture_location": "Case file" if v % 3 == 0 else "",
                "basis": Basis.AUTHORISED if urn else Basis.INITIAL_RESEARCH,
                "application_id": aid if urn else None, "urn": urn,
                "reason": "Under the authorisation." if urn else "A first look.",
                "citation": "RIPA s.28" if urn else "Code of Practice 2018, para 3.14",
                "channel": Channel.WEB if v % 4 else Channel.API, "api_token_id": None,
            })
            if len(batch) >= CHUNK:
                counts["viewings"] += insert_chunks(conn, Viewing, batch)
                batch = []
        counts["viewings"] += insert_chunks(conn, Viewing, batch)
        timings["viewings"] = time.monotonic() - t

        if engine.dialect.name == "postgresql":
            # Ids were given explicitly: move the sequences past them.
            for model in (User, UserRole, ResearchProfile, Triage, Application, Subject,
                          AuthorisingDecision, CourtHearing, Review, Cancellation, Investigation,
                          Viewing):
                table = model.__tablename__
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                ))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    timings["total"] = time.monotonic() - t0
    return {"counts": counts, "timings": timings}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--applications", type=int, default=100_000)
    p.add_argument("--users", type=int, default=1_000)
    p.add_argument("--viewings", type=int, default=1_000_000)
    args = p.parse_args(argv)
    result = seed(args.url, args.applications, args.users, args.viewings)
    for table, n in result["counts"].items():
        print(f"{table:20} {n:>10,}")
    for step, s in result["timings"].items():
        print(f"{step + ' (s)':28} {s:8.1f}")
    print(f"Sign in as {SRO_EMAIL} with password {PASSWORD!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
