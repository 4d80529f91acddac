"""One identity per profile, whatever address it was reached by. Pure.

The same profile has many addresses: mobile and desktop hosts, old and new domain names of a
platform, tracking parameters, trailing slashes, upper case, percent-encoding, and pages inside
it (a post, the photos, the "about" page). ``identify`` reduces an address to the identity of the
profile it belongs to, per platform, so that repeated viewing cannot slip through the viewing log
under a variant address (Covert Surveillance Code of Practice 2018, paras 3.10 to 3.17: repeated
viewing of a person's profile is what turns research into directed surveillance).

The rules, platform by platform, are in ``_PARSERS``. In general:

- scheme, port, user name, "www.", "m.", "mobile." and the like, the query string (tracking
  parameters such as utm_*, fbclid, igshid, si, ref) and the fragment do not matter, except where
  a platform keeps the profile in them (facebook.com/profile.php?id=..., the old twitter.com/#!/
  addresses);
- upper and lower case never matter, and percent-encoded characters are read as what they encode;
- a page inside a profile (a post, a photo, a video on a channel) is the profile;
- twitter.com and x.com are one platform, as are threads.net and threads.com;
- Facebook ignores full stops and capitals in usernames ("Periods and capitalisation can't be used
  to differentiate usernames. For example, johnsmith55, John.Smith55 and john.smith.55 are all
  considered the same username": Facebook Help Centre, guidelines for custom usernames), so they
  are removed;
- unknown sites are identified by their host (lower case, without "www.") and path (without a
  trailing slash); their query string is dropped.

Where an address cannot be tied to its profile by reading it, the identity is the page itself
(a Facebook video, an eBay listing). Short links (bit.ly, vm.tiktok.com, facebook.com/share/...)
hide the profile they lead to and may differ on every share, so they are refused: the officer is
asked for the address the link opens.

Case is folded everywhere, including in the few places a platform is case-sensitive (YouTube
channel and video ids, Instagram post codes). Two different pages could then share an identity
only if their ids differed in case alone; the effect would be a viewing stopped as a repeat, the
safe side for a guardrail.

A numeric account id and a handle of the same account cannot be tied by reading the addresses:
the viewing log ties them when the council records both for the same subject (see
viewing_rules.tied_identities).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit


class BadAddress(ValueError):
    """An address that names no profile ripa_guard can identify; the message says why."""


#: Platform slug -> the name an officer would use.
PLATFORM_NAMES = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X (Twitter)",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "ebay": "eBay",
    "gumtree": "Gumtree",
    "vinted": "Vinted",
    "etsy": "Etsy",
    "threads": "Threads",
    "reddit": "Reddit",
    "snapchat": "Snapchat",
    "telegram": "Telegram",
    "nextdoor": "Nextdoor",
    "pinterest": "Pinterest",
}

_EBAY_TLDS = ("com", "co.uk", "ie", "de", "fr", "it", "es", "nl", "be", "at", "ch", "pl")
_EBAY_TLDS += ("com.au", "ca", "com.hk", "com.sg", "com.my", "ph", "in")
_VINTED_TLDS = ("com", "co.uk", "ie", "fr", "de", "es", "it", "nl", "be", "pl", "at", "lt", "cz")
_VINTED_TLDS += ("lu", "pt", "sk", "se", "fi", "dk", "ro", "hu", "hr", "gr")

#: Registrable domain -> platform. A host is on a platform when it is the domain or one of its
#: subdomains (m.facebook.com, uk.linkedin.com, old.reddit.com), never when it only ends in
#: the same letters (notfacebook.com).
DOMAINS: dict[str, str] = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "twitter.com": "x",
    "x.com": "x",
    "fxtwitter.com": "x",
    "vxtwitter.com": "x",
    "fixupx.com": "x",
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "linkedin.com": "linkedin",
    "gumtree.com": "gumtree",
    "etsy.com": "etsy",
    "threads.net": "threads",
    "threads.com": "threads",
    "reddit.com": "reddit",
    "redd.it": "reddit",
    "snapchat.com": "snapchat",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "nextdoor.co.uk": "nextdoor",
    "nextdoor.com": "nextdoor",
    "pinterest.com": "pinterest",
    "pinterest.co.uk": "pinterest",
    **{f"ebay.{tld}": "ebay" for tld in _EBAY_TLDS},
    **{f"vinted.{tld}": "vinted" for tld in _VINTED_TLDS},
}


def platform_hosts() -> dict[str, list[str]]:
    """Platform slug -> the registrable domains that are that platform (each with its
    subdomains): the one list a tool in front of the browser blocks from."""
    hosts: dict[str, list[str]] = {slug: [] for slug in PLATFORM_NAMES}
    for domain, platform in DOMAINS.items():
        hosts[platform].append(domain)
    return hosts


#: Hosts whose links hide where they lead, and may differ on every share.
SHORT_LINK_HOSTS = frozenset(
    {
        "bit.ly",
        "t.co",
        "tinyurl.com",
        "goo.gl",
        "ow.ly",
        "buff.ly",
        "is.gd",
        "tiny.cc",
        "cutt.ly",
        "rebrand.ly",
        "shorturl.at",
        "lnkd.in",
        "vm.tiktok.com",
        "vt.tiktok.com",
        "ebay.us",
        "pin.it",
        "amzn.to",
        "snip.ly",
        "l.facebook.com",
        "lm.facebook.com",
        "l.instagram.com",
    }
)

#: Host prefixes that mean nothing for identity on a known platform.
_NOISE_PREFIXES = ("www.", "m.", "mobile.", "web.", "touch.", "mbasic.", "business.")

HOME_PAGE = "This is {}'s home page. Enter the address of the profile or page you will view"
SHORT_LINK = (
    "This is a short link, which hides the profile it leads to. Open it, then enter the address "
    "of the profile or page it opens"
)


@dataclass(frozen=True)
class ProfileIdentity:
    """A profile (or page) as one platform knows it, whatever address it was reached by."""

    #: A slug from PLATFORM_NAMES, or for an unknown site its host, e.g. "shop.example.net".
    platform: str
    #: The handle ("bargainbags"), "id:123" for a numeric account id, or "kind:value" for a
    #: page that cannot be tied to a profile ("item:123"); for an unknown site, its path.
    key: str

    @property
    def known_platform(self) -> bool:
        return self.platform in PLATFORM_NAMES

    @property
    def names_a_profile(self) -> bool:
        """A profile, or a listing, post or group of one: see names_a_profile() below."""
        return self.known_platform and not self.key.startswith("page:")

    @property
    def text(self) -> str:
        """The identity as stored and compared: "facebook:bargainbags"."""
        return f"{self.platform}:{self.key}"

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

    @property
    def label(self) -> str:
        """How a page names it: "Facebook: bargainbags", "Facebook account number 123"."""
        if not self.known_platform:
            return f"{self.platform}{self.key if self.key != '/' else ''}"
        kind, _, value = self.key.partition(":")
        if value and kind in _KINDS:
            return f"{self.platform_name} {_KINDS[kind]} {value}"
        return f"{self.platform_name}: {self.key}"


#: The kinds of key that are not a handle, as a page names them.
_KINDS = {
    "id": "account number",
    "page": "page",
    "item": "listing",
    "listing": "listing",
    "ad": "advert",
    "shop": "shop",
    "post": "post",
    "status": "post",
    "video": "video",
    "playlist": "playlist",
    "group": "group",
    "company": "company page",
    "school": "school page",
    "showcase": "showcase page",
    "pub": "public profile",
    "pin": "pin",
}


def platform_name_of_identity(identity_text: str) -> str:
    """The platform's name from a stored identity ("facebook:x" -> "Facebook")."""
    platform = identity_text.split(":", 1)[0]
    return PLATFORM_NAMES.get(platform, platform)


def label_of_identity(identity_text: str) -> str:
    platform, _, key = identity_text.partition(":")
    return ProfileIdentity(platform, key).label


# Reading an address -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Address:
    host: str  # lower case, IDNA, without a trailing dot or port
    segments: tuple[str, ...]  # decoded, case-folded, empty ones dropped
    query: dict[str, str]  # first value of each parameter, names lower case, values decoded
    fragment: str


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _split(url: str) -> _Address:
    text = (url or "").strip()
    if not text:
        raise BadAddress("Enter the web address of the profile or page")
    if len(text) > 2000:
        raise BadAddress("The web address must be 2,000 characters or fewer")
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError as exc:  # e.g. an unclosed "[" read as a broken IPv6 address
        raise BadAddress("Enter a web address like https://www.facebook.com/name") from exc
    if parts.scheme.lower() not in ("http", "https") or "." not in host.strip("."):
        raise BadAddress("Enter a web address like https://www.facebook.com/name")
    host = host.rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # keep it as typed: it still compares equal to itself
    path = unquote(parts.path)
    segments = tuple(_fold(s) for s in path.split("/") if s.strip())
    query = {}
    for name, values in parse_qs(parts.query, keep_blank_values=False).items():
        query.setdefault(name.lower(), values[0].strip())
    return _Address(host, segments, query, unquote(parts.fragment))


def _platform_of_host(host: str) -> tuple[str | None, str]:
    """(platform slug or None, the host without noise prefixes on a known platform)."""
    for domain, platform in DOMAINS.items():
        if host == domain or host.endswith("." + domain):
            return platform, domain
    return None, host


def platform_name_of_host(host: str) -> str | None:
    """The name of the platform a host belongs to, or None for a site we do not know."""
    platform, _domain = _platform_of_host(host.lower().rstrip("."))
    return PLATFORM_NAMES[platform] if platform else None


def identify(url: str) -> ProfileIdentity:
    """The identity of the profile (or page) an address leads to; BadAddress if it is none."""
    address = _split(url)
    if address.host in SHORT_LINK_HOSTS:
        raise BadAddress(SHORT_LINK)
    platform, domain = _platform_of_host(address.host)
    if platform is None:
        return _unknown_site(address)
    key = _PARSERS[platform](address, domain)
    if key is None and not address.segments:
        raise BadAddress(HOME_PAGE.format(PLATFORM_NAMES[platform]))
    return ProfileIdentity(platform, key or _page(address))


def names_a_profile(url: str) -> bool:
    """Whether an address leads to something the viewing log ties to someone: a profile, or a
    listing, post or group of one. A listed platform's home page, its sign-in, search and explore
    pages, and any other page known only by its path, do not: opening them to sign in to a
    research profile, or a simple search to see whether a person has an online presence at all,
    is unlikely to need an authorisation (Covert Surveillance and Property Interference Revised
    Code of Practice (2018), paras 3.10 to 3.17, as DOMAIN.md §5 gives them). The gate in the
    browser lets such pages open unlogged, and the reconciliation of proxy logs counts them as
    platform pages, not looks: one rule for both."""
    identity = identify_or_none(url)
    return identity is not None and identity.names_a_profile


def identify_or_none(url: str) -> ProfileIdentity | None:
    try:
        return identify(url)
    except BadAddress:
        return None


def _unknown_site(address: _Address) -> ProfileIdentity:
    host = address.host[4:] if address.host.startswith("www.") else address.host
    return ProfileIdentity(host, "/" + "/".join(address.segments))


def _page(address: _Address) -> str:
    """A page on a known platform that could not be tied to a profile: its path."""
    return "page:/" + "/".join(address.segments)


_DIGITS = re.compile(r"^\d+$")


def _handle(segment: str) -> str:
    return segment.removeprefix("@").strip()


def _id(value: str) -> str | None:
    value = (value or "").strip()
    return f"id:{value}" if _DIGITS.match(value) else None


def _last_number(segments: tuple[str, ...]) -> str | None:
    for segment in reversed(segments):
        if _DIGITS.match(segment):
            return segment
    return None


# Platform by platform ---------------------------------------------------------------------------

_FACEBOOK_ROUTES = frozenset(
    {
        "watch",
        "events",
        "photo.php",
        "photo",
        "photos",
        "video.php",
        "reel",
        "reels",
        "stories",
        "notes",
        "media",
        "login",
        "login.php",
        "home.php",
        "search",
        "hashtag",
        "help",
        "policies",
        "privacy",
        "settings",
        "messages",
        "friends",
        "gaming",
        "live",
        "plugins",
        "dialog",
        "ads",
        "sharer",
        "sharer.php",
        "l.php",
        "business",
        # The site's own machinery, which a proxy log shows beside every page: never a person.
        "api",
        "ajax",
        "tr",
        "security",
        "rsrc.php",
        "favicon.ico",
        "robots.txt",
    }
)
# Old Facebook page addresses end in the page's number: /Bargain-Bags-123456789012345.
_FACEBOOK_OLD_PAGE = re.compile(r"^.+-(\d{6,})$")


def _facebook_handle(segment: str) -> str:
    # Facebook Help Centre: full stops and capitals do not differentiate usernames.
    return _handle(segment).replace(".", "")


def _facebook(a: _Address, domain: str) -> str | None:
    s = a.segments
    if not s:
        return None
    first = s[0]
    if first in ("share", "l.php"):
        raise BadAddress(SHORT_LINK)  # share links differ per share; l.php leaves Facebook
    if first == "profile.php":
        return _id(a.query.get("id", ""))
    if first in ("story.php", "permalink.php"):
        return _id(a.query.get("id", ""))
    if first in ("people", "pages") and len(s) >= 2:
        return _id(_last_number(s[1:]) or "")
    if first == "pg" and len(s) >= 2:
        return _facebook_handle(s[1])
    if first == "groups" and len(s) >= 2:
        if len(s) >= 4 and s[2] == "user":
            return _id(s[3])
        return f"group:{_facebook_handle(s[1])}"
    if first == "marketplace":
        if len(s) >= 3 and s[1] == "profile":
            return _id(s[2])
        if len(s) >= 3 and s[1] == "item":
            return f"item:{s[2]}"
        return None
    if first in _FACEBOOK_ROUTES:
        return None
    if _DIGITS.match(first):
        return f"id:{first}"
    old_page = _FACEBOOK_OLD_PAGE.match(first)
    if old_page and "." not in first:
        return f"id:{old_page.group(1)}"
    return _facebook_handle(first)


_X_ROUTES = frozenset(
    {
        "home",
        "explore",
        "search",
        "hashtag",
        "notifications",
        "messages",
        "settings",
        "compose",
        "login",
        "logout",
        "signup",
        "tos",
        "privacy",
        "share",
        "download",
        "account",
    }
)


def _x(a: _Address, domain: str) -> str | None:
    s = a.segments
    if not s and a.fragment.startswith("!/"):
        # The old twitter.com/#!/handle addresses kept the path in the fragment.
        s = tuple(_fold(p) for p in a.fragment[2:].split("/") if p)
    if not s:
        return None
    first = s[0]
    if first == "i":
        if len(s) >= 3 and s[1] == "user":
            return _id(s[2])
        if len(s) >= 4 and s[1] == "web" and s[2] == "status":
            return f"status:{s[3]}"
        return None
    if first == "intent":
        if a.query.get("user_id"):
            return _id(a.query["user_id"])
        if a.query.get("screen_name"):
            return _handle(_fold(a.query["screen_name"]))
        return None
    if first in _X_ROUTES:
        return None
    return _handle(first)


_INSTAGRAM_POSTS = frozenset({"p", "reel", "reels", "tv"})
_INSTAGRAM_ROUTES = frozenset(
    {
        "explore",
        "accounts",
        "direct",
        "web",
        "about",
        "legal",
        "developer",
        "challenge",
        # The site's own machinery, which a proxy log shows beside every page.
        "api",
        "graphql",
        "ajax",
        "static",
        "favicon.ico",
        "robots.txt",
    }
)


def _instagram(a: _Address, domain: str) -> str | None:
    s = a.segments
    if not s:
        return None
    first = s[0]
    if first in _INSTAGRAM_POSTS:
        return f"post:{s[1]}" if len(s) >= 2 else None
    if first in ("stories", "_u") and len(s) >= 2:
        return _handle(s[1])
    if first in _INSTAGRAM_ROUTES:
        return None
    return _handle(first)


def _tiktok(a: _Address, domain: str) -> str | None:
    s = a.segments
    if not s:
        return None
    first = s[0]
    if first == "t":
        raise BadAddress(SHORT_LINK)
    if first.startswith("@"):
        return _handle(first)
    if first == "share" and len(s) >= 3 and s[1] == "user":
        return _id(s[2])
    return None


_YOUTUBE_ROUTES = frozenset(
    {
        "results",
        "feed",
        "premium",
        "account",
        "about",
        "t",
        "howyoutubeworks",
        "redirect",
        "signin",
        "logout",
        "hashtag",
        "gaming",
        "kids",
        "music",
        "playlist",
        "watch",
        "shorts",
        "live",
        "embed",
        "v",
        "post",
        "channel",
        "c",
        "user",
    }
)


def _youtube(a: _Address, domain: str) -> str | None:
    s = a.segments
    if domain == "youtu.be":
        return f"video:{s[0]}" if s else None
    if not s:
        return None
    first = s[0]
    if first.startswith("@"):
        return _handle(first)
    if first in ("c", "user") and len(s) >= 2:
        # A legacy username or custom address; YouTube kept them as handles where it could, so
        # they are read as the same name. A wrong match can only stop a viewing, never allow one.
        return _handle(s[1])
    if first == "channel" and len(s) >= 2:
        return f"id:{s[1]}"
    if first == "watch" and a.query.get("v"):
        return f"video:{_fold(a.query['v'])}"
    if first in ("shorts", "live", "embed", "v") and len(s) >= 2:
        return f"video:{s[1]}"
    if first == "playlist" and a.query.get("list"):
        return f"playlist:{_fold(a.query['list'])}"
    if first in _YOUTUBE_ROUTES:
        return None
    return _handle(first)  # youtube.com/name: a legacy custom address


def _linkedin(a: _Address, domain: str) -> str | None:
    s = a.segments
    if len(s) < 2:
        return None
    first = s[0]
    if first == "in":
        return _handle(s[1])
    if first in ("company", "school", "showcase"):
        return f"{first}:{s[1]}"
    if first == "pub":
        return "pub:" + "/".join(s[1:])
    if first == "posts" and "_" in s[1]:
        # /posts/{author}_{words}-activity-{number}: the author is the profile.
        return _handle(s[1].split("_", 1)[0])
    return None


def _ebay(a: _Address, domain: str) -> str | None:
    s = a.segments
    if a.query.get("_ssn"):
        return _handle(_fold(a.query["_ssn"]))  # a seller's items: /sch/i.html?_ssn=seller
    if not s:
        return None
    first = s[0]
    if first == "usr" and len(s) >= 2:
        return _handle(s[1])
    if first == "str" and len(s) >= 2:
        return f"shop:{s[1]}"
    if first == "fdbk" and len(s) >= 3 and s[1] == "feedback_profile":
        return _handle(s[2])
    if first == "itm":
        number = _last_number(s[1:])
        return f"item:{number}" if number else None
    return None


def _gumtree(a: _Address, domain: str) -> str | None:
    s = a.segments
    if s and s[0] == "p":
        number = _last_number(s[1:])
        return f"ad:{number}" if number else None
    return None


_VINTED_NUMBERED = re.compile(r"^(\d+)(?:-.*)?$")


def _vinted(a: _Address, domain: str) -> str | None:
    s = a.segments
    if len(s) >= 2 and s[0] in ("member", "items"):
        # /member/12345678-username: the number is the account, the name may change.
        numbered = _VINTED_NUMBERED.match(s[-1] if s[0] == "member" else s[1])
        if numbered:
            return f"id:{numbered.group(1)}" if s[0] == "member" else f"item:{numbered.group(1)}"
    return None


_LOCALE = re.compile(r"^[a-z]{2}(-[a-z]{2})?$")


def _etsy(a: _Address, domain: str) -> str | None:
    sub = a.host[: -len(domain) - 1] if a.host != domain else ""
    if sub and sub + "." not in _NOISE_PREFIXES:
        return f"shop:{sub.split('.')[-1]}"  # shopname.etsy.com
    s = a.segments
    if s and _LOCALE.match(s[0]):
        s = s[1:]  # /uk/shop/name, /de/listing/...
    if len(s) >= 2 and s[0] == "shop":
        return f"shop:{s[1]}"
    if len(s) >= 2 and s[0] == "people":
        return _handle(s[1])
    if len(s) >= 2 and s[0] == "listing" and _DIGITS.match(s[1]):
        return f"listing:{s[1]}"
    return None


def _threads(a: _Address, domain: str) -> str | None:
    s = a.segments
    if s and s[0].startswith("@"):
        return _handle(s[0])
    return None


def _reddit(a: _Address, domain: str) -> str | None:
    s = a.segments
    if domain == "redd.it":
        return f"post:{s[0]}" if s else None
    if len(s) < 2:
        return None
    if s[0] in ("user", "u"):
        return _handle(s[1])
    if s[0] == "r":
        if s[1].startswith("u_"):
            return s[1][2:]  # a user's own profile community: /r/u_name
        if len(s) >= 4 and s[2] == "comments":
            return f"post:{s[3]}"
        return f"r/{s[1]}"
    return None


def _snapchat(a: _Address, domain: str) -> str | None:
    s = a.segments
    if len(s) >= 2 and s[0] == "add":
        return _handle(s[1])
    if s and s[0].startswith("@"):
        return _handle(s[0])
    return None


def _telegram(a: _Address, domain: str) -> str | None:
    s = a.segments
    if not s:
        return None
    if s[0] == "s" and len(s) >= 2:
        return _handle(s[1])  # the web preview of a channel: t.me/s/name
    if s[0] in ("joinchat", "addstickers", "share") or s[0].startswith("+"):
        return None
    return _handle(s[0])


def _pinterest(a: _Address, domain: str) -> str | None:
    s = a.segments
    if not s:
        return None
    if s[0] == "pin":
        return f"pin:{s[1]}" if len(s) >= 2 else None
    if s[0] in ("search", "ideas", "today", "business"):
        return None
    return _handle(s[0])


def _path_only(a: _Address, domain: str) -> str | None:
    return None


_PARSERS: dict[str, Callable[[_Address, str], str | None]] = {
    "facebook": _facebook,
    "x": _x,
    "instagram": _instagram,
    "tiktok": _tiktok,
    "youtube": _youtube,
    "linkedin": _linkedin,
    "ebay": _ebay,
    "gumtree": _gumtree,
    "vinted": _vinted,
    "etsy": _etsy,
    "threads": _threads,
    "reddit": _reddit,
    "snapchat": _snapchat,
    "telegram": _telegram,
    "nextdoor": _path_only,
    "pinterest": _pinterest,
}


def profile_identities(profiles: list[dict] | None) -> list[str]:
    """The distinct identities of a subject's profiles; an address that cannot be read covers
    nothing (profile_identity.identify)."""
    found: dict[str, None] = {}
    for profile in profiles or []:
        try:
            found[identify(profile.get("url", "")).text] = None
        except BadAddress:
            continue
    return list(found)
