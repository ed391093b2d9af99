"""The member's form guides instead of losing work: every problem at once, linked to its
marked field; drafts kept without the refused value; evidence never silently dropped;
confidence as steps; a confirmation before submitting; the submitted answer readable."""

import re
from urllib.parse import urlencode

import pytest

from app.extensions import db
from app.models import CategoryChoiceRow, TeamAnswerRow, TeamResponseRow
from app.respond.forms import COMMENT_MAX
from app.reviews.answer_forms import CONFIDENCE_STEPS, EVIDENCE_MAX
from tests import factories as f
from tests.web.conftest import answer_form


@pytest.fixture
def open_review(review_team):
    lead, members, _, agency_client = review_team
    return f.open_review(lead, agency_client, members)


def _post(client, review, data):
    return client.post(f"/reviews/{review.id}/answer", data=data)


def test_an_empty_submission_lists_every_missing_item_linked_to_its_marked_field(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    page = _post(client, open_review, {"submit": "1", "confirm_submit": "y"}).get_data(as_text=True)
    for d in catalogue.dimensions:
        assert f'href="#rating__{d.key}-0"' in page
        assert f'href="#confidence__{d.key}-0"' in page
        assert f'id="rating__{d.key}-0"' in page
    assert 'href="#complexity-0"' in page
    invalid_ids = set(
        re.findall(r'<input aria-describedby="[^"]*" aria-invalid="true"[^>]*id="([^"]+)"', page)
    )
    invalid_groups = {i.rsplit("-", 1)[0] for i in invalid_ids}
    expected = {
        f"{kind}__{d.key}" for d in catalogue.dimensions for kind in ("rating", "confidence")
    }
    assert invalid_groups == expected | {"complexity"}
    assert "None" not in re.findall(r'aria-[a-z]+="([^"]*)"', page)


def test_a_valid_page_marks_nothing_invalid_and_renders_no_none_attributes(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    login(client, members[0])
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert "aria-invalid" not in page
    assert '="None"' not in page


@pytest.mark.parametrize(
    "field,value", [("confidence", "49"), ("rating", "9"), ("confidence", "x")]
)
def test_a_draft_with_one_bad_value_keeps_the_rest_and_reports_that_value(
    client, login, review_team, open_review, field, value
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, rating=2, submit=False, choices={"muddy": "Vague brief"})
    data[f"{field}__honesty"] = value
    response = _post(client, open_review, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Draft saved, except" in page
    assert f'href="#{field}__honesty-0"' in page
    row = db.session.query(TeamResponseRow).one()
    assert row.status == "draft"
    answers = {a.dimension_key: a for a in db.session.query(TeamAnswerRow)}
    assert len(answers) == len(catalogue.dimensions)
    assert getattr(answers["honesty"], field) is None
    assert db.session.query(CategoryChoiceRow).one().evidence == "Vague brief"


def test_evidence_under_an_unticked_category_is_refused_with_a_message_never_dropped(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, evidence__muddy="They changed the brief weekly")
    response = _post(client, open_review, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "did not tick this category" in page
    assert 'href="#evidence__muddy"' in page
    assert "They changed the brief weekly" in page
    assert db.session.query(TeamResponseRow).filter_by(status="submitted").count() == 0
    # A draft with the same evidence: everything else is saved, the evidence reported.
    data = answer_form(catalogue, submit=False, evidence__muddy="They changed the brief weekly")
    page = _post(client, open_review, data).get_data(as_text=True)
    assert "Draft saved, except" in page and "They changed the brief weekly" in page
    assert db.session.query(TeamAnswerRow).count() == len(catalogue.dimensions)


def test_confidence_is_a_choice_of_steps_with_a_meaning(client, login, review_team, open_review):
    _, members, _, _ = review_team
    login(client, members[0])
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert CONFIDENCE_STEPS == (50, 60, 70, 80, 90, 100)
    for step in CONFIDENCE_STEPS:
        assert f'name="confidence__honesty" type="radio" value="{step}"' in page
    assert 'type="number"' not in page
    assert "50 % – a guess" in page and "100 % – certain" in page


def test_submitting_needs_the_confirmation_box_and_keeps_the_answers_without_it(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, comment__honesty="Kept comment")
    del data["confirm_submit"]
    response = _post(client, open_review, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'href="#confirm_submit"' in page and "Kept comment" in page
    assert db.session.query(TeamResponseRow).count() == 0
    assert _post(client, open_review, answer_form(catalogue)).status_code == 302
    assert db.session.query(TeamResponseRow).one().status == "submitted"


def test_the_member_reads_their_own_submitted_answer_read_only(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(
        catalogue, choices={"muddy": "<script>x</script> Brief changed"}, comment__honesty="Mine"
    )
    _post(client, open_review, data)
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert "Your submitted answer" in page
    assert "&lt;script&gt;x&lt;/script&gt; Brief changed" in page and "Mine" in page
    assert '<form method="post" novalidate class="answer-form"' not in page
    client.post("/auth/logout")
    login(client, members[1])
    other = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert "Brief changed" not in other


def test_text_limits_are_given_to_the_browser_and_a_full_form_fits_the_request_limit(
    app, client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert f'maxlength="{COMMENT_MAX}" name="comment__honesty"' in page
    assert f'maxlength="{EVIDENCE_MAX}" name="evidence__muddy"' in page
    # The worst case: every box full of 4-byte characters, percent-encoded (12 bytes each).
    widest = "😀"
    data = answer_form(catalogue, submit=False)
    for d in catalogue.dimensions:
        data[f"comment__{d.key}"] = widest * COMMENT_MAX
    for c in catalogue.categories:
        data[f"choose__{c.key}"] = "y"
        data[f"evidence__{c.key}"] = widest * EVIDENCE_MAX
    body = urlencode(data).encode()
    assert len(body) < app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        f"/reviews/{open_review.id}/answer",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert db.session.query(CategoryChoiceRow).count() == len(catalogue.categories)


def test_the_progress_counts_statements_with_rating_and_confidence(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, submit=False)
    data["confidence__honesty"] = ""
    _post(client, open_review, data)
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    total = len(catalogue.dimensions)
    assert f'max="{total}" value="{total - 1}"' in page
    assert f"{total - 1} of {total} statements answered" in page


def test_a_draft_confidence_off_the_steps_is_shown_checked_and_kept(
    client, login, review_team, open_review
):
    _, members, _, _ = review_team
    catalogue = f.ensure_catalogue()
    login(client, members[0])
    data = answer_form(catalogue, submit=False)
    data["confidence__honesty"] = "85"  # saved when confidence was a number box
    assert _post(client, open_review, data).status_code == 302
    page = client.get(f"/reviews/{open_review.id}/answer").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="confidence__honesty"[^>]*value="85"', page)
