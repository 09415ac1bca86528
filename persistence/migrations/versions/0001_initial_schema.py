"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 20:40:41.135648
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient_unit_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('partition', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cc', sa.JSON(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('text_body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('html_body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index('ix_notice_day_recipient', ['check_date', 'recipient'], unique=False)
        batch_op.create_index('ix_notice_state', ['state', 'next_attempt_at'], unique=False)

    op.create_table('unit',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('parent_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('head_title', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('head_email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('focal_email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('successor_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['unit.code'], ),
    sa.ForeignKeyConstraint(['successor_code'], ['unit.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('finding',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('plan',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('decision_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('owner_unit_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['owner_unit_code'], ['unit.code'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('taskgroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('numeral', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_code'], ['plan.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_code', 'numeral')
    )
    op.create_table('trackeditem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('plan_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('finding_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('cooperating', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('product', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('deadline_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('deadline_kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('original_due_date', sa.Date(), nullable=True),
    sa.Column('opens_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['finding_code'], ['finding.code'], ),
    sa.ForeignKeyConstraint(['group_id'], ['taskgroup.id'], ),
    sa.ForeignKeyConstraint(['plan_code'], ['plan.code'], ),
    sa.ForeignKeyConstraint(['unit_code'], ['unit.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('scope', 'code')
    )
    with op.batch_alter_table('trackeditem', schema=None) as batch_op:
        batch_op.create_index('ix_item_sweep', ['completed_on', 'unit_code', 'id'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('check_date', sa.Date(), nullable=True),
    sa.Column('flow_run_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['trackeditem.id'], ),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('previous_due', sa.Date(), nullable=True),
    sa.Column('new_due', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['trackeditem.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_item_id'), ['item_id'], unique=False)

    op.create_table('ladderentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('track', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('rung', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['trackeditem.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'track', 'rung', 'due_date')
    )
    op.create_table('noticeentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('ledger_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.ForeignKeyConstraint(['ledger_id'], ['ladderentry.id'], ),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notice_id', 'ledger_id')
    )
    with op.batch_alter_table('noticeentry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_noticeentry_ledger_id'), ['ledger_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_noticeentry_notice_id'), ['notice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('noticeentry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_noticeentry_notice_id'))
        batch_op.drop_index(batch_op.f('ix_noticeentry_ledger_id'))

    op.drop_table('noticeentry')
    op.drop_table('ladderentry')
    with op.batch_alter_table('extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extension_item_id'))

    op.drop_table('extension')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_event_notice_id'))
        batch_op.drop_index(batch_op.f('ix_event_item_id'))

    op.drop_table('event')
    with op.batch_alter_table('trackeditem', schema=None) as batch_op:
        batch_op.drop_index('ix_item_sweep')

    op.drop_table('trackeditem')
    op.drop_table('taskgroup')
    op.drop_table('plan')
    op.drop_table('finding')
    op.drop_table('unit')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_state')
        batch_op.drop_index('ix_notice_day_recipient')

    op.drop_table('notice')
    op.drop_table('inspection')
