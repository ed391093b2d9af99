"""client links: what became of the e-mail (none, pending, sent, failed) and when it went

Revision ID: a18_client_link_email_state
Revises: a14b_one_open_review
Create Date: 2026-11-26 17:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'a18_client_link_email_state'
down_revision = 'a14b_one_open_review'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('client_links', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('email_state', sa.String(length=10), server_default='none', nullable=False)
        )
        batch_op.add_column(sa.Column('emailed_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_client_links_email_state_known'), "email_state IN ('none', 'pending', 'sent', 'failed')"
        )
    # Links e-mailed before this revision were recorded as sent when they were issued.
    op.execute(
        "UPDATE client_links SET email_state = 'sent', emailed_at = created_at "
        "WHERE sent_to <> ''"
    )


def downgrade():
    with op.batch_alter_table('client_links', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_client_links_email_state_known'), type_='check')
        batch_op.drop_column('emailed_at')
        batch_op.drop_column('email_state')
