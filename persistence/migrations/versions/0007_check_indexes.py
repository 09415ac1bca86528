"""indexes that keep a check's reads proportional to the items within the ladder's reach: the
items by due date, the recurring tasks and the occurrences (partial indexes), and the digests
being collected

Revision ID: 0007_check_indexes
Revises: 0006_unit_responses
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_check_indexes'
down_revision = '0006_unit_responses'
branch_labels = None
depends_on = None

RECURRING = sa.text("deadline_kind = 'recurring'")
OCCURRENCES = sa.text("occurrence_of IS NOT NULL")
COLLECTING = sa.text("state = 'collecting'")


def upgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.create_index('ix_item_due', ['due_date'], unique=False)
        batch.create_index('ix_item_recurring', ['completed_on', 'occurrence_of'], unique=False,
                           sqlite_where=RECURRING, postgresql_where=RECURRING)
        batch.create_index('ix_item_occurrences', ['scope', 'code'], unique=False,
                           sqlite_where=OCCURRENCES, postgresql_where=OCCURRENCES)
    with op.batch_alter_table('notice') as batch:
        batch.create_index('ix_notice_collecting', ['partition', 'id'], unique=False,
                           sqlite_where=COLLECTING, postgresql_where=COLLECTING)


def downgrade() -> None:
    with op.batch_alter_table('notice') as batch:
        batch.drop_index('ix_notice_collecting')
    with op.batch_alter_table('trackeditem') as batch:
        batch.drop_index('ix_item_occurrences')
        batch.drop_index('ix_item_recurring')
        batch.drop_index('ix_item_due')
