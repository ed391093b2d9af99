"""An answer post read without building its WTForms form, when every field takes its value.

Fifty members submit at once (issue 16): building and processing the answer form (three
fields per question, two per category, about 85 objects) cost as much app time per submit
as everything else in the view but the database. Most posts are plain and valid, and a
valid post ends in a redirect: the form is never shown. So the view reads such a post here
and saves it; the moment any field would refuse its value (or the post is not a plain form),
this returns None and the view builds the real form as before, which then gives the
messages. The rules below are those of the fields in answer_forms.py (Optional, then the
range or length check; a tick box is false for "", "false" or nothing);
tests/web/test_answer_post.py holds them equal to WTForms' own result over random posts.
"""

from __future__ import annotations

from flask import request
from wtforms import BooleanField

from app.domain.catalogue import COMPLEXITY_SCALE, CONFIDENCE_RANGE, SCALE, Catalogue
from app.respond.forms import COMMENT_MAX, optional_int
from app.reviews.answer_forms import EVIDENCE_MAX

# Anything else posted ticks the box: WTForms' own list, not a copy of it.
_FALSE_VALUES = BooleanField.false_values
_TICK_BOXES = ("consent_named", "confirm_submit", "save", "submit")


class _Refused(Exception):
    """A field would refuse its value: the form has to be built to say why."""


def _choice(values: list[str], low: int, high: int) -> int | None:
    """A radio field coerced by optional_int, `Optional()` first, then `within(low, high)`."""
    if not values or not values[0].strip():
        return None  # Optional stops here and drops a coercion error
    try:
        value = optional_int(values[0])
    except ValueError:
        raise _Refused() from None
    if value is not None and not low <= value <= high:
        raise _Refused()
    return value


def _text(values: list[str], limit: int) -> str | None:
    """A text box: `Optional()`, then `Length(max=limit)`."""
    if not values:
        return None
    if values[0].strip() and len(values[0]) > limit:
        raise _Refused()
    return values[0]


def _ticked(values: list[str]) -> bool:
    return bool(values) and values[0] not in _FALSE_VALUES


def answer_post_data(catalogue: Catalogue) -> dict | None:
    """Every answer field's data, as the form would hold it after a validation without
    a single error; None when the form would report one (or must read the post itself:
    an upload, an empty or non-form body)."""
    form = request.form
    if request.files or not form:
        return None
    values = form.getlist
    try:
        data = {
            "complexity": _choice(values("complexity"), COMPLEXITY_SCALE[0], COMPLEXITY_SCALE[-1]),
            **{name: _ticked(values(name)) for name in _TICK_BOXES},
        }
        for d in catalogue.dimensions:
            data[f"rating__{d.key}"] = _choice(values(f"rating__{d.key}"), SCALE[0], SCALE[-1])
            data[f"confidence__{d.key}"] = _choice(
                values(f"confidence__{d.key}"), *CONFIDENCE_RANGE
            )
            data[f"comment__{d.key}"] = _text(values(f"comment__{d.key}"), COMMENT_MAX)
        for c in catalogue.categories:
            chosen = _ticked(values(f"choose__{c.key}"))
            evidence = _text(values(f"evidence__{c.key}"), EVIDENCE_MAX)
            if (evidence or "").strip() and not chosen:
                raise _Refused()  # evidence under an unticked category
            data[f"choose__{c.key}"], data[f"evidence__{c.key}"] = chosen, evidence
    except _Refused:
        return None
    return data
