"""app/engine is the pure core: it imports nothing from Flask, SQLAlchemy or the rest of app."""
import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "app" / "engine"
MODULES = sorted(ENGINE.glob("*.py"))
ALLOWED_THIRD_PARTY = {"yaml"}


def imported_modules(path: Path) -> list[str]:
    """Absolute names of every module imported by ``path`` (relative ones resolved)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from .x import y, relative to app.engine
                base = ["app", "engine"][: 2 - (node.level - 1)] if node.level <= 2 else []
                names.append(".".join(base + ([node.module] if node.module else [])))
            else:
                names.append(node.module)
    return names


def is_forbidden(name: str) -> bool:
    top = name.split(".")[0]
    return (top in {"flask", "sqlalchemy", "werkzeug", "jinja2"} or top.startswith("flask_")
            or (top == "app" and not (name == "app.engine" or name.startswith("app.engine."))))


def test_the_engine_has_modules():
    assert {"questionnaire.py", "scoring.py", "training.py", "statistics.py"} <= {
        m.name for m in MODULES}


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_module_imports_nothing_from_the_web_side(module):
    forbidden = [name for name in imported_modules(module) if is_forbidden(name)]
    assert forbidden == []


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_module_uses_only_stdlib_and_pyyaml(module):
    import sys
    third_party = {name.split(".")[0] for name in imported_modules(module)} - {"app", "__future__"}
    assert third_party - set(sys.stdlib_module_names) <= ALLOWED_THIRD_PARTY


def test_the_checker_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import flask\nfrom flask_login import current_user\nfrom ..models import User\n"
                   "from app.services import x\nfrom . import scoring\nfrom sqlalchemy.orm import Session\n")
    assert [n for n in imported_modules(bad) if is_forbidden(n)] == [
        "flask", "flask_login", "app.models", "app.services", "sqlalchemy.orm"]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_modules_stay_small(module):
    assert len(module.read_text(encoding="utf-8").splitlines()) <= 400
