"""each period's occurrence of a recurring task or a report obligation: its period and parent

Revision ID: 0004_periodic_occurrences
Revises: 0003_unit_names_groups
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004_periodic_occurrences'
down_revision = '0003_unit_names_groups'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.add_column(sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=12),
                                   nullable=True))
        batch.add_column(sa.Column('occurrence_of', sqlmodel.sql.sqltypes.AutoString(length=40),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.drop_column('occurrence_of')
        batch.drop_column('period')
