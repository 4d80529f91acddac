"""The first SRO sets the council up from the checklist on their home page, and finds help."""

from __future__ import annotations


def test_first_sro_sets_up_the_council_from_the_checklist(visit, people):
    v = visit("first-week")
    page = v.page
    v.sign_in(people["sro"])
    checklist = page.locator("#setup-checklist")
    assert "Missing: address, telephone" in checklist.inner_text()

    v.click_link(
        "Council name, address and telephone, for the court papers, and the RIPA coordinator's contact"
    )
    v.step("council details")
    page.get_by_label("Postal address").fill("Council Offices\nHigh Street\nBorchester BC1 1AA")
    page.get_by_label("Telephone", exact=True).fill("01632 960123")
    page.get_by_label("Link to the council's RIPA and social media policy").fill("not a link")
    page.get_by_label("RIPA coordinator's name").fill("Cora Cobb")
    v.click("Save the council's details")
    v.step("a link that is not one")
    assert page.get_by_text("Enter a web address starting with https://").first.is_visible()
    page.get_by_label("Link to the council's RIPA and social media policy").fill(
        "https://intranet.borsetshire.example.gov.uk/ripa"
    )
    v.click("Save the council's details")
    v.step("details saved")
    assert "Cora Cobb" in page.locator("#coordinator-contact").inner_text()

    v.goto("/council/policy-settings", step="policy settings")
    v.click_link("Help and glossary")
    v.step("help")
    assert page.locator("#crime-threshold").is_visible()
