"""units' other names and groups; tasks fanned out to a group; an inspection's concluding unit

Revision ID: 0003_unit_names_groups
Revises: 0002_deadline_rules
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003_unit_names_groups'
down_revision = '0002_deadline_rules'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unitgroup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('aliases', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('unitgroupmember',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['unitgroup.id'], ),
    sa.ForeignKeyConstraint(['unit_code'], ['unit.code'], ),
    sa.PrimaryKeyConstraint('group_id', 'unit_code')
    )
    with op.batch_alter_table('unit') as batch:
        batch.add_column(sa.Column('other_names', sqlmodel.sql.sqltypes.AutoString(),
                                   nullable=True))
    with op.batch_alter_table('inspection') as batch:
        batch.add_column(sa.Column('concluded_by_unit_code',
                                   sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch.create_foreign_key('fk_inspection_concluded_by_unit', 'unit',
                                 ['concluded_by_unit_code'], ['code'])
    with op.batch_alter_table('trackeditem') as batch:
        batch.add_column(sa.Column('task_code', sqlmodel.sql.sqltypes.AutoString(length=40),
                                   nullable=True))
        batch.add_column(sa.Column('lead_group', sqlmodel.sql.sqltypes.AutoString(),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trackeditem') as batch:
        batch.drop_column('lead_group')
        batch.drop_column('task_code')
    with op.batch_alter_table('inspection') as batch:
        batch.drop_constraint('fk_inspection_concluded_by_unit', type_='foreignkey')
        batch.drop_column('concluded_by_unit_code')
    with op.batch_alter_table('unit') as batch:
        batch.drop_column('other_names')
    op.drop_table('unitgroupmember')
    op.drop_table('unitgroup')
