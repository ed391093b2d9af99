"""A submit writes its answers with one multi-row INSERT (not one per question, nor one
statement per row pipelined by the driver's executemany), replaces
a draft's rows completely, and the answer form's class is built once per catalogue."""

from __future__ import annotations

from sqlalchemy import event

from app.extensions import db
from app.models import AuditEvent, TeamAnswerRow, TeamResponseRow, utcnow
from app.reviews.answer_forms import response_form
from app.services import reviews
from app.services.response_rows import AnswerInput, ResponseInput
from tests import factories as f


def _statements(action, *, parameters: list | None = None) -> list[str]:
    """The statements `action` sends; `parameters` collects what each was sent with: one
    set for a single statement, a list of sets for an executemany (which the driver may
    run as one statement per set)."""
    seen: list[str] = []

    def keep(_conn, _cursor, statement, sent_with, *_args):
        seen.append(statement)
        if parameters is not None:
            parameters.append(sent_with)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return seen


def test_a_submit_inserts_every_answer_in_one_statement(make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    parameters: list = []
    sent = _statements(
        lambda: f.submit(
            review, team[0], f.full_response(choices={"muddy": "e", "controlling": "f"})
        ),
        parameters=parameters,
    )
    # On PostgreSQL the answers go in with the response row, in its first save's statement.
    inserts = [n for n, s in enumerate(sent) if "INSERT INTO TEAM_ANSWERS" in s.upper()]
    assert len(inserts) == 1
    questions = len(f.ensure_catalogue().dimensions)
    # One parameter set carrying every row, not a list of sets: on SQLite "VALUES (...),
    # (...), ...", on PostgreSQL one array per column.
    one_set = parameters[inserts[0]]
    assert isinstance(one_set, (dict, tuple))
    if db.engine.dialect.name == "postgresql":
        arrays = [value for value in one_set.values() if isinstance(value, list)]
        # Four of the answers (the other two: the two categories chosen and their evidence).
        assert sorted(len(array) for array in arrays) == [2, 2] + [questions] * 4
    else:
        assert len(one_set) >= 4 * questions
    assert db.session.query(TeamAnswerRow).count() == questions


def test_on_postgresql_the_answers_insert_is_one_text_whatever_their_number(make_user, make_client):
    """The same statement for 3 answers and for 20: four array parameters, where a VALUES
    list was a new statement of five parameters a row for the server to parse and plan."""
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    keys = f.ensure_catalogue().dimension_keys
    # A draft's answers may lack a rating or a confidence: NULL in the arrays.
    draft = ResponseInput(
        3,
        {
            keys[0]: AnswerInput(4, 80, ""),
            keys[1]: AnswerInput(None, None, " x "),
            keys[2]: AnswerInput(None, 60, ""),
        },
        {},
    )
    texts = {
        statement
        for action in (
            lambda: reviews.save_response(review.id, team[0], draft, False, utcnow()),
            lambda: f.submit(review, team[1], f.full_response()),
        )
        for statement in _statements(action)
        if "INSERT INTO TEAM_ANSWERS" in statement.upper()
    }
    assert len(texts) == (1 if db.engine.dialect.name == "postgresql" else 2)
    stored = db.session.execute(
        db.select(
            TeamAnswerRow.dimension_key,
            TeamAnswerRow.rating,
            TeamAnswerRow.confidence,
            TeamAnswerRow.comment,
        )
        .join(TeamResponseRow, TeamResponseRow.id == TeamAnswerRow.response_id)
        .where(TeamResponseRow.user_id == team[0].id)
        .order_by(TeamAnswerRow.id)
    ).all()
    assert [tuple(row) for row in stored] == [
        (keys[0], 4, 80, ""),
        (keys[1], None, None, "x"),
        (keys[2], None, 60, ""),
    ]


def test_a_first_submit_writes_its_audit_event_with_it(make_user, make_client):
    """On PostgreSQL the event is written by the same statement as the response row: it
    must say what audit.record would have said."""
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    before = utcnow()
    f.submit(review, team[0], f.full_response())
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.actor_id == team[0].id)).one()
    assert (event.action, event.object_type, event.object_id) == (
        "response.submitted",
        "review",
        review.id,
    )
    assert (event.actor_label, event.details) == (team[0].email, "")
    assert before <= event.at <= utcnow() and event.at.tzinfo is not None


def test_a_draft_saved_again_keeps_only_the_new_answers(make_user, make_client):
    lead = make_user("lead")
    team = [make_user("member") for _ in range(3)]
    review = f.open_review(lead, make_client(actor=lead), team)
    keys = f.ensure_catalogue().dimension_keys
    first = ResponseInput(3, {k: AnswerInput(4, 80, "first") for k in keys[:3]}, {"muddy": "a"})
    reviews.save_response(review.id, team[0], first, False, utcnow())
    second = ResponseInput(2, {keys[0]: AnswerInput(1, 50, " second ")}, {})
    row = db.session.get(
        TeamResponseRow, reviews.save_response(review.id, team[0], second, False, utcnow())
    )
    assert [(a.dimension_key, a.rating, a.comment) for a in row.answers] == [(keys[0], 1, "second")]
    assert row.choices == [] and row.complexity == 2


def test_the_answer_form_class_is_built_once_per_catalogue_and_language(app):
    catalogue = f.ensure_catalogue()
    with app.test_request_context():
        one = response_form(catalogue, meta={"csrf": False})
        two = response_form(catalogue, meta={"csrf": False})
        danish = response_form(catalogue.localized("da"), meta={"csrf": False})
    assert type(one) is type(two)
    assert one is not two  # each request its own form object
    if catalogue.localized("da") is not catalogue:
        assert type(danish) is not type(one)
    assert f"rating__{catalogue.dimensions[0].key}" in one._fields
