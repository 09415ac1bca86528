"""deadline rules: a recurring deadline's rule, kept on its item

Revision ID: 0002_deadline_rules
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_deadline_rules"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trackeditem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline_rule", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trackeditem", schema=None) as batch_op:
        batch_op.drop_column("deadline_rule")
