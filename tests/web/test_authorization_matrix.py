"""Every route the app registers, visited by every kind of visitor.

The table must name every endpoint in `app.url_map`: a new route without a row fails
`test_every_route_has_a_row`, so nobody can add a page without deciding who may see it.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import ClientLink, utcnow
from app.services import client_links, decisions
from app.services.decisions import DecisionInput
from tests import factories as f
from tests.helpers import PASSWORD

ROLES = ("anonymous", "token", "outsider", "participant", "other_lead", "lead", "admin")
LOGIN = 302  # anonymous visitors are redirected to the login page


def row(method, path, data=None, **expected):
    """expected: role -> status. Groups: 'members' = outsider + participant,
    'leads' = other_lead + lead + admin,
    'logged_in' every logged-in role, 'everyone' all roles."""
    statuses = {}
    for group, roles in (
        ("everyone", ROLES),
        ("logged_in", ROLES[2:]),
        ("anon", ROLES[:2]),
        ("members", ("outsider", "participant")),
        ("leads", ("other_lead", "lead", "admin")),
    ):
        if group in expected:
            statuses.update(dict.fromkeys(roles, expected.pop(group)))
    statuses.update(expected)
    statuses.setdefault("anonymous", LOGIN)
    statuses.setdefault("token", statuses["anonymous"])
    missing = set(ROLES) - set(statuses)
    assert not missing, f"{path}: no expectation for {missing}"
    return method, path, data or {}, statuses


ADMIN_ONLY = {"logged_in": 403, "admin": 200}
LEADS_ONLY = {"members": 403, "leads": 200}
# Whoever is not part of a review gets the 404 of a missing one (issue 15): a 403 would
# tell which ids exist. A participant asking for a lead's action gets 403.
OPEN_REVIEW_PEOPLE = {
    "outsider": 404,
    "participant": 200,
    "other_lead": 404,
    "lead": 200,
    "admin": 200,
}
DECISION_READERS = {
    "outsider": 404,
    "participant": 200,
    "other_lead": 200,
    "lead": 200,
    "admin": 200,
}

MATRIX = {
    "main.dashboard": row("GET", "/", logged_in=200),
    "main.about": row("GET", "/about", everyone=200),
    "main.profile": row("GET", "/profile", logged_in=200),
    "main.favicon": row("GET", "/favicon.ico", everyone=200),
    "main.healthz": row("GET", "/healthz", everyone=200),
    "static": row("GET", "/static/css/candor.css", everyone=200),
    "auth.login": row("GET", "/auth/login", anon=200, logged_in=302),
    "auth.logout": row("POST", "/auth/logout", everyone=302),
    "auth.change_password": row("GET", "/auth/password", logged_in=200),
    "admin.user_list": row("GET", "/admin/users", **ADMIN_ONLY),
    "admin.user_create": row("GET", "/admin/users/new", **ADMIN_ONLY),
    "admin.catalogue_edit": row("GET", "/admin/catalogue", **ADMIN_ONLY),
    "admin.user_role": row(
        "POST", "/admin/users/{spare}/role", {"role": "member"}, logged_in=403, admin=302
    ),
    "admin.user_deactivate": row(
        "POST", "/admin/users/{spare}/deactivate", logged_in=403, admin=302
    ),
    "admin.user_activate": row("POST", "/admin/users/{spare}/activate", logged_in=403, admin=302),
    "clients.index": row("GET", "/clients/", logged_in=200),
    "clients.detail": row("GET", "/clients/{client}", logged_in=200),
    "clients.create": row("GET", "/clients/new", **LEADS_ONLY),
    "clients.edit": row("GET", "/clients/{client}/edit", **LEADS_ONLY),
    "clients.archive": row("POST", "/clients/{spare_client}/archive", members=403, leads=302),
    "clients.restore": row("POST", "/clients/{spare_client}/restore", members=403, leads=302),
    "reviews.index": row("GET", "/reviews/", logged_in=200),
    "reviews.open": row("GET", "/reviews/new", **LEADS_ONLY),
    "reviews.detail": row("GET", "/reviews/{open}", **OPEN_REVIEW_PEOPLE),
    "reviews.answer": row(
        "GET",
        "/reviews/{open}/answer",
        outsider=404,
        other_lead=404,
        participant=200,
        lead=403,
        admin=403,
    ),
    "reviews.extend_deadline": row(
        "POST",
        "/reviews/{open}/deadline",
        {"deadline": "2099-01-01"},
        members=403,  # the role is refused first, whatever the id
        other_lead=404,
        lead=302,
        admin=302,
    ),
    "reviews.close": row(
        "POST",
        "/reviews/{open}/close",
        {"confirm": "y"},
        members=403,  # the role is refused first, whatever the id
        other_lead=404,
        lead=302,
        admin=302,
    ),
    "reviews.change": row(
        "GET", "/reviews/{open}/change", members=403, other_lead=404, lead=200, admin=200
    ),
    "reviews.cancel": row(
        "GET", "/reviews/{open}/cancel", members=403, other_lead=404, lead=200, admin=200
    ),
    "reviews.issue_link": row(
        "POST", "/reviews/{open}/links", members=403, other_lead=404, lead=303, admin=303
    ),
    "reviews.show_link": row(
        "GET", "/reviews/{open}/links/{link}", members=403, other_lead=404, lead=200, admin=200
    ),
    # Without the token the page showed, the lead's request is refused as malformed.
    "reviews.email_link": row(
        "POST",
        "/reviews/{open}/links/{link}/email",
        members=403,
        other_lead=404,
        lead=400,
        admin=400,
    ),
    "reviews.revoke_link": row(
        "POST",
        "/reviews/{open}/links/{link}/revoke",
        members=403,  # the role is refused first, whatever the id
        other_lead=404,
        lead=302,
        admin=302,
    ),
    "reviews.record_client_view": row(
        "GET",
        "/reviews/{open}/client-view",
        members=403,  # the role is refused first, whatever the id
        other_lead=404,
        lead=200,
        admin=200,
    ),
    "reviews.compare": row("GET", "/reviews/{closed}/compare", **OPEN_REVIEW_PEOPLE),
    "reviews.decide": row(
        "GET",
        "/reviews/{closed}/decide",
        members=403,  # the role is refused first, whatever the id
        other_lead=404,
        lead=200,
        admin=200,
    ),
    "graphs.chart": row("GET", "/graphs/reviews/{closed}/divergence.svg", **OPEN_REVIEW_PEOPLE),
    "graphs.confidence_table": row(
        "GET", "/graphs/reviews/{closed}/confidence-table", **OPEN_REVIEW_PEOPLE
    ),
    "respond.answer": row("GET", "/respond/{token}", everyone=200),
    "respond.thanks": row("GET", "/respond/thanks", everyone=200),
    "archive.index": row("GET", "/archive/", logged_in=200),
    "archive.detail": row("GET", "/archive/{decision}", **DECISION_READERS),
    "archive.printable": row("GET", "/archive/{decision}/print", **DECISION_READERS),
    "archive.export_decision_json": row(
        "GET", "/archive/{decision}/export.json", **DECISION_READERS
    ),
    "archive.chart": row("GET", "/archive/{decision}/chart.svg", **DECISION_READERS),
    "archive.export_csv": row("GET", "/archive/export.csv", logged_in=200),
    "archive.export_json": row("GET", "/archive/export.json", logged_in=200),
    # Issue 17: the incident log (members read their own entries, leads the whole log),
    # the drafts and the offboarding kit (leads only).
    "incidents.log": row("GET", "/incidents/{client}/", logged_in=200),
    "incidents.new": row("GET", "/incidents/{client}/new", logged_in=200),
    "incidents.correct": row("GET", "/incidents/{client}/{entry}/correct", members=404, leads=200),
    "incidents.draft": row(
        "GET", "/incidents/{client}/drafts/need_answers", members=403, leads=200
    ),
    "offboarding.kit": row("GET", "/offboarding/{kit_client}/", **LEADS_ONLY),
    "offboarding.print_report": row("GET", "/offboarding/{kit_client}/report/print", **LEADS_ONLY),
    "offboarding.open_kit": row("POST", "/offboarding/{spare_client}/open", members=403, leads=302),
    "offboarding.add_account": row(
        "POST",
        "/offboarding/{kit_client}/accounts",
        {"name": "A", "platform": "B"},
        members=403,
        leads=302,
    ),
    "offboarding.hand_over": row(
        "POST", "/offboarding/{kit_client}/accounts/{account}/handed-over", members=403, leads=302
    ),
    "offboarding.payments": row(
        "POST", "/offboarding/{kit_client}/payments", {"current": "yes"}, members=403, leads=302
    ),
    "offboarding.report": row(
        "POST", "/offboarding/{kit_client}/report", {"report": "R"}, members=403, leads=302
    ),
    "offboarding.reason": row(
        "POST", "/offboarding/{kit_client}/reason", {"reason": "R"}, members=403, leads=302
    ),
    "offboarding.status": row(
        "POST",
        "/offboarding/{kit_client}/status",
        {"final_status": "ended"},
        members=403,
        leads=302,
    ),
    "offboarding.complete": row(
        "POST", "/offboarding/{kit_client}/complete", members=403, leads=302
    ),
}

# Object-level checks: the right role, the wrong object.
SWAPPED_IDS = [
    ("participant", "GET", "/reviews/{foreign}"),
    ("participant", "GET", "/reviews/{foreign}/answer"),
    ("participant", "GET", "/reviews/{foreign_closed}/compare"),
    ("participant", "GET", "/graphs/reviews/{foreign_closed}/votes.png"),
    ("other_lead", "POST", "/reviews/{open}/links"),
    ("other_lead", "GET", "/reviews/{open}/links/{link}"),
    ("lead", "GET", "/reviews/{foreign}/links/{link_of_foreign}"),
    ("lead", "GET", "/reviews/{open}/links/{link_of_foreign}"),
    ("lead", "POST", "/reviews/{foreign}/links/{link}/revoke"),
    ("lead", "GET", "/reviews/{foreign}/change"),
    ("lead", "POST", "/reviews/{foreign}/cancel"),
    ("participant", "GET", "/archive/{foreign_decision}"),
    ("participant", "GET", "/archive/{foreign_decision}/export.json"),
    ("participant", "GET", "/incidents/{client}/{entry}/correct"),
    ("lead", "POST", "/offboarding/{kit_client}/accounts/{foreign_account}/handed-over"),
]


@pytest.fixture
def world(make_user, make_client):
    f.ensure_catalogue()
    people = {
        "lead": make_user("lead", name="Lead"),
        "other_lead": make_user("lead", name="Other Lead"),
        "admin": make_user("admin", name="Admin"),
        "participant": make_user("member", name="Participant"),
        "outsider": make_user("member", name="Outsider"),
    }
    helpers = [make_user("member") for _ in range(2)]
    team = [people["participant"], *helpers]
    lead = people["lead"]
    agency_client = make_client("Matrix Client", actor=lead)

    open_review = f.open_review(lead, agency_client, team)
    f.submit(open_review, helpers[0])
    link, token = client_links.issue_link(open_review.id, lead, utcnow(), send_email=False)

    closed = _closed_review(lead, make_client(actor=lead), team)
    decided = _closed_review(lead, make_client(actor=lead), team)
    decision = decisions.decide_review(
        decided.id, lead, DecisionInput({"muddy": "confirmed"}, "Agreed."), utcnow()
    )

    strangers = [make_user("member") for _ in range(3)]
    foreign = f.open_review(people["other_lead"], make_client(actor=lead), strangers)
    foreign_closed = _closed_review(people["other_lead"], make_client(actor=lead), strangers)
    foreign_decided = _closed_review(people["other_lead"], make_client(actor=lead), strangers)
    foreign_decision = decisions.decide_review(
        foreign_decided.id,
        people["other_lead"],
        DecisionInput({"muddy": "confirmed"}, "x"),
        utcnow(),
    )
    foreign_link, _ = client_links.issue_link(
        foreign.id, people["other_lead"], utcnow(), send_email=False
    )
    ids = {
        "open": open_review.id,
        "closed": closed.id,
        "decision": decision.id,
        "token": token,
        "link": link.id,
        "client": agency_client.id,
        "spare": make_user("member").id,
        "spare_client": make_client(actor=lead).id,
        "foreign": foreign.id,
        "foreign_closed": foreign_closed.id,
        "foreign_decision": foreign_decision.id,
    }
    ids["link_of_foreign"] = foreign_link.id
    ids.update(_incidents_and_kits(lead, agency_client, make_client))
    return people, ids


def _incidents_and_kits(lead, agency_client, make_client):
    """Issue 17's objects: a lead's log entry, a client's offboarding kit with an account,
    and another client's kit whose account must not be reachable through the first."""
    from app.domain.incidents import EntryInput
    from app.services import incidents, offboarding

    now = utcnow()
    entry = incidents.record_entry(
        agency_client.id, lead, EntryInput("other", now.date(), "Logged by the lead."), now
    )
    kit_client, other_client = make_client(actor=lead), make_client(actor=lead)
    offboarding.open_kit(kit_client.id, lead, now)
    offboarding.open_kit(other_client.id, lead, now)
    account = offboarding.add_account(kit_client.id, lead, "Page", "Facebook")
    foreign = offboarding.add_account(other_client.id, lead, "Site", "Hosting")
    return {
        "entry": entry.id,
        "kit_client": kit_client.id,
        "account": account.id,
        "foreign_account": foreign.id,
    }


def _closed_review(lead, agency_client, team):
    review = f.open_review(lead, agency_client, team)
    for member in team:
        f.submit(review, member, f.full_response(choices={"muddy": "Goals never written."}))
    f.client_answers(review, lead)
    f.close(review, lead)
    return review


def _as(app, role, people):
    http = app.test_client()
    if role in people:
        response = http.post(
            "/auth/login", data={"email": people[role].email, "password": PASSWORD}
        )
        assert response.status_code == 302
    return http


def test_every_route_has_a_row(app):
    registered = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert registered == set(MATRIX), {
        "routes without a row": sorted(registered - set(MATRIX)),
        "rows without a route": sorted(set(MATRIX) - registered),
    }


# Rows that change state run last, in this order, so they cannot disturb the others
# (revoking the link would break the token row; closing would hide the answer form).
STATE_CHANGING_LAST = ("reviews.issue_link", "reviews.revoke_link", "reviews.close")


def test_each_role_gets_the_expected_status(app, world):
    people, ids = world
    clients = {role: _as(app, role, people) for role in ROLES}
    order = sorted(set(MATRIX) - set(STATE_CHANGING_LAST)) + list(STATE_CHANGING_LAST)
    mismatches = {}
    for endpoint in order:
        method, path, data, expected = MATRIX[endpoint]
        url = path.format(**ids)
        seen = {}
        for role in ROLES:
            http = _as(app, role, people) if endpoint == "auth.logout" else clients[role]
            response = http.open(url, method=method, data=data)
            seen[role] = response.status_code
            location = response.headers.get("Location", "")
            response.close()
            if expected[role] == LOGIN and role in ("anonymous", "token") and seen[role] == 302:
                assert "/auth/login" in location, (endpoint, role, location)
        if seen != expected:
            mismatches[endpoint] = {
                r: (seen[r], expected[r]) for r in ROLES if seen[r] != expected[r]
            }
    assert mismatches == {}


@pytest.mark.parametrize("role,method,path", SWAPPED_IDS)
def test_swapped_ids_are_refused(app, world, role, method, path):
    people, ids = world
    http = _as(app, role, people)
    response = http.open(path.format(**ids), method=method)
    response.close()
    assert response.status_code in (403, 404), (role, path, response.status_code)


def test_a_link_cannot_be_revoked_through_another_review(app, world):
    people, ids = world
    http = _as(app, "lead", people)
    response = http.post(f"/reviews/{ids['open']}/links/{ids['link_of_foreign']}/revoke")
    assert response.status_code == 404
    assert db.session.get(ClientLink, ids["link_of_foreign"]).revoked_at is None
