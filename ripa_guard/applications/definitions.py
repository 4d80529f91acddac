"""The form definitions in forms/: questions, hints and Code of Practice references, as data.

One definition drives both the web form and the printed document, so what the officer answered
and what the magistrate reads cannot drift apart (DESIGN.md). Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ripa_guard.council import glossary

KINDS = frozenset({"text", "textarea", "radios", "offence"})
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 10_000}
#: What a question may link to for help: a glossary term, the Code of Practice, the policy.
SEE = frozenset({*(t.slug for t in glossary.TERMS), "code", "policy"})


class DefinitionError(ValueError):
    """A form definition a coordinator edited is wrong; says where and what."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        self.path, self.line, self.problem = str(path), line, problem
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Question:
    name: str
    kind: str
    label: str
    hint: str = ""
    reference: str = ""
    required: bool = True
    error: str = ""
    choices: tuple[Choice, ...] = ()
    max_length: int = 0
    #: (question, value): required only when that question was answered with that value.
    required_if: tuple[str, str] | None = None
    #: For an offence question: offer "My offence is not listed" (triage.UNLISTED).
    unlisted: bool = False
    #: Help linked beside the question: glossary terms (council/glossary.py), "code" (the Code
    #: of Practice on GOV.UK) and "policy" (the council's own policy).
    see: tuple[str, ...] = ()

    def choice_label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    intro: str = ""
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    id: str
    title: str
    source: str = ""
    pages: tuple[Page, ...] = ()
    path: str = ""
    _by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)

    def question(self, name: str) -> Question:
        return self._by_name[name]

    @property
    def questions(self) -> list[Question]:
        return [q for p in self.pages for q in p.questions]

    def next_page(self, slug: str) -> Page | None:
        slugs = [p.slug for p in self.pages]
        i = slugs.index(slug)
        return self.pages[i + 1] if i + 1 < len(self.pages) else None

    def previous_page(self, slug: str) -> Page | None:
        slugs = [p.slug for p in self.pages]
        i = slugs.index(slug)
        return self.pages[i - 1] if i > 0 else None


def load_all(directory: Path) -> dict[str, FormDefinition]:
    """Every forms/*.toml, keyed by its id."""
    forms = {}
    for path in sorted(Path(directory).glob("*.toml")):
        definition = load(path)
        forms[definition.id] = definition
    return forms


def load(path: Path) -> FormDefinition:
    text = Path(path).read_text(encoding="utf-8")
    return parse(text, path)


def parse(text: str, path: Path | str = "form.toml") -> FormDefinition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(path, getattr(exc, "lineno", None), f"not valid TOML: {exc}") from exc
    lines = text.splitlines()

    def fail(problem: str, near: str | None = None):
        raise DefinitionError(path, _line_of(lines, near), problem)

    for key in ("id", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            fail(f"the form needs a {key}")
    pages_data = data.get("pages")
    if not isinstance(pages_data, list) or not pages_data:
        fail("the form has no [[pages]]")
    pages, by_name, slugs = [], {}, set()
    for number, page_data in enumerate(pages_data, start=1):
        page = _page(page_data, number, fail)
        if page.slug in slugs:
            fail(f"page slug '{page.slug}' is used twice", f'slug = "{page.slug}"')
        slugs.add(page.slug)
        for question in page.questions:
            if question.name in by_name:
                fail(f"question name '{question.name}' is used twice", f'name = "{question.name}"')
            by_name[question.name] = question
        pages.append(page)
    return FormDefinition(
        id=data["id"],
        title=data["title"],
        source=str(data.get("source", "")),
        pages=tuple(pages),
        path=str(path),
        _by_name=by_name,
    )


def _page(data: dict, number: int, fail) -> Page:
    slug = data.get("slug", "")
    if not isinstance(slug, str) or not SLUG.match(slug):
        fail(f"page {number} needs a slug of lower-case letters, digits and hyphens", "[[pages]]")
    if not str(data.get("title", "")).strip():
        fail(f"page '{slug}' needs a title", f'slug = "{slug}"')
    questions = tuple(_question(q, slug, fail) for q in data.get("questions", []))
    return Page(
        slug=slug, title=data["title"], intro=str(data.get("intro", "")), questions=questions
    )


def _question(data: dict, slug: str, fail) -> Question:
    name = data.get("name", "")
    near = f'name = "{name}"'
    if not isinstance(name, str) or not NAME.match(name):
        fail(f"a question on page '{slug}' needs a name of lower-case letters, digits and _", near)
    kind = data.get("kind", "")
    if kind not in KINDS:
        fail(f"question '{name}' has kind '{kind}'; use one of {', '.join(sorted(KINDS))}", near)
    if not str(data.get("label", "")).strip():
        fail(f"question '{name}' needs a label", near)
    choices = tuple(_choice(c, name, fail, near) for c in data.get("choices", []))
    if kind == "radios" and len(choices) < 2:
        fail(f"question '{name}' is radios but has fewer than two choices", near)
    if kind != "radios" and choices:
        fail(f"question '{name}' has choices but is not radios", near)
    required = data.get("required", True)
    if not isinstance(required, bool):
        fail(f"question '{name}': required must be true or false", near)
    required_if = data.get("required_if")
    if required_if is not None:
        if not isinstance(required_if, dict) or set(required_if) != {"question", "value"}:
            fail(f"question '{name}': required_if needs a question and a value", near)
        required_if = (str(required_if["question"]), str(required_if["value"]))
    error = str(data.get("error", ""))
    if (required or required_if) and not error:
        fail(f"question '{name}' is required, so it needs an error message", near)
    unlisted = data.get("unlisted", False)
    if not isinstance(unlisted, bool) or (unlisted and kind != "offence"):
        fail(f"question '{name}': unlisted must be true or false, on an offence question", near)
    see = data.get("see", [])
    unknown = [] if not isinstance(see, list) else [str(s) for s in see if s not in SEE]
    if not isinstance(see, list) or unknown:
        fail(
            f"question '{name}': see must list help from {', '.join(sorted(SEE))}"
            + (f"; '{unknown[0]}' is not one" if unknown else ""),
            near,
        )
    max_length = data.get("max_length", DEFAULT_MAX_LENGTH.get(kind, 0))
    if not isinstance(max_length, int) or max_length < 0:
        fail(f"question '{name}': max_length must be a whole number", near)
    return Question(
        name=name,
        kind=kind,
        label=data["label"],
        hint=str(data.get("hint", "")),
        reference=str(data.get("reference", "")),
        required=required,
        error=error,
        choices=choices,
        max_length=max_length,
        required_if=required_if,
        unlisted=unlisted,
        see=tuple(see),
    )


def _choice(data: dict, name: str, fail, near: str) -> Choice:
    if not isinstance(data, dict) or not data.get("value") or not data.get("label"):
        fail(f"every choice of question '{name}' needs a value and a label", near)
    return Choice(
        value=str(data["value"]), label=str(data["label"]), hint=str(data.get("hint", ""))
    )


def conditional_errors(page: Page, answers: dict) -> dict[str, str]:
    """Questions left empty that the other answers make required, with their messages."""
    errors = {}
    for q in page.questions:
        if q.required_if and not str(answers.get(q.name) or "").strip():
            other, value = q.required_if
            if answers.get(other) == value:
                errors[q.name] = q.error
    return errors


def missing(definition: FormDefinition, answers: dict) -> list[tuple[str, str]]:
    """Required questions not answered, as (page slug, message), in the order of the form."""
    result = []
    for page in definition.pages:
        for q in page.questions:
            if q.required and not str(answers.get(q.name) or "").strip():
                result.append((page.slug, q.error))
        result.extend(
            (page.slug, message) for message in conditional_errors(page, answers).values()
        )
    return result


def _line_of(lines: list[str], needle: str | None) -> int | None:
    if not needle:
        return None
    for number, line in enumerate(lines, start=1):
        if needle in line.replace("'", '"'):
            return number
    return None
