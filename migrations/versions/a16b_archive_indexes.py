"""archive indexes for the plans in app/services/archive_plan.py: a member's decisions
read newest first from (review_id, decided_at, id) without their wide rows, and a
category tested per decision from (decision_id, category_key, outcome) alone, and a
member's reviews from (user_id, review_id) alone (it replaces the index on user_id)

Revision ID: a16b_archive_indexes
Revises: a16_search_index
Create Date: 2026-11-26 21:05:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a16b_archive_indexes'
down_revision = 'a16_search_index'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX (no batch copy of the table): both backends add an index in place.
    op.create_index(
        'ix_decisions_review_decided', 'decisions', ['review_id', 'decided_at', 'id']
    )
    op.create_index(
        'ix_category_decisions_decision_key_outcome',
        'category_decisions',
        ['decision_id', 'category_key', 'outcome'],
    )
    op.create_index(
        'ix_review_participants_user_review', 'review_participants', ['user_id', 'review_id']
    )
    op.drop_index('ix_review_participants_user_id', table_name='review_participants')


def downgrade():
    op.create_index('ix_review_participants_user_id', 'review_participants', ['user_id'])
    op.drop_index('ix_review_participants_user_review', table_name='review_participants')
    op.drop_index('ix_category_decisions_decision_key_outcome', table_name='category_decisions')
    op.drop_index('ix_decisions_review_decided', table_name='decisions')
