"""The archive's page lists members who were sure and rated the team above the client one
line per question (a 100-member review has thousands of such flags; one sentence each
made the page take half a second), each member with their rating and how sure they were,
in the reader's language."""

import re

import pytest

from app.models import utcnow
from app.services import decisions
from app.services.decisions import DecisionInput
from tests import factories as f


@pytest.fixture
def flagged(make_user, make_client):
    """Three members sure of a 5 (two at 90 %, one at 100 %) on two questions the client
    rated 1; the rest rated alike by all."""
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client("Flagged Freight", actor=lead), team)
    keys = [d.key for d in f.ensure_catalogue().dimensions][:2]
    for index, member in enumerate(team):
        sure = 100 if index == 2 else 90
        answers = f.full_response(
            rating=3,
            confidence=60,
            overrides={key: (5, sure) for key in keys},
            choices={"muddy": "Goals moved."},
        )
        f.submit(review, member, answers)
    f.client_answers(review, lead, rating=3, overrides=dict.fromkeys(keys, 1))
    f.close(review, lead)
    decision = decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "not_confirmed"}, "Not enough."), utcnow()
    )
    return lead, decision, keys


def _flag_lines(html: str) -> list[str]:
    section = html.split('<section class="alert">', 1)[1].split("</section>", 1)[0]
    return [
        re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", section, re.S)
    ]


def test_one_line_per_question_names_each_sure_member(client, login, flagged):
    lead, decision, keys = flagged
    login(client, lead)
    lines = _flag_lines(client.get(f"/archive/{decision.id}").get_data(as_text=True))
    flags = decision.record["scores"]["flags"]
    assert len(flags) == 6 and len(lines) == 2
    labels = sorted({flag["who"] for flag in flags})
    for line in lines:
        assert "The client rated it 1; 3 members rated it higher and were sure" in line
        members = ", ".join(
            f"{flag['who']} (5, {int(flag['confidence'])} %)"
            for flag in flags
            if flag["dimension_key"] == flags[0]["dimension_key"]
        )
        assert members in line
    assert all(label in lines[0] for label in labels)


def test_the_line_is_worded_in_the_readers_language(client, login, flagged):
    lead, decision, _keys = flagged
    login(client, lead)
    html = client.get(f"/archive/{decision.id}", headers={"Accept-Language": "da"})
    lines = _flag_lines(html.get_data(as_text=True))
    assert "Kunden vurderede det til 1; 3 medlemmer vurderede det højere" in lines[0]
    assert re.search(r"Medlem [A-Z] \(5, 100 %\)", lines[0])
    assert "Member " not in lines[0]
