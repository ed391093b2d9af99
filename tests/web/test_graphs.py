"""The chart endpoints: who may fetch them, what they return, and the cache in front of them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string
from sqlalchemy import update

from app.extensions import db
from app.models import Review, utcnow
from app.services import charts as chart_service
from app.services import decisions
from app.services.charts import chart_cache, chart_tables
from app.services.decisions import DecisionInput
from app.services.review_data import results_for
from tests import factories as f
from tests.web.chart_helpers import FORMATS, KINDS, url


@pytest.fixture(autouse=True)
def empty_chart_cache(app):
    chart_cache().clear()
    yield
    chart_cache().clear()


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders (cache misses), by wrapping the renderer the service calls."""
    calls: list[tuple[str, str]] = []
    real = chart_service.render_chart

    def counting(kind, fmt, inputs, *language):  # gettext and the number formatter
        calls.append((kind, fmt))
        return real(kind, fmt, inputs, *language)

    monkeypatch.setattr(chart_service, "render_chart", counting)
    return calls


@pytest.fixture
def team(make_user, make_client):
    lead = make_user("lead")
    members = [make_user("member") for _ in range(3)]
    return lead, members, make_client(actor=lead)


def open_with_answers(team, client_view=True):
    lead, members, client = team
    review = f.open_review(lead, client, members)
    f.submit(review, members[0], f.full_response(rating=5, confidence=95, choices={"muddy": "e"}))
    f.submit(review, members[1], f.full_response(rating=4, confidence=70, choices={"muddy": "e"}))
    f.submit(review, members[2], f.full_response(rating=3, confidence=60))
    if client_view:  # the client disagrees on most dimensions, not on two
        f.client_answers(review, lead, rating=2, overrides={"timeliness": 5, "honesty": 4})
    return review


def closed_review(team, client_view=True):
    review = open_with_answers(team, client_view)
    f.close(review, team[0])
    return f.reload(review)


@pytest.mark.parametrize("kind", KINDS)
def test_the_lead_gets_each_chart_as_svg_and_png_with_the_right_content_type(
    client, login, team, kind
):
    review = closed_review(team)
    login(client, team[0])
    svg = client.get(url(review, kind, "svg"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    ET.fromstring(svg.data)  # well-formed
    png = client.get(url(review, kind, "png"))
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Content-Disposition" not in png.headers


def test_download_1_serves_the_png_as_an_attachment(client, login, team):
    review = closed_review(team)
    login(client, team[0])
    response = client.get(url(review, "votes", "png") + "?download=1")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="candor-review-{review.id}-votes.png"'


def test_a_participant_and_an_admin_may_fetch_the_chart_of_a_closed_review(
    client, login, team, make_user
):
    review = closed_review(team)
    for viewer in (team[1][0], make_user("admin")):
        login(client, viewer)
        assert client.get(url(review)).status_code == 200


def test_the_second_request_is_served_from_the_cache(client, login, team, renders):
    review = closed_review(team)
    login(client, team[0])
    first = client.get(url(review))
    second = client.get(url(review))
    assert first.data == second.data
    assert renders == [("divergence", "svg")]
    assert chart_cache().hits == 1


def test_each_kind_and_format_is_cached_on_its_own(client, login, team, renders):
    review = closed_review(team)
    login(client, team[0])
    for kind in KINDS:
        for fmt in FORMATS:
            client.get(url(review, kind, fmt))
            client.get(url(review, kind, fmt))
    assert len(renders) == 6


def test_the_client_view_bumps_the_data_version_and_team_answers_need_not(team):
    """Team answers change only while the review is open, when no chart is drawn (and the
    state, part of the key, changes on close); submits leave the review row alone so that
    members answering at once never queue on it. The client's view is bumped."""
    lead, members, client = team
    review = f.open_review(lead, client, members)
    versions = [f.reload(review).data_version]
    f.submit(review, members[0])
    versions.append(f.reload(review).data_version)
    f.client_answers(review, lead)
    versions.append(f.reload(review).data_version)
    assert versions[0] == versions[1] < versions[2]


def test_a_changed_data_version_is_drawn_afresh_not_served_from_the_cache(
    client, login, team, renders
):
    review = closed_review(team)
    login(client, team[0])
    client.get(url(review))
    # After close the services accept no answers; bump as submit_response would.
    db.session.execute(
        update(Review).where(Review.id == review.id).values(data_version=Review.data_version + 1)
    )
    db.session.commit()
    client.get(url(review))
    assert len(renders) == 2


def test_the_decision_changes_the_key_so_the_decided_chart_is_drawn_afresh(
    client, login, team, renders
):
    review = closed_review(team)
    lead = team[0]
    login(client, lead)
    client.get(url(review, "votes"))
    decisions.decide_review(
        review.id, lead, DecisionInput({"muddy": "not_confirmed"}, "Not enough."), utcnow()
    )
    assert client.get(url(review, "votes")).status_code == 200
    assert len(renders) == 2


def test_an_archived_decision_draws_its_charts_from_the_snapshot_once_per_digest(
    app, team, renders, monkeypatch
):
    review = closed_review(team)
    decision = decisions.decide_review(
        review.id, team[0], DecisionInput({"muddy": "not_confirmed"}, "Not enough."), utcnow()
    )
    drawn = []
    real = chart_service.render_chart
    monkeypatch.setattr(
        chart_service, "render_chart", lambda *args: drawn.append(args[:2]) or real(*args)
    )
    record = decision.record
    with app.test_request_context():
        first = chart_service.snapshot_chart(record, "divergence", "svg", decision.digest)
        again = chart_service.snapshot_chart(record, "divergence", "svg", decision.digest)
        png = chart_service.snapshot_chart(record, "votes", "png", decision.digest)
        confidence = chart_service.snapshot_chart(record, "confidence", "svg", decision.digest)
    assert first == again and b"<svg" in first
    assert png.startswith(b"\x89PNG") and b"<svg" in confidence
    assert drawn == [("divergence", "svg"), ("votes", "png"), ("confidence", "svg")]
    # The archive draws exactly what the decided review's own page draws: both from the record.
    with app.test_request_context():
        assert chart_service.chart_for(decision.review, "divergence", "svg") == first


# Not part of the review: the same 404 as a review that does not exist (issue 15).
def test_a_member_not_on_the_review_gets_404_for_every_chart(client, login, team, make_user):
    review = closed_review(team)
    login(client, make_user("member"))
    for kind in KINDS:
        for fmt in FORMATS:
            assert client.get(url(review, kind, fmt)).status_code == 404


def test_a_lead_of_another_review_gets_404(client, login, team, make_user):
    review = closed_review(team)
    login(client, make_user("lead"))
    assert client.get(url(review)).status_code == 404


def test_while_the_review_is_open_nobody_gets_a_chart_not_even_via_a_guessed_url(
    client, login, team, make_user, renders
):
    review = open_with_answers(team)
    viewers = [team[0], *team[1], make_user("admin")]
    for viewer in viewers:
        login(client, viewer)
        for kind in KINDS:
            for fmt in FORMATS:
                response = client.get(url(review, kind, fmt))
                assert response.status_code == 403
                assert not response.data.startswith((b"<?xml", b"\x89PNG"))
    assert renders == []


def test_an_open_review_is_refused_even_when_its_key_is_in_the_cache(client, login, team):
    review = f.reload(open_with_answers(team))
    login(client, team[0])
    with client.application.test_request_context():
        chart_cache().put(chart_service.chart_key(review, "divergence", "svg"), b"<svg/>")
    assert client.get(url(review)).status_code == 403


def test_unknown_kind_format_or_review_is_404(client, login, team):
    review = closed_review(team)
    login(client, team[0])
    assert client.get(url(review, "pie", "svg")).status_code == 404
    assert client.get(url(review, "divergence", "gif")).status_code == 404
    assert client.get(f"/graphs/reviews/{review.id + 999}/divergence.svg").status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, team):
    review = closed_review(team)
    response = client.get(url(review))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_missing_client_view_still_draws_every_chart(client, login, team):
    review = closed_review(team, client_view=False)
    login(client, team[0])
    for kind in KINDS:
        assert client.get(url(review, kind)).status_code == 200


MACRO = '{% from "graphs/_review_charts.html" import review_charts %}{{ review_charts(r, t) }}'


def cells(html: str, attribute: str) -> dict[str, list[str]]:
    """{row key: [text of each cell]} for the table rows carrying `attribute`."""
    rows = re.findall(rf'<tr {attribute}="([^"]+)"[^>]*>(.*?)</tr>', html, re.S)
    cell = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
    return {
        key: [re.sub(r"<[^>]+>", "", text).strip() for text in cell.findall(body)]
        for key, body in rows
    }


def test_the_data_tables_match_the_engines_numbers_exactly(app, team):
    review = closed_review(team)
    results = results_for(review)
    tables = chart_tables(results)
    scores = results.scores
    with app.test_request_context():
        html = render_template_string(MACRO, r=review, t=tables)
    divergence = cells(html, "data-dimension")
    assert [row.dimension_key for row in tables.divergence.rows] == [
        stats.dimension_key for stats in scores.dimensions
    ]
    for row, stats in zip(tables.divergence.rows, scores.dimensions, strict=True):
        assert (row.team_mean, row.team_median, row.gap, row.mean_confidence) == (
            stats.team_mean,
            stats.team_median,
            stats.gap,
            stats.mean_confidence,
        )
        shown = divergence[stats.dimension_key]
        assert shown[1:8] == [
            str(stats.n),
            f"{stats.team_mean:.2f}",
            f"{stats.team_median:.2f}",
            f"{stats.team_min}–{stats.team_max}",
            str(stats.client_rating),
            f"{stats.gap:.2f}",
            f"{stats.mean_confidence:.1f}\u00a0%",  # the sign kept on the number's line
        ]
        assert ("Overconfident" in shown[8]) == stats.team_flagged
    assert {stats.team_flagged for stats in scores.dimensions} == {True, False}
    votes = cells(html, "data-category")
    assert {key: int(row[1]) for key, row in votes.items()} == {
        key: count for key, count in scores.votes.items() if count
    }
    zone = sum(1 for point in tables.confidence.points if point.in_flag_zone)
    assert zone == sum(1 for flag in scores.flags if flag.who != "team")


def test_the_macro_gives_every_chart_alt_text_and_a_png_download(app, team):
    review = closed_review(team)
    with app.test_request_context():
        html = render_template_string(MACRO, r=review, t=chart_tables(results_for(review)))
    for kind in KINDS:
        assert f'src="/graphs/reviews/{review.id}/{kind}.svg"' in html
        assert f'href="/graphs/reviews/{review.id}/{kind}.png?download=1"' in html
    alts = re.findall(r'<img class="chart" [^>]*alt="([^"]+)"', html)
    assert len(alts) == 3 and all(len(alt) > 40 for alt in alts)
    assert "<script" not in html and "style=" not in html
