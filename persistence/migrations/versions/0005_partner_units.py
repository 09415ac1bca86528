"""the units a task's partner cell (cơ quan phối hợp) names

Revision ID: 0005_partner_units
Revises: 0004_periodic_occurrences
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_partner_units'
down_revision = '0004_periodic_occurrences'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.add_column(sa.Column('partner_codes', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.drop_column('partner_codes')
