"""unit figures without sorting: domain results carry their position; group-ordered and covering indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_id', sa.String(length=64), nullable=True))
    op.execute("UPDATE domain_results SET position_id = (SELECT assessments.position_id FROM assessments "
               "WHERE assessments.id = domain_results.assessment_id)")
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.alter_column('position_id', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_index('ix_domain_results_domain_id')
        batch_op.drop_index('ix_domain_results_figures')
        batch_op.create_index('ix_domain_results_figures',
                              ['assessment_id', 'domain_id', 'position_id', 'level', 'gap'], unique=False)
        batch_op.create_index('ix_domain_results_groups',
                              ['domain_id', 'position_id', 'level', 'gap', 'assessment_id'], unique=False)
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_entries_module_id')
        batch_op.create_index('ix_plan_entries_headcounts', ['module_id', 'assessment_id'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_unit_id')
        batch_op.drop_index('ix_assessments_reporting')
        batch_op.create_index('ix_assessments_reporting',
                              ['latest', 'status', 'unit_id', 'position_id', 'version_id', 'id'], unique=False)
        batch_op.create_index('ix_assessments_activity',
                              ['unit_id', 'user_id', 'status', 'submitted_at', 'updated_at'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_unit_id')
        batch_op.create_index('ix_users_registered', ['unit_id', 'active', 'position_id'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_registered')
        batch_op.create_index('ix_users_unit_id', ['unit_id'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_activity')
        batch_op.drop_index('ix_assessments_reporting')
        batch_op.create_index('ix_assessments_reporting',
                              ['latest', 'status', 'unit_id', 'position_id', 'version_id'], unique=False)
        batch_op.create_index('ix_assessments_unit_id', ['unit_id'], unique=False)
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_entries_headcounts')
        batch_op.create_index('ix_plan_entries_module_id', ['module_id'], unique=False)
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.drop_index('ix_domain_results_groups')
        batch_op.drop_index('ix_domain_results_figures')
        batch_op.create_index('ix_domain_results_figures', ['assessment_id', 'domain_id', 'level', 'gap'],
                              unique=False)
        batch_op.create_index('ix_domain_results_domain_id', ['domain_id'], unique=False)
        batch_op.drop_column('position_id')
