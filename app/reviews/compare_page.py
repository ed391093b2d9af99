"""The comparison page's content, drawn once and then served from the shared store.

After close a review's answers are frozen: the page's content changes only with the
review's data version (a recorded client view), its state (close, decision), the
reader's language, what this viewer may see (the lead gets the Decide button) and the
deployment's thresholds. Those are the key; a change to any of them is a new entry, so
nothing is ever invalidated, on one server or many (app/services/shared_store.py).
The app writes no answer row after close, but whoever edits the database can: so the key
also holds what the rows hold (`closed_rows_version`: their row versions on PostgreSQL,
the digest of SQLite's own text of them on SQLite), and the lead about to decide never
reads figures the rows no longer say (tests/web/test_closed_page_rows.py).

Only the template's `title` and `content` blocks are kept; the frame around them
(navigation, the viewer's name, flashed messages, the CSRF token of the log-out form) is
drawn for each request by `reviews/compare_frame.html`. To draw the two blocks alone,
`reviews/compare.html` is rendered unchanged in an overlay of the app's Jinja
environment in which "base.html" is a bare frame that prints just those blocks.

That overlay is made once per language, with the language's translations, number
format and member labels bound in: a big review's page calls gettext about 900 times,
formats about 1,000 figures and words about 400 labels, and Flask-Babel looks the
request's locale and catalogue up again on every call. The bound callables behave as
Jinja's newstyle gettext (the text is marked safe and `%`-formatted with escaped values,
app/reviews/escaped_format.py), so the HTML is the same byte for byte
(tests/web/test_compare_page_i18n.py). A call with a literal text and no values,
`_("Team mean")`, is compiled as the words it gives (app/reviews/translated_literals.py):
the overlay's templates are drawn in its one language only.

A decided review's page is drawn from its sealed record (read from the copy of its
results stored when it was sealed, app/services/stored_results.py, which says the same),
and also says whether the answer rows still have the digest the record sealed: an edit
made behind the app's back changes no key above, and the warning must show at once
(tests/web/test_frozen_record.py). On
PostgreSQL its entry is keyed as well by the version of the review's answer rows and
decision row, which any edit of them changes (app/services/row_versions.py): one
statement, where reading and digesting the rows was over half of a big review's page.
SQLite keeps no row versions: there the entry is keyed by the hash of the record's exact
text (its bytes, `decisions.sealed_record_hash`) and holds the sealed digest and a drawing
per outcome of the check, and the check itself runs on every request: SQLite writes the
answer rows' canonical text in one statement and Python hashes it
(app/services/answers_text.py). An open review's page is never
kept.
"""

from __future__ import annotations

from functools import lru_cache, partial

import orjson
from flask import current_app, render_template
from flask_babel import get_locale, get_translations
from jinja2 import ChoiceLoader, DictLoader, Environment, pass_context
from markupsafe import Markup

from app.domain.lifecycle import ReviewState
from app.i18n import current_language
from app.labels import member_label
from app.models import Review
from app.reviews.escaped_format import EscapedFormatter
from app.reviews.translated_literals import translated_literals
from app.services import decisions
from app.services.charts import chart_tables
from app.services.review_data import ReviewResults, answers_match
from app.services.row_versions import closed_rows_version, decided_rows_version
from app.services.shared_store import shared_store
from app.services.thresholds import current_thresholds
from app.template_helpers import number_filter_for, percent_filter_for

SEPARATOR = "\x00"  # never in rendered HTML: Jinja escapes nothing into it
BARE_BASE = "{% block title %}{% endblock %}" + SEPARATOR + "{% block content %}{% endblock %}"


def page_key(review: Review, is_lead: bool) -> tuple:
    opened = review.opened_at.isoformat() if review.opened_at else ""
    return (
        "compare",
        review.id,
        review.data_version,
        str(review.state),
        opened,
        review.client.name,  # a client renamed after close: the title names it anew
        current_language(),
        "lead" if is_lead else "participant",
        current_thresholds(),
    )


def _blocks_environment() -> Environment:
    """The app's Jinja environment (filters, globals) with a bare base.html, and gettext
    and `number` bound to the request's language."""
    language = str(get_locale())
    translations = get_translations()
    environments = current_app.extensions.setdefault("candor_compare_blocks_env", {})
    known = environments.get(language)
    if known is not None and known[0] is translations:
        return known[1]
    app_env = current_app.jinja_env
    gettext, ngettext, literal = _bound_gettext(translations)
    environment = app_env.overlay(
        loader=ChoiceLoader([DictLoader({"base.html": BARE_BASE}), app_env.loader]),
        # `_("text")` compiled as the words it gives in this language (its own module).
        extensions=[translated_literals(literal)],
    )
    # An overlay shares its parent's globals and filters dicts: replace, never update.
    environment.globals = {**app_env.globals, "_": gettext, "gettext": gettext}
    environment.globals["ngettext"] = ngettext
    environment.filters = {
        **app_env.filters,
        "number": number_filter_for(language),
        "percent": percent_filter_for(language, translations.ugettext),
        "member_label": _remembered(partial(member_label, translate=translations.ugettext)),
    }
    environments[language] = (translations, environment)
    return environment


def _remembered(word):
    """`word` (a label's words in one language) looked up once per stored label: a big
    review's page words each overconfident member twice per condition that names them
    (about 450 labels at 100 x 50), and a team has at most a hundred or so. Labels are
    few per review, but the environment lives as long as the process: it forgets at
    4,096 (functools.lru_cache)."""
    return lru_cache(maxsize=4096)(word)


def _bound_gettext(translations):
    """Jinja's newstyle gettext and ngettext (jinja2.ext), over one catalogue. As there,
    the catalogue's text is trusted markup and only the values put in it are escaped.
    Third, what gettext gives for a text with no values (app/reviews/translated_literals.py
    compiles it into the templates)."""
    translate, translate_plural = translations.ugettext, translations.ungettext
    escaped_format = EscapedFormatter()  # `Markup(text) % variables`, cheaper

    @pass_context
    def gettext(context, string: str, **variables):
        text = translate(string)
        if context.eval_ctx.autoescape:
            return escaped_format(text, variables)
        return text % variables

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables):
        variables.setdefault("num", num)
        text = translate_plural(singular, plural, num)
        if context.eval_ctx.autoescape:
            return escaped_format(text, variables)
        return text % variables

    def literal(string: str) -> Markup:
        return escaped_format(translate(string), {})

    return gettext, ngettext, literal


def draw_blocks(context: dict) -> tuple[str, str]:
    current_app.update_template_context(context)
    template = _blocks_environment().get_template("reviews/compare.html")
    title, content = template.render(context).split(SEPARATOR, 1)
    return title, content


def cached_blocks(review: Review, is_lead: bool) -> tuple[str, str] | None:
    """The kept blocks, if any. Call only once the lifecycle lets results be seen."""
    if review.state == ReviewState.CLOSED:
        version = closed_rows_version(review.id)
        if version is None:
            return None  # what the rows hold cannot be told: drawn every time
        body = shared_store().get(_versioned_key(review, is_lead, version))
        return tuple(orjson.loads(body)) if body is not None else None
    if review.state != ReviewState.DECIDED:
        return None
    version = decided_rows_version(review.id)
    if version is not None:
        body = shared_store().get(_versioned_key(review, is_lead, version))
        return tuple(orjson.loads(body)) if body is not None else None
    record_hash = decisions.sealed_record_hash(review.id)
    if record_hash is None:
        return None  # decided before records were sealed: drawn every time
    body = shared_store().get(_sealed_key(review, is_lead, record_hash))
    if body is None:
        return None
    entry = orjson.loads(body)
    changed = not answers_match(review.id, entry["answers_digest"])
    drawn = entry["drawn"].get(str(changed))
    return tuple(drawn) if drawn is not None else None


def _sealed_key(review: Review, is_lead: bool, record_hash: str) -> tuple:
    return (*page_key(review, is_lead), record_hash)


def _versioned_key(review: Review, is_lead: bool, version: str) -> tuple:
    return (*page_key(review, is_lead), "rows", version)


def _keep(review: Review, is_lead: bool, results: ReviewResults, blocks: list[str]) -> None:
    """A closed review's blocks under its key and its rows' version; a decided review's
    under its rows' version, or beside the drawing for the other outcome of the answers'
    check, if one was kept."""
    store = shared_store()
    if review.state not in (ReviewState.CLOSED, ReviewState.DECIDED):
        return
    if results.rows_version is not None:
        store.put(_versioned_key(review, is_lead, results.rows_version), orjson.dumps(blocks))
        return
    if review.state == ReviewState.CLOSED:
        return  # what its rows hold could not be told: never kept
    record_hash = decisions.sealed_record_hash(review.id) if results.frozen else None
    if record_hash is None:
        return
    key = _sealed_key(review, is_lead, record_hash)
    known = store.get(key)
    entry = orjson.loads(known) if known is not None else {"drawn": {}}
    entry["answers_digest"] = results.answers_digest
    entry["drawn"][str(results.rows_changed)] = blocks
    store.put(key, orjson.dumps(entry))


def page_context(review: Review, is_lead: bool, results: ReviewResults) -> dict:
    """What reviews/compare.html is drawn from."""
    return {
        "review": review,
        "results": results,
        "is_lead": is_lead,
        # The page words the confidence chart from two counts; its table has a page.
        "chart_tables": chart_tables(results, points=False),
        "thresholds": current_thresholds(),
        "client_source": results.client_response,
        "decision_id": results.decision_id if results.frozen else None,
    }


def draw_and_keep(review: Review, is_lead: bool, results: ReviewResults):
    """Draw the blocks for this viewer, keep them (closed and decided reviews), return the
    whole page."""
    title, content = draw_blocks(page_context(review, is_lead, results))
    _keep(review, is_lead, results, [title, content])
    return framed(review, title, content)


def framed(review: Review, title: str, content: str):
    # Both were drawn by compare.html with autoescaping on: already safe HTML. (One line
    # each: bandit reads a `nosec` inside a longer statement as the statement's own.)
    title_html = Markup(title)  # noqa: S704  # nosec B704
    content_html = Markup(content)  # noqa: S704  # nosec B704
    return render_template(
        "reviews/compare_frame.html",
        review=review,
        page_title=title_html,
        page_content=content_html,
    )
