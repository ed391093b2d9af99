"""An archived decision's chart is drawn once per record digest, then served from the cache."""

from __future__ import annotations

import pytest

from app.services import charts as chart_service
from app.services.charts import chart_cache
from tests.archive_factory import at, decide


@pytest.fixture(autouse=True)
def empty_chart_cache(app):
    chart_cache().clear()
    yield
    chart_cache().clear()


@pytest.fixture
def draws(monkeypatch):
    """Every real drawing of a chart, whichever renderer the chart service uses."""
    calls: list[str] = []
    for name in ("render_chart", "render_snapshot_chart"):
        real = getattr(chart_service, name)

        def counting(*args, _real=real, _name=name):
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(chart_service, name, counting)
    return calls


@pytest.fixture
def archived(make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    client = make_client("Charted Ltd", actor=lead)
    decision = decide(
        lead, team, client, when=at("2026-01-10"), outcomes={"muddy": "not_confirmed"}
    )
    return {"lead": lead, "team": team, "outsider": make_user("member"), "decision": decision}


def test_the_second_request_for_the_same_chart_comes_from_the_cache(client, login, archived, draws):
    login(client, archived["lead"])
    decision = archived["decision"]
    url = f"/archive/{decision.id}/chart.svg"
    first = client.get(url)
    assert first.status_code == 200 and b"<svg" in first.data
    assert len(draws) == 1
    keys = [key for key in chart_cache()._entries if key[:2] == ("snapshot", decision.digest)]
    assert [key[2:4] for key in keys] == [("divergence", "svg")]
    second = client.get(url)
    assert second.status_code == 200 and second.data == first.data
    assert len(draws) == 1 and chart_cache().hits == 1


def test_each_kind_and_format_is_drawn_once(client, login, archived, draws):
    login(client, archived["lead"])
    base = f"/archive/{archived['decision'].id}/chart"
    for _ in range(2):
        for suffix in (".svg", ".png", ".svg?kind=votes", ".png?kind=votes"):
            assert client.get(base + suffix).status_code == 200, suffix
    assert len(draws) == 4


def test_a_cached_chart_is_never_served_to_someone_outside_the_decision(
    app, client, login, archived, draws
):
    login(client, archived["lead"])
    url = f"/archive/{archived['decision'].id}/chart.svg"
    assert client.get(url).status_code == 200
    outsider = app.test_client()
    login(outsider, archived["outsider"])
    assert outsider.get(url).status_code == 404
    member = app.test_client()
    login(member, archived["team"][0])
    assert member.get(url).status_code == 200
    assert len(draws) == 1


def test_a_record_whose_seal_does_not_hold_is_drawn_afresh_and_never_cached(
    client, login, archived, draws, monkeypatch
):
    # The seal is what lets the digest stand for the record's text; the chart is drawn
    # from the record alone (tests/web/test_archive_kept_parts.py tampers with a real one).
    from app.services import archive_verify

    monkeypatch.setattr(archive_verify, "seal_holds", lambda decision: False)
    login(client, archived["lead"])
    url = f"/archive/{archived['decision'].id}/chart.svg"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert len(draws) == 2 and len(chart_cache()) == 0
