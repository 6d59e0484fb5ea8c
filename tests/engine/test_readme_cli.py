"""The worked example of questionnaires/README.md prints exactly what the README shows: the real
`flask questionnaire score` command on the complete example, in both halves (Indonesian output in
the Indonesian half, `--lang en` in the English half). This is the one engine test that starts the
Flask app (for its command line only; nothing touches a database)."""
import json
import re
from functools import lru_cache

import pytest

from .test_readme import ANSWERS, README, yaml_blocks

SECOND = {**ANSWERS, "krisis-hoaks": "b"}  # "Jika responden memilih b" / "Had the respondent picked b"


@lru_cache(maxsize=1)
def cli_app():
    from app import create_app

    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def printed(tmp_path, answers: dict, lang: str) -> str:
    complete = next(b for b in yaml_blocks() if b.startswith("format: 1\nid: contoh-krisis"))
    (tmp_path / "contoh.yaml").write_text(complete, encoding="utf-8")
    (tmp_path / "jawaban.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    result = cli_app().test_cli_runner().invoke(args=[
        "questionnaire", "score", str(tmp_path / "contoh.yaml"), "--answers",
        str(tmp_path / "jawaban.json"), "--position", "admin-medsos", "--lang", lang])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_answers_shown_are_the_answers_scored():
    assert [json.loads(b) for b in blocks("json")] == [ANSWERS, ANSWERS]


@pytest.mark.parametrize("index, answers, lang", [
    (0, ANSWERS, "id"), (1, SECOND, "id"), (2, ANSWERS, "en"), (3, SECOND, "en")])
def test_the_printed_output_is_what_the_command_prints(tmp_path, index, answers, lang):
    shown = blocks("text")
    assert len(shown) == 4
    assert shown[index] == printed(tmp_path, answers, lang)
