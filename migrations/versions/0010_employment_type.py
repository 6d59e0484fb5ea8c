"""employment type: a person is a PNS (at least 20 JP a year) or a PPPK (at most 24 JP a year);
a submitted assessment keeps the type its plan was compared with

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    # Everyone registered so far is a PNS, and every plan submitted so far was compared with the
    # PNS figure.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employment_type', sa.String(length=8), nullable=False,
                                      server_default='pns'))
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employment_type', sa.String(length=8), nullable=True))
    op.execute("UPDATE assessments SET employment_type = 'pns' WHERE status = 'submitted'")
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_activity')
        batch_op.create_index('ix_assessments_activity',
                              ['unit_id', 'user_id', 'status', 'submitted_at', 'updated_at', 'employment_type'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_activity')
        batch_op.create_index('ix_assessments_activity',
                              ['unit_id', 'user_id', 'status', 'submitted_at', 'updated_at'], unique=False)
        batch_op.drop_column('employment_type')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('employment_type')
