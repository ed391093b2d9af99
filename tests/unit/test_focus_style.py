"""The focus outline is visible: at least 3:1 against what it is drawn on (WCAG 2.4.11 /
1.4.11), and controls are at least 24 px (WCAG 2.5.8). Read from the stylesheet itself."""

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "app/static/css/candor.css").read_text()


def _hex(value: str) -> tuple[float, float, float]:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _variable(name: str) -> str:
    return re.search(rf"--{name}:\s*([^;]+);", CSS).group(1)


def _colour_of(declaration: str) -> str:
    return re.search(r"#[0-9a-fA-F]{6}", declaration).group(0)


def test_the_focus_outline_has_at_least_3_to_1_on_every_background_it_is_drawn_on():
    focus = _colour_of(_variable("focus"))
    on_dark = _colour_of(_variable("focus-on-dark"))
    for background in (_variable("bg"), _variable("card"), "#fdf0f0", "#fff8e8"):
        assert contrast(focus, background) >= 3, (focus, background)
    header = re.search(r"\.site-header \{ background: (#[0-9a-fA-F]{6})", CSS).group(1)
    assert contrast(on_dark, header) >= 3
    assert ".site-header a:focus-visible" in CSS


def test_radio_buttons_and_tick_boxes_are_at_least_24_px():
    rule = re.search(r"input\[type=radio\], input\[type=checkbox\] \{([^}]+)\}", CSS).group(1)
    assert "width: 1.5rem" in rule and "height: 1.5rem" in rule  # 24 px at 16 px per rem
