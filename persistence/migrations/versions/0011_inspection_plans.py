"""inspection plans (kế hoạch kiểm tra) and their targets: mode, window, visit, conclusion

Revision ID: 0011_inspection_plans
Revises: 0010_page_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_inspection_plans'
down_revision = '0010_page_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inspectionplan',
        sa.Column('code', sa.String(length=40), primary_key=True),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('decision_number', sa.String(), nullable=True),
        sa.Column('decision_date', sa.Date(), nullable=True),
        sa.Column('issuing_unit_code', sa.String(length=40), sa.ForeignKey('unit.code'),
                  nullable=True),
        sa.Column('owner_unit_code', sa.String(length=40), sa.ForeignKey('unit.code'),
                  nullable=True),
        sa.Column('inspecting_body', sa.String(), nullable=True),
        sa.Column('topics', sa.String(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'inspectiontarget',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('plan_code', sa.String(length=40), sa.ForeignKey('inspectionplan.code'),
                  nullable=False),
        sa.Column('unit_code', sa.String(length=40), sa.ForeignKey('unit.code'),
                  nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=12), nullable=False),
        sa.Column('window_text', sa.String(), nullable=True),
        sa.Column('window_opens', sa.Date(), nullable=True),
        sa.Column('window_closes', sa.Date(), nullable=True),
        sa.Column('topics', sa.String(), nullable=True),
        sa.Column('inspecting_body', sa.String(), nullable=True),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('inspected_from', sa.Date(), nullable=True),
        sa.Column('inspected_to', sa.Date(), nullable=True),
        sa.Column('inspection_id', sa.Integer(), sa.ForeignKey('inspection.id'), nullable=True),
        sa.Column('has_findings', sa.Boolean(), nullable=True),
        sa.Column('added_on', sa.Date(), nullable=True),
        sa.Column('added_reason', sa.String(), nullable=True),
        sa.Column('dropped_on', sa.Date(), nullable=True),
        sa.Column('dropped_reason', sa.String(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('plan_code', 'unit_code'),
    )
    op.create_index('ix_target_unit', 'inspectiontarget', ['unit_code'])
    op.create_index('ix_target_inspection', 'inspectiontarget', ['inspection_id'])


def downgrade() -> None:
    op.drop_index('ix_target_inspection', 'inspectiontarget')
    op.drop_index('ix_target_unit', 'inspectiontarget')
    op.drop_table('inspectiontarget')
    op.drop_table('inspectionplan')
