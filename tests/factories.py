"""Test data: units, people, published questionnaire versions and assessments.

Two kinds of helper, named by how they are called:

- ``make_*`` run inside an app context the test already holds, take and return model objects,
  and commit (``make_unit``, ``make_user``, ``make_version``, ``make_assessment``);
- the others take the ``app``, open an app context of their own and return plain values that
  outlive it: a person as a ``SimpleNamespace`` (``create_person``), ids of versions and
  assessments (``published_version``, ``started_assessment``, ``submitted_assessment``). Use
  these in tests that also send requests, which must not run inside a held app context.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from app.extensions import db
from app.models import Assessment, QuestionnaireVersion, Round, Unit, User, utcnow
from app.services.passwords import hash_password

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "rahasia-Benar-123"
MINI = ROOT / "tests" / "engine" / "fixtures" / "mini.yaml"  # two domains, positions admin-medsos and pimpinan
FULL = ROOT / "questionnaires" / "tata-kelola-media-sosial.yaml"  # the shipped questionnaire, eight domains
MAX_BYTES = 512 * 1024
#: Every required item of MINI answered with its lowest option (a gap in both domains).
MINI_LOW = {"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"], "krisis-pantau": 1,
            "krisis-hoaks": "a"}

# Valid NIPs (birth 1985-01-01, appointed 2010-01, sex digit 1) with the last three digits counting.
# The tables are emptied after every test, so numbers may come round again in a long run.
NIP_SEQ = itertools.cycle(range(100, 1000))


def next_nip() -> str:
    return f"198501012010011{next(NIP_SEQ):03d}"


# -- inside an app context ------------------------------------------------------------------------

def make_unit(code="PROV", name="Provinsi Contoh", parent: Unit | None = None) -> Unit:
    from app.services.units import create_unit

    unit = create_unit(code, name, parent, actor_id=None)
    db.session.commit()
    return unit


def make_user(unit: Unit, roles=("respondent",), *, password: str | None = PASSWORD, nip: str | None = None,
              name: str = "Pegawai Uji", email: str | None = None, active: bool = True) -> User:
    nip = nip or next_nip()
    user = User(nip=nip, name=name, email=email or f"u{nip}@contoh.go.id", unit=unit, active=active,
                password_hash=hash_password(password) if password else None)
    user.set_roles(set(roles))
    db.session.add(user)
    db.session.commit()
    return user


def source_text(source: str | Path) -> str:
    return source.read_text(encoding="utf-8") if isinstance(source, Path) else source


def make_version(source: str | Path = MINI, *, max_bytes: int = MAX_BYTES) -> QuestionnaireVersion:
    """A questionnaire (its text, or a file) published as the next version of its slug."""
    from app.services.questionnaires import import_published

    version, _ = import_published(source_text(source), actor_id=None, max_bytes=max_bytes)
    db.session.commit()
    return version


def make_assessment(user: User, version: QuestionnaireVersion, position: str = "admin-medsos",
                    answers: Mapping[str, Any] | None = None, *, submit: bool = False) -> Assessment:
    """An assessment started after consent, with ``answers`` saved, and submitted when asked."""
    from app.services import assessments

    assessment = assessments.start(user, version, position)
    if answers:
        assessments.save_answers(assessment, answers, domain_id=None)
    if submit:
        assessments.submit(assessment)
    db.session.commit()
    return assessment


def make_round(unit: Unit, version: QuestionnaireVersion, name: str = "AKPK 2027", *, opens_on=None, closes_on=None,
               closed: bool = False) -> Round:
    """A round for ``unit`` and below on ``version``, open from today for 30 days by default."""
    from app.services.clock import office_today

    today = office_today()
    round_ = Round(name=name, unit_id=unit.id, version_id=version.id, opens_on=opens_on or today,
                   closes_on=closes_on or today + timedelta(days=30), closed_at=utcnow() if closed else None)
    db.session.add(round_)
    db.session.commit()
    return round_


# -- from the app: plain values -------------------------------------------------------------------

def snapshot(user: User) -> SimpleNamespace:
    """Plain values of a user, usable after the session that loaded it is gone."""
    return SimpleNamespace(id=user.id, nip=user.nip, email=user.email, name=user.name, unit_id=user.unit_id)


def create_person(app, roles=("respondent",), unit_code="PROV", **kwargs) -> SimpleNamespace:
    """A person in the unit ``unit_code`` (made when missing); ``kwargs`` go to ``make_user``."""
    with app.app_context():
        from app.services.units import unit_by_code

        unit = unit_by_code(unit_code) or make_unit(unit_code, f"Unit {unit_code}")
        return snapshot(make_user(unit, roles, **kwargs))


def published_version(app, source: str | Path = MINI, *, max_bytes: int = MAX_BYTES) -> int:
    """The id of ``source`` published as the next version (MINI by default)."""
    with app.app_context():
        return make_version(source, max_bytes=max_bytes).id


def _version(version_id: int | None) -> QuestionnaireVersion:
    """The version asked for; by default the newest published one, MINI published first if none is."""
    from sqlalchemy import select

    if version_id is not None:
        return db.session.get(QuestionnaireVersion, version_id)
    newest = db.session.scalar(select(QuestionnaireVersion).where(QuestionnaireVersion.number.is_not(None))
                               .order_by(QuestionnaireVersion.id.desc()).limit(1))
    return newest or make_version(MINI)


def started_assessment(app, person, answers: Mapping[str, Any] | None = None, *, version_id: int | None = None,
                       position: str = "admin-medsos") -> int:
    """The id of an in-progress assessment of ``person`` (anything with an ``id``) with ``answers``
    saved, on ``version_id`` (default: the newest published version, MINI if there is none)."""
    with app.app_context():
        user = db.session.get(User, person.id)
        return make_assessment(user, _version(version_id), position, answers).id


def open_round(app, unit_code: str = "PROV", *, version_id: int | None = None, **kwargs) -> int:
    """The id of a round for ``unit_code`` and below (``kwargs`` go to ``make_round``)."""
    with app.app_context():
        from app.services.units import unit_by_code

        unit = unit_by_code(unit_code) or make_unit(unit_code, f"Unit {unit_code}")
        return make_round(unit, _version(version_id), **kwargs).id


def submitted_assessment(app, person, answers: Mapping[str, Any] = MINI_LOW, *, version_id: int | None = None,
                         position: str = "admin-medsos") -> int:
    """The id of a submitted assessment of ``person`` with ``answers`` (default MINI_LOW, which
    fits only MINI), on ``version_id`` (default as in ``started_assessment``)."""
    with app.app_context():
        user = db.session.get(User, person.id)
        return make_assessment(user, _version(version_id), position, answers, submit=True).id
