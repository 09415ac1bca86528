"""the day a remediation item was reopened after an evaluation found it not done (chưa đạt),
and the due date then in force

Revision ID: 0009_item_reopened
Revises: 0007_check_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = '0009_item_reopened'
down_revision = '0008_web_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('trackeditem', sa.Column('reopened_on', sa.Date(), nullable=True))
    op.add_column('trackeditem', sa.Column('due_when_reopened', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.drop_column('due_when_reopened')
        batch.drop_column('reopened_on')
