"""Screenshots of a page at a desktop and a phone width, for a person to look at
(test-artifacts/). axe checks the page at each width as well: a table that fits at
1280 px scrolls sideways at 390, and must then be reachable from the keyboard (axe's
scrollable-region-focusable), which a check at one width never sees. And the page itself
never sticks out sideways: only such a table may scroll, never the whole page."""

from __future__ import annotations

from pathlib import Path

from tests.browser.a11y import expect_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = (1280, 390)


def photograph(page, name: str) -> None:
    """One whole-page screenshot per width, each width checked by axe; the viewport is
    restored afterwards."""
    __tracebackhide__ = True
    ARTIFACTS.mkdir(exist_ok=True)
    before = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        expect_accessible(page, f"{width} px wide")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: the page is {overflow} px wider than {width} px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(before)
