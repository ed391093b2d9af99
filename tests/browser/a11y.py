"""axe-core on every page a browser test reaches.

How it works (wired up in tests/browser/conftest.py):

* Every page the `page` and `new_page` fixtures hand out is *watched*: a `load` listener
  counts each document the page loads, and `goto`, `reload`, `go_back` and `go_forward`
  run axe on the document they land on.
* A click (or Enter) that submits a form or follows a link loads a new document that no
  wrapper sees: the test calls `expect_accessible(page)` after it, once the new page is
  there. The same call after opening a disclosure (a `<details>` toggle) checks what it
  revealed.
* After the test body, the final document of every watched page is checked if it was
  not yet, and the test FAILS if some earlier document loaded and was navigated away from
  without a check: the message names its URL and says where `expect_accessible` is missing.

What fails: violations of impact "serious" or "critical" fail the test with one line per
element (rule id, impact, target selector, help text and axe's help URL). "moderate" and
"minor" violations do not fail a test: they are listed in the same failure message when
there are serious ones, and otherwise collected and printed in an "axe-core: moderate and
minor findings" section at the end of the run (pytest.ini turns warnings into errors, so a
warning is not the channel for them).

Rules: axe's defaults (WCAG 2.0/2.1/2.2 A and AA plus best practices), nothing disabled.
Non-HTML documents (an SVG chart opened on its own) are not pages: they count as checked
and axe is not run on them.

The axe-core JavaScript comes from the PyPI package axe-playwright-python, which bundles
axe.min.js: nothing is fetched at run time. It is evaluated through the DevTools protocol,
so the app's Content-Security-Policy (script-src 'self') stays in force for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe

FAILING_IMPACTS = ("critical", "serious")
_IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
_AXE = Axe()
_NAVIGATIONS = ("goto", "reload", "go_back", "go_forward")

# (rule id, impact, page path, target, help) for moderate/minor findings, printed at the
# end of the run by conftest.pytest_terminal_summary.
minor_findings: set[tuple[str, str, str, str, str]] = set()


@dataclass
class _Watch:
    loads: int = 0  # documents loaded in the main frame so far
    checked: int = 0  # the value of `loads` when axe last ran
    last_url: str = ""
    missed: list[str] = field(default_factory=list)


def watch(page) -> None:
    """Count the page's document loads and run axe after each wrapped navigation."""
    state = _Watch()
    page._axe_watch = state

    def on_load(_page=None) -> None:
        if state.loads > state.checked:
            state.missed.append(state.last_url)
        state.loads += 1
        state.last_url = page.url

    page.on("load", on_load)

    for name in _NAVIGATIONS:
        original = getattr(page, name)

        def navigate(*args, _original=original, **kwargs):
            __tracebackhide__ = True
            response = _original(*args, **kwargs)
            expect_accessible(page)
            return response

        setattr(page, name, navigate)


def _target(node: dict) -> str:
    parts = []
    for selector in node.get("target", []):
        parts.append(" >>> ".join(selector) if isinstance(selector, list) else str(selector))
    return ", ".join(parts)


def _strip_origin(url: str) -> str:
    if "://" not in url:
        return url
    rest = url.split("://", 1)[1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _run_axe(page) -> list[dict]:
    last_error = None
    for _ in range(3):
        page.wait_for_load_state("load")
        try:
            if page.evaluate("document.contentType") != "text/html":
                return []
            return _AXE.run(page).response["violations"]
        except Exception as error:  # a navigation raced the check: wait for it, run again
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
            last_error = error
    raise AssertionError(f"axe could not run on {page.url}: {last_error}")


def expect_accessible(page, context: str = "") -> None:
    """Run axe-core on the page's current document; fail on serious or critical findings.

    Call it after every click or key press that loads a new document, and after revealing
    content (opening a <details>) that should be checked too. `context` is a few words for
    the failure message ("Details opened").
    """
    __tracebackhide__ = True
    state: _Watch | None = getattr(page, "_axe_watch", None)
    page.wait_for_load_state("load")
    loads = state.loads if state else 0
    violations = _run_axe(page)
    if state is not None:
        state.checked = max(state.checked, loads)

    path = _strip_origin(page.url)
    failing, other = [], []
    for violation in sorted(violations, key=lambda v: _IMPACT_ORDER.get(v["impact"], 9)):
        for node in violation["nodes"]:
            impact = node.get("impact") or violation["impact"]
            line = (
                f"  [{impact}] {violation['id']}: {_target(node)}\n"
                f"      {violation['help']} ({violation['helpUrl'].split('?')[0]})"
            )
            if impact in FAILING_IMPACTS:
                failing.append(line)
            else:
                other.append(line)
                minor_findings.add(
                    (violation["id"], impact, path, _target(node), violation["help"])
                )
    if failing:
        where = f"{path} ({context})" if context else path
        message = [f"axe-core: {len(failing)} serious/critical violation(s) on {where}:"]
        message += failing
        if other:
            message.append("moderate/minor on the same page:")
            message += other
        raise AssertionError("\n".join(message))


def check_unchecked(page) -> None:
    """After the test body: check the final document if needed, and fail on any document
    that was loaded and left without a check."""
    __tracebackhide__ = True
    state: _Watch | None = getattr(page, "_axe_watch", None)
    if state is None or page.is_closed():
        return
    if state.loads > state.checked:
        expect_accessible(page, "final page of the test")
    if state.missed:
        urls = "\n".join(f"  {_strip_origin(url)}" for url in state.missed)
        raise AssertionError(
            "axe-core never ran on these documents: each was loaded and then left without a "
            "check. Call tests.browser.a11y.expect_accessible(page) after the click or key "
            f"press that loaded it:\n{urls}"
        )
