"""Getting about a page with the keyboard alone: Tab, arrows, Space, Enter and typing."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

#: More Tab presses than any page needs to reach its last control.
MOST_TABS = 80

IS_FOCUSED = "el => el === document.activeElement"
# WCAG 2.4.7: the control with focus shows it. GOV.UK draws a yellow outline or box shadow; a
# radio's own input is invisible, and its label's ::before carries the ring.
FOCUS_SHOWN = """el => {
  const shown = s => (s.outlineStyle !== 'none' && s.outlineColor !== 'rgba(0, 0, 0, 0)')
    || s.boxShadow !== 'none';
  if (el.type === 'radio' || el.type === 'checkbox')
    return shown(getComputedStyle(el.labels[0], '::before'));
  return shown(getComputedStyle(el));
}"""


class Keyboard:
    """A person who cannot use a mouse, on one browser page."""

    def __init__(self, page: Page):
        self.page = page

    def tab_to(self, target: Locator, what: str = "") -> None:
        """Press Tab until `target` has focus; fail if it never gets it."""
        target.wait_for(state="attached")
        for _ in range(MOST_TABS):
            if target.evaluate(IS_FOCUSED):
                break
            self.page.keyboard.press("Tab")
        else:
            raise AssertionError(f"Tab never reaches {what or target} on {self.page.url}")
        assert target.evaluate(FOCUS_SHOWN), f"{what or target} has focus but does not show it"

    def type_into(self, label: str, text: str) -> None:
        """Tab to the field with this label, clear what it holds, and type."""
        self.tab_to(self.page.get_by_label(label, exact=True), label)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def choose(self, question: str, choice: str) -> None:
        """Tab into the radio group asking `question`, arrow to `choice`, and select it."""
        group = self.page.get_by_role("group", name=question, exact=True)
        target = group.get_by_label(choice, exact=True)
        # Tab stops once in a group of radios: on the selected one, or the first. A link in the
        # question's hint (the glossary, the Code) is a stop of its own before the radios.
        on_a_radio = (
            "g => g.contains(document.activeElement) && document.activeElement.type === 'radio'"
        )
        for _ in range(MOST_TABS):
            if group.evaluate(on_a_radio):
                break
            self.page.keyboard.press("Tab")
        else:
            raise AssertionError(f"Tab never reaches the question '{question}'")
        for _ in range(group.get_by_role("radio").count()):
            if target.evaluate(IS_FOCUSED):
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert target.is_checked(), f"'{choice}' is not selected for '{question}'"

    def pick(self, label: str, option: str) -> None:
        """Tab to a drop-down list and type the start of an option to choose it."""
        select = self.page.get_by_label(label, exact=True)
        self.tab_to(select, label)
        self.page.keyboard.type(option)
        chosen = select.evaluate("s => s.options[s.selectedIndex].text")
        assert chosen.startswith(option), f"typing '{option}' chose '{chosen}'"

    def press(self, target: Locator, what: str = "") -> None:
        """Tab to a button or link and press Enter."""
        self.tab_to(target, what)
        self.page.keyboard.press("Enter")

    def press_button(self, name: str) -> None:
        self.press(self.page.get_by_role("button", name=name, exact=True), f"the {name} button")

    def follow_link(self, name: str) -> None:
        self.press(self.page.get_by_role("link", name=name, exact=True), f"the {name} link")
