"""Three members a point apart on the one question a category links: r_wg reaches its bar,
but random answers are that alike 23.2 % of the time. The pages say so in each language,
the category cannot be confirmed, and the sealed record keeps the chance."""

from __future__ import annotations

import pytest
from flask import render_template_string

from app.domain.agreement import team_agreement
from app.domain.conditions import team_agreement_condition
from app.domain.verdict import Verdict
from app.extensions import db
from app.models import Decision
from tests import factories as f
from tests.web.conftest import CONFIRM_STEP

# (the sentence, the chance and the bar as the language writes them)
WORDING = {
    "en": ("so few people can be this alike by luck", "23.2", "5.0"),
    "da": ("så få personer kan være så enige af ren tilfældighed", "23,2", "5,0"),
    "hu": ("a véletlen folytán is lehet ilyen egyforma", "23,2", "5,0"),
}
# How each language writes a share in a sentence: Hungarian puts the sign on the number.
PERCENT_SIGN = {"en": " %", "da": " %", "hu": "%"}
ROW = {
    "en": "Chance that random answers are as alike on every linked question",
    "da": "Sandsynligheden for, at tilfældige svar er lige så ens",
    "hu": "Annak esélye, hogy a véletlenszerű válaszok",
}


def _closed(review_team, followup_ratings):
    """The team rates "eternal debtor"'s one question `followup_ratings`, 70 % sure; the
    client rates it 5."""
    lead, members, _, agency_client = review_team
    answers = [(rating, 70) for rating in followup_ratings]
    review, _labels = f.closed_on_followup(lead, agency_client, members, answers, 5)
    return lead, review


def _decide(client, review, outcome: str, rationale: str):
    """The lead's decision on "eternal debtor", confirmation step included."""
    data = {"outcome__eternal_debtor": outcome, "rationale": rationale, **CONFIRM_STEP}
    return client.post(f"/reviews/{review.id}/decide", data=data)


@pytest.mark.parametrize("language", ["en", "da", "hu"])
def test_the_pages_say_that_luck_may_explain_the_likeness(client, login, review_team, language):
    lead, review = _closed(review_team, [4, 4, 5])
    login(client, lead)
    headers = {"Accept-Language": language}
    sentence, chance, bar = WORDING[language]
    for page in ("compare", "decide"):
        text = client.get(f"/reviews/{review.id}/{page}", headers=headers).get_data(as_text=True)
        assert sentence in text, page
        sign = PERCENT_SIGN[language]
        assert f"{chance}{sign}" in text and f"{bar}{sign}" in text, page
    compare = client.get(f"/reviews/{review.id}/compare", headers=headers).get_data(as_text=True)
    assert ROW[language] in compare
    title = f.ensure_catalogue().localized(language).dimension("invoicing_followup").title
    # The question inside the sentence, in each language's own quotation marks.
    quoted = {"en": f"on “{title}”", "da": f"på “{title}”", "hu": f"kérdésekben – „{title}”"}
    assert quoted[language] in compare


def test_a_category_agreed_only_as_far_as_luck_goes_cannot_be_confirmed(client, login, review_team):
    lead, review = _closed(review_team, [4, 4, 5])
    login(client, lead)
    assert _decide(client, review, "confirmed", "We are sure.").status_code == 400
    assert db.session.query(Decision).count() == 0
    done = _decide(client, review, "not_confirmed", "Three of us is too few to be sure.")
    assert done.status_code == 302
    decision = db.session.query(Decision).one()
    condition = next(
        c for c in decision.record["verdicts"][0]["conditions"] if c["key"] == "team_agreement"
    )
    assert condition["reason"] == "chance" and not condition["passed"]
    assert condition["params"]["chance"] == pytest.approx(29 / 125)
    assert condition["params"]["chance_bar"] == pytest.approx(0.05)
    assert decision.record["thresholds"]["agreement_chance"] == "1/20"
    archived = client.get(f"/archive/{decision.id}").get_data(as_text=True)
    assert WORDING["en"][0] in archived and "23.2 %" in archived


def test_three_unanimous_members_can_confirm(client, login, review_team):
    lead, review = _closed(review_team, [4, 4, 4])
    login(client, lead)
    page = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert WORDING["en"][0] not in page
    assert "4.0\u00a0%" in page  # five unanimous answer sets in 125
    assert _decide(client, review, "confirmed", "All three agree.").status_code == 302
    assert db.session.query(Decision).one().any_confirmed


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("en", "a small team can agree by luck"),
        ("da", "et lille team kan være enigt af ren tilfældighed"),
        ("hu", "egy kis csapat a véletlen folytán is lehet egyetértő"),
    ],
)
def test_the_open_form_warns_that_a_small_team_can_agree_by_luck(
    client, login, review_team, language, hint
):
    login(client, review_team[0])
    page = client.get("/reviews/new", headers={"Accept-Language": language})
    assert hint in page.get_data(as_text=True)


@pytest.mark.parametrize(("raters", "shown"), [(100, "0.0\u00a0%"), (101, "≤&#160;0.7\u00a0%")])
def test_a_bound_is_shown_as_a_bound(app, raters, shown):
    """Above 100 raters the chance is an upper bound (app/domain/chance.py): the details
    say "at most" rather than give it as the chance itself."""
    team = {f"M{i}": {"invoicing_followup": 4} for i in range(raters)}
    agreement = team_agreement(team, ["invoicing_followup"], 0.70, 1 / 20)
    verdict = Verdict(
        "eternal_debtor", True, False, (team_agreement_condition(agreement),), agreement, ()
    )
    names = {"dimensions": {}, "categories": {}}
    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros/verdicts.html" import verdict_card %}{{ verdict_card(v, n) }}',
            v=verdict,
            n=names,
        )
    assert f'<td class="num">{shown}</td>' in html


@pytest.mark.parametrize(
    ("chance", "shown"),
    [(0.232, "23.2"), (0.0504, "5.04"), (0.0496, "4.96"), (0.05, "5.0"), (0.0004, "0.0")],
)
def test_a_chance_next_to_its_bar_never_reads_as_the_bar(app, chance, shown):
    template = '{% from "_macros/verdicts.html" import chance_share %}{{ chance_share(c, 0.05) }}'
    with app.test_request_context():
        assert render_template_string(template, c=chance) == shown
