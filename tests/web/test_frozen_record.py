"""A decided review is frozen: its pages come from the sealed record, never from rows,
and they say so when the rows no longer match the record."""

import re

from app.extensions import db
from app.models import Decision, utcnow
from app.services import client_links, decisions
from app.services.decisions import DecisionInput
from tests import factories as f
from tests.archive_factory import tamper, tamper_from_outside


def _decided(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member", name=f"Member {n}") for n in range(3)]
    review = f.open_review(lead, make_client("Frozen Foods", actor=lead), team)
    for index, member in enumerate(team):
        f.submit(
            review,
            member,
            f.full_response(
                rating=4,
                choices={"muddy": f"Evidence number {index}: goals moved weekly."},
                comment=f"Comment from member {index}",
                consent_named=index == 0,
            ),
        )
    catalogue = f.ensure_catalogue()
    token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)[1]
    client_links.submit_client_view(
        token,
        {d.key: 4 for d in catalogue.dimensions},
        {"goals_agreed": "We never saw written goals."},
        "Overall we were unhappy with the kick-off.",
        utcnow(),
    )
    f.close(review, lead)
    decision = decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "not_confirmed"}, "Unclear."), utcnow()
    )
    return lead, review, decision


def _team_mean_cells(html: str) -> list[str]:
    return re.findall(r'<td class="num">(\d\.\d\d)</td>', html)


def test_a_decided_reviews_comparison_comes_from_its_record(client, login, make_user, make_client):
    lead, review, decision = _decided(make_user, make_client)
    login(client, lead)
    before = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "sealed record of the decision" in before and "were changed after" not in before
    tamper(
        "UPDATE team_answers SET rating = 1, comment = 'Rewritten' WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )
    after = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "were changed after the decision" in after
    assert _team_mean_cells(after) == _team_mean_cells(before)  # the record, not the rows
    assert "Rewritten" not in after and "Comment from member 1" in after
    for kind in ("divergence", "confidence", "votes"):
        chart = client.get(f"/graphs/reviews/{review.id}/{kind}.svg")
        assert chart.status_code == 200 and b"<svg" in chart.data


def test_an_edit_from_another_connection_shows_on_the_next_request(
    client, login, make_user, make_client
):
    """The pages keep their check while nothing is written (unchanged_database.py); a
    commit from a client of the database's own, not the app's, is a write all the same."""
    lead, review, decision = _decided(make_user, make_client)
    login(client, lead)
    pages = (f"/reviews/{review.id}/compare", f"/archive/{decision.id}")
    for _ in range(2):  # drawn, then kept with its check
        assert "were changed after" not in client.get(pages[0]).get_data(as_text=True)
        assert "This record verifies." in client.get(pages[1]).get_data(as_text=True)
    tamper_from_outside(
        "UPDATE team_answers SET rating = 1 WHERE response_id IN "
        "(SELECT id FROM team_responses WHERE review_id = :id)",
        id=review.id,
    )
    assert "were changed after the decision" in client.get(pages[0]).get_data(as_text=True)
    assert "This record does NOT verify." in client.get(pages[1]).get_data(as_text=True)


def test_the_archive_shows_evidence_comments_and_the_clients_words(
    client, login, make_user, make_client
):
    lead, review, decision = _decided(make_user, make_client)
    login(client, lead)
    for path in (f"/archive/{decision.id}", f"/archive/{decision.id}/print"):
        html = client.get(path).get_data(as_text=True)
        for text in (
            "Evidence number 0: goals moved weekly.",
            "Member 0",  # named with consent, beside their evidence
            "Comment from member 2",
            "We never saw written goals.",
            "Overall we were unhappy with the kick-off.",
        ):
            assert text in html, (path, text)
        assert "Member 1</span>" not in html  # not named without consent


def test_the_comparison_shows_members_comments_anonymously(client, login, make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member", name=f"Person {n}") for n in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    for index, member in enumerate(team):
        f.submit(review, member, f.full_response(comment=f"Note {index}"))
    f.close(review, lead)
    login(client, lead)
    html = client.get(f"/reviews/{review.id}/compare").get_data(as_text=True)
    assert "Members&#39; comments" in html or "Members' comments" in html
    assert all(f"Note {n}" in html for n in range(3))
    assert "Person 1" not in html
    decision = db.session.query(Decision).filter_by(review_id=review.id).one_or_none()
    assert decision is None


def test_the_archive_calls_it_the_paradox_only_where_the_gate_blocked(runner, client, login):
    assert runner.invoke(args=["setup-local"]).exit_code == 0
    from app.models import Client, User

    lead = db.session.query(User).filter_by(email="lead@demo.candor").one()
    login(client, lead, password="candor-demo-2026")
    pages = {}
    for name in ("Twinhead Media", "Foggy Ventures"):
        client_id = db.session.query(Client).filter_by(name=name).one().id
        decision = db.session.query(Decision).filter_by(client_id=client_id).one()
        pages[name] = client.get(f"/archive/{decision.id}").get_data(as_text=True)
    assert "Members sure of themselves and above the client" in pages["Twinhead Media"]
    assert "Overconfidence flags" not in pages["Twinhead Media"]
    assert "Overconfidence flags" in pages["Foggy Ventures"]
    assert "Complexity level 3, fixed when the review opened" in pages["Foggy Ventures"]
