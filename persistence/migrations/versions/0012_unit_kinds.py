"""a unit's kind (tỉnh, sở, ban, huyện/thành phố/thị xã, phòng, xã, phường, thị trấn, khác),
filled in from the units' names in a database that had none

Revision ID: 0012_unit_kinds
Revises: 0011_inspection_plans
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from domain.states import UnitKind
from domain.unit_kinds import kinds_in_tree

revision = '0012_unit_kinds'
down_revision = '0011_inspection_plans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unit') as batch:
        batch.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12),
                                   server_default=UnitKind.OTHER.value, nullable=False))
    unit = sa.table('unit', sa.column('code'), sa.column('name'), sa.column('parent_code'),
                    sa.column('kind'))
    connection = op.get_bind()
    rows = connection.execute(sa.select(unit.c.code, unit.c.name, unit.c.parent_code))
    kinds = kinds_in_tree({code: (name, parent) for code, name, parent in rows})
    for code, kind in kinds.items():
        if kind is not UnitKind.OTHER:
            connection.execute(unit.update().where(unit.c.code == code).values(kind=kind))


def downgrade() -> None:
    with op.batch_alter_table('unit') as batch:
        batch.drop_column('kind')
