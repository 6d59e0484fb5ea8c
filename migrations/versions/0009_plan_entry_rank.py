"""plan entries: the place in the plan is its rank ("position" means a jabatan)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.alter_column('position', new_column_name='rank')


def downgrade():
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.alter_column('rank', new_column_name='position')
