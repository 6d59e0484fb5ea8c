"""The unit training-needs report (AKPK, PDF) and the dashboard chart, from a hand-made summary:
the service's dataclasses filled with plain values and the shipped questionnaire — no database."""
from __future__ import annotations

import dataclasses
import datetime
import math
import xml.etree.ElementTree as ET

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from app.engine.budget import DEFAULT_MODES
from app.engine.model import FrozenMap, Text
from app.engine.statistics import LevelCounts, ModuleDemand
from app.models import QuestionnaireVersion, Unit
from app.reports.figures import mode_label
from app.reports.unit import build_unit_pdf, dashboard_charts, needed_jp
from app.services.unit_reports import Filters, Participation, UnitSummary

from . import page_texts, questionnaire, read_pdf, report_app, squash

SVG = "{http://www.w3.org/2000/svg}"
UNIT_NAME = "Dinas <b>X</b>"
SUB_NAMES = ["Bidang <i>Humas</i> & IKP", "Sekretariat"]
ENTITLEMENT = 20
GENERATED = datetime.datetime(2026, 3, 5, 9, 30)
# People per position who submitted (kepala-unit has nobody).
POSITIONS = {"admin-medsos": 12, "pranata-humas": 10, "staf-ppid": 8, "petugas-layanan": 10}
HEADCOUNTS = {"m-analitik-laporan": 31, "m-konten-produksi": 23, "m-keamanan-pdp": 17,
              "m-respons-pengaduan": 12, "m-krisis-cek-fakta": 9}
APPENDIX_PERSON = {"name": "Siti <b>Aminah</b> & co", "nip": "198501012010012001",
                   "unit": "Bidang <i>Humas</i> & IKP"}


def make_summary(*, empty: bool = False, model=None) -> UnitSummary:
    q = model or questionnaire()
    unit = Unit(code="DINAS", name=UNIT_NAME, path="/1/")
    subs = [Unit(code=f"SUB{n}", name=name, path=f"/1/{n + 2}/") for n, name in enumerate(SUB_NAMES)]
    submitted = 0 if empty else sum(POSITIONS.values())
    total = Participation(unit, registered=50, started=46 if not empty else 3, submitted=submitted)
    sub_units = [Participation(subs[0], 30, 28 if not empty else 3, 25 if not empty else 0),
                 Participation(subs[1], 20, 18 if not empty else 0, 15 if not empty else 0)]
    filters = Filters(unit, position=None, version_id=None,
                      date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 3, 31))
    if empty:
        return UnitSummary(filters, None, total, sub_units)
    heat, levels, below = {}, {}, {}
    for d_index, domain in enumerate(q.domains):
        assessed_sum = below_sum = 0
        for p_index, (position, people) in enumerate(POSITIONS.items()):
            missing = 1 if domain.id == "kolaborasi" and position == "admin-medsos" else 0
            assessed = people - missing
            below_n = (people * (d_index + 2 * p_index)) % (assessed + 1)
            heat[(position, domain.id)] = (below_n, assessed)
            assessed_sum += assessed
            below_sum += below_n
        below[domain.id] = below_sum / assessed_sum
        shares = [(d_index + 1) % 4 + 1, 3, 4 + d_index % 3, 2, 1 + d_index % 2]
        counts = [assessed_sum * s // sum(shares) for s in shares]
        counts[2] += assessed_sum - sum(counts)
        levels[domain.id] = LevelCounts(domain.id, FrozenMap(zip(range(1, 6), counts)),
                                        submitted - assessed_sum)
    needs = tuple(sorted((ModuleDemand(m.id, m.domain_id, HEADCOUNTS.get(m.id, 0), m.jp)
                          for m in q.modules), key=lambda n: (-n.headcount, -n.jp, n.module_id)))
    version = QuestionnaireVersion(id=7, number=2, title="Tata kelola <b>media</b> sosial")
    return UnitSummary(filters, q, total, sub_units, levels=levels, below=below, heat=heat,
                       needs=needs, versions=[version])


def appendix_rows() -> list[dict]:
    rows = [{"module_id": module_id,
             "people": [{"name": f"Pegawai {module_id} {n}", "nip": f"19900101201501{n:04d}",
                         "unit": SUB_NAMES[n % 2]} for n in range(count)]}
            for module_id, count in HEADCOUNTS.items()]
    rows[1]["people"][0] = dict(APPENDIX_PERSON)
    return rows


@pytest.fixture(scope="module")
def reports_app():
    return report_app()


def build(reports_app, summary, lang="id", appendix=None) -> bytes:
    with reports_app.app_context(), force_locale(lang):
        return build_unit_pdf(summary, lang, entitlement_jp=ENTITLEMENT,
                              appendix=appendix, generated_at=GENERATED)


def translated(reports_app, lang: str, msgid: str, **params) -> str:
    with reports_app.app_context(), force_locale(lang):
        return _(msgid, **params)


@pytest.fixture(scope="module")
def summary():
    return make_summary()


@pytest.fixture(scope="module")
def pdf(reports_app, summary):
    return build(reports_app, summary, "en")


@pytest.fixture(scope="module")
def pages(pdf):
    return page_texts(pdf)


@pytest.fixture(scope="module")
def text(pages):
    return " ".join(pages)


@pytest.fixture(scope="module")
def appendix_pdf(reports_app, summary):
    return build(reports_app, summary, "en", appendix=appendix_rows())


def test_cover_names_the_unit_literally_and_the_filters(pages):
    cover = pages[0]
    assert "Competency development needs analysis (AKPK)" in cover
    assert f"{UNIT_NAME} (DINAS)" in cover  # markup shown, not interpreted
    assert "January 1, 2026 to March 31, 2026" in cover
    assert "All positions" in cover
    assert "Tata kelola <b>media</b> sosial, version 2" in cover
    assert "March 5, 2026" in cover
    assert "not a certification" in cover
    assert "Not included" in cover


def test_participation_per_sub_unit_and_total(text):
    assert "Bidang <i>Humas</i> & IKP (SUB0) 30 28 25 83%" in text
    assert "Sekretariat (SUB1) 20 18 15 75%" in text
    assert "Total 50 46 40 80%" in text


def test_every_domain_is_in_the_report(text, summary):
    for domain in summary.model.domains:
        assert squash(domain.name.en) in text


def test_share_below_target_per_domain(text, summary):
    domain = summary.model.domains[0]
    below = sum(b for (p, d), (b, a) in summary.heat.items() if d == domain.id)
    assessed = sum(a for (p, d), (b, a) in summary.heat.items() if d == domain.id)
    assert f"{domain.name.en} {assessed} {below} {round(100 * below / assessed)}%" in text


def test_top_modules_with_headcount_jp_and_classes(reports_app, text, summary):
    """Rank, title, domain, curriculum, route and mode, provider and quarter, JP per person,
    people, total JP, classes (only for modes run in classes, with that mode's class size). A
    summary without plan years counts all its needs as year 1, with the default modes."""
    q = summary.model
    ranked = sorted(HEADCOUNTS.items(), key=lambda kv: -kv[1])
    with reports_app.app_context(), force_locale("en"):
        modes = {m.id: mode_label(m.mode) for m in q.modules}
    for rank, (module_id, people) in enumerate(ranked, 1):
        module = q.module(module_id)
        spec = DEFAULT_MODES[module.mode]
        route = "Classical" if spec.route == "classical" else "Non-classical"
        classes = math.ceil(people / spec.class_size) if spec.has_classes else "—"
        assert (f"{rank} {squash(module.title.en)} {q.domain(module.domain_id).name.en} "
                f"Curriculum: {squash(module.curriculum)} ") in text
        assert (f"{route} {modes[module_id]} {squash(module.provider)} — {module.jp} {people} "
                f"{module.jp * people:,} {classes}") in text
    assert "rounded up (Classroom 30)" in text and "class size of 10" not in text


def test_modules_nobody_needs_are_left_out(text, summary):
    for module in summary.model.modules:
        if module.id not in HEADCOUNTS:
            assert squash(module.title.en) not in text


def test_total_jp_against_the_entitlement(text, summary):
    total = sum(summary.model.module(m).jp * n for m, n in HEADCOUNTS.items())
    assert needed_jp(summary) == total == 1124
    classes = sum(math.ceil(n / 30) for m, n in HEADCOUNTS.items() if questionnaire().module(m).mode == "classroom")
    assert f"Total {sum(HEADCOUNTS.values())} 1,124 {classes}" in text
    assert "JP needed for the modules above 1,124" in text
    assert "Entitlement of the people assessed 800 JP" in text  # 20 JP × 40 people
    assert "Share of the entitlement needed 140%" in text
    assert "exceed the yearly entitlement" in text


def test_heat_map_prints_share_and_n(text):
    assert "Positions × domains: share below target" in text
    assert "Public-relations officer (pranata humas)" in text
    assert "n = 12" in text and "n = 11" in text  # admin-medsos, one unassessed in kolaborasi
    assert "Head of unit" not in text.split("Positions × domains")[1].split("Prioritised")[0]


def test_heat_map_fits_a4_portrait(pdf):
    for page in read_pdf(pdf).pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)
    # eight domain names as column heads, not numbers with a key
    assert "1. Strategy and account governance" not in " ".join(page_texts(pdf))


def test_every_page_says_page_x_of_y(pages):
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
        assert f"{UNIT_NAME} (DINAS)" in page  # header


def test_indonesian_report(reports_app, summary):
    data = build(reports_app, summary, "id")
    pages = page_texts(data)
    title = translated(reports_app, "id", "Competency development needs analysis (AKPK)")
    assert title in pages[0]
    label = translated(reports_app, "id", "Page %(page)s of %(pages)s", page=1, pages=len(pages))
    assert label in pages[0]
    text = " ".join(pages)
    for domain in summary.model.domains:
        assert squash(domain.name.id) in text
    assert "1.124" in text  # Indonesian digit grouping


def test_only_embedded_dejavu_fonts(pdf, appendix_pdf):
    for data in (pdf, appendix_pdf):
        fonts = set()
        for page in read_pdf(data).pages:
            resources = page["/Resources"]
            for font in (resources.get("/Font") or {}).values():
                font = font.get_object()
                fonts.add(str(font["/BaseFont"]))
                descendant = font["/DescendantFonts"][0].get_object() \
                    if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert fonts and all("DejaVuSans" in f for f in fonts), fonts


def test_metadata(pdf):
    meta = read_pdf(pdf).metadata
    assert meta.title == f"Competency development needs analysis (AKPK): {UNIT_NAME}"
    assert meta.author == "Swanilai"
    assert meta.subject == questionnaire().title.en


def test_appendix_only_when_given(text, appendix_pdf):
    assert "Appendix: people per module" not in text
    pages = page_texts(appendix_pdf)
    full = " ".join(pages)
    assert "Included: the people who need each module" in pages[0]
    assert "Appendix: people per module" in full
    assert "Siti <b>Aminah</b> & co 198501012010012001 Bidang <i>Humas</i> & IKP" in full
    appendix = full.split("Appendix: people per module")[1]
    q = questionnaire()
    assert f"{squash(q.module('m-analitik-laporan').title.en)} (31 people)" in appendix
    order = [appendix.index(squash(q.module(m).title.en)) for m in
             sorted(HEADCOUNTS, key=lambda m: -HEADCOUNTS[m])]
    assert order == sorted(order)


def test_appendix_adds_pages(pages, appendix_pdf):
    assert len(page_texts(appendix_pdf)) > len(pages)


def test_empty_appendix_says_nobody(reports_app, summary):
    text = " ".join(page_texts(build(reports_app, summary, "en", appendix=[])))
    assert "Appendix: people per module" in text and "Nobody needs a module." in text


@pytest.mark.parametrize("lang", ["en", "id"])
def test_unit_without_results_still_builds(reports_app, lang):
    data = build(reports_app, make_summary(empty=True), lang, appendix=[])
    pages = page_texts(data)
    text = " ".join(pages)
    assert UNIT_NAME in pages[0]
    assert translated(reports_app, lang, "No submitted assessments yet for these filters.") in text
    assert translated(reports_app, lang, "Participation") in text
    assert f"{len(pages)}" in pages[-1]


def test_hostile_questionnaire_texts_are_literal(reports_app):
    q = questionnaire()
    first = q.domains[0]
    hostile = dataclasses.replace(first, name=Text("<b>Str</b> & <img src=x>", "<b>Str</b> & <img src=x>"))
    model = dataclasses.replace(q, domains=(hostile,) + q.domains[1:])
    text = " ".join(page_texts(build(reports_app, make_summary(model=model), "en")))
    assert "<b>Str</b> & <img src=x>" in text


def test_dashboard_chart(reports_app, summary):
    with reports_app.app_context(), force_locale("en"):
        charts = dashboard_charts(summary, "en")
        assert dashboard_charts(make_summary(empty=True), "en") == {"levels": ""}
    root = ET.fromstring(charts["levels"])
    assert root.get("aria-label") == "Levels per domain"
    shown = [t.text for t in root.iter(f"{SVG}text")]
    for domain in summary.model.domains:
        assert any(domain.name.en.startswith((s or "").rstrip(" …")) for s in shown)
    assert "1 Beginning" in shown and "Not assessed" in shown
    segments = [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("seg-")]
    assert len(segments) >= 5 * len(summary.model.domains)


def test_long_questionnaires_and_many_positions_still_fit(reports_app):
    """Twelve domains and fifteen positions: the heat map stays on portrait pages, the level
    chart is split so that no drawing is taller than a page, names are not lost."""
    q = questionnaire()
    extra = tuple(dataclasses.replace(d, id=f"{d.id}-2", name=Text(f"{d.name.id} lanjutan",
                                                                    f"{d.name.en} advanced"))
                  for d in q.domains[:4])
    positions = tuple(dataclasses.replace(q.positions[0], id=f"pos{n}",
                                          name=Text(f"Jabatan {n}", f"Position {n}"))
                      for n in range(15))
    model = dataclasses.replace(q, domains=q.domains + extra, positions=positions)
    summary = make_summary(model=model)
    summary.heat = {(p.id, d.id): (n % 7, 7 + n % 5) for n, (p, d) in
                    enumerate((p, d) for p in positions for d in model.domains)}
    data = build(reports_app, summary, "en")
    text = " ".join(page_texts(data))
    for page in read_pdf(data).pages:
        assert float(page.mediabox.width) < float(page.mediabox.height)
    assert "Collaboration and service innovation" in text
    assert "Crisis communication and misinformation advanced" in text
    assert "Position 14" in text
