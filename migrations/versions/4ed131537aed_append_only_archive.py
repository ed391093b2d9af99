"""append-only archive: decisions, category_decisions and audit_events refuse UPDATE and
DELETE in the database itself (triggers; on PostgreSQL also TRUNCATE)

Revision ID: 4ed131537aed
Revises: b41d2e9a7c30
Create Date: 2026-11-26 15:25:00.000000

"""
from alembic import op

# The SQL lives in one place, shared with the test suite's schema fixture. The table list
# is frozen here: a table added to the append-only set later gets its own revision.
from app.models.append_only import drop_statements, install_statements


# revision identifiers, used by Alembic.
revision = '4ed131537aed'
down_revision = 'b41d2e9a7c30'
branch_labels = None
depends_on = None

TABLES = ("decisions", "category_decisions", "audit_events")

# Note for later revisions: on SQLite, `op.batch_alter_table` on one of these tables
# rebuilds it (copy, drop, rename) and the rebuilt table has no triggers. Such a revision
# must run drop_statements/install_statements around its batch block, or the archive
# silently stops being append-only on SQLite (tests/migrations/ checks the head has them).


def upgrade():
    dialect = op.get_context().dialect.name
    for statement in install_statements(dialect, TABLES):
        op.execute(statement)


def downgrade():
    dialect = op.get_context().dialect.name
    for statement in drop_statements(dialect, TABLES):
        op.execute(statement)
