"""assessment rounds; the target position; plan entries scheduled in years

Every assessment submitted before rounds existed goes into one closed round per top-level unit,
"Penilaian sebelum putaran", so dashboards that take a round as their filter still show them.
Assessments still in progress stay outside any round: the person can still finish (or discard)
them. ``latest`` becomes each person's newest submitted assessment of its round.

Plan entries get the year they are scheduled in, by the rule of ``app/engine/schedule.py`` as it
stands at this revision (copied here: a migration must not change when the app's code does),
at the yearly figure each stored plan was compared with.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:30:00.000000

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    op.create_table(
        'rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('opens_on', sa.Date(), nullable=False),
        sa.Column('closes_on', sa.Date(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('before_rounds', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.ForeignKeyConstraint(['version_id'], ['questionnaire_versions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rounds_unit_id'), ['unit_id'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_position_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_assessments_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key('fk_assessments_round_id_rounds', 'rounds', ['round_id'], ['id'])
        batch_op.drop_index('ix_assessments_reporting')
        batch_op.create_index('ix_assessments_reporting',
                              ['latest', 'status', 'round_id', 'unit_id', 'position_id', 'version_id', 'id'],
                              unique=False)
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.Integer(), server_default='1', nullable=False))
    _rounds_for_earlier_assessments()
    _schedule_stored_plans()


def _rounds_for_earlier_assessments():
    bind = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    roots = bind.execute(sa.text("SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY id")).all()
    for root_id, path in roots:
        in_root = ("status = 'submitted' AND unit_id IN "
                   "(SELECT id FROM units WHERE path LIKE :prefix)")
        prefix = {"prefix": path + "%"}
        first, last, version_id = bind.execute(sa.text(
            "SELECT MIN(COALESCE(submitted_at, started_at)), MAX(COALESCE(submitted_at, started_at)), "
            f"MAX(version_id) FROM assessments WHERE {in_root}"),
            prefix).one()
        if version_id is None:
            continue
        bind.execute(sa.text(
            "INSERT INTO rounds (name, unit_id, version_id, opens_on, closes_on, closed_at, before_rounds, "
            "created_at) VALUES ('Penilaian sebelum putaran', :unit, :version, :opens, :closes, :now, :yes, :now)"),
            {"unit": root_id, "version": version_id, "opens": _day(first, now), "closes": _day(last, now), "now": now,
             "yes": True})
        round_id = bind.execute(sa.text("SELECT MAX(id) FROM rounds WHERE unit_id = :unit"),
                                {"unit": root_id}).scalar_one()
        bind.execute(sa.text(f"UPDATE assessments SET round_id = :round WHERE {in_root}"),
                     {"round": round_id, **prefix})
    _latest_per_round()


def _day(value, default):
    if value is None:
        return default.date()
    if isinstance(value, str):  # SQLite returns the aggregate of a DATETIME column as text
        value = datetime.fromisoformat(value)
    return value.date()


def _latest_per_round():
    op.execute("""
        UPDATE assessments SET latest = (id = (
            SELECT other.id FROM assessments AS other
            WHERE other.user_id = assessments.user_id AND other.round_id = assessments.round_id
              AND other.status = 'submitted'
            ORDER BY other.submitted_at DESC, other.id DESC LIMIT 1))
        WHERE status = 'submitted' AND round_id IS NOT NULL AND user_id IS NOT NULL
    """)


def year_numbers(entries, yearly_jp):
    """(domain id, JP) in priority order → the year of each: the earliest year no earlier than
    the previous module of its domain with room left, an empty year taking any module."""
    used, held, last_of_domain, numbers = [], [], {}, []
    for domain_id, jp in entries:
        year = last_of_domain.get(domain_id, 1)
        while year <= len(used) and held[year - 1] and used[year - 1] + jp > yearly_jp:
            year += 1
        while len(used) < year:
            used.append(0)
            held.append(0)
        used[year - 1] += jp
        held[year - 1] += 1
        last_of_domain[domain_id] = year
        numbers.append(year)
    return numbers


def _schedule_stored_plans():
    bind = op.get_bind()
    assessments = sa.table('assessments', sa.column('id', sa.Integer), sa.column('result', sa.JSON),
                           sa.column('status', sa.String))
    entries = sa.table('plan_entries', sa.column('id', sa.Integer), sa.column('assessment_id', sa.Integer),
                       sa.column('domain_id', sa.String), sa.column('jp', sa.Integer),
                       sa.column('rank', sa.Integer), sa.column('year', sa.Integer))
    after = 0
    while True:
        rows = bind.execute(sa.select(assessments.c.id, assessments.c.result)
                            .where(assessments.c.status == 'submitted', assessments.c.id > after)
                            .order_by(assessments.c.id).limit(BATCH)).all()
        if not rows:
            return
        after = rows[-1][0]
        yearly = {assessment_id: _yearly_jp(result) for assessment_id, result in rows}
        planned = bind.execute(sa.select(entries.c.id, entries.c.assessment_id, entries.c.domain_id, entries.c.jp)
                               .where(entries.c.assessment_id.in_(list(yearly)))
                               .order_by(entries.c.assessment_id, entries.c.rank)).all()
        by_assessment = {}
        for entry_id, assessment_id, domain_id, jp in planned:
            by_assessment.setdefault(assessment_id, []).append((entry_id, domain_id, jp))
        changes = []
        for assessment_id, plan in by_assessment.items():
            numbers = year_numbers([(domain_id, jp) for _id, domain_id, jp in plan], yearly[assessment_id])
            changes.extend({"entry": entry_id, "year": number}
                           for (entry_id, _domain, _jp), number in zip(plan, numbers) if number != 1)
        if changes:
            bind.execute(entries.update().where(entries.c.id == sa.bindparam('entry'))
                         .values(year=sa.bindparam('year')), changes)


def _yearly_jp(result):
    plan = (result or {}).get("plan") or {}
    if plan.get("entitlement_jp"):
        return int(plan["entitlement_jp"])
    return 24 if plan.get("employment_type") == "pppk" else 20


def downgrade():
    with op.batch_alter_table('plan_entries', schema=None) as batch_op:
        batch_op.drop_column('year')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_reporting')
        batch_op.create_index('ix_assessments_reporting',
                              ['latest', 'status', 'unit_id', 'position_id', 'version_id', 'id'], unique=False)
        batch_op.drop_constraint('fk_assessments_round_id_rounds', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_assessments_round_id'))
        batch_op.drop_column('target_position_id')
        batch_op.drop_column('round_id')
    op.execute("""
        UPDATE assessments SET latest = (id = (
            SELECT other.id FROM assessments AS other
            WHERE other.user_id = assessments.user_id AND other.status = 'submitted'
            ORDER BY other.submitted_at DESC, other.id DESC LIMIT 1))
        WHERE status = 'submitted' AND user_id IS NOT NULL
    """)
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_unit_id'))
    op.drop_table('rounds')
