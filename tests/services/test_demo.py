from dataclasses import replace

from app.domain.verdict import evaluate
from app.extensions import db
from app.models import CatalogueVersion, Client, Decision, Review, User
from app.services.review_data import review_data_for


def test_setup_local_loads_catalogue_and_demo_once(runner):
    first = runner.invoke(args=["setup-local"])
    assert first.exit_code == 0, first.output
    assert "lead@demo.candor" in first.output and "candor-demo-2026" in first.output
    assert db.session.query(CatalogueVersion).count() == 1
    assert {u.role for u in db.session.query(User)} == {"admin", "lead", "member"}
    states = sorted(r.state for r in db.session.query(Review))
    assert states == ["decided", "decided", "decided", "decided", "open"]
    decisions = db.session.query(Decision).order_by(Decision.sequence).all()
    assert [d.any_confirmed for d in decisions] == [True, False, False, False]
    # Side by side: five near-unanimous members confirmed, a split team refused for
    # disagreement, a sure team refused by the overconfidence gate alone, and three
    # members whose likeness luck could explain.
    failed = [
        [(c["key"], c["reason"]) for c in d.record["verdicts"][0]["conditions"] if not c["passed"]]
        for d in decisions
    ]
    assert failed == [
        [],
        [("team_agreement", "disagree")],
        [("overconfidence", "blocked")],
        [("team_agreement", "chance")],
    ]
    assert decisions[0].record["scores"]["respondents"] == 5
    assert db.session.query(Client).filter_by(status="blacklisted").count() == 1
    second = runner.invoke(args=["setup-local"])
    assert second.exit_code == 0 and "log in with your account" in second.output
    assert db.session.query(Review).count() == 5


def test_the_demos_sure_team_would_pass_if_its_members_had_been_unsure(runner, app):
    assert runner.invoke(args=["setup-local"]).exit_code == 0
    fog = db.session.query(Client).filter_by(name="Foggy Ventures").one()
    review = db.session.query(Review).filter_by(client_id=fog.id).one()
    data = review_data_for(review)
    unsure = replace(
        data,
        team=tuple(
            replace(r, answers=tuple(replace(a, confidence=60) for a in r.answers))
            for r in data.team
        ),
    )
    thresholds = app.extensions["candor_thresholds"]
    assert not evaluate("muddy", data, thresholds).confirmable
    assert evaluate("muddy", unsure, thresholds).confirmable


def test_demo_refuses_a_database_with_users(runner, make_user):
    make_user()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "already has users" in result.output


def test_load_catalogue_is_idempotent(runner):
    assert "loaded" in runner.invoke(args=["load-catalogue"]).output
    assert "is current" in runner.invoke(args=["load-catalogue"]).output
    assert db.session.query(CatalogueVersion).count() == 1


def test_the_demo_shows_a_client_with_a_log_a_decision_and_a_completed_kit(runner):
    from app.models import ClosingRecord, IncidentEntry, OffboardingKit
    from app.services.archive_verify import verify_archive

    assert runner.invoke(args=["setup-local"]).exit_code == 0
    late = db.session.query(Client).filter_by(name="Latepay Logistics").one()
    assert db.session.query(IncidentEntry).filter_by(client_id=late.id).count() == 5
    decision = db.session.query(Decision).filter_by(client_id=late.id).one()
    assert len(decision.record["incidents"]) == 4
    kit = db.session.query(OffboardingKit).filter_by(client_id=late.id).one()
    assert kit.completed_at is not None and kit.decision_id == decision.id
    closing = db.session.query(ClosingRecord).one()
    assert closing.sequence == decision.sequence + 1
    assert verify_archive().ok


def test_the_demo_has_clients_in_danish_and_hungarian(runner):
    assert runner.invoke(args=["setup-local"]).exit_code == 0
    languages = {c.name: c.language for c in db.session.query(Client).all()}
    assert languages["Rulebook Retail"] == "hu" and languages["Bright Bakery"] == "da"
