"""one open review per client (a partial unique index), and cancelling an open review:
the state "cancelled" and who cancelled, when and why

Revision ID: a14b_one_open_review
Revises: a17_incident_log_offboarding
Create Date: 2026-11-26 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'a14b_one_open_review'
down_revision = 'a17_incident_log_offboarding'
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("state = 'open'")


def _refuse_duplicates() -> None:
    """Existing data with two open reviews of one client would fail the index with a
    bare constraint error: name them instead, so an operator can close or decide one."""
    clients = op.get_bind().execute(
        sa.text(
            "SELECT client_id FROM reviews WHERE state = 'open' "
            "GROUP BY client_id HAVING COUNT(*) > 1"
        )
    ).scalars().all()
    if clients:
        raise RuntimeError(
            "Several open reviews for the same client (client ids "
            + ", ".join(str(c) for c in clients)
            + "): close or decide all but one before upgrading."
        )


def upgrade():
    _refuse_duplicates()
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_reviews_cancelled_by_id_users'), 'users', ['cancelled_by_id'], ['id']
        )
        batch_op.drop_constraint(batch_op.f('ck_reviews_state_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_reviews_state_known'),
            "state IN ('open', 'closed', 'decided', 'cancelled')",
        )
    op.create_index(
        'uq_reviews_one_open_per_client',
        'reviews',
        ['client_id'],
        unique=True,
        sqlite_where=OPEN_ONLY,
        postgresql_where=OPEN_ONLY,
    )


def downgrade():
    op.drop_index('uq_reviews_one_open_per_client', table_name='reviews')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reviews_state_known'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_reviews_state_known'), "state IN ('open', 'closed', 'decided')"
        )
        batch_op.drop_constraint(batch_op.f('fk_reviews_cancelled_by_id_users'), type_='foreignkey')
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
