"""redundant indexes: seven single-column indexes whose column already leads a unique
constraint on the same table, whose index serves every lookup they served

Revision ID: a21_redundant_indexes
Revises: a20_stored_results
Create Date: 2026-11-28 12:10:00.000000

Each was written on every insert for nothing: a member's submit wrote twenty-two entries
into them (one per answer, the response, its choice), out of the write's own time.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a21_redundant_indexes'
down_revision = 'a20_stored_results'
branch_labels = None
depends_on = None

# index, table, column; each column leads a unique constraint on its table.
REDUNDANT = (
    ('ix_review_participants_review_id', 'review_participants', 'review_id'),
    ('ix_team_responses_review_id', 'team_responses', 'review_id'),
    ('ix_team_answers_response_id', 'team_answers', 'response_id'),
    ('ix_category_choices_response_id', 'category_choices', 'response_id'),
    ('ix_review_incidents_review_id', 'review_incidents', 'review_id'),
    ('ix_client_answers_client_response_id', 'client_answers', 'client_response_id'),
    ('ix_category_decisions_decision_id', 'category_decisions', 'decision_id'),
)


def upgrade():
    for index, table, _column in REDUNDANT:
        op.drop_index(index, table_name=table)


def downgrade():
    for index, table, column in REDUNDANT:
        op.create_index(index, table, [column], unique=False)
