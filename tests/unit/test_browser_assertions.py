"""Browser tests assert a page's state with Playwright's `expect`, which waits, and never
with a bare `is_visible()` or `is_checked()`, which looks once.

A click that submits a form returns before the next page has loaded. On a loaded CI
machine an `assert locator.is_visible()` right after it has looked at the page being
left and failed (tests/browser/test_https.py, November 2026)."""

from __future__ import annotations

import ast
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
ONE_LOOK = {"is_visible", "is_hidden", "is_checked", "is_enabled", "is_disabled", "is_editable"}


def one_look_assertions(source: str) -> list[int]:
    """Line numbers of `assert` statements that call a looks-once locator method."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assert):
            for inner in ast.walk(node.test):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr in ONE_LOOK
                ):
                    lines.append(node.lineno)
                    break
    return lines


def test_the_check_finds_a_bare_look_and_passes_expect():
    assert one_look_assertions("assert page.get_by_text('x').is_visible()\n") == [1]
    assert one_look_assertions("assert not box.is_checked()\n") == [1]
    assert one_look_assertions("ok = 1\nassert a == 1 and link.is_visible()\n") == [2]
    assert one_look_assertions("expect(page.get_by_text('x')).to_be_visible()\n") == []


def test_no_browser_test_asserts_with_a_single_look():
    found = {
        path.name: lines
        for path in sorted(BROWSER_TESTS.glob("*.py"))
        if (lines := one_look_assertions(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"use expect(locator).to_be_visible()/to_be_checked(): {found}"
