"""the ladder for inspections: its ledger (targetladderentry), one row per rung decided for an
inspection target, track and the day it counts from, with the notice that carries it

Revision ID: 0013_inspection_reminders
Revises: 0011_inspection_plans
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_inspection_reminders'
# 0012_unit_kinds comes between once it is merged: re-chain this to it then.
down_revision = '0012_unit_kinds'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'targetladderentry',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('target_id', sa.Integer(), sa.ForeignKey('inspectiontarget.id'),
                  nullable=False),
        sa.Column('track', sa.String(length=16), nullable=False),
        sa.Column('rung', sa.String(length=8), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('check_date', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.String(), nullable=True),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('notice_id', sa.Integer(), sa.ForeignKey('notice.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('target_id', 'track', 'rung', 'due_date'),
    )
    op.create_index('ix_targetladder_notice', 'targetladderentry', ['notice_id'])


def downgrade() -> None:
    op.drop_index('ix_targetladder_notice', 'targetladderentry')
    op.drop_table('targetladderentry')
