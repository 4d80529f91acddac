"""Web addresses of the profiles an application names."""

import pytest

from ripa_guard.law.profiles import BadAddress, parse_addresses, platform_of


@pytest.mark.parametrize(
    "url, platform",
    [
        ("https://www.facebook.com/bargainbags.example", "Facebook"),
        ("https://m.facebook.com/bargainbags.example", "Facebook"),
        ("https://twitter.com/example", "X (Twitter)"),
        ("https://x.com/example", "X (Twitter)"),
        ("https://www.ebay.co.uk/usr/example", "eBay"),
        ("https://shop.example.net/page", "shop.example.net"),
    ],
)
def test_platform_is_named_from_the_address(url, platform):
    assert platform_of(url) == platform


def test_addresses_without_a_scheme_are_read_as_https():
    assert parse_addresses("instagram.com/example\n\n") == [
        {"platform": "Instagram", "url": "https://instagram.com/example"}
    ]


@pytest.mark.parametrize(
    "text", ["[", "not an address", "ftp://files.example.com/x", "", "http://localhost"]
)
def test_what_is_not_a_web_address_is_refused_with_its_line(text):
    with pytest.raises(BadAddress):
        parse_addresses(text)


def test_the_bad_line_is_named():
    with pytest.raises(BadAddress, match="Line 2"):
        parse_addresses("https://www.facebook.com/ok\nnonsense")
