"""one open or undecided review per client: the partial unique index also covers closed
reviews, so no review opens beside a closed one nobody decided (lifecycle.HOLDS_CLIENT)

Revision ID: a19_one_unresolved_review
Revises: a16c_search_filters
Create Date: 2026-11-27 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a19_one_unresolved_review'
down_revision = 'a16c_search_filters'
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("state = 'open'")
OPEN_OR_CLOSED = sa.text("state IN ('open', 'closed')")


def _refuse_held_twice() -> None:
    """Existing data where one client has more than one open or closed review would fail
    the index with a bare constraint error: name them instead, so an operator can decide
    (or cancel, while open) all but one before upgrading. Nothing is changed first."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT client_id, id, state FROM reviews WHERE state IN ('open', 'closed') "
            "AND client_id IN (SELECT client_id FROM reviews WHERE state IN ('open', 'closed') "
            "GROUP BY client_id HAVING COUNT(*) > 1) ORDER BY client_id, id"
        )
    ).all()
    if rows:
        raise RuntimeError(
            "Clients with more than one open or undecided closed review (client: reviews): "
            + "; ".join(
                f"{client}: " + ", ".join(f"#{r.id} {r.state}" for r in rows if r.client_id == client)
                for client in sorted({r.client_id for r in rows})
            )
            + ". Decide the closed ones (or cancel the open ones) before upgrading."
        )


def upgrade():
    _refuse_held_twice()
    op.drop_index('uq_reviews_one_open_per_client', table_name='reviews')
    op.create_index(
        'uq_reviews_one_unresolved_per_client',
        'reviews',
        ['client_id'],
        unique=True,
        sqlite_where=OPEN_OR_CLOSED,
        postgresql_where=OPEN_OR_CLOSED,
    )


def downgrade():
    op.drop_index('uq_reviews_one_unresolved_per_client', table_name='reviews')
    op.create_index(
        'uq_reviews_one_open_per_client',
        'reviews',
        ['client_id'],
        unique=True,
        sqlite_where=OPEN_ONLY,
        postgresql_where=OPEN_ONLY,
    )
