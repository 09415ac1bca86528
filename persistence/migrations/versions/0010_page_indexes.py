"""indexes that keep a page's reads proportional to what it shows: the units below a unit and
the dissolved ones (a unit page's part of the tree), the items whose deadline names no date
(the review queue)

Revision ID: 0010_page_indexes
Revises: 0007_check_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_page_indexes'
down_revision = '0009_item_reopened'
branch_labels = None
depends_on = None

UNDETERMINED = sa.text("deadline_kind = 'undetermined'")


def upgrade() -> None:
    with op.batch_alter_table('unit') as batch:
        batch.create_index('ix_unit_parent', ['parent_code'], unique=False)
        batch.create_index('ix_unit_dissolved', ['active', 'code', 'successor_code'],
                           unique=False)
    with op.batch_alter_table('trackeditem') as batch:
        batch.create_index('ix_item_undetermined', ['scope', 'position'], unique=False,
                           sqlite_where=UNDETERMINED, postgresql_where=UNDETERMINED)


def downgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.drop_index('ix_item_undetermined')
    with op.batch_alter_table('unit') as batch:
        batch.drop_index('ix_unit_dissolved')
        batch.drop_index('ix_unit_parent')
