import pytest
from markupsafe import escape

from app.extensions import db
from app.models import TeamAnswerRow, TeamResponseRow
from tests import factories as f
from tests.helpers import session_cookie_sent
from tests.web.conftest import answer_form


@pytest.fixture
def open_review(review_team):
    lead, members, _, agency_client = review_team
    return f.open_review(lead, agency_client, members)


def test_the_dashboard_lists_reviews_waiting_for_a_member(client, login, review_team, open_review):
    _, members, outsider, _ = review_team
    login(client, members[0])
    assert f"/reviews/{open_review.id}/answer".encode() in client.get("/").data
    client.post("/auth/logout")
    login(client, outsider)
    assert f"/reviews/{open_review.id}/answer".encode() not in client.get("/").data


def test_the_answer_form_shows_statements_categories_and_warning_signs(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    login(client, members[0])
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    catalogue = f.ensure_catalogue()
    for d in catalogue.dimensions:
        assert str(escape(d.team_statement)) in page
    muddy = catalogue.category("muddy")
    assert str(escape(muddy.name)) in page and str(escape(muddy.warning_signs[0])) in page
    assert "A conflict." in page


def test_a_draft_is_saved_and_resumed(client, login, review_team, open_review):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, rating=2, submit=False, choices={"muddy": "Vague brief"})
    response = client.post(f"/reviews/{open_review.id}/answer", data=data)
    assert response.status_code == 302
    row = db.session.query(TeamResponseRow).one()
    assert row.status == "draft"
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert 'value="2" checked' in page or 'checked value="2"' in page or "checked" in page
    assert "Vague brief" in page


def test_an_incomplete_submit_keeps_what_was_typed_and_says_what_is_missing(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    login(client, members[0])
    response = client.post(
        f"/reviews/{open_review.id}/answer",
        data={"submit": "1", "comment__honesty": "My unsaved comment"},
    )
    assert response.status_code == 400
    assert b"Rate the project&#39;s complexity" in response.data
    assert b"My unsaved comment" in response.data
    assert db.session.query(TeamResponseRow).filter_by(status="submitted").count() == 0


def test_submitting_locks_the_response_and_a_second_submit_is_refused(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    client.post(f"/reviews/{open_review.id}/answer", data=answer_form(catalogue, rating=4))
    second = client.post(
        f"/reviews/{open_review.id}/answer",
        data=answer_form(catalogue, rating=1),
        follow_redirects=True,
    )
    assert b"already submitted" in second.data
    assert {a.rating for a in db.session.query(TeamAnswerRow).all()} == {4}


THANKS = "Thank you. Your answer is submitted and locked."


def test_a_submit_is_thanked_by_its_address_without_a_session_write(
    app, client, login, review_team, open_review
):
    """The thanks comes with the redirect's address, not flashed into the session: the
    submit sends no cookie (the session was used a moment ago), and the page says it only
    to a member whose answer is submitted; a draft is still told by a flashed message."""
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    client.get(f"/reviews/{open_review.id}/answer")  # the form puts its CSRF token in
    draft = client.post(
        f"/reviews/{open_review.id}/answer", data=answer_form(catalogue, rating=3, submit=False)
    )
    assert "Draft saved." in client.get(draft.headers["Location"]).get_data(as_text=True)
    client.get("/")  # the flash read out of the session: the last change to it
    submit = client.post(f"/reviews/{open_review.id}/answer", data=answer_form(catalogue, rating=4))
    assert submit.status_code == 302
    assert submit.headers["Location"] == f"/reviews/{open_review.id}?submitted=1"
    assert session_cookie_sent(submit) is None
    page = client.get(submit.headers["Location"]).get_data(as_text=True)
    assert THANKS in page and 'class="flash flash-success"' in page
    assert THANKS not in client.get(f"/reviews/{open_review.id}").get_data(as_text=True)
    # Any other value thanks nobody and is never shown back.
    for value in ("0", "2", "yes", "<script>alert(1)</script>", "1" * 10_000, "\u202e1"):
        reply = client.get(f"/reviews/{open_review.id}", query_string={"submitted": value})
        page = reply.get_data(as_text=True)
        assert reply.status_code == 200 and THANKS not in page and "<script>alert" not in page
    # The same address opened by a member who has not submitted thanks nobody.
    other = app.test_client()
    login(other, members[1])
    assert THANKS not in other.get(submit.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "field,value",
    [
        ("rating", "0"),
        ("rating", "6"),
        ("rating", "abc"),
        ("confidence", "49"),
        ("confidence", "101"),
        ("confidence", "x"),
    ],
)
def test_out_of_range_values_are_refused_with_nothing_saved(
    client, login, review_team, open_review, field, value
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, **{f"{field}__honesty": value})
    response = client.post(f"/reviews/{open_review.id}/answer", data=data)
    assert response.status_code == 400
    assert db.session.query(TeamResponseRow).count() == 0


def test_huge_comments_are_limited_with_a_clear_message(client, login, review_team, open_review):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, comment__honesty="x" * 100_000)
    response = client.post(f"/reviews/{open_review.id}/answer", data=data)
    assert response.status_code == 400
    assert b"At most 2000 characters." in response.data
    assert db.session.query(TeamResponseRow).count() == 0


def test_an_outsider_gets_404_on_the_review_and_its_answer_form(
    client, login, review_team, open_review
):
    # The same 404 as a review that does not exist (issue 15).
    _, _, outsider, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, outsider)
    assert client.get(f"/reviews/{open_review.id}").status_code == 404
    assert client.get(f"/reviews/{open_review.id}/answer").status_code == 404
    assert (
        client.post(f"/reviews/{open_review.id}/answer", data=answer_form(catalogue)).status_code
        == 404
    )
    assert db.session.query(TeamResponseRow).count() == 0


def test_an_unknown_review_is_404(client, login, review_team):
    _, members, _, _ = review_team
    login(client, members[0])
    assert client.get("/reviews/999999").status_code == 404
    assert client.get("/reviews/999999/answer").status_code == 404


def test_a_response_after_closing_is_refused_and_nothing_changes(
    client, login, review_team, open_review
):
    lead, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    for m in members:
        f.submit(open_review, m)
    f.close(open_review, lead)
    login(client, members[0])
    response = client.post(
        f"/reviews/{open_review.id}/answer",
        data=answer_form(catalogue, rating=1),
        follow_redirects=True,
    )
    assert b"already submitted" in response.data or b"closed" in response.data
    assert {a.rating for a in db.session.query(TeamAnswerRow).all()} == {4}


def test_a_draft_posted_after_closing_is_refused(client, login, review_team, make_user):
    lead, members, _, agency_client = review_team
    catalogue = f.ensure_catalogue()
    late = make_user("member")
    review = f.open_review(lead, agency_client, [*members, late], quorum=3)
    for member in members:
        f.submit(review, member)
    f.close(review, lead)
    login(client, late)
    response = client.post(
        f"/reviews/{review.id}/answer", data=answer_form(catalogue), follow_redirects=True
    )
    assert b"This review is closed" in response.data
    assert db.session.query(TeamResponseRow).filter_by(user_id=late.id).count() == 0


def test_html_in_evidence_and_comments_is_escaped_on_the_comparison(
    client, login, review_team, open_review
):
    lead, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    payload = '<img src=x onerror="alert(1)">'
    login(client, members[0])
    client.post(
        f"/reviews/{open_review.id}/answer",
        data=answer_form(catalogue, choices={"muddy": payload}, consent_named="y"),
    )
    client.post("/auth/logout")
    for m in members[1:]:
        f.submit(open_review, m)
    f.close(open_review, lead)
    login(client, lead)
    page = client.get(f"/reviews/{open_review.id}/compare").get_data(as_text=True)
    assert payload not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page
