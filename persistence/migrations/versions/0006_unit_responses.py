"""what units send back through their page, the secretariat's logins, revoked links and rate
limits

Revision ID: 0006_unit_responses
Revises: 0005_partner_units
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_unit_responses'
down_revision = '0005_partner_units'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'submission',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('item_id', sa.Integer(), sa.ForeignKey('trackeditem.id'), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('dedup_key', sa.String(length=120), nullable=True, unique=True),
        sa.Column('submitted_by', sa.String(), nullable=False),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.Column('client_ip', sa.String(length=64), nullable=True),
        sa.Column('completed_on', sa.Date(), nullable=True),
        sa.Column('doc_number', sa.String(), nullable=True),
        sa.Column('doc_date', sa.Date(), nullable=True),
        sa.Column('proposed_due', sa.Date(), nullable=True),
        sa.Column('note', sa.String(), nullable=True),
        sa.Column('attachment_name', sa.String(), nullable=True),
        sa.Column('attachment_file', sa.String(length=80), nullable=True),
        sa.Column('attachment_type', sa.String(length=80), nullable=True),
        sa.Column('attachment_size', sa.Integer(), nullable=True),
        sa.Column('pauses_ladder', sa.Boolean(), nullable=False),
        sa.Column('decided_by', sa.String(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.String(), nullable=True),
        sa.Column('decided_due', sa.Date(), nullable=True),
    )
    op.create_index('ix_submission_item_id', 'submission', ['item_id'])
    op.create_table(
        'webuser',
        sa.Column('name', sa.String(length=60), primary_key=True),
        sa.Column('password_hash', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'linkrevocation',
        sa.Column('recipient', sa.String(length=254), primary_key=True),
        sa.Column('revoked_before', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'ratelimit',
        sa.Column('key', sa.String(length=300), primary_key=True),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('ratelimit')
    op.drop_table('linkrevocation')
    op.drop_table('webuser')
    op.drop_index('ix_submission_item_id', 'submission')
    op.drop_table('submission')
