"""sealed decision records: from schema 2 a decision stores its record as the exact
canonical text that was sealed (HMAC, key outside the database); the JSON snapshot column
stays for older decisions and becomes optional

Revision ID: b41d2e9a7c30
Revises: cea9990a6c15
Create Date: 2026-11-26 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41d2e9a7c30'
down_revision = 'cea9990a6c15'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_text', sa.Text(), nullable=True))
        batch_op.alter_column('snapshot', existing_type=sa.JSON(), nullable=True)


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.alter_column('snapshot', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column('record_text')
