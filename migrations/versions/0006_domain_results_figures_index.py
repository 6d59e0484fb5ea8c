"""domain results figures index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:55:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.create_index('ix_domain_results_figures', ['assessment_id', 'domain_id', 'level', 'gap'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.drop_index('ix_domain_results_figures')
