"""the unit AKPK as a plan: HR's costs per mode, unit plans set by an approver (with their
module choices), and the competency development people completed (realisation)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mode_costs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('mode', sa.String(length=32), nullable=False),
        sa.Column('cost_per', sa.String(length=16), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('class_size', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('unit_id', 'mode'),
    )
    with op.batch_alter_table('mode_costs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mode_costs_unit_id'), ['unit_id'], unique=False)
    op.create_table(
        'unit_plans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('budget_ceiling', sa.BigInteger(), nullable=True),
        sa.Column('replaces_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(), nullable=True),
        sa.Column('set_on', sa.Date(), nullable=True),
        sa.Column('set_place', sa.String(length=100), nullable=True),
        sa.Column('approver_id', sa.Integer(), nullable=True),
        sa.Column('approver_name', sa.String(length=200), nullable=True),
        sa.Column('approver_nip', sa.String(length=18), nullable=True),
        sa.Column('approver_position', sa.String(length=200), nullable=True),
        sa.Column('snapshot', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['approver_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['replaces_id'], ['unit_plans.id']),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('unit_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_plans_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_plans_unit_id'), ['unit_id'], unique=False)
    op.create_table(
        'unit_plan_modules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.String(length=64), nullable=False),
        sa.Column('quarter', sa.Integer(), nullable=True),
        sa.Column('provider', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['plan_id'], ['unit_plans.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('plan_id', 'module_id'),
    )
    op.create_table(
        'realisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.String(length=64), nullable=False),
        sa.Column('completed_on', sa.Date(), nullable=False),
        sa.Column('jp', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('realisations', schema=None) as batch_op:
        batch_op.create_index('ix_realisations_person_module', ['user_id', 'module_id'], unique=False)
    # module headcounts per plan year read the year from the index, as they read the module
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_entries_headcounts')
        batch_op.create_index('ix_plan_entries_headcounts', ['unit_id', 'module_id', 'year', 'assessment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_entries_headcounts')
        batch_op.create_index('ix_plan_entries_headcounts', ['unit_id', 'module_id', 'assessment_id'], unique=False)
    with op.batch_alter_table('realisations', schema=None) as batch_op:
        batch_op.drop_index('ix_realisations_person_module')
    op.drop_table('realisations')
    op.drop_table('unit_plan_modules')
    with op.batch_alter_table('unit_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_plans_unit_id'))
        batch_op.drop_index(batch_op.f('ix_unit_plans_round_id'))
    op.drop_table('unit_plans')
    with op.batch_alter_table('mode_costs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mode_costs_unit_id'))
    op.drop_table('mode_costs')
