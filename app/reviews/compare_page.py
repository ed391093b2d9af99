"""The comparison page's content, drawn once and then served from the shared store.

After close a review's answers are frozen: the page's content changes only with the
review's data version (a recorded client view), its state (close, decision), the
reader's language, what this viewer may see (the lead gets the Decide button) and the
deployment's thresholds. Those are the key; a change to any of them is a new entry, so
nothing is ever invalidated, on one server or many (app/services/shared_store.py).

Only the template's `title` and `content` blocks are kept; the frame around them
(navigation, the viewer's name, flashed messages, the CSRF token of the log-out form) is
drawn for each request by `reviews/compare_frame.html`. To draw the two blocks alone,
`reviews/compare.html` is rendered unchanged in an overlay of the app's Jinja
environment in which "base.html" is a bare frame that prints just those blocks.

Only a closed review's page is kept. A decided review's page is drawn from its sealed
record on every request, because it also says whether the answer rows still match the
record: an edit made behind the app's back changes no key, and the warning must show at
once (tests/web/test_frozen_record.py).
"""

from __future__ import annotations

import json

from flask import current_app, render_template
from jinja2 import ChoiceLoader, DictLoader, Environment
from markupsafe import Markup

from app.domain.lifecycle import ReviewState
from app.i18n import current_language
from app.models import Review
from app.services.shared_store import shared_store
from app.services.thresholds import current_thresholds

_SEPARATOR = "\x00"  # never in rendered HTML: Jinja escapes nothing into it
_BARE_BASE = "{% block title %}{% endblock %}" + _SEPARATOR + "{% block content %}{% endblock %}"


def page_key(review: Review, is_lead: bool) -> tuple:
    opened = review.opened_at.isoformat() if review.opened_at else ""
    return (
        "compare",
        review.id,
        review.data_version,
        str(review.state),
        opened,
        current_language(),
        "lead" if is_lead else "participant",
        current_thresholds(),
    )


def _blocks_environment() -> Environment:
    """The app's Jinja environment (filters, globals, gettext) with a bare base.html."""
    extensions = current_app.extensions
    environment = extensions.get("candor_compare_blocks_env")
    if environment is None:
        app_env = current_app.jinja_env
        environment = app_env.overlay(
            loader=ChoiceLoader([DictLoader({"base.html": _BARE_BASE}), app_env.loader])
        )
        environment = extensions.setdefault("candor_compare_blocks_env", environment)
    return environment


def _draw_blocks(context: dict) -> tuple[str, str]:
    current_app.update_template_context(context)
    template = _blocks_environment().get_template("reviews/compare.html")
    title, content = template.render(context).split(_SEPARATOR, 1)
    return title, content


def kept(review: Review) -> bool:
    return review.state == ReviewState.CLOSED


def cached_blocks(review: Review, is_lead: bool) -> tuple[str, str] | None:
    """The kept blocks, if any. Call only once the lifecycle lets results be seen."""
    if not kept(review):
        return None
    body = shared_store().get(page_key(review, is_lead))
    if body is None:
        return None
    title, content = json.loads(body)
    return title, content


def draw_and_keep(review: Review, is_lead: bool, context: dict):
    """Draw the blocks for this viewer, keep them (closed reviews), return the whole page."""
    title, content = _draw_blocks(context)
    if kept(review):
        body = json.dumps([title, content]).encode()
        shared_store().put(page_key(review, is_lead), body)
    return framed(review, title, content)


def framed(review: Review, title: str, content: str):
    # Both were drawn by compare.html with autoescaping on: already safe HTML.
    return render_template(
        "reviews/compare_frame.html",
        review=review,
        page_title=Markup(title),  # noqa: S704  # nosec B704
        page_content=Markup(content),  # noqa: S704  # nosec B704
    )
