"""Fill a database with invented data at the size of a large authority, by bulk inserts.

    python bench/seed.py URL [--applications 100000] [--users 1000] [--viewings N] [--today D]

URL is a SQLAlchemy URL: sqlite:////tmp/bench/s1k.sqlite3, or
postgresql+psycopg://postgres@127.0.0.1:5432/bench_1k for a PostgreSQL database that exists and
is empty (createdb -h 127.0.0.1 -U postgres bench_1k). The schema is brought up to date first
with ripa_guard.migrate.upgrade(URL). The database must hold no applications: ids are allocated
here, and URNs are BENCH/<year>/<nnnnn>. --viewings defaults to 10 per application.

What is made, relative to --today (default: today in London, the app's own clock):

- users: one SRO, one RIPA coordinator, 5% authorising officers, the rest investigating
  officers; all share PASSWORD. Every officer may use one Facebook research profile and has an
  API token whose text is bench_token(user id) (only its SHA-256 is stored, as the app does).
- applications in the five states, every state at every scale. In flight means recent:
  "submitted" ones were submitted in the last 14 days, "awaiting court" ones approved by the
  authorising officer in the last 14 days, "active" ones took effect in the last 80 days (so
  have effect today), except about 1 in 200 of them, which are lapsed on purpose (last day
  passed, never cancelled). Cancelled and refused ones are spread over 2020 to today.
  Ids and URNs follow the order of submission.
- what each state implies: the authorising officer's decision, the court hearing, reviews every
  28 days, cancellations (a few after a lapse), and renewals for about 1 in 10 of the active and
  cancelled ones (pending for active ones; approved, refused or withdrawn for cancelled ones,
  with their own decisions and hearings).
- one investigation per application (its case reference, the applicant's service, the applicant
  working on it), one subject with one Facebook
  profile, one initial-research viewing before submission, and the rest of the viewings under
  the authorisations of active and cancelled applications, within their periods.

Nothing goes through the web or the lifecycle functions, so there is no audit trail for these
rows: this is data to measure against, not a history.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ripa_guard.accounts.auth import hash_password  # noqa: E402
from ripa_guard.accounts.models import Role, TrainingRecord, User, UserRole
from ripa_guard.applications.models import (
    Application,
    ApplicationStatus,
    AuthorisingDecision,
    Cancellation,
    CourtHearing,
    CourtOutcome,
    Decision,
    Renewal,
    RenewalStatus,
    Review,
    ReviewOutcome,
    Subject,
    SubjectIdentity,
    Triage,
)
from ripa_guard.core import clock  # noqa: E402
from ripa_guard.core.db import make_engine  # noqa: E402
from ripa_guard.core.migrate import upgrade  # noqa: E402
from ripa_guard.law import periods  # noqa: E402
from ripa_guard.law.profile_identity import identify, profile_identities  # noqa: E402
from ripa_guard.law.viewing_rules import reference_key, subject_key  # noqa: E402
from ripa_guard.viewing.models import (
    ApiToken,
    Basis,
    Channel,
    Investigation,
    InvestigationOfficer,
    ResearchProfile,
    ResearchProfileUser,
    Viewing,
)
from ripa_guard.viewing.tokens import TOKEN_PREFIX, token_hash  # noqa: E402

PASSWORD = "bench-password-1234"  # noqa: S105 - invented data only
SRO_EMAIL = "bench-sro@example.gov.uk"
COORDINATOR_EMAIL = "bench-coordinator@example.gov.uk"
TOKEN_NAME = "Bench load test"  # noqa: S105 - a label
CHUNK = 5000
FIRST_DAY = date(2020, 1, 1)
#: Share of applications in each state, per cent; the rest are cancelled. In flight ones are
#: recent, so they are few; each state gets at least one application.
IN_FLIGHT = {
    ApplicationStatus.SUBMITTED: 1.0,
    ApplicationStatus.AWAITING_COURT: 1.0,
    ApplicationStatus.ACTIVE: 4.0,
    ApplicationStatus.REFUSED: 10.0,
}
LAPSED_SHARE = 1 / 200  # of active ones
RENEWAL_SHARE = 0.10  # of active and cancelled ones
AFTER_LAPSE_SHARE = 0.02  # of cancelled ones
SERVICES = ["Trading Standards", "Environmental Health", "Licensing", "Fraud", "Housing"]
PLATFORMS = ["facebook", "instagram", "x", "tiktok", "web"]


def bench_token(user_id: int) -> str:
    """The text of the bench API token of the officer with this id (invented data only)."""
    return f"{TOKEN_PREFIX}bench-{user_id:07d}-not-a-secret"


def profile_url(application_id: int) -> str:
    return f"https://www.facebook.com/shop{application_id}.example"


# Invented names and titles. A council's register names people and businesses with names of
# their own: a seed where every subject was "Seller N" and every title said "online seller" made
# each search ask the trigram index for a word in all 100,000 rows, which no register has.
# Surnames are put together from two invented halves, so no row is a real person's; with about
# 10,000 names over 100,000 entries, a name recurs as names do in a large authority.
GIVEN = (
    "Ada", "Bram", "Cora", "Dev", "Elin", "Fenn", "Gus", "Hana", "Ivo", "Jude", "Kit", "Lorn",
    "Mae", "Nye", "Oona", "Pim", "Quin", "Rue", "Sol", "Tam", "Una", "Vin", "Wren", "Xan",
    "Yara", "Zeb",
)  # fmt: skip
SURNAME_STARTS = (
    "Ash", "Brack", "Cold", "Dun", "Elm", "Fair", "Grims", "Hol", "Ing", "Kes", "Lang", "Mor",
    "Nether", "Ock", "Pen", "Quar", "Rook", "Shel", "Thorn", "Ulver", "Wick", "Yar",
)  # fmt: skip
SURNAME_ENDS = (
    "by", "combe", "den", "field", "ford", "gate", "ham", "hurst", "ley", "low", "mere",
    "more", "ridge", "stow", "ton", "well", "wick", "worth",
)  # fmt: skip
THEMES = (
    "Counterfeit perfume sold online", "Fake designer handbags", "Unlicensed street trading",
    "Underage sales of vapes", "Rogue roofing traders", "Fly-tipping by a waste carrier",
    "Housing benefit fraud", "Blue badge misuse", "Unsafe electrical goods",
    "Illegal puppy dealing", "Counterfeit tobacco", "Doorstep crime against the elderly",
    "Unlicensed scrap metal dealing", "Fake car parts", "Council tax discount fraud",
)  # fmt: skip
PLACES = (
    "Ambridge Vale", "Borsfield", "Cressham", "Dunmere", "Elderbrook", "Felpersham",
    "Gallowby", "Hollins Cross", "Ivyfold End", "Kestermoor", "Lower Loxley",
    "Marrowfield", "Netherdown", "Oxcombe", "Penwick", "Quarrington", "Rookhurst",
    "Shelbury", "Thornwell", "Upper Ulverstow",
)  # fmt: skip


#: A word in two of the themes, so in about 13,000 of 100,000 titles: what a search for a kind of
#: case ("fraud") finds, too many to look up one by one from the trigram index (bench/run.py).
COMMON_WORD = "fraud"


def _spread(application_id: int, *sizes: int) -> list[int]:
    """Indexes into lists of these sizes, spread so that neighbouring ids differ."""
    n, picks = application_id * 7919, []
    for size in sizes:
        picks.append(n % size)
        n //= size
    return picks


def subject_name(application_id: int) -> str:
    given, start, end = _spread(application_id, len(GIVEN), len(SURNAME_STARTS), len(SURNAME_ENDS))
    return f"{GIVEN[given]} {SURNAME_STARTS[start]}{SURNAME_ENDS[end]}"


def investigation_title(application_id: int) -> str:
    theme, place = _spread(application_id + 1, len(THEMES), len(PLACES))
    return f"{THEMES[theme]}, {PLACES[place]}"


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


def day_between(rnd: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rnd.randint(0, max((last - first).days, 0)))


def state_list(n_apps: int, rnd: random.Random) -> list[ApplicationStatus]:
    """Exactly the shares of IN_FLIGHT (at least one each), the rest cancelled, shuffled."""
    states = []
    for status, share in IN_FLIGHT.items():
        states += [status] * max(1, round(n_apps * share / 100))
    if len(states) >= n_apps:
        raise SystemExit(f"Too few applications for every state: give at least {len(states) + 1}")
    states += [ApplicationStatus.CANCELLED] * (n_apps - len(states))
    rnd.shuffle(states)
    return states


def plan(
    status: ApplicationStatus,
    rnd: random.Random,
    today: date,
    lapsed: bool,
    renewed: bool,
    after_lapse: bool,
) -> dict:
    """The dates of one application's life, consistent with its state and with `today`."""
    p: dict = {"status": status}
    if status == ApplicationStatus.SUBMITTED:
        p["submitted"] = today - timedelta(days=rnd.randint(0, 13))
        return p
    if status == ApplicationStatus.AWAITING_COURT:
        p["decided"] = today - timedelta(days=rnd.randint(0, 13))
        p["submitted"] = p["decided"] - timedelta(days=rnd.randint(1, 5))
        return p
    if status == ApplicationStatus.REFUSED:
        p["submitted"] = day_between(rnd, FIRST_DAY, today - timedelta(days=20))
        p["decided"] = p["submitted"] + timedelta(days=rnd.randint(1, 5))
        return p
    if status == ApplicationStatus.ACTIVE:
        if lapsed:
            effect = today - timedelta(days=rnd.randint(100, 150))
        elif renewed:  # near its last day, with a renewal under way
            effect = today - timedelta(days=rnd.randint(60, 79))
        else:
            effect = today - timedelta(days=rnd.randint(0, 79))
    else:  # cancelled: ended before today, after any renewal
        latest = today - timedelta(days=200 if renewed else 100)
        effect = day_between(rnd, FIRST_DAY + timedelta(days=10), latest)
    p["effect"] = effect
    p["decided"] = effect - timedelta(days=rnd.randint(1, 7))
    p["submitted"] = p["decided"] - timedelta(days=rnd.randint(1, 5))
    p["last_day"] = periods.authorisation_expiry(effect)
    if status == ApplicationStatus.ACTIVE:
        if renewed:
            p["renewal"] = rnd.choice([RenewalStatus.REQUESTED, RenewalStatus.AWAITING_COURT])
            p["renewal_requested"] = today - timedelta(days=rnd.randint(0, 5))
        p["end"] = min(p["last_day"], today - timedelta(days=1))
        return p
    if renewed:
        p["renewal"] = rnd.choices(
            [RenewalStatus.APPROVED, RenewalStatus.REFUSED, RenewalStatus.WITHDRAWN], [8, 1, 1]
        )[0]
        p["renewal_requested"] = p["last_day"] - timedelta(days=rnd.randint(10, 20))
        if p["renewal"] == RenewalStatus.APPROVED:
            p["first_last_day"] = p["last_day"]
            p["last_day"] = periods.renewal_period(p["last_day"])[1]
    if after_lapse and not renewed:
        p["cancelled_on"] = min(
            p["last_day"] + timedelta(days=rnd.randint(1, 10)), today - timedelta(days=1)
        )
        p["after_lapse"] = p["cancelled_on"] > p["last_day"]
    else:
        start = (p.get("first_last_day") or effect) + timedelta(days=1)
        if p.get("renewal") in (RenewalStatus.REFUSED, RenewalStatus.WITHDRAWN):
            start = p["renewal_requested"] + timedelta(days=2)
        p["cancelled_on"] = day_between(rnd, start, p["last_day"])
        p["after_lapse"] = False
    p["end"] = min(p["cancelled_on"] - timedelta(days=1), p["last_day"])
    return p


def seed(
    url: str, n_apps: int, n_users: int, n_viewings: int, today: date, seed_value: int = 9
) -> dict:
    rnd = random.Random(seed_value)
    t0 = time.monotonic()
    if url.startswith("sqlite"):
        Path(make_url(url).database).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url)
    timings = {"migrate": time.monotonic() - t0}
    engine = make_engine(url)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(Application.__table__)):
            raise SystemExit("The database already holds applications; seed an empty one.")
        base_user = (conn.scalar(select(func.max(User.__table__.c.id))) or 0) + 1
        base_profile = (conn.scalar(select(func.max(ResearchProfile.__table__.c.id))) or 0) + 1

        # Users, research profiles and tokens --------------------------------------------------
        t = time.monotonic()
        pw = hash_password(PASSWORD)
        now = at(today - timedelta(days=2500), 9)
        n_users = max(n_users, 4)
        n_ao = max(1, n_users // 20)
        users, roles, officers, aos = [], [], [], []
        for i in range(n_users):
            uid = base_user + i
            if i == 0:
                email, name, grade, rs = SRO_EMAIL, "Sam Rowe", "Director of Law", [Role.SRO]
            elif i == 1:
                email, name, grade, rs = (
                    COORDINATOR_EMAIL,
                    "Cory Ord",
                    "RIPA coordinator",
                    [Role.COORDINATOR],
                )
            elif i < 2 + n_ao:
                email, name, grade, rs = (
                    f"bench-ao-{i}@example.gov.uk",
                    f"Authoriser {i}",
                    "Head of Service",
                    [Role.AUTHORISING_OFFICER],
                )
                aos.append(uid)
            else:
                email, name, grade, rs = (
                    f"bench-officer-{i}@example.gov.uk",
                    f"Officer {i}",
                    "Investigator",
                    [Role.OFFICER],
                )
                officers.append(uid)
            users.append(
                {
                    "id": uid,
                    "email": email,
                    "name": name,
                    "grade": grade,
                    "service": SERVICES[i % len(SERVICES)],
                    "password_hash": pw,
                    "must_change_password": False,
                    "active": True,
                    "can_authorise_confidential": False,
                    "created_at": now,
                    "version": 1,
                }
            )
            roles.extend({"user_id": uid, "role": r} for r in rs)
        counts["users"] = insert_chunks(conn, User, users)
        counts["user_roles"] = insert_chunks(conn, UserRole, roles)
        user = {u["id"]: u for u in users}
        sro, coordinator = base_user, base_user + 1

        profiles = [
            {
                "id": base_profile + i,
                "platform": PLATFORMS[i % len(PLATFORMS)],
                "handle": f"bench.profile.{i}",
                "covert": True,
                "created_on": date(2019, 1, 1),
                "notes": "",
                "registered_by_id": sro,
                "registered_at": now,
                "retirement_reason": "",
                "version": 1,
            }
            for i in range(50)
        ]
        counts["research_profiles"] = insert_chunks(conn, ResearchProfile, profiles)
        facebook = [p["id"] for p in profiles if p["platform"] == "facebook"]
        officer_profile = {uid: facebook[k % len(facebook)] for k, uid in enumerate(officers)}
        counts["research_profile_users"] = insert_chunks(
            conn,
            ResearchProfileUser,
            [
                {"research_profile_id": pid, "user_id": uid, "added_at": now, "added_by_id": sro}
                for uid, pid in officer_profile.items()
            ],
        )
        counts["api_tokens"] = insert_chunks(
            conn,
            ApiToken,
            [
                {
                    "user_id": uid,
                    "name": TOKEN_NAME,
                    "token_hash": token_hash(bench_token(uid)),
                    "prefix": bench_token(uid)[:10],
                    "created_at": now,
                }
                for uid in officers
            ],
        )
        # Officers log viewings only while their training is current (REQUIRE_OFFICER_TRAINING).
        counts["training_records"] = insert_chunks(
            conn,
            TrainingRecord,
            [
                {
                    "user_id": uid,
                    "trained_on": today - timedelta(days=200),
                    "course": "Online research and RIPA for investigators",
                    "provider": "e-learning",
                    "notes": "",
                    "recorded_by_id": sro,
                    "recorded_at": now,
                }
                for uid in officers
            ],
        )
        timings["users"] = time.monotonic() - t

        # Applications and what their states imply ------------------------------------------
        t = time.monotonic()
        states = state_list(n_apps, rnd)
        active_n = states.count(ApplicationStatus.ACTIVE)
        lapsed_left = max(1, round(active_n * LAPSED_SHARE))
        plans = []
        for status in states:
            lapsed = status == ApplicationStatus.ACTIVE and lapsed_left > 0
            lapsed_left -= lapsed
            renewed = (
                status in (ApplicationStatus.ACTIVE, ApplicationStatus.CANCELLED)
                and not lapsed
                and rnd.random() < RENEWAL_SHARE
            )
            after_lapse = status == ApplicationStatus.CANCELLED and rnd.random() < AFTER_LAPSE_SHARE
            plans.append(plan(status, rnd, today, lapsed, renewed, after_lapse))
        plans.sort(key=lambda p: p["submitted"])

        rows = {
            k: []
            for k in (
                "triages",
                "applications",
                "subjects",
                "subject_identities",
                "decisions",
                "hearings",
                "reviews",
                "cancellations",
                "investigations",
                "investigation_officers",
                "renewals",
            )
        }
        per_year: dict[int, int] = {}
        # The identity the app gives each subject's profile: "facebook:shop42example".
        identity_of = identify(profile_url(1)).text.replace("1", "{}", 1)
        for aid in (7, 12345):
            assert identify(profile_url(aid)).text == identity_of.format(aid)
        for aid, p in enumerate(plans, start=1):
            status = p["status"]
            year = p["submitted"].year
            per_year[year] = per_year.get(year, 0) + 1
            urn = f"BENCH/{year}/{per_year[year]:05d}"
            ref = f"TS/{year}/{per_year[year]:05d}"
            officer = officers[aid % len(officers)]
            ao = aos[aid % len(aos)]
            title = investigation_title(aid)
            submitted = p["submitted"]
            p.update(id=aid, urn=urn, officer=officer, ref=ref)
            rows["triages"].append(
                {
                    "id": aid,
                    "officer_id": officer,
                    "title": title,
                    "answers": {},
                    "started_at": at(submitted, 8),
                    "completed_at": at(submitted, 8),
                    "outcome": "directed_surveillance",
                    "reasons": [],
                    "offence_codes": ["TMA94-92"],
                    "threshold_met": True,
                    "threshold_reason": "",
                    "version": 1,
                }
            )
            app = {
                "id": aid,
                "urn": urn,
                "triage_id": aid,
                "officer_id": officer,
                "status": status,
                "investigation_title": title,
                "case_reference": ref,
                # As the models' listener keeps them (models._keep_reference_keys).
                "investigation_key": reference_key(ref),
                "urn_key": reference_key(urn),
                "offence_code": "TMA94-92",
                "offence_snapshot": {"title": "Trade mark offence", "citation": "TMA 1994, s.92"},
                "confidential_likely": False,
                "answers": answers(aid, title, ref),
                "created_at": at(submitted, 9),
                "updated_at": at(submitted, 10),
                "submitted_at": at(submitted, 10),
                "takes_effect": None,
                "last_day": None,
                "review_interval_days": None,
                "next_review_on": None,
                "authorised_by_id": None,
                "grant_approved_at": None,
                "directly_involved": None,
                "cancelled_on": None,
                "version": 1,
            }
            profiles_ = [{"platform": "Facebook", "url": profile_url(aid)}]
            rows["subjects"].append(
                {
                    "id": aid,
                    "application_id": aid,
                    "name": subject_name(aid),
                    "description": f"Trading as Shop {aid}",
                    "profiles": profiles_,
                }
            )
            rows["subject_identities"].extend(
                {"subject_id": aid, "identity": identity}
                for identity in profile_identities(profiles_)
            )
            rows["investigations"].append(
                {
                    "id": aid,
                    "key": reference_key(ref),
                    "reference": ref,
                    "service": user[officer]["service"],
                    "service_key": user[officer]["service"].strip().casefold(),
                    "title": title,
                    "created_at": at(submitted - timedelta(days=2), 9),
                    "created_by_id": officer,
                    "requests": 0,
                }
            )
            rows["investigation_officers"].append(
                {
                    "investigation_id": aid,
                    "user_id": officer,
                    "added_at": at(submitted - timedelta(days=2), 9),
                    "added_by_id": officer,
                }
            )
            if status == ApplicationStatus.SUBMITTED:
                rows["applications"].append(app)
                continue
            approved = status != ApplicationStatus.REFUSED
            rows["decisions"].append(
                {
                    "application_id": aid,
                    "renewal_id": None,
                    "decided_by_id": ao,
                    "decided_by_name": user[ao]["name"],
                    "decided_by_grade": user[ao]["grade"],
                    "decision": Decision.APPROVED if approved else Decision.REFUSED,
                    "decided_at": at(p["decided"], 11),
                    "what_authorised": "The seller's pages, twice a week.",
                    "reasons": "Necessary and proportionate." if approved else "Not proportionate.",
                    "review_interval_days": 28 if approved else None,
                    "directly_involved": False,
                    "directly_involved_reason": "",
                }
            )
            app["updated_at"] = at(p["decided"], 11)
            if approved:
                app.update(
                    authorised_by_id=ao,
                    directly_involved=False,
                    review_interval_days=28,
                    grant_approved_at=at(p["decided"], 11),
                )
            if "effect" not in p:
                rows["applications"].append(app)
                continue
            effect = p["effect"]
            rows["hearings"].append(
                {
                    "application_id": aid,
                    "renewal_id": None,
                    "court": "Borchester Magistrates' Court",
                    "hearing_date": effect,
                    "magistrate": "A. N. Justice JP",
                    "outcome": CourtOutcome.APPROVED,
                    "decided_at": at(effect, 15),
                    "notes": "",
                    "recorded_by_id": coordinator,
                    "recorded_at": at(effect, 16),
                }
            )
            app.update(takes_effect=effect, last_day=p["last_day"], updated_at=at(effect, 16))
            # Reviews every 28 days while it runs; the latest few days' are still to do.
            review_on = effect + timedelta(days=28)
            last_review = min(p["end"], today - timedelta(days=3))
            while review_on <= last_review:
                rows["reviews"].append(
                    {
                        "application_id": aid,
                        "reviewed_by_id": ao,
                        "reviewed_by_name": user[ao]["name"],
                        "reviewed_on": review_on,
                        "due_on": review_on,
                        "outcome": ReviewOutcome.CONTINUE,
                        "reasons": "Still needed.",
                        "next_interval_days": 28,
                        "recorded_at": at(review_on, 12),
                    }
                )
                app["updated_at"] = at(review_on, 12)
                review_on += timedelta(days=28)
            # Stored as the lifecycle keeps it (lifecycle.keep_next_review).
            app["next_review_on"] = review_on if review_on <= p["last_day"] else None
            if "renewal" in p:
                renewal_number = len(rows["renewals"]) + 1
                starts, ends = periods.renewal_period(p.get("first_last_day") or p["last_day"])
                requested = p["renewal_requested"]
                rows["renewals"].append(
                    {
                        "id": renewal_number,
                        "application_id": aid,
                        "number": 1,
                        "requested_by_id": officer,
                        "requested_at": at(requested, 10),
                        "reasons": "The seller is still trading.",
                        "obtained_so_far": "Listings.",
                        "status": p["renewal"],
                        "starts_on": starts,
                        "ends_on": ends,
                        "version": 1,
                    }
                )
                if p["renewal"] in (
                    RenewalStatus.AWAITING_COURT,
                    RenewalStatus.APPROVED,
                    RenewalStatus.REFUSED,
                ):
                    approved = p["renewal"] != RenewalStatus.REFUSED
                    rows["decisions"].append(
                        {
                            "application_id": aid,
                            "renewal_id": renewal_number,
                            "decided_by_id": ao,
                            "decided_by_name": user[ao]["name"],
                            "decided_by_grade": user[ao]["grade"],
                            "decision": Decision.APPROVED if approved else Decision.REFUSED,
                            "decided_at": at(requested, 14),
                            "what_authorised": "The seller's pages, twice a week.",
                            "reasons": "Still necessary." if approved else "No longer needed.",
                            "review_interval_days": 28 if approved else None,
                            "directly_involved": False,
                            "directly_involved_reason": "",
                        }
                    )
                if p["renewal"] == RenewalStatus.APPROVED:
                    heard = requested + timedelta(days=3)
                    rows["hearings"].append(
                        {
                            "application_id": aid,
                            "renewal_id": renewal_number,
                            "court": "Borchester Magistrates' Court",
                            "hearing_date": heard,
                            "magistrate": "A. N. Justice JP",
                            "outcome": CourtOutcome.APPROVED,
                            "decided_at": at(heard, 15),
                            "notes": "",
                            "recorded_by_id": coordinator,
                            "recorded_at": at(heard, 16),
                        }
                    )
            if status == ApplicationStatus.CANCELLED:
                cancelled_on = p["cancelled_on"]
                app.update(cancelled_on=cancelled_on, updated_at=at(cancelled_on, 12))
                rows["cancellations"].append(
                    {
                        "application_id": aid,
                        "cancelled_by_id": ao,
                        "cancelled_by_name": user[ao]["name"],
                        "cancelled_by_grade": user[ao]["grade"],
                        "cancelled_on": cancelled_on,
                        "stop_instructed_at": at(cancelled_on, 9),
                        "reason": "Seller identified.",
                        "obtained": "42 screenshots.",
                        "handling": "Kept until the case ends.",
                        "after_lapse": p["after_lapse"],
                        "recorded_at": at(cancelled_on, 12),
                    }
                )
            rows["applications"].append(app)
        timings["build_application_rows"] = time.monotonic() - t

        t = time.monotonic()
        for key, model in (
            ("triages", Triage),
            ("applications", Application),
            ("subjects", Subject),
            ("subject_identities", SubjectIdentity),
            ("renewals", Renewal),
            ("decisions", AuthorisingDecision),
            ("hearings", CourtHearing),
            ("reviews", Review),
            ("cancellations", Cancellation),
            ("investigations", Investigation),
            ("investigation_officers", InvestigationOfficer),
        ):
            counts[key] = insert_chunks(conn, model, rows[key])
        timings["insert_applications"] = time.monotonic() - t

        # Viewings: one first look before each application, the rest under authorisations ----
        t = time.monotonic()
        authorised = [p for p in plans if "end" in p and p["end"] >= p["effect"]]
        n_first = min(n_apps, n_viewings)
        counts["viewings"] = 0
        batch: list[dict] = []

        def viewing(v: int, p: dict, day: date, basis: Basis) -> dict:
            aid, officer = p["id"], p["officer"]
            under = basis == Basis.AUTHORISED
            return {
                "viewed_at": at(day, 9 + v % 8),
                "officer_id": officer,
                "officer_name": user[officer]["name"],
                "officer_service": user[officer]["service"],
                "research_profile_id": officer_profile[officer],
                "investigation_id": aid,
                "reference": p["ref"],
                "url": profile_url(aid),
                "platform": "Facebook",
                "identity": identity_of.format(aid),
                "subject": subject_name(aid),
                "subject_key": subject_key(subject_name(aid)),
                "purpose": "Capture current listings." if under else "A first look.",
                "captured": under and v % 3 == 0,
                "capture_location": "Case file" if under and v % 3 == 0 else "",
                "basis": basis,
                "application_id": aid if under else None,
                "urn": p["urn"] if under else None,
                "reason": "Under the authorisation." if under else "Nobody has viewed it.",
                "citation": "RIPA 2000, s.27(1)" if under else "Code of Practice 2018, 3.14",
                "channel": Channel.API if v % 4 == 0 else Channel.WEB,
                "api_token_id": None,
            }

        for v in range(n_viewings):
            if v < n_first:
                p = plans[v]
                row = viewing(v, p, p["submitted"] - timedelta(days=2), Basis.INITIAL_RESEARCH)
            elif authorised:
                p = authorised[rnd.randrange(len(authorised))]
                row = viewing(v, p, day_between(rnd, p["effect"], p["end"]), Basis.AUTHORISED)
            else:
                break
            batch.append(row)
            if len(batch) >= CHUNK:
                counts["viewings"] += insert_chunks(conn, Viewing, batch)
                batch = []
        counts["viewings"] += insert_chunks(conn, Viewing, batch)
        timings["viewings"] = time.monotonic() - t

        if engine.dialect.name == "postgresql":
            # Ids were given explicitly: move the sequences past them.
            for model in (
                User,
                UserRole,
                ResearchProfile,
                ResearchProfileUser,
                ApiToken,
                Triage,
                Application,
                Subject,
                SubjectIdentity,
                Renewal,
                AuthorisingDecision,
                CourtHearing,
                Review,
                Cancellation,
                Investigation,
                Viewing,
            ):
                table = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                    )
                )
    t = time.monotonic()
    if engine.dialect.name == "postgresql":
        # VACUUM as well: autovacuum (on in any real PostgreSQL, off on some test servers) would
        # have set the visibility map, without which a count cannot be read from an index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    timings["analyze"] = time.monotonic() - t
    engine.dispose()
    timings["total"] = time.monotonic() - t0
    by_state: dict[str, int] = {}
    for p in plans:
        by_state[p["status"].value] = by_state.get(p["status"].value, 0) + 1
    by_state["active but lapsed"] = sum(
        1 for p in plans if p["status"] == ApplicationStatus.ACTIVE and p["last_day"] < today
    )
    return {"counts": counts, "timings": timings, "states": by_state}


# Viewings in bulk, onto a seeded database (issue 19) -----------------------------------------

#: The columns of a viewing copied from an earlier one of the same investigation.
LOOK_COLUMNS = [
    "viewed_at",
    "officer_id",
    "officer_name",
    "officer_service",
    "research_profile_id",
    "investigation_id",
    "reference",
    "url",
    "platform",
    "identity",
    "subject",
    "subject_key",
    "purpose",
    "captured",
    "capture_location",
    "basis",
    "application_id",
    "urn",
    "reason",
    "citation",
    "channel",
]


def bulk_insert(conn, table: str, columns: list[str], rows: list[tuple]) -> int:
    """Rows at the database's own bulk speed: COPY on PostgreSQL; on SQLite one executemany on
    its own connection, in the caller's transaction."""
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    return len(rows)


def _sqlite_moment(moment: datetime, dialect: str):
    # SQLite keeps UtcDateTime as ISO text in UTC, as SQLAlchemy writes it.
    return moment if dialect == "postgresql" else moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def add_looks(
    url: str, n_viewings: int, today: date, stopped_every: int = 50, held_every: int = 500
) -> dict:
    """Add `n_viewings` viewings to a database bench/seed.py filled, each a copy of an earlier
    viewing of a random investigation on a random day of the last two years; one in four by
    another officer of the council as initial research (so some profiles show signs of
    monitoring), one in `stopped_every` a stopped attempt (blocked or refused) and one in
    `held_every` a held look. The tallies are then counted again (migration 0027's fill)."""
    import importlib.util

    rnd = random.Random(27)
    engine = make_engine(url)
    dialect = engine.dialect.name
    counts = {"viewings": 0, "viewing_attempts": 0, "held_looks": 0}
    t0 = time.monotonic()
    with engine.begin() as conn:
        cols = ", ".join(LOOK_COLUMNS)
        templates = conn.execute(
            text(
                f"SELECT {cols} FROM viewings WHERE id IN (SELECT min(id) FROM viewings"
                " GROUP BY investigation_id)"
            )
        ).all()
        officers = conn.execute(
            text("SELECT id, name, service FROM users WHERE id IN (SELECT user_id FROM api_tokens)")
        ).all()
        first = today - timedelta(days=730)
        looks, stops, held = [], [], []
        for n in range(n_viewings):
            row = list(templates[rnd.randrange(len(templates))])
            moment = at(day_between(rnd, first, today), 8 + n % 10)
            row[0] = _sqlite_moment(moment, dialect)
            if n % 4 == 0:
                someone = officers[rnd.randrange(len(officers))]
                row[1:4] = list(someone)
                row[15] = Basis.INITIAL_RESEARCH.value
                row[16] = row[17] = None
            else:
                row[15] = getattr(row[15], "value", row[15])
            row[20] = getattr(row[20], "value", row[20])
            if n % stopped_every == 0:
                outcome = "blocked" if n % (2 * stopped_every) == 0 else "refused"
                stops.append(
                    (
                        *row[:13],
                        outcome,
                        None if outcome == "blocked" else "not_covered",
                        row[16],
                        row[17],
                        "Stopped (bench).",
                        row[19],
                        "[]",
                        row[20],
                    )
                )
            elif n % held_every == 1:
                held.append(
                    (
                        row[0],
                        *row[1:5],
                        row[5],
                        row[7],
                        row[8],
                        row[9],
                        row[10],
                        row[11],
                        row[12],
                        "[]",
                        row[20],
                    )
                )
            else:
                looks.append(tuple(row))
        counts["viewings"] = bulk_insert(conn, "viewings", LOOK_COLUMNS, looks)
        counts["viewing_attempts"] = bulk_insert(
            conn,
            "viewing_attempts",
            [
                "attempted_at",
                *LOOK_COLUMNS[1:13],
                "outcome",
                "refusal",
                "application_id",
                "urn",
                "reason",
                "citation",
                "earlier_viewing_ids",
                "channel",
            ],
            stops,
        )
        counts["held_looks"] = bulk_insert(
            conn,
            "held_looks",
            [
                "held_at",
                "officer_id",
                "officer_name",
                "officer_service",
                "research_profile_id",
                "investigation_id",
                "url",
                "platform",
                "identity",
                "subject",
                "subject_key",
                "purpose",
                "earlier_viewing_ids",
                "channel",
            ],
            held,
        )
        timings = {"looks": time.monotonic() - t0}
        t = time.monotonic()
        conn.execute(text("DELETE FROM viewing_tally_members"))
        conn.execute(text("DELETE FROM viewing_tallies"))
        path = Path(__file__).resolve().parent.parent / (
            "ripa_guard/core/migrations/versions/0027_viewing_tallies.py"
        )
        spec = importlib.util.spec_from_file_location("migration_0027", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration._fill(conn)
        timings["tallies"] = time.monotonic() - t
    engine.dispose()
    timings["total"] = time.monotonic() - t0
    return {"counts": counts, "timings": timings}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("url")
    p.add_argument("--applications", type=int, default=100_000)
    p.add_argument("--users", type=int, default=1_000)
    p.add_argument("--viewings", type=int, help="default: 10 per application")
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the day the states are relative to (default: today in London)",
    )
    p.add_argument(
        "--add-looks",
        type=int,
        metavar="N",
        help="add N viewings (with stopped attempts and held looks) to a seeded database",
    )
    args = p.parse_args(argv)
    today = args.today or clock.today()
    if args.add_looks:
        added = add_looks(args.url, args.add_looks, today)
        for name, n in [*added["counts"].items(), *added["timings"].items()]:
            print(f"{name:24} {n:>12,.1f}" if isinstance(n, float) else f"{name:24} {n:>10,}")
        return 0
    viewings = args.viewings if args.viewings is not None else 10 * args.applications
    result = seed(args.url, args.applications, args.users, viewings, today)
    print(f"Relative to {today.isoformat()}")
    for table, n in result["counts"].items():
        print(f"{table:24} {n:>10,}")
    for state, n in result["states"].items():
        print(f"{'state ' + state:24} {n:>10,}")
    for step, s in result["timings"].items():
        print(f"{step + ' (s)':28} {s:8.1f}")
    print(f"Sign in as {SRO_EMAIL} with password {PASSWORD!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
