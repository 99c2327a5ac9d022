"""The tree shows the design: layers enforced by import-linter, Whoosh's private parts in one
module, no loose modules under hub/."""

from __future__ import annotations

import ast
import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hub.config import PACKAGE_DIR, PROJECT_DIR
from hub.search.whoosh import internals

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Directly under hub/: the package's entry points and its configuration, nothing else.
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "config.py"}


def _contracts() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(PROJECT_DIR / "setup.cfg")
    return config


def _lint(tree: Path) -> subprocess.CompletedProcess:
    """import-linter over a copy of the package, with the project's contracts."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(tree / "setup.cfg")], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The package and its contracts copied, so a test can add a module that breaks one."""
    root = tmp_path_factory.mktemp("tree")
    shutil.copytree(PACKAGE_DIR, root / "hub", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT_DIR / "setup.cfg", root / "setup.cfg")
    return root


def test_the_tree_keeps_every_contract(tree_copy):
    result = _lint(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("path", "source", "contract"), [
    ("hub/search/leak.py", "from hub.store import models\n", "Data flows one way"),
    ("hub/text/leak.py", "from hub.vocabulary import taxonomy\n", "Data flows one way"),
    ("hub/web/leak.py", "from hub.cli import main\n", "Data flows one way"),
    ("hub/cli/leak.py", "from hub.web import create_app\n", "Data flows one way"),
    ("hub/recommend/leak.py", "import sqlalchemy\n", "know neither the store nor the web"),
    ("hub/editor/leak.py", "import flask\n", "Only the web front end imports Flask"),
    ("hub/corpus/leak.py", "import whoosh\n", "Whoosh stays behind"),
])
def test_a_forbidden_import_breaks_the_lint(tree_copy, path, source, contract):
    leak = tree_copy / path
    leak.write_text(source)
    try:
        result = _lint(tree_copy)
    finally:
        leak.unlink()
    assert result.returncode != 0, result.stdout
    broken = " ".join(result.stdout.partition("Broken contracts")[2].split())
    assert contract in broken, result.stdout
    assert path.removesuffix(".py").replace("/", ".") in broken  # the report names the module


def test_make_lint_runs_the_import_contracts():
    makefile = (PROJECT_DIR / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint and "ruff" in lint
    test = makefile.split("\ntest:", 1)[1].split("\n", 1)[0]
    assert "lint" in test.split()  # CI runs `make test`, so the contracts hold on main


def test_no_module_sits_loose_under_hub():
    loose = {p.name for p in PACKAGE_DIR.glob("*.py")} - TOP_LEVEL_MODULES
    assert not loose


def test_every_package_is_in_a_layer():
    layers = _contracts()["importlinter:contract:layers"]["layers"]
    named = {name.strip() for line in layers.splitlines() for name in line.split("|")}
    packages = {f"hub.{p.name}" for p in PACKAGE_DIR.iterdir() if (p / "__init__.py").exists()}
    assert packages <= named, packages - named


def _private_reads(path: Path) -> list[str]:
    """Attribute reads like `thing._name` (not self's or cls's own) and private imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        own = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id in ("self", "cls")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and not own:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{path.name}:{node.lineno} {a.name}" for a in node.names
                      if a.name.startswith("_")]
    return found


def test_whoosh_private_parts_are_read_in_internals_only():
    others = [p for p in PACKAGE_DIR.rglob("*.py") if p.name != "internals.py"]
    assert [read for path in others for read in _private_reads(path)] == []
    assert _private_reads(Path(internals.__file__))  # the one place that does


def test_another_whoosh_release_is_refused_with_both_versions_named():
    internals.check_version((2, 7, 5))
    with pytest.raises(internals.UnsupportedWhoosh) as refused:
        internals.check_version((2, 8, 0))
    assert "2.8.0" in str(refused.value) and "2.7.5" in str(refused.value)


def test_architecture_names_every_module():
    table = (PROJECT_DIR / "ARCHITECTURE.md").read_text().split("## Packages and modules")[1]
    table = table.split("\n## ", 1)[0]
    modules = [p for p in PACKAGE_DIR.rglob("*.py")
               if p.name != "__init__.py" and "migrations" not in p.parts]
    named = [p for p in modules
             if f"`{p.name}`" in table or f"`{p.relative_to(PROJECT_DIR)}`" in table]
    assert sorted(set(modules) - set(named)) == []
