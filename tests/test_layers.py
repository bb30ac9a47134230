"""The layers of ARCHITECTURE.md hold in the source itself.

import-linter (`make test` runs `lint-imports`) checks the direction of every import. These tests
check what it does not: that no import hides inside a function (a cycle dodged is still a cycle),
that `core` names no other gridgov app at all, and that views and API modules read through
selectors only (no `.objects`, as Zulip's lint bans fetching objects any other way).
"""

from __future__ import annotations

import ast
from pathlib import Path

import gridgov

SOURCE = Path(gridgov.__file__).parent
# Django's documented place to connect signal receivers: AppConfig.ready().
ALLOWED_FUNCTIONS = {"ready"}
# A data migration runs against the historical app registry; importing the seed data late keeps
# the migration loadable before the app's modules are.
ALLOWED_MODULE_PARTS = {"migrations", "tests"}


def _source_files() -> list[Path]:
    return [
        path
        for path in SOURCE.rglob("*.py")
        if not ALLOWED_MODULE_PARTS.intersection(path.relative_to(SOURCE).parts)
    ]


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def _imports_inside_functions(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name in ALLOWED_FUNCTIONS:
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module in _imported_modules(node):
                if module.startswith("gridgov"):
                    found.append((node.lineno, module))
    return found


def test_no_gridgov_import_inside_a_function():
    # given every module of the project but its migrations and tests
    files = _source_files()
    assert len(files) > 100  # the walk found the source, not an empty folder

    # when the syntax trees are searched for imports inside functions
    offenders = [
        f"{path.relative_to(SOURCE)}:{line} imports {module}"
        for path in files
        for line, module in _imports_inside_functions(ast.parse(path.read_text(encoding="utf-8")))
    ]

    # then there are none
    assert offenders == []


def test_the_walk_finds_an_import_inside_a_function():
    tree = ast.parse("def load():\n    from gridgov.demo import county\n    return county\n")

    assert _imports_inside_functions(tree) == [(2, "gridgov.demo")]


def test_core_imports_no_other_gridgov_app():
    core = SOURCE / "core"
    offenders = []
    for path in core.rglob("*.py"):
        if "tests" in path.relative_to(core).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for module in _imported_modules(node):
                if module.startswith("gridgov.") and not module.startswith("gridgov.core"):
                    offenders.append(f"{path.relative_to(SOURCE)}: {module}")
    assert offenders == []


def _is_view_or_api_module(path: Path) -> bool:
    parts = path.relative_to(SOURCE).parts
    name = path.stem
    return (
        name in {"views", "api", "public_views"}
        or name.startswith("api_")
        or name.endswith("_views")
        or any(part in {"views", "api"} for part in parts[:-1])
        or (parts[0] == "web" and name != "__init__")
    )


def _manager_uses(tree: ast.Module) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]


def test_views_and_api_modules_read_through_selectors_only():
    # given every view and API module (pages, public pages, API views, the web shell)
    modules = [path for path in _source_files() if _is_view_or_api_module(path)]
    assert len(modules) > 15
    # when their syntax trees are searched for a model manager
    offenders = [
        f"{path.relative_to(SOURCE)}:{line} uses .objects (read through a selector)"
        for path in modules
        for line in _manager_uses(ast.parse(path.read_text(encoding="utf-8")))
    ]
    # then there is none
    assert offenders == []


def test_the_search_finds_a_manager_in_a_view():
    tree = ast.parse("def page(request):\n    return Case.objects.filter(pk=1)\n")
    assert _manager_uses(tree) == [2]
