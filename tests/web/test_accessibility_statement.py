"""The accessibility statement: public, linked from every page, and saying how it was tested."""

from __future__ import annotations


def test_accessibility_statement_is_linked_from_every_page_and_needs_no_sign_in(client):
    sign_in = client.get("/sign-in")
    link = sign_in.find("a", string="Accessibility statement")
    assert link and link["href"] == "/accessibility"
    page = client.get("/accessibility")
    assert page.h1.get_text(strip=True) == "Accessibility statement for RIPA guard"
    text = page.get_text(" ")
    assert "Borsetshire District Council" in text
    assert "WCAG 2.0, 2.1 and 2.2 at levels A and AA" in text
    assert "keyboard alone" in text
