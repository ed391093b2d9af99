"""languages: a user's chosen language (none: the browser decides) and each client's
language for its answer page and e-mails (existing clients get English)

Revision ID: c13e7a2b9d41
Revises: 4ed131537aed
Create Date: 2026-11-26 18:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c13e7a2b9d41'
down_revision = '4ed131537aed'
branch_labels = None
depends_on = None

LANGUAGES = "('en', 'da', 'hu')"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_users_language_known'),
            f'language IS NULL OR language IN {LANGUAGES}',
        )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=5), server_default='en', nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_clients_language_known'), f'language IN {LANGUAGES}'
        )


def downgrade():
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_clients_language_known'), type_='check')
        batch_op.drop_column('language')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_language_known'), type_='check')
        batch_op.drop_column('language')
