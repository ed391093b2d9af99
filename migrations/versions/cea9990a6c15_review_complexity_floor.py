"""review complexity floor: the lead fixes the project's complexity (1-5) when opening a
review, before anyone answers; reviews opened before this revision get 3 ("moderate")

Revision ID: cea9990a6c15
Revises: fb7b811b654c
Create Date: 2026-11-25 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


# revision identifiers, used by Alembic.
revision = 'cea9990a6c15'
down_revision = 'fb7b811b654c'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('complexity_floor', sa.Integer(), server_default='3', nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_reviews_complexity_floor_range'),
            'complexity_floor BETWEEN 1 AND 5',
        )


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reviews_complexity_floor_range'), type_='check')
        batch_op.drop_column('complexity_floor')
