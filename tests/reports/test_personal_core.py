"""The personal PDF of a full questionnaire assessment, read back with pypdf: a core of at most
three pages, the answers appendix only when asked for (``?lampiran=1`` on both downloads), no
sentence quoted twice, multi-select answers a line each, and the signature block."""
from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Assessment
from app.services.clock import office_time
from app.services.reports import personal_pdf, personal_report
from tests.factories import FULL, make_assessment, make_unit, make_user, make_version
from tests.pages import login

from . import _answer, answer_set, page_texts, questionnaire, read_pdf, squash

NIP = "198703152011012004"
SPAN = 60


def typical_answers() -> dict:
    """The answers of tests/reports (a capped domain, scenarios that cost, gaps in most domains),
    with the domain they leave out answered weakly: a submit needs every domain."""
    answers = answer_set()
    for item in questionnaire().domain("kolaborasi").items:
        answers[item.id] = _answer(item, 0.4)
    return answers


@pytest.fixture
def full(app):
    """A submitted assessment of the shipped questionnaire with a typical plan (several gaps, a
    capped domain), by a person with an NIP; and an HR officer of the unit."""
    with app.app_context():
        unit = make_unit("DINAS_K", "Dinas Komunikasi dan Informatika")
        user = make_user(unit, nip=NIP, name="Rahmat Hidayat")
        hr = make_user(unit, ("hr",), name="Rina HR", email="hr.k@contoh.go.id")
        version = make_version(FULL)
        assessment = make_assessment(user, version, "admin-medsos", typical_answers(), submit=True)
        return {"id": assessment.id, "hr_nip": hr.nip}


def build(app, aid: int, lang: str = "id", **kwargs) -> tuple[bytes, dict]:
    with app.test_request_context(), force_locale(lang):
        assessment = db.session.get(Assessment, aid)
        return personal_pdf(assessment, lang, **kwargs), personal_report(assessment, lang)


def translated(app, lang: str, msgid: str, **params) -> str:
    with app.test_request_context(), force_locale(lang):
        return _(msgid, **params)


def body_lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines without the page furniture (header, footer: on every page)."""
    pages = [(page.extract_text() or "").splitlines() for page in read_pdf(pdf).pages]
    repeated = set.intersection(*(set(lines) for lines in pages)) if len(pages) > 1 else set()
    numbering = re.compile(r"^(Halaman \d+ dari \d+|Page \d+ of \d+)$")
    return [[line for line in lines if line not in repeated and not numbering.match(line.strip())]
            for lines in pages]


def repeated_spans(text: str, size: int = SPAN) -> list[str]:
    seen: dict[str, int] = {}
    found = []
    for start in range(len(text) - size + 1):
        window = text[start:start + size]
        if window in seen and start - seen[window] >= size:  # not an overlap of one run
            found.append(window)
        seen.setdefault(window, start)
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_core_is_at_most_three_pages_without_the_appendix(app, full, lang):
    pdf, report = build(app, full["id"], lang)
    assert report["result"]["plan"]["modules"]  # a plan to show: a typical report, not an empty one
    pages = page_texts(pdf)
    assert 2 <= len(pages) <= 3
    text = " ".join(pages)
    assert translated(app, lang, "Appendix: your answers") not in text
    for module in report["result"]["plan"]["modules"]:
        assert squash(module["title"]) in text


def test_the_appendix_is_there_only_when_asked_for(app, full):
    core, report = build(app, full["id"])
    whole, _report = build(app, full["id"], appendix=True)
    core_pages, pages = page_texts(core), page_texts(whole)
    assert len(pages) > len(core_pages)
    heading = translated(app, "id", "Appendix: your answers")
    first = next(n for n, page in enumerate(pages) if heading in page)
    assert first == len(core_pages)  # the appendix starts on a page of its own after the core
    appendix = " ".join(pages[first:])
    for row in report["answers"]:
        assert squash(f"{row['number']} {row['item']}") in appendix


def test_the_identity_names_the_person_round_type_and_date_in_the_locale(app, full):
    pdf, report = build(app, full["id"])
    first = page_texts(pdf)[0]
    with app.app_context():
        assessment = db.session.get(Assessment, full["id"])
        submitted = office_time(assessment.submitted_at).date()
        unit = assessment.unit.name
    with app.test_request_context(), force_locale("id"):
        assert format_date(submitted, "long") in first
    for value in ("Rahmat Hidayat", NIP, unit, report["person"]["position"], "PNS"):
        assert value in first
    assert translated(app, "id", "Self-assessment outside any round") in first


def quoted_material(report: dict) -> list[str]:
    """What the document quotes from the questionnaire: item texts, cap reasons, level descriptors."""
    result = report["result"]
    texts = [row["item"] for row in report["answers"]]
    texts += [cap["reason"] for d in result["domains"] for cap in d["caps"] if cap.get("reason")]
    texts += [lv["descriptor"] for lv in report["levels"]]
    texts += [d["next_level"]["descriptor"] for d in result["domains"] if (d.get("next_level") or {}).get("descriptor")]
    return [squash(t) for t in texts if t]


def test_no_sentence_is_quoted_twice(app, full):
    """No span of quoted material (an item, a reason, a descriptor) appears twice in the core.
    Two domains with the same figures may share a sentence of figures; that is not a quote."""
    for appendix in (False, True):
        pdf, report = build(app, full["id"], appendix=appendix)
        pages = body_lines(pdf)
        core = squash(" ".join(" ".join(lines) for lines in pages[:len(page_texts(build(app, full["id"])[0]))]))
        quotes = quoted_material(report)
        twice = [span for span in repeated_spans(core) if any(span in quote for quote in quotes)]
        assert twice == [], appendix
    # the capped domain's scenario is named in two sentences, and quoted once
    capped = next(d for d in report["result"]["domains"] if d["caps"])
    item = next(r for r in report["answers"] if r["item_id"] == capped["caps"][0]["item_id"])
    text = squash(" ".join(page_texts(build(app, full["id"])[0])))
    assert text.count(squash(item["item"])[:50]) == 1  # quoted by its start, one line
    assert text.count(item["number"]) >= 2


def test_with_the_appendix_each_scenario_is_quoted_only_there(app, full):
    pdf, report = build(app, full["id"], appendix=True)
    text = squash(" ".join(page_texts(pdf)))
    named = {d["caps"][0]["item_id"] for d in report["result"]["domains"] if d["caps"]}
    named |= {p["item_id"] for d in report["result"]["domains"] for p in d["pulled_down"]}
    assert named
    for row in report["answers"]:
        if row["item_id"] in named:
            assert text.count(squash(row["item"])) == 1, row["number"]


def test_multi_select_answers_are_a_line_each(app, full):
    pdf, report = build(app, full["id"], appendix=True)
    picked = [r for r in report["answers"] if isinstance(r["answer"], list) and len(r["answer"]) > 1]
    assert picked
    raw = "\n".join(page.extract_text() or "" for page in read_pdf(pdf).pages)
    assert ".;" not in raw and "; " not in " ".join(o for r in picked for o in r["answer"])
    lines = [line.strip() for line in raw.splitlines()]
    for row in picked:
        for option in row["answer"]:
            start = option.split()[:3]
            assert any(line.startswith("•") and line.lstrip("• ").split()[:3] == start for line in lines), option


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_signature_block_has_the_three_roles_and_the_nip(app, full, lang):
    pdf, _report = build(app, full["id"], lang)
    last = page_texts(pdf)[-1]
    signature = last[last.index(translated(app, lang, "Place: %(place)s", place="……………")):]
    assert translated(app, lang, "Date: %(date)s", date="……………") in signature
    roles = [translated(app, lang, msgid) for msgid in ("The employee", "Direct supervisor", "HR officer")]
    assert [signature.index(role) for role in roles] == sorted(signature.index(role) for role in roles)
    assert f"Rahmat Hidayat NIP {NIP}" in signature
    assert signature.count("NIP ……………") == 2  # supervisor and HR officer: blanks to fill in


def test_both_downloads_take_lampiran(app, client, full):
    aid = full["id"]
    with app.app_context():
        user_nip = db.session.get(Assessment, aid).user.nip
    heading = translated(app, "id", "Appendix: your answers")
    downloads = ((user_nip, f"/saya/penilaian/{aid}/laporan.pdf"),
                 (full["hr_nip"], f"/hr/assessments/{aid}/laporan.pdf"))
    for nip, url in downloads:
        client.get("/auth/logout")
        client.delete_cookie("session")
        login(client, nip)
        plain, appended = client.get(url), client.get(f"{url}?lampiran=1")
        assert plain.status_code == appended.status_code == 200, url
        assert heading not in " ".join(page_texts(plain.data))
        assert heading in " ".join(page_texts(appended.data))
        assert len(read_pdf(appended.data).pages) > len(read_pdf(plain.data).pages)


def bench_median_assessment(app) -> int:
    """The assessment ``bench/personal_pdf.py`` builds: the one with the median plan among 25
    synthetic people on the shipped questionnaire (seed 2022; a nine-module plan)."""
    import sys
    from pathlib import Path

    bench = str(Path(__file__).resolve().parents[2] / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    from personal_pdf import submitted_assessment  # noqa: PLC0415 - bench/ is not a package

    return submitted_assessment(app, 25, seed=2022)


def longest_plan_assessment(app) -> int:
    """After the bench's 25 synthetic people: the one with the longest plan (the most JP)."""
    bench_median_assessment(app)
    with app.app_context():
        return db.session.scalar(select(Assessment.id).order_by(Assessment.total_jp.desc(), Assessment.id).limit(1))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_core_of_the_longest_plan_with_a_target_position_is_three_pages(app, lang):
    """The longest plan among the bench's 25 people (many modules over several years, every domain
    below target) with a target position named: the core still takes at most three pages, with
    every module, the gaps against the target position and the signature block in it."""
    aid = longest_plan_assessment(app)
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        assessment.target_position_id = "kepala-unit" if assessment.position_id != "kepala-unit" else "admin-medsos"
        db.session.commit()
    pdf, report = build(app, aid, lang)
    plan = report["result"]["plan"]
    assert len(plan["modules"]) >= 12 and report["target"]  # a long plan, a target position
    pages = page_texts(pdf)
    assert 2 <= len(pages) <= 3
    text = " ".join(pages)
    for module in plan["modules"]:
        assert squash(module["title"]) in text
    assert squash(translated(app, lang, "Gaps against the position you aim for: %(position)s",
                             position=report["target"]["position"]["name"])) in text
    assert translated(app, lang, "Place: %(place)s", place="……………") in pages[-1]
