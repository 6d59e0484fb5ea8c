"""Tests of the report layer (charts, PDFs), and the helpers they share.

Reports are built from plain data: here the data comes from the shipped questionnaire and a
hand-made answer set run through the engine — no database.
"""
from __future__ import annotations

import datetime
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.engine.questionnaire import Questionnaire, load
from app.engine.training import assess, result_to_dict

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "questionnaires" / "tata-kelola-media-sosial.yaml"
POSITION = "admin-medsos"

# How well the imagined respondent does per domain (share of the best answer); None = the
# domain is left unanswered, so it gets no level. Phishing is answered wrongly (a capped level).
QUALITY = {"strategi": 0.9, "konten": 0.5, "respons": 0.3, "krisis": 0.7, "keamanan": 0.95,
           "etika": 0.6, "analitik": 0.15, "kolaborasi": None}
WRONG = {"keamanan-phishing"}
COMMENT = "Kurang waktu & <b>admin</b> hanya satu orang.\nBaris kedua."


@lru_cache(maxsize=1)
def questionnaire() -> Questionnaire:
    return load(SHIPPED.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def report_app():
    from app import create_app

    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _answer(item, quality: float) -> Any:
    ranked = sorted(item.options, key=lambda o: -o.score)
    if item.type == "rating":
        return max(1, round(quality * item.points))
    if item.type == "choice":
        return (ranked[0] if quality >= 0.5 and item.id not in WRONG else ranked[-1]).id
    if item.type == "multi":
        return [o.id for o in item.options if (o.score > 0) == (quality >= 0.5)]
    return COMMENT


def answer_set(q: Questionnaire | None = None) -> dict[str, Any]:
    q = q or questionnaire()
    return {item.id: _answer(item, QUALITY[domain.id]) for domain in q.domains
            if QUALITY[domain.id] is not None for item in domain.items}


def shown_answer(item, value: Any, lang: str) -> Any:
    """What the respondent saw: anchor or option texts, a list for select-all items."""
    if item.type == "rating":
        return item.anchors[value - 1].get(lang)
    if item.type == "choice":
        return item.option(value).text.get(lang)
    if item.type == "multi":
        return [item.option(v).text.get(lang) for v in value]
    return value


PERSON = {"name": "Siti Aminah, S.Kom.", "nip": "198501012010012001",
          "unit": "Dinas Komunikasi dan Informatika Provinsi Banten",
          "position": "Pengelola Media Sosial"}


def make_report(lang: str = "id", *, person: dict | None = None,
                answers: dict[str, Any] | None = None) -> dict[str, Any]:
    q = questionnaire()
    answers = answer_set(q) if answers is None else answers
    result = result_to_dict(q, assess(q, answers, POSITION), lang)
    return {
        "person": dict(person or PERSON),
        "assessment": {"id": 1234, "submitted_at": datetime.datetime(2026, 3, 5, 9, 30),
                       "questionnaire_title": q.title.get(lang), "version": 2},
        "result": result,
        "levels": [{"level": lv.level, "name": lv.name.get(lang),
                    "descriptor": lv.descriptor.get(lang)} for lv in q.scale],
        "answers": [{"domain": q.domain(item.domain_id).name.get(lang), "item": item.text.get(lang),
                     "answer": shown_answer(item, answers[item.id], lang)}
                    for item in q.items if item.id in answers],
        "lang": lang,
    }


def squash(text: str) -> str:
    """Text with every run of white space (line breaks included) as one space."""
    return " ".join(text.split())


def read_pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [squash(page.extract_text() or "") for page in read_pdf(data).pages]
