"""`flask seed-demo`: a demo province with units, one user per role, the default questionnaire and,
optionally, synthetic people with their assessments in three rounds (``demo_rounds``)."""

from __future__ import annotations

import os
import random
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import insert, select

from config import ROOT

from ..engine import questionnaire as engine
from ..engine.stored import result_to_plain
from ..extensions import db
from ..models import Assessment, AssessmentStatus, Unit, User, UserRole, utcnow
from ..services.passwords import hash_password
from ..services.questionnaires import import_published, parsed
from ..services.results import answer_rows, result_rows, score_assessment, write_answers, write_result_rows
from ..services.units import count_units, create_unit, unit_by_code
from .demo_people import random_answers, synthetic_nip
from .demo_rounds import seed_rounds

DEFAULT_QUESTIONNAIRE = ROOT / "questionnaires" / "tata-kelola-media-sosial.yaml"

UNITS = [  # code, name, parent
    ("BANTEN", "Pemerintah Provinsi Banten", None),
    ("BKD", "Badan Kepegawaian Daerah", "BANTEN"),
    ("BPSDM", "Badan Pengembangan Sumber Daya Manusia", "BANTEN"),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "BANTEN"),
    ("DISKOMINFO.IKP", "Bidang Informasi dan Komunikasi Publik", "DISKOMINFO"),
    ("DISKOMINFO.APTIKA", "Bidang Aplikasi Informatika", "DISKOMINFO"),
    ("DINKES", "Dinas Kesehatan", "BANTEN"),
    ("DINKES.YANKES", "Bidang Pelayanan Kesehatan", "DINKES"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "BANTEN"),
    ("DPMPTSP.PELAYANAN", "Bidang Pelayanan Perizinan", "DPMPTSP"),
]

DEMO_USERS = [  # key, nip, name, unit, position, roles
    ("admin", "198001012005011901", "Admin Swanilai", "BANTEN", "", {"admin"}),
    ("hr", "198203152006042902", "Rina Kepegawaian", "BANTEN", "", {"hr", "respondent"}),
    ("trainer", "197905202003121903", "Budi Widyaiswara", "BPSDM", "", {"trainer", "respondent"}),
    ("respondent", "199006102015032904", "Siti Pelayanan", "DISKOMINFO.IKP", "", {"respondent"}),
    ("approver", "197702142000031905", "Ahmad Fauzi", "BANTEN", "", {"approver"}),  # Kepala BKD: sets plans
]


def credentials_file() -> Path:
    """In the instance folder, made when missing (with DATABASE_URL elsewhere, a fresh checkout
    has no instance/ yet)."""
    folder = Path(current_app.instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "demo-credentials.txt"


def print_credentials() -> None:
    path = credentials_file()
    if path.exists():
        click.echo(path.read_text(encoding="utf-8"))


@click.command("seed-demo")
@click.option("--respondents", type=click.IntRange(0, 1_000_000), default=0,
              help="Also create this many synthetic people with their assessments in three rounds: two closed "
                   "(AKPK of this year and the last) and one open (next year's).")
@click.option("--if-empty", is_flag=True, help="Do nothing (but print the demo sign-ins) when units exist.")
@click.option("--seed", type=int, default=2022, help="Random seed for synthetic answers.")
@with_appcontext
def seed_demo(respondents: int, if_empty: bool, seed: int) -> None:
    """Fill an empty database with a demo province."""
    if count_units() and if_empty:
        click.echo("Basis data sudah berisi data; demo tidak dibuat ulang.")
        print_credentials()
        return
    if unit_by_code("BANTEN") is None:
        for code, name, parent in UNITS:
            create_unit(code, name, unit_by_code(parent) if parent else None, actor_id=None, ip="cli")
    version = None
    if DEFAULT_QUESTIONNAIRE.exists():
        version, _created = import_published(DEFAULT_QUESTIONNAIRE.read_text(encoding="utf-8"), actor_id=None,
                                             max_bytes=current_app.config["QUESTIONNAIRE_MAX_BYTES"])
    model = parsed(version) if version else None
    lines = _demo_users(model)
    db.session.commit()
    if lines:
        path = credentials_file()
        path.write_text("Akun demo (kata sandi hanya untuk demo):\n" + "\n".join(lines) + "\n", encoding="utf-8")
        os.chmod(path, 0o600)
    if respondents and version is not None:
        created = seed_rounds(version.id, model, respondents, random.Random(seed))
        click.echo(f"{respondents} pegawai sintetis dengan {created} penilaian terkirim dalam tiga putaran dibuat.")
    print_credentials()


def _demo_users(model: engine.Questionnaire | None) -> list[str]:
    lines = []
    first_position = model.positions[0].id if model else ""
    for key, nip, name, unit_code, position, roles in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.nip == nip)):
            continue
        password = f"demo-{key}-{secrets.token_hex(3)}1"
        user = User(nip=nip, name=name, email=f"{key}@demo.swanilai.id", unit=unit_by_code(unit_code),
                    position_id=position or (first_position if "respondent" in roles else None),
                    password_hash=hash_password(password))
        user.set_roles(roles)
        db.session.add(user)
        lines.append(f"  {key:<11} NIP {nip}  kata sandi {password}")
    return lines


def seed_respondents(version_id: int, model: engine.Questionnaire, count: int, rng: random.Random,
                     batch: int = 500) -> int:
    """Synthetic people, each with one submitted assessment, inserted in batches with Core inserts."""
    units = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None)).order_by(Unit.id)))
    positions = [p.id for p in model.positions]
    start = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0
    created = 0
    while created < count:
        size = min(batch, count - created)
        _seed_batch(version_id, model, units, positions, start + created, size, rng)
        db.session.commit()
        created += size
    return created


def _seed_batch(version_id, model, units, positions, offset, size, rng) -> None:
    now = utcnow()
    people, scored = [], []
    for n in range(size):
        index = offset + n
        unit = units[index % len(units)]
        position = positions[index % len(positions)]
        people.append({"nip": synthetic_nip(index), "name": f"Pegawai Contoh {index}",
                       "email": f"pegawai{index}@contoh.swanilai.id", "unit_id": unit.id,
                       "position_id": position, "active": True,
                       "created_at": now})
        skill = min(1.0, max(0.0, rng.betavariate(2.2, 2.0) + (unit.id % 3 - 1) * 0.08))
        answers = random_answers(model, rng, skill)
        scored.append((answers, score_assessment(model, answers, position)))
    user_ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), people))
    db.session.execute(insert(UserRole), [{"user_id": uid, "role": "respondent"} for uid in user_ids])
    assessments = [{"user_id": uid, "version_id": version_id, "unit_id": person["unit_id"],
                    "position_id": person["position_id"], "status": AssessmentStatus.SUBMITTED.value,
                    "started_at": now - timedelta(days=1), "updated_at": now, "submitted_at": now,
                    "consent_at": now - timedelta(days=1), "total_jp": result.plan.total_jp, "latest": True,
                    "result": result_to_plain(result)}
                   for uid, person, (_answers, result) in zip(user_ids, people, scored)]
    assessment_ids = list(db.session.scalars(
        insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), assessments))
    answers, domains, plans = [], [], []
    for assessment_id, person, (person_answers, result) in zip(assessment_ids, people, scored):
        answers.extend(answer_rows(assessment_id, person_answers))
        domain_rows, plan_rows = result_rows(model, assessment_id, person["unit_id"], result)
        domains.extend(domain_rows)
        plans.extend(plan_rows)
    write_answers(answers)
    write_result_rows(domains, plans)
