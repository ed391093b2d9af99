from datetime import timedelta

from app.extensions import db
from app.models import AuditEvent, Client, Review, utcnow


def _form(agency_client, members, **overrides):
    data = {
        "client": str(agency_client.id),
        "conflict": "Invoices unpaid for three months.",
        "participants": [str(m.id) for m in members],
        "deadline": (utcnow() + timedelta(days=5)).date().isoformat(),
        "quorum": "3",
        "complexity_floor": "3",
    }
    data.update(overrides)
    return data


def test_lead_opens_a_review_and_the_client_goes_under_review(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    page = client.get("/reviews/new")
    assert page.status_code == 200 and b'value="3"' in page.data  # default quorum from thresholds
    response = client.post("/reviews/new", data=_form(agency_client, members))
    assert response.status_code == 302
    review = db.session.query(Review).one()
    assert response.headers["Location"] == f"/reviews/{review.id}"
    assert db.session.get(Client, agency_client.id).status == "under_review"
    assert db.session.query(AuditEvent).filter_by(action="review.opened").count() == 1


def test_the_open_form_has_no_category_field(client, login, review_team):
    lead, *_ = review_team
    login(client, lead)
    page = client.get("/reviews/new").get_data(as_text=True)
    assert "choose__" not in page and "Muddy" not in page


def test_members_cannot_open_reviews(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, members[0])
    assert client.get("/reviews/new").status_code == 403
    assert client.post("/reviews/new", data=_form(agency_client, members)).status_code == 403
    assert db.session.query(Review).count() == 0


def test_fewer_than_three_participants_warns_the_lead(login, review_team, app_with_thresholds):
    # Only a deployment that lowered min_respondents to 2 can open a review with two people.
    lead, members, _, agency_client = review_team
    client = app_with_thresholds(min_respondents="2").test_client()
    login(client, lead)
    response = client.post(
        "/reviews/new", data=_form(agency_client, members[:2], quorum="2"), follow_redirects=True
    )
    assert b"fewer than three participants" in response.data


def test_bad_open_input_is_refused_and_nothing_is_created(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    bad = [
        {"conflict": ""},
        {"conflict": "x" * 5001},
        {"participants": []},
        {"quorum": "0"},
        {"quorum": "abc"},
        {"quorum": "4"},  # more than the three participants
        {"deadline": "2020-01-01"},
        {"deadline": "not-a-date"},
        {"client": "999999"},
        {"participants": ["999999"]},
    ]
    for overrides in bad:
        response = client.post("/reviews/new", data=_form(agency_client, members, **overrides))
        assert response.status_code == 400, overrides
    assert db.session.query(Review).count() == 0


def test_html_in_the_conflict_is_shown_escaped(client, login, review_team):
    lead, members, _, agency_client = review_team
    login(client, lead)
    client.post(
        "/reviews/new", data=_form(agency_client, members, conflict="<script>alert(1)</script>")
    )
    review = db.session.query(Review).one()
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Client &lt;b&gt;Bold&lt;/b&gt; AS" in page
