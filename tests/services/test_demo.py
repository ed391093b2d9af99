from app.extensions import db
from app.models import CatalogueVersion, Client, Decision, Review, User


def test_setup_local_loads_catalogue_and_demo_once(runner):
    first = runner.invoke(args=["setup-local"])
    assert first.exit_code == 0, first.output
    assert "lead@demo.candor" in first.output and "candor-demo-2026" in first.output
    assert db.session.query(CatalogueVersion).count() == 1
    assert {u.role for u in db.session.query(User)} == {"admin", "lead", "member"}
    states = sorted(r.state for r in db.session.query(Review))
    assert states == ["decided", "decided", "open"]
    decisions = db.session.query(Decision).order_by(Decision.sequence).all()
    assert [d.any_confirmed for d in decisions] == [False, True]
    overconfident = decisions[0].snapshot["verdicts"][0]
    assert "overconfidence" in [c["key"] for c in overconfident["conditions"] if not c["passed"]]
    assert db.session.query(Client).filter_by(status="blacklisted").count() == 1
    second = runner.invoke(args=["setup-local"])
    assert second.exit_code == 0 and "log in with your account" in second.output
    assert db.session.query(Review).count() == 3


def test_demo_refuses_a_database_with_users(runner, make_user):
    make_user()
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "already has users" in result.output


def test_load_catalogue_is_idempotent(runner):
    assert "loaded" in runner.invoke(args=["load-catalogue"]).output
    assert "already present" in runner.invoke(args=["load-catalogue"]).output
    assert db.session.query(CatalogueVersion).count() == 1
