"""One identity per profile, whatever address it was reached by (profile_identity)."""

from __future__ import annotations

import pytest

from ripa_guard.law.profile_identity import (
    BadAddress,
    identify,
    label_of_identity,
    names_a_profile,
)
from ripa_guard.law.profiles import parse_addresses, platform_of

#: Each group: every address of one profile, and the identity they must all give.
SAME_PROFILE = {
    "facebook:bargainbagsexample": [
        "https://www.facebook.com/bargainbags.example",
        "https://facebook.com/bargainbags.example/",
        "http://m.facebook.com/bargainbags.example",
        "https://mobile.facebook.com/bargainbags.example?ref=bookmarks",
        "https://web.facebook.com/BargainBags.Example",
        "https://www.facebook.com/bargainbags.example/?fbclid=IwAR0abcDEF&mibextid=ZbWKwL",
        "https://www.facebook.com/bargainbags.example/photos/a.123/456/?type=3",
        "https://www.facebook.com/bargainbags.example/posts/pfbid0abc#comments",
        "https://en-gb.facebook.com/bargainbags.example",
        "https://fb.com/bargainbags.example",
        "https://fb.me/bargainbags.example",
        "facebook.com/bargainbagsexample",  # Facebook ignores full stops in usernames
        "www.facebook.com/Bargain.Bags.Example",
        "https://www.facebook.com/pg/bargainbags.example/about/",
        "https://www.facebook.com/%62argainbags.example",
        "  https://WWW.FACEBOOK.COM/BARGAINBAGS.EXAMPLE  ",
        "https://www.facebook.com:443/bargainbags.example",
        "https://www.facebook.com//bargainbags.example//",
    ],
    "facebook:id:100012345678901": [
        "https://www.facebook.com/profile.php?id=100012345678901",
        "https://m.facebook.com/profile.php?id=100012345678901&sk=photos",
        "https://www.facebook.com/profile.php?sk=about&id=100012345678901",
        "https://www.facebook.com/people/Bargain-Bags/100012345678901/",
        "https://www.facebook.com/100012345678901",
        "https://www.facebook.com/Bargain-Bags-100012345678901/",
        "https://www.facebook.com/pages/Bargain-Bags/100012345678901",
        "https://www.facebook.com/permalink.php?story_fbid=pfbid02x&id=100012345678901",
        "https://www.facebook.com/marketplace/profile/100012345678901/?ref=share",
        "https://www.facebook.com/groups/borchesterbuysell/user/100012345678901/",
    ],
    "x:bargainbags": [
        "https://twitter.com/BargainBags",
        "https://x.com/bargainbags",
        "https://www.twitter.com/bargainbags/",
        "https://mobile.twitter.com/bargainbags",
        "https://mobile.x.com/BargainBags?lang=en",
        "https://x.com/bargainbags/status/1790000000000000000?s=20&t=abcDEF",
        "https://twitter.com/bargainbags/with_replies",
        "https://twitter.com/#!/BargainBags",
        "https://x.com/@bargainbags",
        "https://twitter.com/intent/user?screen_name=BargainBags",
        "https://fxtwitter.com/bargainbags/status/1",
    ],
    "x:id:783214": [
        "https://twitter.com/i/user/783214",
        "https://x.com/intent/user?user_id=783214",
    ],
    "instagram:bargainbags.example": [
        "https://www.instagram.com/bargainbags.example/",
        "https://instagram.com/BargainBags.Example?igshid=MzRlODBiNWFlZA==",
        "https://www.instagram.com/bargainbags.example/?igsh=abc&utm_source=qr",
        "https://m.instagram.com/bargainbags.example/reels/",
        "https://www.instagram.com/stories/bargainbags.example/3141592653589793/",
        "https://instagr.am/bargainbags.example",
        "https://www.instagram.com/bargainbags.example/tagged/",
    ],
    "tiktok:bargainbags": [
        "https://www.tiktok.com/@bargainbags",
        "https://tiktok.com/@BargainBags?lang=en&is_from_webapp=1",
        "https://m.tiktok.com/@bargainbags/",
        "https://www.tiktok.com/@bargainbags/video/7300000000000000000?_r=1&_t=8abc",
        "https://www.tiktok.com/%40bargainbags",
    ],
    "youtube:bargainbags": [
        "https://www.youtube.com/@BargainBags",
        "https://youtube.com/@bargainbags/videos",
        "https://m.youtube.com/@bargainbags?si=abcdef",
        "https://www.youtube.com/c/BargainBags",
        "https://www.youtube.com/user/bargainbags/featured",
        "https://www.youtube.com/bargainbags",
    ],
    "youtube:id:ucabcdefghijklmnopqrstuv": [
        "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        "https://m.youtube.com/channel/UCabcdefghijklmnopqrstuv/about",
    ],
    "youtube:video:dqw4w9wgxcq": [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&feature=share",
        "https://youtu.be/dQw4w9WgXcQ?si=xyz",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ],
    "linkedin:jane-smith-example": [
        "https://www.linkedin.com/in/jane-smith-example",
        "https://uk.linkedin.com/in/Jane-Smith-Example/",
        "https://www.linkedin.com/in/jane-smith-example/details/experience/",
        "https://www.linkedin.com/in/jane-smith-example?originalSubdomain=uk",
        "https://www.linkedin.com/posts/jane-smith-example_handbags-activity-7123456789-abcd",
    ],
    "linkedin:jörg-example": [
        "https://www.linkedin.com/in/j%C3%B6rg-example/",
        "https://www.linkedin.com/in/jörg-example",
    ],
    "ebay:bargainbags_uk": [
        "https://www.ebay.co.uk/usr/bargainbags_uk",
        "https://ebay.co.uk/usr/BargainBags_UK?_trksid=p2047675",
        "https://m.ebay.co.uk/usr/bargainbags_uk",
        "https://www.ebay.com/usr/bargainbags_uk",
        "https://www.ebay.co.uk/sch/i.html?_ssn=bargainbags_uk&_ipg=200",
        "https://www.ebay.co.uk/fdbk/feedback_profile/bargainbags_uk",
    ],
    "ebay:item:123456789012": [
        "https://www.ebay.co.uk/itm/123456789012",
        "https://www.ebay.co.uk/itm/Designer-Handbag-Brown/123456789012?hash=item1c&var=0",
    ],
    "gumtree:ad:1470000000": [
        "https://www.gumtree.com/p/handbags/designer-bag/1470000000",
        "https://gumtree.com/p/handbags/designer-bag/1470000000?utm_source=share",
    ],
    "vinted:id:12345678": [
        "https://www.vinted.co.uk/member/12345678-bargainbags",
        "https://www.vinted.co.uk/member/12345678",
        "https://www.vinted.fr/member/12345678-bargainbags?referrer=catalog",
    ],
    "etsy:shop:bargainbagsshop": [
        "https://www.etsy.com/shop/BargainBagsShop",
        "https://www.etsy.com/uk/shop/BargainBagsShop?ref=simple-shop-header-name",
        "https://bargainbagsshop.etsy.com",
        "https://bargainbagsshop.etsy.com/",
    ],
    "threads:bargainbags.example": [
        "https://www.threads.net/@bargainbags.example",
        "https://www.threads.com/@BargainBags.Example/post/C1abc",
        "https://threads.net/@bargainbags.example?xmt=abc",
    ],
    "reddit:bargainbags": [
        "https://www.reddit.com/user/BargainBags/",
        "https://old.reddit.com/u/bargainbags",
        "https://reddit.com/user/bargainbags/comments/",
        "https://www.reddit.com/r/u_bargainbags/",
    ],
    "snapchat:bargainbags": [
        "https://www.snapchat.com/add/bargainbags",
        "https://snapchat.com/add/BargainBags?share_id=abc",
    ],
    "telegram:bargainbags": [
        "https://t.me/bargainbags",
        "https://t.me/s/BargainBags",
        "https://telegram.me/bargainbags",
    ],
    "shop.example.net:/sellers/bargain-bags": [
        "https://shop.example.net/sellers/bargain-bags",
        "http://www.shop.example.net/sellers/bargain-bags/",
        "https://SHOP.EXAMPLE.NET/Sellers/Bargain-Bags?utm_source=x&page=2#reviews",
        "shop.example.net/sellers/bargain%2Dbags",
        "https://shop.example.net.:443/sellers//bargain-bags",
    ],
}

CASES = [(identity, url) for identity, urls in SAME_PROFILE.items() for url in urls]


def test_there_are_many_variants():
    assert len(CASES) >= 40


@pytest.mark.parametrize("expected, url", CASES)
def test_every_address_of_a_profile_gives_one_identity(expected, url):
    assert identify(url).text == expected


@pytest.mark.parametrize(
    "first, second",
    [
        ("https://www.facebook.com/bargainbags", "https://www.facebook.com/bargainbags2"),
        ("https://www.facebook.com/bargainbags", "https://www.instagram.com/bargainbags"),
        ("https://www.instagram.com/bargain.bags", "https://www.instagram.com/bargainbags"),
        ("https://x.com/bargainbags", "https://threads.net/@bargainbags"),
        ("https://www.linkedin.com/in/bargainbags", "https://www.linkedin.com/company/bargainbags"),
        ("https://www.ebay.co.uk/usr/bargainbags", "https://www.ebay.co.uk/str/bargainbags"),
        ("https://shop.example.net/a", "https://shop.example.net/b"),
        ("https://shop.example.net/a", "https://other.example.net/a"),
        (
            "https://www.youtube.com/watch?v=aaaaaaaaaaa",
            "https://www.youtube.com/watch?v=bbbbbbbbbbb",
        ),
        ("https://notfacebook.com/bargainbags", "https://www.facebook.com/bargainbags"),
        (
            "https://www.facebook.com/profile.php?id=100012345678901",
            "https://www.facebook.com/profile.php?id=100012345678902",
        ),
    ],
)
def test_different_profiles_stay_apart(first, second):
    assert identify(first).text != identify(second).text


def test_a_numeric_id_and_a_handle_are_not_guessed_to_be_one_account():
    # Only the council's records tie them (viewing_rules.tied_identities).
    handle = identify("https://www.facebook.com/bargainbags.example")
    number = identify("https://www.facebook.com/profile.php?id=100012345678901")
    assert handle.text != number.text


def test_unknown_sites_drop_the_query_and_keep_the_path():
    identity = identify("https://www.Example.org/Shop/Item.php?id=7&utm_source=x")
    assert (identity.platform, identity.key) == ("example.org", "/shop/item.php")
    assert identify("https://example.org").key == "/"


def test_an_unrecognised_page_on_a_known_platform_is_identified_by_its_path():
    assert identify("https://www.facebook.com/watch/?v=123").text == "facebook:page:/watch"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/api/graphql/",
        "https://www.facebook.com/ajax/bz",
        "https://www.facebook.com/tr?id=1&ev=PageView",
        "https://www.facebook.com/security/hsts-pixel.gif",
        "https://www.facebook.com/rsrc.php/v3/x.js",
        "https://www.instagram.com/api/v1/feed/",
        "https://www.instagram.com/graphql/query",
        "https://www.facebook.com/login/",
        "https://www.facebook.com/search/top?q=bargain%20bags",
    ],
)
def test_the_sites_own_machinery_and_search_name_nobody(url):
    """What a proxy log shows beside every page, and what the browser gate lets open unlogged."""
    assert not names_a_profile(url)


def test_a_profile_and_its_listings_name_someone():
    assert names_a_profile("https://www.facebook.com/BargainBags.Example")
    assert names_a_profile("https://www.facebook.com/marketplace/item/123456")
    assert names_a_profile("https://www.instagram.com/bargainbags.example/")


@pytest.mark.parametrize(
    "url",
    [
        "https://bit.ly/3abcDEF",
        "https://t.co/abc123",
        "https://vm.tiktok.com/ZMabc123/",
        "https://www.tiktok.com/t/ZTabc123/",
        "https://www.facebook.com/share/1AbCdEf/",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.net",
        "https://lnkd.in/abc",
    ],
)
def test_short_links_are_refused_because_they_hide_the_profile(url):
    with pytest.raises(BadAddress, match="short link"):
        identify(url)


@pytest.mark.parametrize(
    "url", ["https://www.facebook.com/", "https://x.com", "https://www.instagram.com/?hl=en"]
)
def test_a_platforms_home_page_is_not_a_profile(url):
    with pytest.raises(BadAddress, match="home page"):
        identify(url)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "not an address",
        "ftp://files.example.com/x",
        "http://localhost",
        "http://[",
        "x" * 2001,
    ],
)
def test_what_is_not_a_web_address_is_refused(url):
    with pytest.raises(BadAddress):
        identify(url)


@pytest.mark.parametrize(
    "identity, label",
    [
        ("facebook:bargainbagsexample", "Facebook: bargainbagsexample"),
        ("facebook:id:100012345678901", "Facebook account number 100012345678901"),
        ("etsy:shop:bargainbagsshop", "Etsy shop bargainbagsshop"),
        ("shop.example.net:/sellers/bargain-bags", "shop.example.net/sellers/bargain-bags"),
        ("example.org:/", "example.org"),
    ],
)
def test_identities_are_named_in_plain_words(identity, label):
    assert label_of_identity(identity) == label


@pytest.mark.parametrize(
    "url, platform",
    [
        ("https://uk.linkedin.com/in/someone", "LinkedIn"),
        ("https://old.reddit.com/u/someone", "Reddit"),
        ("https://www.vinted.fr/member/1", "Vinted"),
        ("https://www.ebay.de/usr/someone", "eBay"),
    ],
)
def test_platform_names_know_every_host_of_a_platform(url, platform):
    assert platform_of(url) == platform


def test_an_application_cannot_name_a_short_link_as_a_profile():
    with pytest.raises(BadAddress, match="Line 2: This is a short link"):
        parse_addresses("https://www.facebook.com/ok.example\nhttps://bit.ly/abc")
