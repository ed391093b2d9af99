"""app/domain is the pure rule engine: it must never import the web, the database or charts."""

import ast
import sys
from pathlib import Path

import pytest

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "app" / "domain"
DOMAIN_PACKAGE = "app.domain"
FORBIDDEN_ROOTS = {"flask", "sqlalchemy", "werkzeug", "wtforms", "matplotlib", "jinja2"}
# Pure computation, no I/O and no framework: arrays, agreement, and reading JSON fast.
ALLOWED_THIRD_PARTY = {"numpy", "krippendorff", "orjson"}


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import; `from a import b` also yields a.b,
    because b may be a module (`from app import models`)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def violation(module: str) -> str | None:
    root = module.split(".")[0]
    if root in FORBIDDEN_ROOTS or root.startswith("flask_"):
        return f"imports {module}"
    if root == "app":
        inside = module == DOMAIN_PACKAGE or module.startswith(DOMAIN_PACKAGE + ".")
        # `from app import domain` yields "app" and "app.domain": only the bare package is fine
        if not inside and module != "app":
            return f"imports {module}, outside app.domain"
        return None
    if root not in sys.stdlib_module_names and root not in ALLOWED_THIRD_PARTY | {"__future__"}:
        return f"imports {module}, which is neither the standard library nor numpy/krippendorff"
    return None


def domain_files() -> list[Path]:
    return sorted(DOMAIN_DIR.rglob("*.py"))


def _package_of(path: Path) -> str:
    # the package a relative import starts from: app/domain/x.py and app/domain/__init__.py
    # both live in app.domain
    return ".".join(path.relative_to(DOMAIN_DIR.parent.parent).parts[:-1])


def test_domain_package_exists():
    assert (DOMAIN_DIR / "__init__.py").is_file()
    assert len(domain_files()) >= 9


@pytest.mark.parametrize("path", domain_files(), ids=lambda path: path.name)
def test_domain_imports_only_the_standard_library_numpy_krippendorff_orjson_and_itself(path):
    package = _package_of(path)
    problems = [
        f"{path.name}:{line} {message}"
        for line, module in imported_modules(path.read_text(encoding="utf-8"), package)
        if (message := violation(module))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "import flask",
        "from flask import Flask",
        "import flask_login",
        "from flask_sqlalchemy import SQLAlchemy",
        "import sqlalchemy.orm",
        "from werkzeug.security import check_password_hash",
        "import wtforms",
        "from matplotlib.figure import Figure",
        "import jinja2",
        "from app import models",
        "from app.models import Review",
        "import app.services.reviews",
        "from .. import models",
        "from ..extensions import db",
        "import requests",
    ],
)
def test_the_checker_catches_forbidden_imports(source):
    assert any(violation(module) for _, module in imported_modules(source, "app.domain"))


@pytest.mark.parametrize(
    "source",
    [
        "import json",
        "from collections.abc import Mapping",
        "import numpy as np",
        "import krippendorff",
        "from __future__ import annotations",
        "from app.domain.catalogue import Catalogue",
        "from .errors import DomainError",
        "from . import errors",
    ],
)
def test_the_checker_allows_what_the_domain_may_use(source):
    assert not any(violation(module) for _, module in imported_modules(source, "app.domain"))
