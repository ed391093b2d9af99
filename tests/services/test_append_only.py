"""The archive tables refuse UPDATE and DELETE in the database itself (triggers from
app/models/append_only.py), whether the change comes through the ORM or as raw SQL;
recording new decisions and audit events still works. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import AuditEvent, CategoryDecision, Decision
from app.models.append_only import APPEND_ONLY_TABLES, trigger_names
from tests.archive_factory import at, decide


@pytest.fixture
def archived(make_user, make_client):
    lead = make_user("lead", name="Lena Lead")
    other_lead = make_user("lead", name="Leo Lead")
    team = [make_user("member") for _ in range(3)]
    acme = make_client("Acme Widgets", actor=lead)
    bolt = make_client("Bolt Media", actor=lead)
    decision = decide(
        lead,
        team,
        acme,
        when=at("2026-03-15"),
        outcomes={"eternal_debtor": "confirmed", "muddy": "not_confirmed"},
        rationale="Debt keeps growing.",
    )
    return {
        "decision_id": decision.id,
        "other_lead_id": other_lead.id,
        "other_client_id": bolt.id,
        "lead": lead,
        "team": team,
        "acme": acme,
    }


def _rows(table: str) -> list[tuple]:
    """Every stored row of `table`, read straight from the database."""
    db.session.rollback()
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]  # noqa: S608 - fixed table names


def _refused(table: str = r"\w+"):
    # SQLite: IntegrityError (RAISE(ABORT)); PostgreSQL: ProgrammingError (SQLSTATE P0001).
    return pytest.raises(DBAPIError, match=rf"\b{table} are append-only")


# --- decisions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("snapshot", lambda w: {"rewritten": True}),
        ("rationale", lambda w: "Rewritten later."),
        ("decided_by_id", lambda w: w["other_lead_id"]),
        ("client_id", lambda w: w["other_client_id"]),
    ],
)
def test_a_decision_cannot_be_changed_through_the_session(archived, field, value):
    before = _rows("decisions")
    decision = db.session.get(Decision, archived["decision_id"])
    setattr(decision, field, value(archived))
    with _refused("decisions"):
        db.session.commit()
    assert _rows("decisions") == before


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE decisions SET snapshot = :value", lambda w: {"value": '{"rewritten": true}'}),
        ("UPDATE decisions SET rationale = 'x'", lambda w: {}),
        ("UPDATE decisions SET decided_by_id = :value", lambda w: {"value": w["other_lead_id"]}),
        ("UPDATE decisions SET client_id = :value", lambda w: {"value": w["other_client_id"]}),
        ("UPDATE decisions SET rationale = rationale", lambda w: {}),  # even a no-op
        ("DELETE FROM decisions", lambda w: {}),
    ],
)
def test_a_decision_cannot_be_changed_with_raw_sql(archived, sql, params):
    before = _rows("decisions")
    with _refused("decisions"):
        db.session.execute(text(sql), params(archived))
        db.session.commit()
    assert _rows("decisions") == before


def test_a_decision_cannot_be_changed_with_an_orm_bulk_update(archived):
    before = _rows("decisions")
    with _refused("decisions"):
        db.session.execute(update(Decision).values(rationale="Rewritten later."))
    assert _rows("decisions") == before


def test_a_decision_cannot_be_deleted_through_the_session(archived):
    before = _rows("decisions")
    categories = _rows("category_decisions")
    decision = db.session.get(Decision, archived["decision_id"])
    for category in decision.categories:  # its outcomes first, as a cascade would
        db.session.delete(category)
    db.session.delete(decision)
    with _refused():
        db.session.commit()
    assert _rows("decisions") == before
    assert _rows("category_decisions") == categories


# --- category_decisions -------------------------------------------------------------------


def test_a_category_outcome_cannot_be_changed_or_deleted_through_the_session(archived):
    before = _rows("category_decisions")
    assert len(before) == 2
    category = db.session.scalars(
        select(CategoryDecision).where(CategoryDecision.outcome == "not_confirmed")
    ).one()
    category.outcome = "confirmed"
    with _refused("category_decisions"):
        db.session.commit()
    assert _rows("category_decisions") == before

    db.session.delete(db.session.get(CategoryDecision, category.id))
    with _refused("category_decisions"):
        db.session.commit()
    assert _rows("category_decisions") == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE category_decisions SET outcome = 'confirmed'",
        "UPDATE category_decisions SET votes = votes + 1",
        "DELETE FROM category_decisions",
    ],
)
def test_a_category_outcome_cannot_be_changed_with_raw_sql(archived, sql):
    before = _rows("category_decisions")
    with _refused("category_decisions"):
        db.session.execute(text(sql))
        db.session.commit()
    assert _rows("category_decisions") == before


def test_category_outcomes_cannot_be_bulk_deleted_through_the_orm(archived):
    before = _rows("category_decisions")
    with _refused("category_decisions"):
        db.session.execute(delete(CategoryDecision))
    assert _rows("category_decisions") == before


# --- audit_events -------------------------------------------------------------------------


def test_an_audit_event_cannot_be_deleted_or_changed_through_the_session(archived):
    before = _rows("audit_events")
    assert before
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()
    db.session.delete(event)
    with _refused("audit_events"):
        db.session.commit()
    assert _rows("audit_events") == before

    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()
    event.details = "Nothing happened here."
    with _refused("audit_events"):
        db.session.commit()
    assert _rows("audit_events") == before


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE action = 'review.decided'",
        "UPDATE audit_events SET actor_label = 'someone else'",
    ],
)
def test_an_audit_event_cannot_be_deleted_or_changed_with_raw_sql(archived, sql):
    before = _rows("audit_events")
    with _refused("audit_events"):
        db.session.execute(text(sql))
        db.session.commit()
    assert _rows("audit_events") == before


# --- TRUNCATE (PostgreSQL has it; SQLite has none) ----------------------------------------


@pytest.mark.postgres_only
@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_an_archive_table_cannot_be_truncated(archived, table):
    before = _rows(table)
    with _refused():  # CASCADE: TRUNCATE decisions takes category_decisions along
        db.session.execute(text(f"TRUNCATE {table} CASCADE"))
        db.session.commit()
    assert _rows(table) == before


# --- what still works ---------------------------------------------------------------------


def test_decisions_and_audit_events_are_still_recorded(archived, make_user, make_client):
    assert db.session.get(Decision, archived["decision_id"]).sequence == 1
    events = len(_rows("audit_events"))
    second = decide(
        archived["lead"],
        archived["team"],
        make_client("Cmd Corp", actor=archived["lead"]),
        when=at("2026-03-20"),
        outcomes={"muddy": "confirmed"},
        rationale="Scope keeps growing.",
    )
    db.session.expire_all()
    stored = db.session.get(Decision, second.id)
    assert stored.sequence == 2 and stored.rationale == "Scope keeps growing."
    assert [(c.category_key, c.outcome) for c in stored.categories] == [("muddy", "confirmed")]
    assert len(_rows("decisions")) == 2 and len(_rows("category_decisions")) == 3
    assert len(_rows("audit_events")) > events


def test_the_test_database_carries_the_triggers_the_migration_installs(app):
    # tests/conftest.py builds the schema with create_all() and reinstalls the triggers
    # after emptying the tables before each test: they must all be there now.
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        query = """
            SELECT t.tgname FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled = 'O' AND c.relnamespace = (
                SELECT oid FROM pg_namespace WHERE nspname = current_schema()
            )
        """
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    names = set(db.session.scalars(text(query)))
    assert trigger_names(dialect) <= names
