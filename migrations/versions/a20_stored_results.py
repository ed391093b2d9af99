"""stored results: a closed review's results as worked out at close, sealed with the
archive key, so its comparison page is drawn without reading and scoring every answer

Revision ID: a20_stored_results
Revises: a19_one_unresolved_review
Create Date: 2026-11-28 05:00:00.000000

Reviews closed before this have none: their pages are worked out from the rows, as
before, until a client view recorded after close stores them.
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'a20_stored_results'
down_revision = 'a19_one_unresolved_review'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stored_results',
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('basis', sa.Text(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('flag_rows', sa.LargeBinary(), nullable=False),
        sa.Column('seal', sa.String(length=64), nullable=False),
        sa.Column('stored_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('length(seal) = 64', name=op.f('ck_stored_results_seal_length')),
        sa.ForeignKeyConstraint(
            ['review_id'], ['reviews.id'],
            name=op.f('fk_stored_results_review_id_reviews'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('review_id', name=op.f('pk_stored_results')),
    )


def downgrade():
    op.drop_table('stored_results')
