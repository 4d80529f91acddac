"""Web addresses of the profiles and pages an application names. Pure."""

from __future__ import annotations

from urllib.parse import urlsplit

from ripa_guard.law.profile_identity import BadAddress, identify, platform_name_of_host


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def platform_of(url: str) -> str:
    """The platform's name (one table: profile_identity.PLATFORM_NAMES), or the site's host for
    a site we do not know."""
    host = host_of(url)
    return platform_name_of_host(host) or host


def parse_addresses(text: str) -> list[dict[str, str]]:
    """One profile per line, each {"platform", "url"}; BadAddress names the first bad line."""
    profiles = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        url = line.strip()
        if not url:
            continue
        if "://" not in url:
            url = "https://" + url
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:  # e.g. an unclosed "[" is read as a broken IPv6 address
            host, parts = "", None
        if parts is None or parts.scheme not in ("http", "https") or "." not in host:
            raise BadAddress(
                f"Line {number} is not a web address: enter it like https://www.facebook.com/name"
            )
        if len(url) > 2000:
            raise BadAddress(f"Line {number} is longer than 2,000 characters")
        _check_identity(url, number)
        profiles.append({"platform": platform_of(url), "url": url})
    if not profiles:
        raise BadAddress("Enter at least one web address")
    return profiles


def _check_identity(url: str, number: int) -> None:
    """A short link or a platform's home page names no profile, so the viewing log could never
    match a viewing to it: refuse it here, with its line."""
    try:
        identify(url)
    except BadAddress as bad:
        raise BadAddress(f"Line {number}: {bad}") from bad
