"""`flask questionnaire …`: validate, summary, score, import and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, QuestionnaireVersion

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "questionnaires" / "tata-kelola-media-sosial.yaml"
MINI = ROOT / "tests" / "engine" / "fixtures" / "mini.yaml"


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_validate_the_shipped_questionnaire(cli):
    result = cli.invoke(args=["questionnaire", "validate", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK tata-kelola-media-sosial: 8 domains")


def test_validate_lists_every_problem_with_its_location(cli, tmp_path):
    broken = MINI.read_text(encoding="utf-8").replace("thresholds: [40, 60, 80]", "thresholds: [40, 30, 80]")
    broken = broken.replace("type: rating", "type: ratting", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    result = cli.invoke(args=["questionnaire", "validate", str(path)])
    assert result.exit_code != 0
    assert "scoring.thresholds" in result.output
    assert "domains[0].items[0].type" in result.output
    assert f"{path}:" in result.output


def test_validate_refuses_an_alias_bomb_quickly(cli, tmp_path):
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    result = cli.invoke(args=["questionnaire", "validate", str(path)])
    assert result.exit_code != 0
    assert "alias" in result.output.lower() or "anchor" in result.output.lower() or "jangkar" in result.output.lower()


def test_summary_json_lists_items_and_accepted_values(cli):
    result = cli.invoke(args=["questionnaire", "summary", str(MINI), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    items = {item["id"]: item for item in data["items"]}
    assert items["strategi-rencana"]["accepts"] == [1, 2, 3, 4]
    assert items["strategi-kanal"]["accepts"] == ["a", "b", "c"]
    assert {p["id"] for p in data["positions"]} == {"admin-medsos", "pimpinan"}
    assert [m["id"] for m in data["modules"]][:2] == ["m-strategi-1", "m-strategi-2"]


def test_summary_text(cli):
    result = cli.invoke(args=["questionnaire", "summary", str(SHIPPED)])
    assert result.exit_code == 0 and "[strategi]" in result.output


def test_score_without_touching_the_database(app, cli, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"strategi-rencana": 1, "strategi-kanal": "a", "strategi-tanda": ["c"]}))
    result = cli.invoke(args=["questionnaire", "score", str(MINI), "--answers", str(answers),
                              "--position", "admin-medsos", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    strategi = next(d for d in data["domains"] if d["id"] == "strategi")
    assert strategi["score"] == 0 and strategi["level"] == 1 and strategi["gap"] == 2
    assert [m["id"] for m in data["plan"]["modules"]] == ["m-strategi-1", "m-strategi-2"]
    assert data["plan"]["total_jp"] == 12
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


@pytest.mark.parametrize("answers,position,message", [
    ({"strategi-kanal": "z"}, "admin-medsos", "strategi-kanal"),
    ({"strategi-rencana": 1}, "bupati", "bupati"),
])
def test_score_refuses_bad_answers_and_unknown_positions(cli, tmp_path, answers, position, message):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    result = cli.invoke(args=["questionnaire", "score", str(MINI), "--answers", str(path), "--position", position])
    assert result.exit_code != 0
    assert message in result.output


def test_import_is_idempotent_and_export_returns_the_source(app, cli, tmp_path):
    first = cli.invoke(args=["questionnaire", "import", str(MINI)])
    assert first.exit_code == 0 and "version 1" in first.output
    again = cli.invoke(args=["questionnaire", "import", str(MINI)])
    assert again.exit_code == 0 and "unchanged" in again.output
    changed = tmp_path / "mini2.yaml"
    changed.write_text(MINI.read_text(encoding="utf-8").replace("thresholds: [40, 60, 80]", "thresholds: [45, 60, 80]"),
                       encoding="utf-8")
    assert "version 2" in cli.invoke(args=["questionnaire", "import", str(changed)]).output
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 2
    exported = cli.invoke(args=["questionnaire", "export", "mini", "--version", "1"])
    assert exported.output == MINI.read_text(encoding="utf-8")
    latest = cli.invoke(args=["questionnaire", "export", "mini"])
    assert "thresholds: [45, 60, 80]" in latest.output
    missing = cli.invoke(args=["questionnaire", "export", "mini", "--version", "9"])
    assert missing.exit_code != 0


def test_import_of_an_invalid_file_stores_nothing(app, cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nid: Bad Slug\n", encoding="utf-8")
    result = cli.invoke(args=["questionnaire", "import", str(path)])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 0
