"""One person's way through the service in a real browser, checked and photographed at each step.

Every page the browser loads must be passed to `Visit.step`, which checks it (axe-core against
WCAG 2.2 A and AA, and the house checks of tests/helpers.py) and takes its picture; `finish`
fails the test if a page was loaded and never checked, or if the browser reported a Content
Security Policy violation, a script error or a missing stylesheet, script, font or image.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.conftest import PASSWORD

#: WCAG 2.0, 2.1 and 2.2, levels A and AA: what the public sector accessibility regulations ask.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()

# What tests/helpers.py's check_page asks of every page, plus the GOV.UK error pattern: errors
# summarised at the top, each summary link pointing at a field, "Error: " in the title, and no
# fieldset that has lost its question (govuk-frontend-wtf drops legends: axe does not see it).
HOUSE_CHECKS = """() => {
  const problems = [];
  if (!document.title.trim()) problems.push("the page has no <title>");
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`the page has ${h1s.length} <h1> elements`);
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" is used ${n} times`);
  for (const form of document.querySelectorAll("form")) {
    if (!form.getAttribute("action")) problems.push("a form has no action");
    if (form.method === "post" && !form.querySelector("input[name=csrf_token]"))
      problems.push("a POST form has no CSRF token");
  }
  for (const fieldset of document.querySelectorAll("fieldset")) {
    const legend = fieldset.querySelector(":scope > legend");
    if (!legend || !legend.textContent.trim())
      problems.push(`a fieldset has no question: ${fieldset.outerHTML.slice(0, 120)}`);
  }
  const summary = document.querySelector(".govuk-error-summary");
  if (document.querySelector(".govuk-error-message")) {
    if (!document.title.startsWith("Error: ")) problems.push("errors, but the title does not start 'Error: '");
    if (!summary) problems.push("errors next to fields, but no error summary");
  }
  if (summary) {
    if (summary.compareDocumentPosition(h1s[0]) & Node.DOCUMENT_POSITION_PRECEDING)
      problems.push("the error summary is not above the heading");
    for (const a of summary.querySelectorAll(".govuk-error-summary__list a")) {
      const href = a.getAttribute("href") || "";
      if (href.startsWith("#") && !document.getElementById(href.slice(1)))
        problems.push(`error summary link ${href} points at nothing`);
    }
  }
  return problems;
}"""


# WCAG 1.4.10 (reflow): at 320 CSS pixels wide, nothing makes the page scroll sideways, except
# data tables (with column headings), which the criterion exempts as two-dimensional content.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = el => el.getBoundingClientRect().right > width + 1;
  return [...document.querySelectorAll("body *")]
    .filter(el => wide(el) && !wide(el.parentElement))
    .map(el => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
}"""
SCROLLS_SIDEWAYS = (
    "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
)
NEW_PAGE_LOADED = "() => document.readyState === 'complete' && !window.ripaGuardChecked"
MARK_CHECKED = "() => { window.ripaGuardChecked = true; }"


class Visit:
    """A browser page, and everything seen on it, step by step."""

    def __init__(self, page: Page, shots: Path, readme: Path | None = None):
        self.page = page
        self.shots = shots
        self.readme = readme
        self.steps = 0
        self.loads: list[str] = []
        self.checked: list[str] = []
        self.csp_violations: list[str] = []
        self.script_errors: list[str] = []
        self.missing: list[str] = []
        self.user = None
        # A missing button should fail in seconds, not Playwright's default of half a minute.
        page.set_default_timeout(10_000)
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True, exist_ok=True)
        page.on("load", lambda p: self.loads.append(p.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")
        elif message.type == "error" and "Failed to load resource" not in message.text:
            self.script_errors.append(f"{self.page.url}: {message.text}")

    def _response(self, response) -> None:
        # A document may fail on purpose (a 403 page); a stylesheet, script or font may not.
        if response.status >= 400 and response.request.resource_type != "document":
            self.missing.append(f"{response.status} {response.url}")

    # Moving about --------------------------------------------------------------------------

    def goto(self, path: str, step: str | None = None, **kwargs) -> Page:
        self.page.goto(path, **kwargs)
        if step:
            self.step(step)
        return self.page

    def sign_in(self, user, step: str = "sign in") -> None:
        """Sign out whoever is signed in, then sign in through the sign-in page."""
        if self.user is not None:
            menu = self.page.get_by_role("button", name="Menu")
            if menu.is_visible():  # on a narrow screen the navigation folds behind a button
                menu.click()
            self.page.get_by_role("button", name="Sign out").click()
        else:
            self.page.goto("/sign-in")
        self.step(step)
        self.page.get_by_label("Email address").fill(user.email)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.user = user
        self.step("home")

    def click(self, name: str, role: str = "button") -> None:
        self.page.get_by_role(role, name=name, exact=True).click()

    def click_link(self, name: str) -> None:
        self.page.get_by_role("link", name=name, exact=True).click()

    # Checking ------------------------------------------------------------------------------

    def step(self, name: str, readme: str | None = None) -> Page:
        """Check the page the last action loaded, and photograph it as the next step."""
        page = self.page
        # Pressing Enter or clicking returns before the next page arrives: wait for a document
        # that has not been checked yet, fully loaded.
        page.wait_for_function(NEW_PAGE_LOADED)
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=self.shots / f"{self.steps:02d}-{slug}.png", full_page=True)
        if readme and self.readme:
            self.readme.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=self.readme / readme)
        where = f"step {self.steps} ({name}), {page.url}"
        problems = page.evaluate(HOUSE_CHECKS)
        assert not problems, f"{where}:\n  " + "\n  ".join(problems)
        results = _axe.run(page, options=AXE_OPTIONS)
        failures = without_known_govuk_issue(results.response)
        assert not failures["violations"], f"{where}:\n{axe_report(failures)}"
        page.evaluate(MARK_CHECKED)
        self.checked.append(page.url)
        self._assert_clean(where)
        if page.viewport_size["width"] <= 320:
            sideways = page.evaluate(SIDEWAYS)
            assert not sideways, f"{where}: wider than 320 pixels:\n  " + "\n  ".join(sideways)
            assert page.evaluate(SCROLLS_SIDEWAYS) is False, f"{where}: the page scrolls sideways"
        return page

    def expect_error(self, *messages: str) -> None:
        """The error summary lists exactly these messages, has focus (so a screen reader reads
        it first), and each of its links takes focus to the field it names."""
        page = self.page
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible(), f"no error summary on {page.url}"
        shown = [t.strip() for t in summary.locator("li").all_inner_texts()]
        assert shown == list(messages), f"error summary says {shown}, expected {list(messages)}"
        assert summary.evaluate("el => el.contains(document.activeElement)"), (
            f"the error summary on {page.url} does not have focus"
        )
        for link in summary.locator(".govuk-error-summary__list a").all():
            href = link.get_attribute("href") or ""
            link.click()
            focused = page.evaluate("() => document.activeElement.id")
            assert focused == href.removeprefix("#"), (
                f"the error summary's link {href} put focus on '{focused}', not on the field"
            )

    def _assert_clean(self, where: str) -> None:
        assert not self.csp_violations, (
            f"{where}: Content Security Policy violations:\n" + "\n".join(self.csp_violations)
        )
        assert not self.script_errors, f"{where}: script errors:\n" + "\n".join(self.script_errors)
        assert not self.missing, f"{where}: missing resources:\n" + "\n".join(self.missing)

    def finish(self) -> None:
        """Every page loaded was checked, and the browser reported nothing wrong."""
        unchecked = Counter(self.loads) - Counter(self.checked)
        assert not unchecked, f"pages loaded but never checked: {list(unchecked)}"
        self._assert_clean("at the end")


def _conditional_reveal(node: dict) -> bool:
    """GOV.UK Frontend marks a radio that reveals a question with aria-expanded on purpose,
    because screen readers announce it, though ARIA allows it only on the group: a documented
    known issue (alphagov/govuk-frontend#979, #1280), and the only one let through."""
    summary = node.get("failureSummary", "")
    return (
        node["html"].startswith('<input class="govuk-radios__input"')
        and "aria-controls=" in node["html"]
        and summary.count("ARIA attribute is not allowed") == 1
        and 'aria-expanded="' in summary
    )


def without_known_govuk_issue(response: dict) -> dict:
    kept = []
    for v in response["violations"]:
        nodes = v["nodes"]
        if v["id"] == "aria-allowed-attr":
            nodes = [n for n in nodes if not _conditional_reveal(n)]
        if nodes:
            kept.append({**v, "nodes": nodes})
    return {**response, "violations": kept}


def axe_report(response: dict) -> str:
    lines = []
    for v in response["violations"]:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{', '.join(v['tags'])}]")
        for node in v["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append(f"      {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def answer(page: Page, question, value: str) -> None:
    """Answer one question of a form definition as a person would: by its label."""
    if question.kind == "radios":
        if not value:
            return
        label = next(c.label for c in question.choices if c.value == value)
        group = page.get_by_role("group", name=question.label, exact=True)
        group.get_by_label(label, exact=True).check()
    elif question.kind == "offence":
        if value:
            page.get_by_label(question.label, exact=True).select_option(value)
    else:
        page.get_by_label(question.label, exact=True).fill(value)


def choose(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question, exact=True).get_by_label(choice, exact=True).check()


def choose_research_profile(page: Page, handle: str) -> None:
    """The officer always chooses the research profile they view from: none is chosen for them."""
    group = page.get_by_role("group", name="Research profile you are viewing from", exact=True)
    group.get_by_label(handle).check()


def fill_date(page: Page, question: str, day) -> None:
    group = page.get_by_role("group", name=question, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
