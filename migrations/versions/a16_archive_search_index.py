"""archive search index: FTS5 trigrams on SQLite, a pg_trgm GIN index on PostgreSQL, one
row per decision with its client's name, conflict and rationale, kept by triggers and
filled here for the decisions that exist already

Revision ID: a16_search_index
Revises: a15_login_sessions
Create Date: 2026-11-26 18:30:00.000000

"""
from alembic import op

# The SQL lives in one place, shared with the test suite's schema fixture.
from app.models.search_index import backfill_statement, drop_statements, install_statements

# What this revision made, whatever later revisions changed in the module.
VERSION = 1


# revision identifiers, used by Alembic.
revision = 'a16_search_index'
down_revision = 'a15_login_sessions'
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_context().dialect.name
    for statement in install_statements(dialect, VERSION):
        op.execute(statement)
    op.execute(backfill_statement(dialect, VERSION))


def downgrade():
    dialect = op.get_context().dialect.name
    for statement in drop_statements(dialect):
        op.execute(statement)
