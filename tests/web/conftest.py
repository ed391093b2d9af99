import pytest

from app.models import utcnow
from app.services import client_links
from tests import factories as f
from tests.archive_factory import at, decide


@pytest.fixture
def review_team(make_user, make_client):
    """A lead, three members, an outsider member and a client, with the catalogue loaded."""
    f.ensure_catalogue()
    lead = make_user("lead", name="Lena Lead")
    members = [make_user("member", name=f"Member {n}") for n in ("One", "Two", "Three")]
    outsider = make_user("member", name="Olaf Outsider")
    client = make_client("Client <b>Bold</b> AS", actor=lead)
    return lead, members, outsider, client


@pytest.fixture
def catalogue():
    """The built-in catalogue, loaded once per test."""
    return f.ensure_catalogue()


@pytest.fixture
def review(review_team):
    """An open review of `review_team`'s lead, three members and client."""
    lead, members, _, agency_client = review_team
    return f.open_review(lead, agency_client, members)


@pytest.fixture
def token(review_team, review):
    """The client's private link to `review`, issued by its lead (no e-mail sent)."""
    _, token = client_links.issue_link(review.id, review_team[0], utcnow(), send_email=False)
    return token


def answer_form(
    catalogue, rating=4, confidence=80, complexity=3, choices=None, submit=True, **extra
):
    data = {"complexity": str(complexity)}
    for d in catalogue.dimensions:
        data[f"rating__{d.key}"] = str(rating)
        data[f"confidence__{d.key}"] = str(confidence)
    for key, evidence in (choices or {}).items():
        data[f"choose__{key}"] = "y"
        data[f"evidence__{key}"] = evidence
    data["submit" if submit else "save"] = "1"
    if submit:
        data["confirm_submit"] = "y"  # the confirmation step before a submission locks
    data.update(extra)
    return data


# What the decision's confirmation page posts back: "confirm", with the values it showed.
CONFIRM_STEP = {"confirmed": "1", "confirm": "1"}
# The close button's confirmation box, ticked.
CLOSE = {"confirm": "y"}


@pytest.fixture
def archived(make_user, make_client):
    """Two decisions on two clients by one lead, with hostile text in names and rationale
    (the archive's pages and exports); a few test modules have an `archived` of their own."""
    lead = make_user("lead", name="Lena Lead")
    team = [make_user("member") for _ in range(3)]
    other_team = [make_user("member") for _ in range(3)]
    outsider = make_user("member", name="Olaf Outsider")
    bold = make_client("Client <b>Bold</b> AS", actor=lead)
    cmd = make_client("+cmd Corp", actor=lead)
    first = decide(
        lead,
        team,
        bold,
        when=at("2026-01-10"),
        outcomes={"muddy": "confirmed"},
        rationale="The brief was never agreed.",
        conflict="Months of vague goals.",
    )
    second = decide(
        lead,
        other_team,
        cmd,
        when=at("2026-02-10"),
        rationale='=HYPERLINK("http://evil.example","click")',
        conflict="@SUM(A1:A9) in the conflict.",
    )
    return {
        "lead": lead,
        "team": team,
        "other_team": other_team,
        "outsider": outsider,
        "bold": bold,
        "cmd": cmd,
        "first": first,
        "second": second,
    }


@pytest.fixture
def draws(monkeypatch):
    """Counts the times a comparison page's results are read (the cold path): worked out
    from the rows or read from those stored at close."""
    from app.reviews import decide_views
    from app.services import review_data, stored_results

    calls = []

    def counted(real):
        def counting(review, *args, **kwargs):
            calls.append(review.id)
            return real(review, *args, **kwargs)

        return counting

    monkeypatch.setattr(decide_views, "results_for", counted(review_data.results_for))
    monkeypatch.setattr(decide_views, "results_for_page", counted(stored_results.results_for_page))
    return calls
