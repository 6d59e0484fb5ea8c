"""Migration 0011: assessments submitted before rounds existed go into one closed round per
top-level unit; those in progress stay outside any round (their person can finish them); stored
plans are scheduled in years at the figure each was compared with; the downgrade undoes it. On
SQLite, rebuilding the assessments table keeps the rows that refer to it (answers, plans)."""

from __future__ import annotations

import json

from sqlalchemy import text

from app.extensions import db


def test_earlier_assessments_get_a_closed_round_and_plans_their_years(tmp_path):
    from flask_migrate import downgrade, upgrade

    from app import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.app_context():
        upgrade(revision="0010")
        with db.engine.begin() as connection:
            for unit_id, code in ((1, "PROV"), (2, "LAIN")):
                connection.execute(text("INSERT INTO units (id, code, name, path, active, created_at) "
                                        "VALUES (:id, :code, :code, :path, 1, '2026-01-01')"),
                                   {"id": unit_id, "code": code, "path": f"/{unit_id}/"})
            connection.execute(text("INSERT INTO units (id, code, name, parent_id, path, active, created_at) "
                                    "VALUES (3, 'DINAS', 'Dinas', 1, '/1/3/', 1, '2026-01-01')"))
            connection.execute(text("INSERT INTO users (id, nip, name, email, unit_id, active, created_at) "
                                    "VALUES (1, '198001012005011001', 'Ani', 'a@x.go.id', 3, 1, '2026-01-01')"))
            connection.execute(text("INSERT INTO questionnaires (id, slug, created_at) VALUES (1, 'q', '2026-01-01')"))
            connection.execute(text(
                "INSERT INTO questionnaire_versions (id, questionnaire_id, number, status, title, source, checksum, "
                "created_at, updated_at, lock_version) VALUES (1, 1, 1, 'published', 'Q', '', 'x', '2026-01-01', "
                "'2026-01-01', 1)"))
            pppk_plan = json.dumps({"plan": {"entitlement_jp": 24, "employment_type": "pppk"}})
            rows = ((1, "submitted", "2025-11-20 03:00:00", 0, None), (2, "submitted", "2026-11-20 03:00:00", 1,
                                                                          pppk_plan),
                    (3, "in_progress", None, 0, None))
            for assessment_id, status, submitted_at, latest, result in rows:
                connection.execute(text(
                    "INSERT INTO assessments (id, user_id, version_id, unit_id, position_id, status, started_at, "
                    "updated_at, submitted_at, latest, result) VALUES (:id, 1, 1, 3, 'p', :status, '2025-11-19', "
                    "'2025-11-19', :at, :latest, :result)"),
                    {"id": assessment_id, "status": status, "at": submitted_at, "latest": latest, "result": result})
            for entry_id, (module, domain, jp) in enumerate((("m1", "a", 16), ("m2", "a", 10), ("m3", "b", 4)), 1):
                connection.execute(text(
                    "INSERT INTO plan_entries (id, assessment_id, module_id, unit_id, domain_id, jp, rank) "
                    "VALUES (:id, 2, :module, 3, :domain, :jp, :rank)"),
                    {"id": entry_id, "module": module, "domain": domain, "jp": jp, "rank": entry_id - 1})
            connection.execute(text("INSERT INTO answers (id, assessment_id, item_id, value, updated_at) "
                                    "VALUES (1, 3, 'i1', '2', '2025-11-19')"))
        upgrade()
        with db.engine.connect() as connection:
            # SQLite rebuilds `assessments`; its answers and plan rows must not go with the old table
            assert connection.execute(text("SELECT assessment_id FROM answers")).scalars().all() == [3]
            rounds = connection.execute(text("SELECT id, name, unit_id, version_id, opens_on, closes_on, "
                                             "closed_at IS NOT NULL, before_rounds FROM rounds")).all()
            assert len(rounds) == 1  # LAIN had no assessments
            round_id, name, unit_id, version_id, opens_on, closes_on, closed, before = rounds[0]
            assert (name, unit_id, version_id, bool(closed), bool(before)) == ("Penilaian sebelum putaran", 1, 1,
                                                                               True, True)
            assert (str(opens_on), str(closes_on)) == ("2025-11-20", "2026-11-20")
            assert connection.execute(text("SELECT id, round_id, latest FROM assessments ORDER BY id")).all() == [
                (1, round_id, 0), (2, round_id, 1), (3, None, 0)]
            # PPPK at 24 JP a year: 16 (year 1), 10 does not fit beside it (year 2), 4 fills year 1
            assert connection.execute(text("SELECT module_id, year FROM plan_entries ORDER BY rank")).all() == [
                ("m1", 1), ("m2", 2), ("m3", 1)]
        downgrade(revision="0010")
        with db.engine.connect() as connection:
            columns = [row[1] for row in connection.execute(text("PRAGMA table_info(assessments)"))]
            assert "round_id" not in columns and "target_position_id" not in columns
            tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
            assert "rounds" not in tables
            assert connection.execute(text("SELECT id, latest FROM assessments ORDER BY id")).all() == [
                (1, 0), (2, 1), (3, 0)]
        db.engine.dispose()
