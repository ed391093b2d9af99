"""The comparison page binds gettext, ngettext and the `number` filter to the reader's
language once per render (app/reviews/compare_page.py). It must draw exactly what the
app's own Flask-Babel callables draw, in every language, escaping included."""

from __future__ import annotations

import pytest
from flask_babel import refresh
from jinja2 import ChoiceLoader, DictLoader, pass_context

from app.reviews import compare_page
from app.services.review_data import results_for
from tests import factories as f

# Words each catalogue uses on this page, so a test cannot pass by drawing English twice.
LANGUAGE_WORDS = {"en": "Team and client compared", "da": "Team og kunde", "hu": "Csapat"}


@pytest.fixture
def flagged_review(make_user, make_client):
    """A closed review with named members, evidence and members sure of themselves well
    above the client (overconfidence rows), and markup in the texts that are put in."""
    lead = make_user("lead")
    team = [make_user("member", name=f"Member <{i}> & Co") for i in range(4)]
    client = make_client(name='Smith & "Sons" <Ltd>', actor=lead)
    review = f.open_review(lead, client, team)
    for index, member in enumerate(team):
        f.submit(
            review,
            member,
            f.full_response(
                rating=2 + index % 4,
                confidence=70 + 10 * index,
                choices={"muddy": f"Evidence <b>{index}</b> & more."},
                consent_named=True,
                comment=f"Comment <i>{index}</i>.",
            ),
        )
    f.client_answers(review, lead, rating=2)
    f.close(review, lead)
    return f.reload(review)


def plain_blocks(app, context: dict) -> str:
    """The blocks drawn with the app's own environment: Flask-Babel's callables."""
    environment = app.jinja_env.overlay(
        loader=ChoiceLoader(
            [DictLoader({"base.html": compare_page.BARE_BASE}), app.jinja_env.loader]
        )
    )
    app.update_template_context(context)
    return environment.get_template("reviews/compare.html").render(context)


@pytest.mark.parametrize("language", ["en", "da", "hu"])
def test_the_bound_page_is_byte_identical_to_flask_babels(app, flagged_review, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the tests' app context outlives the request: forget its locale
        results = results_for(flagged_review)
        assert results.scores.flags, "the review must show overconfident members"
        context = compare_page.page_context(flagged_review, True, results)
        bound = compare_page.SEPARATOR.join(compare_page.draw_blocks(dict(context)))
        plain = plain_blocks(app, dict(context))
    assert bound == plain
    assert LANGUAGE_WORDS[language] in bound
    assert "Smith &amp; &#34;Sons&#34; &lt;Ltd&gt;" in bound
    assert "<b>" not in bound and "<Ltd>" not in bound


def test_each_language_keeps_its_own_bound_environment(app, flagged_review):
    drawn = {}
    for language in ("da", "en", "da"):
        with app.test_request_context(headers={"Accept-Language": language}):
            refresh()  # the tests' app context outlives the request: forget its locale
            results = results_for(flagged_review)
            context = compare_page.page_context(flagged_review, False, results)
            drawn.setdefault(language, set()).add(compare_page.draw_blocks(context)[1])
    assert len(drawn["da"]) == 1 and drawn["da"] != drawn["en"]
    # Team means of ratings 2, 3, 4 and 5 in each language's decimal sign.
    assert ">3,50</td>" in drawn["da"].pop() and ">3.50</td>" in drawn["en"].pop()


def test_the_column_names_are_compiled_in_not_translated_per_row(app, flagged_review):
    """Each row names its nine columns for the phone layout: as words compiled into the
    page's template (app/reviews/translated_literals.py), never a gettext call per cell."""
    with app.test_request_context(headers={"Accept-Language": "da"}):
        refresh()
        environment = compare_page._blocks_environment()
        bound = environment.globals["_"]
        asked: list[str] = []

        @pass_context
        def counting(context, text, **values):
            asked.append(text)
            return bound(context, text, **values)

        environment.globals = {**environment.globals, "_": counting}
        environment.cache.clear()  # loaded templates hold the globals they were loaded with
        try:
            context = compare_page.page_context(flagged_review, True, results_for(flagged_review))
            content = compare_page.draw_blocks(dict(context))[1]
        finally:
            environment.globals = {**environment.globals, "_": bound}
            environment.cache.clear()
    assert 'data-label="Teamets gennemsnit"' in content
    assert "Team mean" not in asked and "Std. dev." not in asked
    assert asked  # sentences with values are still translated as the page is drawn
