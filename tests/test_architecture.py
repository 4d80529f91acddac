"""The layout of DESIGN.md holds: dependencies run one way, with no circles, and law/ is pure.

Read from the source with `ast`, so nothing is imported to find out. An import under
`if TYPE_CHECKING:` is for type checkers only and is not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ripa_guard"

#: From the bottom up. A module may import its own layer and those below, never above.
LAYERS = [
    {"core", "law"},
    {"accounts"},
    # Below applications, whose changes queue notifications in their own transaction.
    {"notifications"},
    {"applications"},
    {"viewing", "dashboard"},
    {"register"},
    {"oversight"},
    {"web", "web_security", "tables", "cli", "demo", "config", "__init__"},
]

#: What the pure rules may never import: they take what they need as arguments.
FRAMEWORKS = ("flask", "flask_login", "flask_wtf", "sqlalchemy", "wtforms", "werkzeug", "alembic")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _imports(name: str) -> set[str]:
    """The ripa_guard modules (and other top-level packages) a module imports, at any depth."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    skipped = _type_checking_lines(tree)
    found = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{name}: relative import; write ripa_guard.… in full"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _ours(imported: set[str]) -> set[str]:
    prefix = "ripa_guard."
    return {i[len(prefix) :] for i in imported if i.startswith(prefix)} & set(MODULES)


def _layer(name: str) -> int:
    top = name.split(".")[0]
    return next(n for n, layer in enumerate(LAYERS) if top in layer)


def test_every_module_belongs_to_a_layer():
    for name in MODULES:
        assert _layer(name) is not None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_from_a_layer_above_its_own(name):
    upward = sorted(m for m in _ours(_imports(name)) if _layer(m) > _layer(name))
    assert not upward, f"{name} imports {upward}, which sit above it (DESIGN.md, Layout)"


def test_there_are_no_import_circles():
    graph = {name: _ours(_imports(name)) - {name} for name in MODULES}
    # A package's __init__ is its parent's import, not a dependency of what it holds.
    graph = {
        name: {m for m in deps if not name.startswith(m + ".")} for name, deps in graph.items()
    }
    seen: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> None:
        seen[name] = 1
        path.append(name)
        for dep in sorted(graph[name]):
            if seen.get(dep) == 1:
                circle = path[path.index(dep) :] + [dep]
                pytest.fail("import circle: " + " -> ".join(circle))
            if dep not in seen:
                visit(dep)
        path.pop()
        seen[name] = 2

    for name in sorted(graph):
        if name not in seen:
            visit(name)


LAW = sorted(name for name in MODULES if name.startswith("law."))


@pytest.mark.parametrize("name", LAW)
def test_the_law_imports_no_framework(name):
    imported = _imports(name)
    frameworks = sorted(i for i in imported if i.split(".")[0] in FRAMEWORKS)
    assert not frameworks, f"{name} imports {frameworks}: rules in law/ are pure"
    outside = sorted(m for m in _ours(imported) if not m.startswith("law"))
    assert not outside, f"{name} imports {outside}: law/ stands on nothing but itself"


VIEWS = sorted(
    name for name in MODULES if name.endswith((".views", "_views", ".api")) or name in ("web",)
)


@pytest.mark.parametrize("name", VIEWS)
def test_views_hold_no_sql_and_no_commit(name):
    """A view parses input, calls one service function and renders (DESIGN.md, rules of the
    house): the query and the transaction belong to the service."""
    source = MODULES[name].read_text(encoding="utf-8")
    sql = sorted(i for i in _imports(name) if i.split(".")[0] == "sqlalchemy")
    assert not sql, f"{name} imports {sql}"
    assert ".commit()" not in source and ".rollback()" not in source, f"{name} commits"
