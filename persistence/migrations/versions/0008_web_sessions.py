"""the secretariat's sessions kept server-side (ended by logging out, a new password or
disabling the user), and disabled users

Revision ID: 0008_web_sessions
Revises: 0007_check_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_web_sessions'
down_revision = '0007_check_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webuser') as batch:
        batch.add_column(sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'websession',
        sa.Column('id_hash', sa.String(length=64), primary_key=True),
        sa.Column('user', sa.String(length=60), sa.ForeignKey('webuser.name'), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_websession_user', 'websession', ['user'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_websession_user', 'websession')
    op.drop_table('websession')
    with op.batch_alter_table('webuser') as batch:
        batch.drop_column('disabled_at')
