"""The demo's applications, each a story of its own: what happened, the offence that fits it, who
it is about, and when each step was taken (in days before the demo's today).

Every name, business, place and web address is invented (Borsetshire is fictional). Offences are
codes in registers/offences.csv; each was chosen for what the story says was done, so a council
looking at the demo sees the offence an investigator would name (a counterfeit-goods case under
the Trade Marks Act 1994 s.92, not the Fraud Act).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ripa_guard.law.decision_rules import Statements


@dataclass(frozen=True)
class Story:
    """One application's life. ``events`` are (step, days ago), oldest first: submit, approve,
    refuse, return, court, court_refused, review, renew, renew_decide, renew_court, cancel."""

    officer: str
    title: str
    case_reference: str
    #: (offence code, the facts for its elements)
    offences: list[tuple[str, str]]
    summary: str
    activity: str
    intended_outcome: str
    necessity: str
    balance: str
    collateral: str
    #: (name, description, [{"platform", "url"}])
    subject: tuple[str, str, list[dict[str, str]]]
    what_authorised: str
    #: The authorising officer's own words on why it is necessary (not the applicant's).
    ao_necessity: str
    events: list[tuple[str, int]]
    frequency: str = "Once a week"
    duration: str = "Eight weeks"
    refusal: str = "Say which profiles will be viewed, and how often."
    cancel_reason: str = ""
    obtained: str = ""
    triage_changes: dict[str, str] = field(default_factory=dict)

    @property
    def submitted_days_ago(self) -> int:
        return self.events[0][1]


def _profile(platform: str, url: str) -> dict[str, str]:
    return {"platform": platform, "url": url}


STORIES = [
    Story(
        officer="olive.oakes",
        title="Fake perfume – Borchester market stall",
        case_reference="TS/2026/0520",
        offences=[
            (
                "TMA94-92",
                "Perfume in boxes bearing registered trade marks sold at the stall and online "
                "without the owners' consent; the brand holder's examiner confirmed two bottles "
                "are counterfeit.",
            )
        ],
        summary="A market inspector seized two bottles of 'designer' perfume from a Saturday "
        "stall; the brand holder says they are fakes, and the stall advertises online.",
        activity="View the stall's online shop weekly to record the brands and quantities offered.",
        intended_outcome="The range and volume of counterfeit perfume sold, and who supplies it.",
        necessity="Stock changes weekly and is sold mostly online; the stall shows a fraction.",
        balance="Fake perfume can harm skin and undercuts honest traders on the market.",
        collateral="Buyers' reviews with their usernames appear under the listings.",
        subject=(
            "Perfume Palace (trading name)",
            "Saturday stallholder at Borchester market, selling online under the same name",
            [_profile("Vinted", "https://www.vinted.co.uk/member/48151623-perfumepalace")],
        ),
        what_authorised="Weekly viewing of the Perfume Palace online shop for eight weeks.",
        ao_necessity="The stall shows only a few bottles on a Saturday; the online shop is "
        "where the volume is, and the offence cannot be proved at scale without it.",
        events=[("submit", 3), ("approve", 2)],
    ),
    Story(
        officer="felix.fenwick",
        title="Blue Badge resale ring – badges sold online",
        frequency="Twice a week",
        duration="Eight weeks",
        case_reference="CF/2026/0107",
        offences=[
            (
                "FRAUD-7",
                "Blue Badges reported lost by their holders are offered for sale to people "
                "who are not entitled to them, to be displayed in fraud of the scheme.",
            )
        ],
        summary="Four badges reported lost in Borchester were later found on cars of people "
        "not entitled to them; each driver said they bought the badge from an online page.",
        activity="View the page selling the badges twice a week and note each badge offered.",
        intended_outcome="Who supplies the badges and how many are in circulation.",
        necessity="The sales are arranged only through the page; no seller is known by name.",
        balance="Misused badges take parking from disabled people who need it.",
        collateral="Buyers comment under the posts with their own names.",
        subject=(
            "Badge Deals Borsetshire (page name)",
            "Page offering Blue Badges for sale; the person running it is not yet known",
            [_profile("Facebook", "https://www.facebook.com/badgedeals.borsetshire.example")],
        ),
        what_authorised="Viewing of the Badge Deals page twice a week, to identify who "
        "supplies the badges.",
        ao_necessity="The drivers could only point to the page; nobody knows who runs it, "
        "so watching what it offers is the one way to find the supplier.",
        events=[("submit", 20), ("approve", 19), ("court", 17)],
    ),
    Story(
        officer="ed.elm",
        title="Fly-tipping – 'man with a van' adverts",
        frequency="Once a week",
        duration="Twelve weeks",
        case_reference="EH/2026/0033",
        offences=[
            (
                "EPA-33",
                "Household waste collected for cash by a trader advertising online was found "
                "dumped on Lakey Hill lane with addresses of the trader's customers in it.",
            )
        ],
        summary="Three loads of household waste dumped on Lakey Hill contained letters from "
        "people who had paid a 'man with a van' found through an online advert.",
        activity="View the trader's adverts weekly and record the areas and dates he offers.",
        intended_outcome="Link the trader's collections to the dumped loads and identify him.",
        necessity="The trader gives only a mobile number and an advert; no yard or address.",
        balance="Repeated dumping on a country lane, costly to clear and a danger to drivers.",
        collateral="Customers who reply to the adverts are named in the comments.",
        subject=(
            "Man with a van (advertiser)",
            "Unnamed trader advertising house clearances around Borchester",
            [_profile("Facebook", "https://www.facebook.com/clearances.borchester.example")],
        ),
        what_authorised="Weekly viewing of the trader's clearance adverts for twelve weeks.",
        ao_necessity="The adverts are the only trace of the trader between dumpings; without "
        "seeing when and where he collects, the loads cannot be linked to him.",
        events=[("submit", 60), ("approve", 59), ("court", 57), ("review", 29)],
    ),
    Story(
        officer="lena.lark",
        title="Illegal money lending – Hollerton estate",
        frequency="Twice a week",
        duration="Three months",
        case_reference="LIC/2026/0019",
        offences=[
            (
                "FSMA-23",
                "Loans at high interest are offered to residents by a person with no consumer "
                "credit authorisation, with repayment demands sent by message.",
            )
        ],
        summary="Two residents of the Hollerton estate told the housing officer they owe money "
        "to a lender who advertises on a local page and threatens to 'tell everyone'.",
        activity="View the lender's page twice a week and record the loans offered.",
        intended_outcome="The lender's identity and the scale of lending on the estate.",
        necessity="Borrowers are too frightened to make statements; the page is public.",
        balance="Unlicensed lending preys on people in debt and often comes with threats.",
        collateral="Borrowers are sometimes named in the lender's posts.",
        subject=(
            "Quick Cash Hollerton (page name)",
            "Person offering cash loans on the Hollerton estate",
            [_profile("Facebook", "https://www.facebook.com/quickcash.hollerton.example")],
        ),
        what_authorised="Viewing of the Quick Cash page twice a week.",
        ao_necessity="The borrowers will not give statements for fear of the lender, so the "
        "lending can only be shown from what the lender posts.",
        events=[
            ("submit", 84),
            ("approve", 83),
            ("court", 82),
            ("review", 54),
            ("review", 26),
            ("renew", 6),
            ("renew_decide", 5),
            ("renew_court", 3),
        ],
    ),
    Story(
        officer="ed.elm",
        title="Doorstep crime – roofing cold-callers",
        frequency="Once a week",
        duration="Three months",
        case_reference="EH/2026/0041",
        offences=[
            (
                "DMCCA-237",
                "Elderly householders were told their roofs were unsafe, pressed to agree work "
                "the same day and charged for work not done: aggressive and misleading practices.",
            ),
            (
                "FRAUD-1",
                "The callers said repairs were urgent, knowing they were not, to be paid for "
                "them: a false representation made dishonestly for gain.",
            ),
        ],
        summary="Five elderly householders in Borchester paid cold-callers for roof repairs "
        "that were not needed or not done; the firm advertises online under changing names.",
        activity="View the firm's advertising pages weekly and record each new trading name.",
        intended_outcome="Tie the trading names to the same people and find where they work next.",
        necessity="The firm changes its name and number after each complaint.",
        balance="Victims are elderly and have lost several thousand pounds each.",
        collateral="Customers' reviews, some perhaps written by the firm, appear on the pages.",
        subject=(
            "Borchester Roofing Services (trading name)",
            "Roofing firm trading under several names, cold-calling in Borchester",
            [_profile("Facebook", "https://www.facebook.com/borchester.roofing.example")],
        ),
        what_authorised="Weekly viewing of the firm's advertising pages and reviews.",
        ao_necessity="Each victim knew the firm by a different name; only its own adverts "
        "show the names belong to one business, and where it plans to work next.",
        events=[("submit", 70), ("approve", 69), ("court", 67), ("review", 39), ("renew", 2)],
    ),
    Story(
        officer="olive.oakes",
        title="Counterfeit tobacco – Felpersham",
        frequency="Once a week",
        duration="Three months",
        case_reference="TS/2026/0301",
        offences=[
            (
                "TMA94-92",
                "Cigarettes and hand-rolling tobacco in packs bearing registered trade marks "
                "sold without the owners' consent; a test purchase was confirmed counterfeit.",
            )
        ],
        summary="A test purchase of cigarettes from a private seller in Felpersham was "
        "confirmed counterfeit; the seller takes orders through an online page.",
        activity="View the seller's page weekly and record the brands and prices offered.",
        intended_outcome="The scale of sales and the address the stock is delivered from.",
        necessity="Orders are taken only online and delivered by hand; there is no shop.",
        balance="Counterfeit tobacco is sold to children and undercuts lawful retailers.",
        collateral="Buyers comment on the posts to arrange delivery.",
        subject=(
            "Cheap Smokes Felpersham (page name)",
            "Seller of cigarettes and tobacco delivering in Felpersham",
            [_profile("Facebook", "https://www.facebook.com/cheapsmokes.felpersham.example")],
        ),
        what_authorised="Weekly viewing of the Cheap Smokes page for three months.",
        ao_necessity="One test purchase shows one sale; the page is the only place the "
        "volume and the delivery arrangements can be seen.",
        events=[("submit", 100), ("approve", 99), ("court", 97), ("review", 69)],
    ),
    Story(
        officer="felix.fenwick",
        title="Tenancy fraud – dishonest sub-letting, Flat 9 Beech Road",
        frequency="Once a week",
        duration="Four weeks",
        case_reference="CF/2026/0064",
        offences=[
            (
                "PSHFA-1-2",
                "The secure tenant of Flat 9 Beech Road lives elsewhere and lets the whole flat "
                "to another person for rent, dishonestly and in breach of the tenancy.",
            )
        ],
        summary="Neighbours report the tenant of Flat 9 moved to Felpersham a year ago and a "
        "stranger lives in the flat; the tenant posts photos of a new home.",
        activity="View the tenant's public posts weekly for four weeks.",
        intended_outcome="Where the tenant lives, and who occupies the flat.",
        necessity="Visits to the flat find nobody in; the tenant does not answer letters.",
        balance="A council home is denied to a family on the waiting list.",
        collateral="Family and friends appear in the tenant's photographs.",
        subject=(
            "The tenant of Flat 9 Beech Road (invented)",
            "Secure tenant of the council flat, believed to live in Felpersham",
            [_profile("Instagram", "https://www.instagram.com/beechroad.tenant.example")],
        ),
        what_authorised="Weekly viewing of the tenant's public posts for four weeks.",
        ao_necessity="The tenant avoids every visit and letter; the posts are the only "
        "evidence of where the tenant actually lives.",
        events=[("submit", 50), ("approve", 49), ("court", 47), ("cancel", 3)],
        cancel_reason="The tenant has been interviewed under caution and admits the sub-letting.",
        obtained="Photographs the tenant posted from the Felpersham house over many months.",
    ),
    Story(
        officer="ed.elm",
        title="Waste carrier – house clearances dumped at Loxley Barrett",
        frequency="Every day",
        duration="One month",
        case_reference="EH/2026/0058",
        offences=[
            (
                "EPA-33",
                "Waste from house clearances advertised online was dumped at a field gate in "
                "Loxley Barrett.",
            )
        ],
        summary="A farmer found clearance waste at his gate; a local advert offers cheap "
        "clearances and the advertiser is not on the register of waste carriers.",
        activity="View the advertiser's page daily for a month.",
        intended_outcome="Link the adverts to the dumped waste.",
        necessity="The advertiser cannot otherwise be traced.",
        balance="Dumping spoils farmland and costs the farmer to clear.",
        collateral="People asking for quotes appear under the adverts.",
        subject=(
            "Clear It Cheap (advertiser)",
            "Person advertising house clearances near Loxley Barrett",
            [_profile("Facebook", "https://www.facebook.com/clearitcheap.example")],
        ),
        what_authorised="",
        ao_necessity="",
        events=[("submit", 10), ("refuse", 9)],
        refusal="Not necessary yet: the advert gives a mobile number and a van registration, "
        "so the advertiser can be traced overtly through the DVLA and the Environment Agency.",
    ),
    Story(
        officer="lena.lark",
        title="Knife sales to under-18s – online shop",
        frequency="As needed",
        duration="Until the shop is identified",
        case_reference="LIC/2026/0093",
        offences=[
            (
                "CJA88-141A",
                "A 16-year-old test purchaser bought a lock knife from the shop's site with no "
                "age check at ordering or on delivery.",
            )
        ],
        summary="A test purchase by a 16-year-old volunteer was delivered without any check "
        "of age; the shop promotes its knives on social media.",
        activity="View the shop's social media pages to record the knives promoted to teenagers.",
        intended_outcome="Whether the shop targets young buyers, and who runs it.",
        necessity="The shop's site names no owner or address.",
        balance="Knives sold to children put lives at risk.",
        collateral="Young people's comments appear under the posts.",
        subject=(
            "Blade Bazaar (trading name)",
            "Online shop selling knives, posting to Borsetshire",
            [_profile("TikTok", "https://www.tiktok.com/@bladebazaar.example")],
        ),
        what_authorised="",
        ao_necessity="",
        events=[("submit", 5), ("return", 4)],
        refusal="Say which of the shop's pages will be viewed, how often and for how long.",
    ),
    Story(
        officer="olive.oakes",
        title="Puppy farm adverts – selling pets without a licence",
        case_reference="TS/2026/0388",
        offences=[
            (
                "AWA06-13",
                "Litters of puppies advertised every few weeks from the same address, sold as "
                "a business with no licence from the council.",
            )
        ],
        summary="Buyers of two sick puppies say the seller advertises new litters every few "
        "weeks under different names; the council has issued no licence for the address.",
        activity="View the adverts weekly and record each litter offered.",
        intended_outcome="The number of litters sold, to show a business needing a licence.",
        necessity="The seller meets buyers in car parks and gives no address.",
        balance="Puppies bred and sold without welfare checks suffer and die young.",
        collateral="Buyers' names appear in replies to the adverts.",
        subject=(
            "Puppy seller using several names",
            "Advertiser of puppies for sale around Hollerton",
            [_profile("Facebook", "https://www.facebook.com/hollerton.puppies.example")],
        ),
        what_authorised="Weekly viewing of the puppy adverts for eight weeks.",
        ao_necessity="The seller gives no address and meets buyers away from home; only the "
        "adverts show how many litters are sold.",
        events=[("submit", 12), ("approve", 11), ("court_refused", 9)],
    ),
]


def statements(story: Story) -> Statements:
    """The authorising officer's own statements for an approval (law/decision_rules.py): the
    necessity is written for each story, the rest holds for every demo application."""
    return Statements(
        necessity=story.ao_necessity,
        proportionality_balance=(
            "Short, scheduled visits to pages the subject has made public are limited "
            "intrusion against an offence that meets the crime threshold and harms residents."
        ),
        proportionality_least_intrusive=(
            "Only the pages named in the application are viewed, at set times, from a "
            "registered council research profile; personal posts and friends lists are not opened."
        ),
        proportionality_appropriate=(
            "The council enforces this offence, and covertly viewing public pages is the "
            "reasonable way to gather the evidence once overt routes were ruled out."
        ),
        proportionality_alternatives=(
            "Overt enquiries and letters were tried or considered; they would alert the subject "
            "and lose the evidence, and would not show the pattern of conduct."
        ),
        collateral_intrusion=(
            "Other people's names and comments appear on the pages; they are not recorded, and "
            "any caught in a capture are redacted before the capture is kept."
        ),
    )
