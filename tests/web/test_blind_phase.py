"""Before close nobody sees another participant's answers or any aggregate (PITFALLS 1-2)."""

from tests import factories as f

SECRETS = ("SECRET-EVIDENCE-7731", "SECRET-COMMENT-7731")


def test_no_page_leaks_answers_before_close(client, login, review_team):
    lead, members, outsider, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(
        review,
        members[0],
        f.full_response(rating=2, choices={"muddy": SECRETS[0]}, comment=SECRETS[1]),
    )
    pages = [
        "/",
        "/reviews/",
        f"/reviews/{review.id}",
        f"/reviews/{review.id}/answer",
        f"/reviews/{review.id}/compare",
        f"/reviews/{review.id}/decide",
        f"/clients/{agency_client.id}",
    ]
    for viewer in (lead, members[1], outsider):
        login(client, viewer)
        for path in pages:
            body = client.get(path).get_data(as_text=True)
            for secret in SECRETS:
                assert secret not in body, (viewer.name, path)
            assert "Muddy" not in body or path.endswith("/answer"), (viewer.name, path)
            assert "team mean" not in body.lower(), (viewer.name, path)
        client.post("/auth/logout")


def test_the_lead_sees_who_submitted_but_no_time_or_content(client, login, review_team):
    lead, members, _, agency_client = review_team
    review = f.open_review(lead, agency_client, members)
    f.submit(review, members[0], f.full_response(rating=2, choices={"muddy": SECRETS[0]}))
    login(client, lead)
    body = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert '<bdi>Member One</bdi> — <span class="pass">submitted' in body
    assert '<bdi>Member Two</bdi> — <span class="muted">not yet' in body
    assert "1 of 3 required answers submitted." in body
    assert SECRETS[0] not in body
