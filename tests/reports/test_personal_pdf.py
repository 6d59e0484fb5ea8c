"""The individual PDF report: content, page numbers, metadata, fonts, escaping, languages."""
from __future__ import annotations

import copy

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.reports.personal import build_personal_pdf, disclaimer

from . import COMMENT, make_report, page_texts, read_pdf, report_app, squash

HOSTILE = ["<b>x</b>", '<img src="x"/>', "<i>unclosed", "A & B"]


@pytest.fixture(scope="module")
def reports_app():
    return report_app()


def build(reports_app, report: dict, lang: str | None = None, *, appendix: bool = True) -> bytes:
    """With the appendix of the answers, which these tests read (the core alone:
    test_personal_core.py)."""
    with reports_app.app_context(), force_locale(lang or report["lang"]):
        return build_personal_pdf(report, appendix=appendix)


def translated(reports_app, lang: str, msgid: str, **params) -> str:
    with reports_app.app_context(), force_locale(lang):
        return _(msgid, **params)


@pytest.fixture(scope="module")
def id_report():
    return make_report("id")


@pytest.fixture(scope="module")
def id_pdf(reports_app, id_report):
    return build(reports_app, id_report)


@pytest.fixture(scope="module")
def id_text(id_pdf):
    return " ".join(page_texts(id_pdf))


def test_it_is_a_pdf_of_several_pages(id_pdf):
    assert id_pdf.startswith(b"%PDF-")
    assert len(read_pdf(id_pdf).pages) >= 3


def test_cover_names_the_person_and_the_questionnaire(id_pdf, id_report):
    cover = page_texts(id_pdf)[0]
    person = id_report["person"]
    for value in (person["name"], person["nip"], person["unit"], person["position"]):
        assert value in cover
    assert id_report["assessment"]["questionnaire_title"] in cover
    assert "1234" in cover
    assert "2026" in cover


def test_every_page_has_header_and_numbered_footer(reports_app, id_pdf, id_report):
    pages = page_texts(id_pdf)
    for number, text in enumerate(pages, 1):
        label = translated(reports_app, "id", "Page %(page)s of %(pages)s", page=number,
                           pages=len(pages))
        assert label in text, (number, text[-200:])
        assert id_report["person"]["nip"] in text


def test_indonesian_page_numbers_read_halaman_x_dari_y(reports_app, id_pdf):
    """Spelled out, not through the catalogue: a lost or uncompiled translation fails here."""
    assert translated(reports_app, "id", "Page %(page)s of %(pages)s", page=1, pages=2) == "Halaman 1 dari 2"
    pages = page_texts(id_pdf)
    assert len(pages) >= 2
    assert f"Halaman 1 dari {len(pages)}" in pages[0]
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]


def test_metadata(id_pdf, id_report, reports_app):
    meta = read_pdf(id_pdf).metadata
    assert meta.author == "Swanilai"
    assert id_report["person"]["name"] in meta.title
    assert translated(reports_app, "id", "Competency gap report") in meta.title
    assert meta.subject == id_report["result"]["questionnaire"]["title"]


def test_level_names_scale_and_descriptors(id_text, id_report):
    for level in id_report["levels"]:
        assert level["name"] in id_text
        assert squash(level["descriptor"]) in id_text


def test_domain_table_rows_show_score_level_target_and_gap(id_text, id_report):
    domains = id_report["result"]["domains"]
    assessed = [d for d in domains if d["level"] is not None]
    assert assessed and any(d["gap"] for d in assessed)
    for d in assessed:
        score = f"{d['score']:.1f}".replace(".", ",")  # Indonesian decimal comma
        row = f"{d['name']} {score} {d['level_name']} {d['target_name']} {d['gap']}"
        assert row in id_text


def test_summary_names_the_largest_gaps_and_the_jp_totals(id_text, id_report, reports_app):
    result = id_report["result"]
    worst = min((d for d in result["domains"] if d["gap"]), key=lambda d: d["rank"])
    assert translated(reports_app, "id", "%(domain)s (gap %(gap)d)", domain=worst["name"],
                      gap=worst["gap"]) in id_text
    plan = result["plan"]
    assert f"{plan['total_jp']} JP" in id_text
    assert squash(plan["entitlement_note"]) in id_text


def test_explanations_carry_the_caps_and_the_scenarios_by_number(id_text, id_report):
    """The engine's sentences are not printed (each quoted its item, and read the same in every
    domain): the caps' own reasons are, and the items that cost, by number."""
    domains = id_report["result"]["domains"]
    caps = [c for d in domains for c in d["caps"]]
    assert caps and all(squash(c["reason"]) in id_text for c in caps if c["reason"])
    assert "[1]" in id_text  # items without a number in the report are numbered as first named


def test_training_plan_lists_every_module(id_text, id_report):
    modules = id_report["result"]["plan"]["modules"]
    assert modules
    for module in modules:
        assert squash(module["title"]) in id_text
        assert module["provider"] in id_text


def test_unclosable_gaps_are_listed(reports_app, id_report):
    report = copy.deepcopy(id_report)
    report["result"]["plan"]["unclosable"] = [{
        "domain_id": "analitik", "domain_name": "Analitik", "level_reached": 2, "target": 4,
        "text": "Belum ada modul untuk 'Analitik' dari tingkat 2 ke target 4."}]
    text = " ".join(page_texts(build(reports_app, report)))
    assert "Belum ada modul untuk 'Analitik' dari tingkat 2 ke target 4." in text


def test_appendix_lists_the_answers(id_text, id_report):
    assert squash(COMMENT) in id_text  # free text, with its markup printed literally
    for row in id_report["answers"][:10]:
        assert squash(row["item"]) in id_text
    picked = next(r["answer"] for r in id_report["answers"] if isinstance(r["answer"], list))
    for option in picked:
        assert squash(option) in id_text


def test_disclaimer_says_it_is_not_a_certification(id_text, reports_app):
    with reports_app.app_context(), force_locale("en"):
        assert "not a certification" in disclaimer()
    with reports_app.app_context(), force_locale("id"):
        assert disclaimer() in id_text


def _fonts(pdf: bytes) -> list[dict]:
    fonts = []
    for page in read_pdf(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


def test_every_font_is_the_embedded_dejavu(id_pdf):
    fonts = _fonts(id_pdf)
    assert fonts
    for font in fonts:
        base = str(font["/BaseFont"]).split("+")[-1]
        assert base in ("DejaVuSans", "DejaVuSans-Bold"), font["/BaseFont"]
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, "font not embedded"
    assert {str(f["/BaseFont"]).split("+")[-1] for f in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert b"/Helvetica" not in id_pdf and b"/Symbol" not in id_pdf


def test_markup_in_every_text_prints_literally(reports_app):
    report = make_report("id")
    person_name = "Budi <b>x</b> <i>unclosed & Co"
    report["person"].update(name=person_name, unit='Unit <img src="x"/>', position="A & B")
    domain = report["result"]["domains"][0]
    domain["name"] = "Domain <b>x</b> & <i>unclosed"
    capped = next(d for d in report["result"]["domains"] if d["caps"])
    capped["caps"][0]["reason"] = 'Reason <img src="x"/> A & B'
    report["result"]["plan"]["modules"][0]["title"] = 'Modul <i>unclosed <img src="x"/>'
    report["answers"][0]["item"] = "Butir <b>x</b> A & B"
    report["answers"][0]["answer"] = "Jawab <i>unclosed"
    report["levels"][0]["descriptor"] = "Deskriptor <b>x</b>\x07 & lagi"
    text = " ".join(page_texts(build(reports_app, report)))
    for literal in (person_name, 'Unit <img src="x"/>', "A & B", "Domain <b>x</b> & <i>unclosed",
                    'Reason <img src="x"/> A & B', 'Modul <i>unclosed <img src="x"/>',
                    "Butir <b>x</b> A & B", "Jawab <i>unclosed", "Deskriptor <b>x</b> & lagi"):
        assert literal in text, literal


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_questionnaire_title_does_not_break_the_build(reports_app, text):
    report = make_report("id")
    report["result"]["questionnaire"]["title"] = text
    report["assessment"]["questionnaire_title"] = text
    assert text in " ".join(page_texts(build(reports_app, report)))


def test_english_report_has_english_labels_and_texts(reports_app):
    report = make_report("en")
    pdf = build(reports_app, report)
    pages = page_texts(pdf)
    text = " ".join(pages)
    for label in ("Competency gap report", "Training plan", "Proficiency scale", "Summary",
                  "Achieved level", "Target", "Appendix: your answers", "not a certification"):
        assert label in text, label
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Social Media Governance for Public Service" in text
    assert "Beginning" in text and "Expert" in text
    assert read_pdf(pdf).metadata.title.startswith("Competency gap report")


def test_indonesian_report_uses_the_catalogue(reports_app, id_text):
    for msgid in ("Competency gap report", "Training plan", "Proficiency scale"):
        assert translated(reports_app, "id", msgid) in id_text
    assert "Tata Kelola Media Sosial untuk Pelayanan Publik" in id_text
    assert "Awal" in id_text and "Ahli" in id_text


def test_no_plan_when_every_target_is_met(reports_app):
    from . import questionnaire

    q = questionnaire()
    best = {}
    for item in q.items:
        if item.type == "rating":
            best[item.id] = item.points
        elif item.type == "choice":
            best[item.id] = max(item.options, key=lambda o: o.score).id
        elif item.type == "multi":
            best[item.id] = [o.id for o in item.options if o.score > 0]
    report = make_report("en", answers=best)
    assert report["result"]["plan"]["modules"] == []
    text = " ".join(page_texts(build(reports_app, report)))
    assert "No training module is needed to reach the targets." in text
    assert "There is no gap in any assessed domain." in text


def test_nothing_answered_still_builds(reports_app):
    report = make_report("en", answers={})
    text = " ".join(page_texts(build(reports_app, report)))
    assert "could not be given a level" in text
    assert "(not answered)" in text


def test_a_very_long_free_text_answer_runs_over_pages(reports_app):
    report = make_report("id")
    long = ("Kalimat panjang & <b>bertanda</b> yang diulang. " * 600).strip()
    report["answers"][-1]["answer"] = long
    pdf = build(reports_app, report)
    assert len(read_pdf(pdf).pages) > len(read_pdf(build(reports_app, make_report("id"))).pages)
