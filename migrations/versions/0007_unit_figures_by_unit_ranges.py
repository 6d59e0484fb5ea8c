"""unit figures by unit ranges: result rows carry their assessment's unit (and domain results its
position); indexes in group order per unit, covering indexes for participation

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

FROM_ASSESSMENT = "(SELECT assessments.{column} FROM assessments WHERE assessments.id = {table}.assessment_id)"


def _copy_from_assessment(table: str, columns: dict) -> None:
    """Add ``columns`` (name → type) to ``table``, fill them from each row's assessment, then
    make them NOT NULL (on SQLite one copy of the table for all of them)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column, type_ in columns.items():
            batch_op.add_column(sa.Column(column, type_, nullable=True))
    op.execute(f"UPDATE {table} SET " + ", ".join(
        f"{column} = " + FROM_ASSESSMENT.format(column=column, table=table) for column in columns))
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column, type_ in columns.items():
            batch_op.alter_column(column, existing_type=type_, nullable=False)


def upgrade():
    _copy_from_assessment('domain_results', {'unit_id': sa.Integer(), 'position_id': sa.String(length=64)})
    _copy_from_assessment('plan_entries', {'unit_id': sa.Integer()})
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.drop_index('ix_domain_results_domain_id')
        batch_op.drop_index('ix_domain_results_figures')
        batch_op.create_index('ix_domain_results_figures',
                              ['unit_id', 'domain_id', 'position_id', 'level', 'gap', 'assessment_id'], unique=False)
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_entries_module_id')
        batch_op.create_index('ix_plan_entries_headcounts', ['unit_id', 'module_id', 'assessment_id'], unique=False)
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
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('domain_results', schema=None) as batch_op:
        batch_op.drop_index('ix_domain_results_figures')
        batch_op.create_index('ix_domain_results_figures', ['assessment_id', 'domain_id', 'level', 'gap'],
                              unique=False)
        batch_op.create_index('ix_domain_results_domain_id', ['domain_id'], unique=False)
        batch_op.drop_column('position_id')
        batch_op.drop_column('unit_id')
