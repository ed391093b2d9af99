"""Stored XSS payloads in every text field stay inert on every page that shows them."""

from app.models import utcnow
from app.services import client_links, decisions
from app.services.decisions import DecisionInput
from tests import factories as f

PAYLOADS = [
    "<script>alert('s')</script>",
    "<img src=x onerror=alert('i')>",
    "\"><svg onload=alert('v')>",
    "'><iframe src=javascript:alert('f')>",
    "{{7*7}}<b onmouseover=alert('b')>x</b>",
]
ALL = " ".join(PAYLOADS)


def test_payloads_in_every_text_field_fire_no_dialog(
    page, new_page, live_server, make_user, make_client, browser_login
):
    f.ensure_catalogue()
    lead = make_user("lead", name=f"Lead {PAYLOADS[1]}")
    members = [make_user("member", name=f"M{i} {PAYLOADS[2]}") for i in range(3)]
    agency_client = make_client(f"Client {ALL}", actor=lead, notes=ALL, contact_name=PAYLOADS[0])
    review = f.open_review(lead, agency_client, members, conflict=f"Conflict {ALL}")
    for member in members:
        f.submit(
            review,
            member,
            f.full_response(
                choices={"muddy": f"Evidence {ALL}"}, comment=f"Comment {ALL}", consent_named=True
            ),
        )
    _, token = client_links.issue_link(review.id, lead, utcnow(), send_email=False)
    catalogue = f.ensure_catalogue()
    client_links.submit_client_view(
        token,
        {d.key: 4 for d in catalogue.dimensions},
        {"honesty": f"Client says {ALL}"},
        f"Overall {ALL}",
        utcnow(),
    )
    f.close(review, lead)
    decision = decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "confirmed"}, f"Rationale {ALL}"), utcnow()
    )
    open_review = f.open_review(lead, agency_client, members, conflict=f"Open {ALL}")
    _, fresh_token = client_links.issue_link(open_review.id, lead, utcnow(), send_email=False)

    browser_login(page, live_server, lead)
    paths = [
        "/",
        "/clients/",
        f"/clients/{agency_client.id}",
        "/reviews/",
        f"/reviews/{review.id}",
        f"/reviews/{review.id}/compare",
        f"/reviews/{open_review.id}",
        "/archive/",
        f"/archive/{decision.id}",
        f"/archive/{decision.id}/print",
        f"/archive/?q={PAYLOADS[0]}",
    ]
    for path in paths:
        page.goto(f"{live_server}{path}")
        page.mouse.move(200, 300)
        page.wait_for_timeout(50)
        assert page.dialogs == [], path
        assert page.locator("svg[onload], img[onerror], iframe, b[onmouseover]").count() == 0, path

    member_page = new_page()  # closed by the fixture; axe runs on the page it loads
    member_page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    member_page.goto(f"{live_server}/respond/{fresh_token}")
    assert page.dialogs == []
