"""archive search filters: on PostgreSQL the search table also holds what the archive's
filters ask of a decision (its date, its lead, the outcome filters it meets, who may see
it) under one GIN index with the words (btree_gin for the lead), so a search with filters
is one bitmap; rebuilt from the archive. SQLite's index is unchanged.

Revision ID: a16c_search_filters
Revises: a16b_archive_indexes
Create Date: 2026-11-27 04:30:00.000000

"""
from alembic import op

# The SQL lives in one place, shared with the test suite's schema fixture.
from app.models.search_index import rebuild_statements


# revision identifiers, used by Alembic.
revision = 'a16c_search_filters'
down_revision = 'a16b_archive_indexes'
branch_labels = None
depends_on = None


def upgrade():
    for statement in rebuild_statements(op.get_context().dialect.name, 2):
        op.execute(statement)


def downgrade():
    # btree_gin stays, as pg_trgm does: a database has one, other schemas may use it.
    for statement in rebuild_statements(op.get_context().dialect.name, 1):
        op.execute(statement)
