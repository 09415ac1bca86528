"""indexes that let a page read only its units' part of the unit tree: the units below a unit,
and the dissolved ones with their successors

Revision ID: 0008_unit_tree_indexes
Revises: 0007_check_indexes
"""

from alembic import op

revision = '0008_unit_tree_indexes'
down_revision = '0007_check_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unit') as batch:
        batch.create_index('ix_unit_parent', ['parent_code'], unique=False)
        batch.create_index('ix_unit_dissolved', ['active', 'successor_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('unit') as batch:
        batch.drop_index('ix_unit_dissolved')
        batch.drop_index('ix_unit_parent')
