"""`ripa-guard demo`: invented people, cases and applications, so a newcomer can look around.

Every name, business, place and web address here is made up (Borsetshire is fictional).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ripa_guard.accounts import users as accounts
from ripa_guard.accounts.models import Role, User
from ripa_guard.applications import drafting, lifecycle, plans
from ripa_guard.applications.models import (
    Application,
    CourtOutcome,
    Decision,
    ReviewOutcome,
    Triage,
)
from ripa_guard.core import clock
from ripa_guard.demo import stories
from ripa_guard.demo.stories import STORIES
from ripa_guard.law.decision_rules import Statements

PEOPLE = [
    (
        "olive.oakes",
        "Olive Oakes",
        "Trading Standards Officer",
        "Trading Standards",
        [Role.OFFICER],
        False,
    ),
    (
        "felix.fenwick",
        "Felix Fenwick",
        "Corporate Fraud Investigator",
        "Counter Fraud",
        [Role.OFFICER],
        False,
    ),
    ("lena.lark", "Lena Lark", "Licensing Enforcement Officer", "Licensing", [Role.OFFICER], False),
    (
        "ed.elm",
        "Ed Elm",
        "Environmental Crime Officer",
        "Environmental Health",
        [Role.OFFICER],
        False,
    ),
    (
        "arthur.ash",
        "Arthur Ash",
        "Head of Regulatory Services",
        "Regulatory Services",
        [Role.AUTHORISING_OFFICER],
        False,
    ),
    (
        "hannah.hale",
        "Hannah Hale",
        "Chief Executive (Head of Paid Service)",
        "Chief Executive's Office",
        [Role.AUTHORISING_OFFICER],
        True,
    ),
    ("cora.cobb", "Cora Cobb", "RIPA Coordinator", "Legal Services", [Role.COORDINATOR], False),
    (
        "sally.stone",
        "Sally Stone",
        "Director of Law and Governance (SRO)",
        "Legal Services",
        [Role.SRO],
        False,
    ),
    ("ivor.ince", "Ivor Ince", "Inspector, IPCO (demo)", "IPCO", [Role.INSPECTOR], False),
]
DOMAIN = "borsetshire.example.gov.uk"

SELLER = {
    "criminal_investigation": "yes",
    "offence": "TMA94-92",
    "other_offence": "",
    "directed_at": "person",
    "frequency": "repeated",
    "profile_public": "yes",
    "overt_notice": "no",
    "recording": "yes",
    "profile_building": "yes",
    "combining": "yes",
    "private_information": "yes",
    "third_parties": "yes",
    "interaction": "none",
    "identity": "disclosed",
    "someone_else": "no",
    "bypass_privacy": "no",
    "confidential": "no",
}
PLANS = [
    ("olive.oakes", "Counterfeit handbags – Market Street seller", SELLER),
    (
        "felix.fenwick",
        "Flat 4 Willow Court – suspected sub-letting",
        {**SELLER, "offence": "PSHFA-1-1"},
    ),
    (
        "lena.lark",
        "Underage alcohol sales – Corner Stores, Felpersham",
        {**SELLER, "offence": "LA03-146"},
    ),
    (
        "ed.elm",
        "Fly-tipping at Lakey Hill – first look at a clearance advert",
        {
            **SELLER,
            "offence": "EPA-33",
            "frequency": "single",
            "recording": "no",
            "profile_building": "no",
            "combining": "no",
            "private_information": "no",
            "third_parties": "no",
        },
    ),
    (
        "olive.oakes",
        "Puppy sales – messaging the seller",
        {**SELLER, "offence": "AWA06-13", "interaction": "further", "identity": "undisclosed"},
    ),
    (
        "felix.fenwick",
        "Staff timesheet concern – Highways depot",
        {**SELLER, "criminal_investigation": "ordinary", "offence": ""},
    ),
    (
        "ed.elm",
        "Waste carrier – record one look at adverts",
        {
            **SELLER,
            "offence": "EPA-33",
            "frequency": "single",
            "profile_building": "no",
            "combining": "no",
            "private_information": "no",
        },
    ),
]
UNLISTED_PLAN = {
    **SELLER,
    "offence": "NOT-LISTED",
    "unlisted_offence": (
        "Supplying electrical equipment that is not safe: Electrical Equipment (Safety) "
        "Regulations 2016 (regulation not known)."
    ),
}
#: The facts for each element of the offences the demo's applications name.
OFFENCE_FACTS = {
    "TMA94-92": "Bags bearing registered trade marks offered for sale without the owners' consent.",
    "LA03-146": "A 15-year-old test purchaser was sold a bottle of cider without being asked for ID.",
}
APPLICATION = {
    "investigation_title": "Counterfeit handbags sold from Market Street, Borchester",
    "case_reference": "TS/2026/0412",
    "summary": "Three shoppers complained that 'designer' handbags bought from an online seller are fakes.",
    "activity": "View the seller's business pages twice a week and capture new listings.",
    "frequency": "Twice a week",
    "duration": "Six weeks",
    "research_profile": "Trading Standards research profile 3",
    "intended_outcome": "Evidence of the scale of sales and the identity of the seller.",
    "necessity": "The seller trades only online; there is no shop to visit and no other way to see the trade.",
    "proportionality_balance": "Counterfeiting at scale harms consumers and honest traders.",
    "proportionality_least_intrusive": "Only business listings are viewed, at set times, from a council profile.",
    "proportionality_appropriate": "Test purchases alone cannot show the scale of trade.",
    "proportionality_alternatives": "A test purchase was made; a warning letter would alert the seller.",
    "collateral_intrusion": "Customers' comments and names on the listings.",
    "collateral_minimise": "Customers' names are redacted from captures and not kept.",
    "confidential_likely": "no",
}
#: The authorising officer's own statements on each demo approval (law/decision_rules.py).
STATEMENTS = Statements(
    necessity=(
        "The trade is conducted only through the seller's pages; without seeing the listings "
        "over several weeks we cannot show the scale of sales or who is behind them, and the "
        "offence cannot be proved."
    ),
    proportionality_balance=(
        "Two short visits a week for six weeks to business pages is limited against an offence "
        "carrying years of imprisonment and losses to many buyers."
    ),
    proportionality_least_intrusive=(
        "Only the seller's business listings are viewed, at set times, from a registered "
        "council research profile; personal posts and friends lists are not opened."
    ),
    proportionality_appropriate=(
        "Trading standards enforce this offence, and covertly viewing a public shop front is "
        "the reasonable way to gather the evidence once overt routes were ruled out."
    ),
    proportionality_alternatives=(
        "One test purchase proves a single sale only, and a warning letter would alert the "
        "seller and lose the evidence; there are no premises to visit openly."
    ),
    collateral_intrusion=(
        "Buyers' names and comments appear under the listings; they are not recorded, and any "
        "caught in a capture are redacted before the capture is kept."
    ),
)

SUBJECT = (
    "Bargain Bags (trading name)",
    "Seller believed to operate from Market Street, Borchester",
    [
        {"platform": "Facebook", "url": "https://www.facebook.com/bargainbags.example"},
        {"platform": "Instagram", "url": "https://www.instagram.com/bargainbags.example"},
    ],
)

#: The subject of the licensing officer's draft: the shop a test purchaser bought cider from.
SHOP = (
    "Corner Stores, Felpersham",
    "Off-licence on Station Road, Felpersham; advertises alcohol deliveries online",
    [{"platform": "TikTok", "url": "https://www.tiktok.com/@corner.stores.example"}],
)


def fill(session: Session, app: Flask) -> list[str]:
    """Create the demo; refuses a database that already has applications or research plans."""
    if session.scalar(select(func.count()).select_from(Application)) or session.scalar(
        select(func.count()).select_from(Triage)
    ):
        raise ValueError("The database already has records: the demo only fills an empty one.")
    password = secrets.token_urlsafe(9)
    people = {}
    for handle, name, grade, service, roles, confidential in PEOPLE:
        email = f"{handle}@{DOMAIN}"
        existing = session.scalar(select(User).where(User.email == email))
        if existing is None:
            existing, _ = accounts.create_user(
                session, None, email, name, grade, service, roles, confidential, password=password
            )
            existing.must_change_password = False
            session.commit()
        people[handle] = existing
    register = app.extensions["ripa_guard.offences"]
    definition = app.extensions["ripa_guard.forms"]["application"]
    triages = []
    for handle, title, answers in PLANS:
        record = plans.start_triage(session, people[handle], title)
        plans.save_triage_answers(session, people[handle], record, answers)
        triages.append(plans.complete_triage(session, people[handle], record, register))
    # An offence the register does not list: the plan waits on the offence register page for
    # the RIPA coordinator.
    unlisted = plans.start_triage(
        session, people["ed.elm"], "Unsafe electric heaters sold online", "TS/2026/0533"
    )
    plans.save_triage_answers(session, people["ed.elm"], unlisted, UNLISTED_PLAN)
    plans.complete_triage(session, people["ed.elm"], unlisted, register)
    _training(session, people)
    # The older stories first, so that unique reference numbers follow the dates of submission.
    count = 2 + _lives(session, app, people, register, definition)
    _applications(session, app, people["olive.oakes"], triages[0], register, definition)
    _applications(session, app, people["lena.lark"], triages[2], register, definition, submit=False)
    _viewing_log(session, people)
    _oversight(session, app, people)
    _council(session, people)
    _no_demo_emails(session)
    return [
        f"Demo data added: {len(PEOPLE)} people, {len(PLANS) + len(LIVES)} research plans, "
        f"{count} applications.",
        f"Every demo account's password is: {password}",
        *(
            f"  {h}@{DOMAIN}  ({', '.join(r.title for r in roles)})"
            for h, _n, _g, _s, roles, _c in PEOPLE
        ),
        "The SRO, authorising officers, the coordinator and inspectors set up a second step "
        "(an authenticator app) when they first sign in; to look around without one, run with "
        "RIPA_GUARD_REQUIRE_TOTP_FOR_DECIDERS=false.",
    ]


def _council(session: Session, people: dict) -> None:
    """The council's details, set by the SRO, and each service's case-reference format, set by
    the coordinator from the references its investigations already use, so the first SRO's
    set-up checklist shows what a council that has set up looks like."""
    import re

    from ripa_guard.council import details
    from ripa_guard.viewing import investigations
    from ripa_guard.viewing.models import Investigation

    sro = next(u for u in people.values() if u.has_role(Role.SRO))
    coordinator = next(u for u in people.values() if u.has_role(Role.COORDINATOR))
    details.save(
        session,
        sro,
        None,
        name="Borsetshire District Council",
        address="Council Offices, Market Square, Borchester BC1 1AA",
        telephone="01632 960000",
        policy_url="https://www.borsetshire.example.gov.uk/ripa-policy",
        coordinator_name=coordinator.name,
        coordinator_email=coordinator.email,
        coordinator_telephone="01632 960123",
    )
    first = {}
    for service, reference in session.execute(
        select(Investigation.service, Investigation.reference).order_by(Investigation.id)
    ):
        first.setdefault(service, reference)
    for service, reference in first.items():
        # "TS/2026/0412" -> "TS/YYYY/NNNN": the year, then one N a digit.
        template = re.sub(r"\d", "N", re.sub(r"(?<!\d)20\d\d(?!\d)", "YYYY", reference))
        if service and investigations.format_problem(template) is None:
            investigations.set_reference_format(session, coordinator, service, template)
    session.commit()


def _no_demo_emails(session: Session) -> None:
    """Delete the e-mails the demo's own changes queued: they are addressed to invented people
    at an invented council, so `ripa-guard send` must never try to deliver them. The in-app
    notifications stay, so each demo account still has its notices."""
    from sqlalchemy import delete

    from ripa_guard.notifications.models import OutboxMessage

    session.execute(delete(OutboxMessage).where(OutboxMessage.email.endswith(f"@{DOMAIN}")))
    session.commit()


#: The applications carried through their life: see stories.py.
LIVES = STORIES


def _lives(session, app, people, register, definition) -> int:
    """Applications in every state, each step dated when it happened in its story, so the
    dashboard has work in it and each history reads in order."""
    for story in sorted(STORIES, key=lambda story: -story.submitted_days_ago):
        application = _submit_story(
            session, app, people[story.officer], story, register, definition
        )
        for step, days_ago in story.events[1:]:
            _STEPS[step](session, people, application, story, _when(days_ago))
    return len(STORIES)


def _when(days_ago: int):
    """Mid-morning in England, ``days_ago`` days before the demo's today (never after now).
    Counting back from now instead put a late-evening load's steps past midnight in summer
    time, a day off the story."""
    now = clock.now()
    day = clock.today() - timedelta(days=days_ago)
    return min(now, datetime.combine(day, time(10, 0), tzinfo=clock.LONDON).astimezone(UTC))


def _submit_story(session, app, officer, story, register, definition) -> Application:
    codes = [code for code, _facts in story.offences]
    triage = plans.start_triage(session, officer, story.title, story.case_reference)
    plans.save_triage_answers(
        session, officer, triage, {**SELLER, "offence": codes[0], **story.triage_changes}
    )
    plans.complete_triage(session, officer, triage, register)
    application = drafting.start_application(session, officer, triage)
    answers = {
        **APPLICATION,
        "investigation_title": story.title,
        "case_reference": story.case_reference,
        "summary": story.summary,
        "activity": story.activity,
        "frequency": story.frequency,
        "duration": story.duration,
        "research_profile": "A registered council research profile",
        "intended_outcome": story.intended_outcome,
        "necessity": story.necessity,
        "proportionality_balance": story.balance,
        "proportionality_least_intrusive": "Only the pages named on the application are viewed, "
        "at set times, from a registered council research profile; no one is contacted.",
        "proportionality_appropriate": "Viewing what the subject has made public is the least "
        "intrusive way left to gather the evidence the offence needs.",
        "proportionality_alternatives": "Overt enquiries were considered: they would alert the "
        "subject, who could take the pages down.",
        "collateral_intrusion": story.collateral,
        "collateral_minimise": "Other people's names are redacted from captures and not kept.",
    }
    drafting.save_application_answers(session, officer, application, answers, application.version)
    # The triage's offence is already on the application: adding it again records its facts.
    for code, facts in story.offences:
        drafting.add_offence(
            session, officer, application, code, facts, register, application.version
        )
    _add_subject(session, officer, application, story.subject)
    drafting.submit_application(
        session,
        officer,
        application,
        definition=definition,
        register=register,
        urn_prefix=app.config["URN_PREFIX"],
        version=application.version,
        now=_when(story.submitted_days_ago),
    )
    return application


def _add_subject(session, officer, application, subject) -> None:
    name, description, profiles = subject
    drafting.add_subject(
        session,
        officer,
        application,
        name=name,
        description=description,
        profiles=profiles,
        version=application.version,
    )


def _decide(session, people, application, story, at, decision) -> None:
    approve = decision == Decision.APPROVED
    lifecycle.decide_application(
        session,
        people["arthur.ash"],
        application,
        decision=decision,
        what_authorised=story.what_authorised if approve else "",
        reasons="" if approve else story.refusal,
        review_interval_days=28 if approve else None,
        directly_involved=False,
        directly_involved_reason="",
        version=application.version,
        now=at,
        statements=stories.statements(story) if approve else Statements(),
        offences_genuine=approve,
    )


def _court(session, people, application, story, at, outcome=CourtOutcome.APPROVED) -> None:
    lifecycle.record_court_decision(
        session,
        people["cora.cobb"],
        application,
        outcome=outcome,
        notes=""
        if outcome == CourtOutcome.APPROVED
        else "The JP asked for the seller's licence history to be set out first.",
        version=application.version,
        **_hearing(at),
    )


def _hearing(at) -> dict:
    """Where and when the magistrate heard it, and when the decision was recorded."""
    return {
        "court": "Borchester Magistrates' Court",
        "hearing_date": clock.local_date(at),
        "magistrate": "D. Example JP",
        "decided_at": at,
        "now": at,
    }


def _review(session, people, application, story, at) -> None:
    lifecycle.record_review(
        session,
        people["arthur.ash"],
        application,
        outcome=ReviewOutcome.CONTINUE,
        reasons="Still necessary: the pages are active. Collateral intrusion limited to "
        "comments, which are not kept.",
        next_interval_days=28,
        version=application.version,
        today=clock.local_date(at),
    )


def _renew(session, people, application, story, at) -> None:
    lifecycle.request_renewal(
        session,
        people[story.officer],
        application,
        reasons="The subject is still active and the evidence is not yet complete.",
        obtained_so_far="Captures of the pages on each visit, kept in the case file.",
        version=application.version,
        today=clock.local_date(at),
        now=at,
    )


def _renew_decide(session, people, application, story, at) -> None:
    renewal = application.renewals[-1]
    lifecycle.decide_renewal(
        session,
        people["arthur.ash"],
        application,
        renewal=renewal,
        decision=Decision.APPROVED,
        what_authorised=story.what_authorised,
        reasons="",
        review_interval_days=28,
        directly_involved=False,
        directly_involved_reason="",
        version=renewal.version,
        now=at,
        statements=stories.statements(story),
    )


def _renew_court(session, people, application, story, at) -> None:
    renewal = application.renewals[-1]
    lifecycle.record_renewal_court_decision(
        session,
        people["cora.cobb"],
        application,
        renewal=renewal,
        outcome=CourtOutcome.APPROVED,
        notes="",
        version=renewal.version,
        **_hearing(at),
    )


def _cancel(session, people, application, story, at) -> None:
    lifecycle.cancel_authorisation(
        session,
        people["arthur.ash"],
        application,
        reason=story.cancel_reason,
        obtained=story.obtained,
        handling="Kept on the case file until the proceedings end, then destroyed.",
        stop_instructed_at=at - timedelta(hours=1),
        version=application.version,
        today=clock.local_date(at),
    )


_STEPS = {
    "approve": lambda s, p, a, st, at: _decide(s, p, a, st, at, Decision.APPROVED),
    "refuse": lambda s, p, a, st, at: _decide(s, p, a, st, at, Decision.REFUSED),
    "return": lambda s, p, a, st, at: _decide(s, p, a, st, at, Decision.RETURNED),
    "court": _court,
    "court_refused": lambda s, p, a, st, at: _court(s, p, a, st, at, CourtOutcome.REFUSED),
    "review": _review,
    "renew": _renew,
    "renew_decide": _renew_decide,
    "renew_court": _renew_court,
    "cancel": _cancel,
}


def _applications(session, app, officer, triage_record, register, definition, submit=True):
    application = drafting.start_application(session, officer, triage_record)
    offence = triage_record.offence_codes[0]
    answers = {**APPLICATION}
    if not submit:
        answers = {
            "investigation_title": triage_record.title,
            "case_reference": "LIC/2026/0077",
        }
    drafting.save_application_answers(session, officer, application, answers, application.version)
    if submit:
        drafting.add_offence(
            session,
            officer,
            application,
            offence,
            OFFENCE_FACTS[offence],
            register,
            application.version,
        )
    _add_subject(session, officer, application, SUBJECT if submit else SHOP)
    if submit:
        drafting.submit_application(
            session,
            officer,
            application,
            definition=definition,
            register=register,
            urn_prefix=app.config["URN_PREFIX"],
            version=application.version,
        )
    return application


#: Research profiles: (platform, handle, covert, officers who may use it).
RESEARCH_PROFILES = [
    ("facebook", "borsetshire.ts.research3", True, ["olive.oakes", "felix.fenwick"]),
    ("instagram", "borsetshire.research.ig2", True, ["olive.oakes", "felix.fenwick"]),
    ("web", "Regulatory Services research laptop 2", True, ["lena.lark", "ed.elm", "olive.oakes"]),
    ("facebook", "BorsetshireTradingStandards", False, ["olive.oakes", "lena.lark"]),
]
#: Viewings, oldest first: (officer, days ago, address, case reference or an application's
#: title, subject, why). Each goes through the gate, so some are logged and some are stopped.
VIEWINGS = [
    (
        "felix.fenwick",
        10,
        "https://m.facebook.com/badgedeals.borsetshire.example/photos",
        "Blue Badge resale ring – badges sold online",
        "Badge Deals Borsetshire (page name)",
        "Weekly check for new listings of badges",
    ),
    (
        "felix.fenwick",
        3,
        "https://www.facebook.com/badgedeals.borsetshire.example/posts",
        "Blue Badge resale ring – badges sold online",
        "Badge Deals Borsetshire (page name)",
        "Weekly check for new listings of badges",
    ),
    (
        "felix.fenwick",
        2,
        "https://www.instagram.com/badge.broker.example/",
        "Blue Badge resale ring – badges sold online",
        "The buyer tagged in a listing",
        "Who is buying the badges?",
    ),
    (
        "olive.oakes",
        6,
        "https://www.vinted.co.uk/member/48151623-perfumepalace",
        "TS/2026/0519",
        "Perfume Palace (trading name)",
        "Is this the stallholder's online shop?",
    ),
    (
        "ed.elm",
        120,  # before his training lapsed: an officer out of date cannot log a viewing
        "https://www.facebook.com/lakeyhill.vanhire.example",
        "EH/2026/0012",
        "Lakey Hill Van Hire (trading name)",
        "Van hire firm named in a fly-tipping complaint",
    ),
    (
        "lena.lark",
        4,
        "https://www.tiktok.com/@corner.stores.example",
        "LIC/2026/0081",
        "Corner Stores, Felpersham",
        "Do they advertise alcohol deliveries?",
    ),
    (
        "lena.lark",
        1,
        "https://www.tiktok.com/@Corner.Stores.Example/video/7300000000000000001",
        "LIC/2026/0081",
        "Corner Stores, Felpersham",
        "New video reported by a parent",
    ),
    # Triage of LIC/2026/0077 found directed surveillance: without an authorisation in force, even
    # a first look under it is refused, with the triage's reasons.
    (
        "lena.lark",
        1,
        "https://www.instagram.com/corner.stores.example/",
        "LIC/2026/0077",
        "Corner Stores, Felpersham",
        "Does the shop post about alcohol deliveries?",
    ),
]


def _service_case(officer, reference: str) -> tuple[str, str]:
    from ripa_guard.law.viewing_rules import reference_key
    from ripa_guard.viewing.investigations import service_key

    return service_key(officer.service), reference_key(reference)


def _investigations(session: Session, people: dict, titles: dict) -> dict:
    """An investigation of each service for each case its officers work on (the applications'
    case references and those the demo's viewings use), opened by the first trained officer
    and worked on by each officer of the service who uses it. {(service, key): id}"""
    from datetime import timedelta

    from ripa_guard.core import clock
    from ripa_guard.core.changes import Refused
    from ripa_guard.viewing import investigations

    wanted: dict[tuple[str, str], tuple[str, str, list, list]] = {}
    used = [(a.officer, a.case_reference, a.investigation_title, 0) for a in titles.values()]
    for handle, days_ago, _url, case, _subject, _why in VIEWINGS:
        application = titles.get(case)
        reference = application.case_reference if application else case
        title = application.investigation_title if application else ""
        used.append((people[handle], reference, title, days_ago))
    for officer, reference, title, days_ago in used:
        if not reference:
            continue
        entry = wanted.setdefault(_service_case(officer, reference), (reference, title, [], [0]))
        if officer not in entry[2]:
            entry[2].append(officer)
        entry[3].append(days_ago)
    found = {}
    for group, (reference, title, officers, days) in wanted.items():
        for opener in officers:
            try:
                opened = investigations.open_investigation(
                    session,
                    opener,
                    reference=reference,
                    title=title or f"Investigation {reference}",
                    offences="As in the research plans and applications under it",
                    subjects=[],
                    officer_ids=[o.id for o in officers],
                    # Opened when the work began: before the first look logged under it.
                    today=clock.today() - timedelta(days=max(days)),
                )
            except Refused:
                continue  # an officer whose training was out of date opens nothing
            found[group] = opened.id
            break
    return found


def _viewing_log(session: Session, people: dict) -> None:
    """Research profiles on the register, and viewings through the gate: initial research, a
    look under an authorisation, one refused outside it, and a repeat that is blocked."""
    from datetime import timedelta

    from ripa_guard.core import clock
    from ripa_guard.law.profile_identity import identify
    from ripa_guard.viewing import log as viewing_log
    from ripa_guard.viewing import research_profiles

    today, now = clock.today(), clock.now()
    profiles = {}
    for platform, handle, covert, users in RESEARCH_PROFILES:
        profile = research_profiles.register_research_profile(
            session,
            people["sally.stone"],
            platform=platform,
            handle=handle,
            covert=covert,
            created_on=today - timedelta(days=400),
            user_ids=[people[u].id for u in users],
            notes="Sign-in details held by the service manager; used on a council laptop only.",
            today=today,
        )
        profiles[platform, covert] = profile.id
    usable = {
        handle: {p.id for p in research_profiles.usable_research_profiles(session, person, today)}
        for handle, person in people.items()
    }
    titles = {a.investigation_title: a for a in session.scalars(select(Application))}
    cases = _investigations(session, people, titles)
    for handle, days_ago, url, case, subject, why in VIEWINGS:
        officer = people[handle]
        platform = identify(url).platform
        research_profile = profiles.get((platform, True), profiles["web", True])
        if research_profile not in usable[handle]:
            research_profile = profiles["web", True]
        application = titles.get(case)
        moment = now - timedelta(days=days_ago)
        outcome = viewing_log.request_viewing(
            session,
            officer,
            viewing_log.ViewingRequest(
                url=url,
                investigation_id=cases[
                    _service_case(officer, application.case_reference if application else case)
                ],
                subject=subject,
                purpose=why,
                research_profile_id=research_profile,
                captured=days_ago < 12,
                capture_location="Screenshots in the case file" if days_ago < 12 else "",
            ),
            moment,
        )
        if outcome.viewing is not None and days_ago < 12:
            _capture(session, officer, outcome.viewing, url, moment)


def _capture(session: Session, officer: User, viewing, url: str, moment) -> None:
    """The screenshot the officer took on the look, on the captured material register: kept in
    the case file (the demo invents no image), named by the hash such a file would have."""
    import hashlib

    from ripa_guard.viewing import captures

    captures.record_capture(
        session,
        officer,
        viewing,
        captures.CaptureGiven(
            sha256=hashlib.sha256(f"demo screenshot of {url} at {moment}".encode()).hexdigest(),
            kind="screenshot",
            address=url,
            captured_at=moment,
            kept_at="Screenshots in the case file",
        ),
        moment,
        captures.Settings.from_app(),
    )


#: (who, years and days ago, course, given by): Ed Elm's is out of date, so he shows as due and
#: can no longer log a viewing (his last was logged 120 days ago, while he was still trained).
TRAINING = [
    (
        "arthur.ash",
        1,
        40,
        "RIPA for authorising officers, including social media",
        "Borsetshire Legal",
    ),
    (
        "hannah.hale",
        2,
        300,
        "RIPA for authorising officers, including social media",
        "Borsetshire Legal",
    ),
    ("sally.stone", 0, 200, "The senior responsible officer's role", "Felpersham Training Ltd"),
    ("cora.cobb", 0, 200, "Keeping the central record", "Felpersham Training Ltd"),
    ("olive.oakes", 1, 40, "Online research and RIPA for investigators", "Borsetshire Legal"),
    ("felix.fenwick", 2, 330, "Online research and RIPA for investigators", "Borsetshire Legal"),
    ("lena.lark", 0, 150, "Online research and RIPA for investigators", "Borsetshire Legal"),
    ("ed.elm", 3, 90, "Online research and RIPA for investigators", "Borsetshire Legal"),
]


def _training(session: Session, people: dict) -> None:
    """Training records, before any approval: an authorising officer must be trained."""
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    from ripa_guard.accounts import training
    from ripa_guard.core import clock

    today = clock.today()
    for handle, years, days, course, provider in TRAINING:
        trained_on = today - relativedelta(years=years) - timedelta(days=days)
        training.record_training(
            session,
            None,
            people[handle],
            trained_on=trained_on,
            course=course,
            provider=provider,
            notes="",
            today=today,
        )


def _oversight(session: Session, app: Flask, people: dict) -> None:
    """A non-RIPA activity, a policy review and an inspection recommendation with its action."""
    from datetime import timedelta

    from ripa_guard.core import clock
    from ripa_guard.oversight import non_ripa
    from ripa_guard.oversight import reports as oversight
    from ripa_guard.oversight.models import ActionProgress, FindingCategory

    today = clock.today()
    hr_check = {**SELLER, "criminal_investigation": "ordinary", "offence": ""}
    officer = people["felix.fenwick"]
    triage = plans.start_triage(session, officer, "Sickness absence – depot employee")
    plans.save_triage_answers(session, officer, triage, hr_check)
    plans.complete_triage(session, officer, triage, app.extensions["ripa_guard.offences"])
    activity = non_ripa.record_activity(
        session,
        officer,
        triage,
        title="Sickness absence – depot employee",
        purpose="A disciplinary investigation: an employee on sick leave is reported to be working "
        "for a removals firm. Not a criminal investigation, so outside RIPA.",
        subjects="The employee (invented): the removals firm's public Facebook page, "
        "https://www.facebook.com/hollerton.removals.example",
        activity="View the firm's public page once a week for four weeks; capture posts showing the "
        "employee at work.",
        necessity="The allegation, if true, is gross misconduct; the page is the only evidence of work.",
        proportionality="Business page only, once a week, for four weeks; no contact with anyone.",
        collateral_intrusion="Other staff of the firm appear in posts: their images are not kept.",
        alternatives="An interview first was considered: it would let evidence be removed.",
        prefix=app.config["NON_RIPA_PREFIX"],
    )
    non_ripa.decide_activity(
        session,
        people["arthur.ash"],
        activity,
        approved=True,
        reasons="Necessary for the disciplinary case and proportionate: one business page, weekly.",
        review_interval_days=14,
        version=activity.version,
        today=today,
    )
    sro = people["sally.stone"]
    oversight.record_policy_review(
        session,
        sro,
        today - timedelta(days=200),
        "Audit and Governance Committee",
        True,
        "Policy re-adopted; members asked for a section on social media research.",
        today,
    )
    recommendation = oversight.record_recommendation(
        session,
        sro,
        today - timedelta(days=400),
        "A. Inspector (invented)",
        "R1",
        "Record every covert online research profile the council uses, and who may use it.",
        today,
    )
    oversight.record_action(
        session,
        sro,
        recommendation,
        "Register of research profiles set up in ripa_guard; officers' personal accounts banned.",
        ActionProgress.COMPLETE,
        today,
    )
    oversight.record_recommendation(
        session,
        sro,
        today - timedelta(days=400),
        "A. Inspector (invented)",
        "O1",
        "Good practice: the Trading Standards team's triage notes were clear and well kept.",
        today,
        FindingCategory.OBSERVATION,
    )
