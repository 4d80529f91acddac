"""The data protection impact assessment and the security statement stay true to the code: every
setting, file and test they name exists, and the README links to both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from ripa_guard.config import DefaultConfig

ROOT = Path(__file__).resolve().parent.parent
PAPERS = [
    ROOT / "docs" / "data-protection-impact-assessment.md",
    ROOT / "docs" / "security-statement.md",
]
QUOTED = re.compile(r"`([^`]+)`")
SETTING = re.compile(r"(?:RIPA_GUARD_)?([A-Z][A-Z0-9_]{3,})")
PATH = re.compile(r"[\w./-]+\.(?:py|toml|csv|conf|service|example|md)|[\w-]+/(?:[\w.-]+/?)*")
#: Quoted capitals that are not settings: tables' flags, file names and the like.
NOT_SETTINGS = {"ROUTES", "LICENSE", "DOMAIN"}
#: Files ripa_guard writes on first run, so not in the repository.
GENERATED = {"instance/config.py"}
#: Where a path named in the papers may sit.
PLACES = (ROOT, ROOT / "ripa_guard")


def _quoted(paper: Path) -> list[str]:
    return QUOTED.findall(paper.read_text(encoding="utf-8"))


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.name)
def test_every_setting_the_papers_name_is_a_setting(paper):
    for text in _quoted(paper):
        match = SETTING.fullmatch(text.split("=")[0])
        if match and match.group(1) not in NOT_SETTINGS:
            name = match.group(1)
            known = hasattr(DefaultConfig, name) or name in Flask.default_config
            assert known, f"{paper.name}: {text}"


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.name)
def test_every_file_and_folder_the_papers_name_exists(paper):
    for text in _quoted(paper):
        if " " in text or "://" in text or text.startswith("/"):
            continue
        if PATH.fullmatch(text) and text not in GENERATED:
            assert any((place / text).exists() for place in PLACES), f"{paper.name}: {text}"


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.name)
def test_every_test_the_papers_name_exists(paper):
    text = paper.read_text(encoding="utf-8")
    for name in re.findall(r"`(test_[a-z0-9_]+)`", text):
        found = any(name in f.read_text(encoding="utf-8") for f in (ROOT / "tests").rglob("*.py"))
        assert found, f"{paper.name}: {name}"


def test_the_readme_links_both_papers_and_the_licence():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for paper in PAPERS:
        assert f"docs/{paper.name}" in readme
    assert "(LICENSE)" in readme
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
