"""Realisation (issue 14, point 3) in the service: recording one with every bad input refused and
nothing written, the CSV import all or nothing with every bad row located, the person's plan
done and remaining, and the realisation against a set unit plan, hand-computed."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import func, select

from app.services.clock import office_time
from app.extensions import db
from app.models import AuditEvent, PlanStatus, Realisation, UnitPlan
from app.reports import plan_text
from app.reports.layout import Furniture, build_pdf, styles
from app.reports.realisation_section import realisation_story
from app.services import realisations
from app.services.clock import office_today
from app.services.csv_files import CsvImportRefused
from app.services.errors import Conflicting, NotFound, ServiceError
from tests.factories import MINI_LOW, make_assessment, make_round, make_unit, make_user, make_version

HEADER = "nip,module,date,jp,provider\n"


@pytest.fixture
def world(ctx):
    prov = make_unit("PROV", "Provinsi")
    dinas = make_unit("DINAS", "Dinas A", prov)
    seksi = make_unit("SEKSI", "Seksi A1", dinas)
    other = make_unit("LAIN", "Dinas Lain", prov)
    version = make_version()
    return {"prov": prov, "dinas": dinas, "seksi": seksi, "other": other, "version": version,
            "officer": make_user(dinas, ("hr",), name="Petugas"),
            "ani": make_user(seksi, name="Ani"), "budi": make_user(dinas, name="Budi"),
            "outsider": make_user(other, name="Orang Luar")}


def count() -> int:
    return db.session.scalar(select(func.count(Realisation.id)))


def record(world, person, module="m-strategi-1", on=None, jp="", provider=""):
    return realisations.record(person, module, on or office_today() - timedelta(days=3), jp, provider,
                               actor=world["officer"].id, scope=world["dinas"])


def test_recording_one_takes_the_module_jp_and_provider_when_left_empty_and_is_audited(world):
    row = record(world, world["ani"])
    db.session.commit()
    assert (row.module_id, row.jp, row.provider) == ("m-strategi-1", 4, "BPSDM")
    assert row.recorded_by_id == world["officer"].id
    other = record(world, world["budi"], "m-strategi-2", on="17/03/2025", jp="6", provider="  LAN  RI ")
    assert (other.completed_on, other.jp, other.provider) == (date(2025, 3, 17), 6, "LAN RI")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "realisation.record")
                                .order_by(AuditEvent.id)).all()
    assert len(events) == 2 and events[0].details["module"] == "m-strategi-1"


@pytest.mark.parametrize("changes,field,words", [
    ({"on": office_today() + timedelta(days=1)}, "date", "in the future"),
    ({"on": "1999-12-31"}, "date", "before the year 2000"),
    ({"on": "31/02/2025"}, "date", "is not a date"),
    ({"on": "kemarin"}, "date", "is not a date"),
    ({"module": "m-tidak-ada"}, "module", "Unknown module m-tidak-ada"),
    ({"module": ""}, "module", "Choose a module"),
    ({"jp": "0"}, "jp", "JP must be a whole number from 1 to 200"),
    ({"jp": "abc"}, "jp", "JP must be a whole number from 1 to 200"),
    ({"jp": "201"}, "jp", "JP must be a whole number from 1 to 200"),
    ({"jp": "2.5"}, "jp", "JP must be a whole number from 1 to 200"),
    ({"jp": "１２"}, "jp", "JP must be a whole number from 1 to 200"),  # full-width digits
    ({"provider": "x" * 201}, "provider", "at most 200 characters"),
])
def test_each_bad_input_is_refused_with_a_plain_message_and_nothing_written(world, changes, field, words):
    before = count()
    with force_locale("en"):
        with pytest.raises(ServiceError) as refused:
            record(world, world["ani"], **changes)
        message = str(refused.value.message)  # a lazy message speaks the language it is read in
    assert refused.value.field == field
    assert words in message
    assert count() == before


def test_a_person_outside_the_scope_reads_exactly_as_an_unknown_nip(world):
    with force_locale("en"):
        with pytest.raises(ServiceError) as outside:
            record(world, world["outsider"])
        with pytest.raises(ServiceError) as unknown:
            record(world, realisations.person_in_scope("198001012005011999", world["dinas"]))
    assert str(outside.value.message) == str(unknown.value.message) == str(realisations.UNKNOWN_NIP)
    assert realisations.person_in_scope(world["outsider"].nip, world["dinas"]) is None
    assert realisations.person_in_scope(world["ani"].nip, world["dinas"]).id == world["ani"].id
    assert count() == 0


def test_the_same_realisation_twice_is_refused(world):
    record(world, world["ani"], on="2025-03-17")
    with pytest.raises(ServiceError) as refused:
        record(world, world["ani"], on="17-03-2025")
    assert "sudah tercatat" in str(refused.value.message)
    assert count() == 1


def test_a_csv_with_bad_rows_writes_nothing_and_locates_every_bad_row(world):
    ani, budi, outsider = world["ani"].nip, world["budi"].nip, world["outsider"].nip
    future = (office_today() + timedelta(days=2)).isoformat()
    content = (HEADER
               + f"{ani},m-strategi-1,2025-03-17,,\n"              # 2: fine
               + f"{outsider},m-strategi-1,2025-03-17,4,\n"        # 3: outside the scope
               + "198001012005011999,m-strategi-1,2025-03-17,4,\n"  # 4: nobody has this NIP
               + f"{budi},m-tidak-ada,2025-03-17,4,\n"             # 5: unknown module
               + f"{budi},m-strategi-1,{future},4,\n"              # 6: future date
               + f"{budi},m-strategi-1,2025-03-18,0,\n"            # 7: JP 0
               + f"{budi},m-strategi-1,2025-03-19,abc,\n"          # 8: JP abc
               + f"{ani},m-strategi-1,17/03/2025,4,\n"             # 9: same as line 2
               + f"{budi},m-strategi-2,2025-03-20,8,BPSDM\n"       # 10: fine
               ).encode()
    with force_locale("en"):
        with pytest.raises(CsvImportRefused) as refused:
            realisations.import_csv(content, world["officer"].id, world["dinas"])
        lines = {p.line: str(p.message) for p in refused.value.problems}
        unknown = str(realisations.UNKNOWN_NIP)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert lines[3] == lines[4] == unknown
    assert "m-tidak-ada" in lines[5] and "future" in lines[6] and "line 2" in lines[9]
    assert count() == 0


def test_a_good_csv_with_semicolons_and_every_date_form_writes_every_row(world):
    ani, budi = world["ani"].nip, world["budi"].nip
    content = ("\ufeffnip;module;date;jp;provider\n"
               f"{ani};m-strategi-1;2025-03-17;;\n"
               f"{budi};m-strategi-2;18/03/2025;6;LAN\n"
               f"{budi};m-krisis-kelas;19-03-2025;8;\n").encode()
    written = realisations.import_csv(content, world["officer"].id, world["dinas"])
    assert [(r.module_id, r.completed_on, r.jp, r.provider) for r in written] == [
        ("m-strategi-1", date(2025, 3, 17), 4, "BPSDM"), ("m-strategi-2", date(2025, 3, 18), 6, "LAN"),
        ("m-krisis-kelas", date(2025, 3, 19), 8, "BPSDM")]
    with pytest.raises(CsvImportRefused) as again:  # the same file twice: every row already recorded
        realisations.import_csv(content, world["officer"].id, world["dinas"])
    assert [p.line for p in again.value.problems] == [2, 3, 4]
    assert count() == 3


def test_a_csv_over_the_row_limit_is_refused_before_any_row_is_checked(world):
    rows = "".join(f"{world['ani'].nip},m-strategi-1,2025-03-{day:02d},,\n" for day in range(1, 6))
    with force_locale("en"), pytest.raises(CsvImportRefused) as refused:
        realisations.import_csv((HEADER + rows).encode(), world["officer"].id, world["dinas"], max_rows=4)
    with force_locale("en"):
        assert "more than 4 rows" in str(refused.value.problems[0].message)
    assert count() == 0


def test_deleting_is_audited_and_limited_to_the_scope(world):
    row = record(world, world["ani"])
    with pytest.raises(NotFound):
        realisations.delete(row, world["officer"].id, world["other"])
    with pytest.raises(NotFound):
        realisations.in_scope_or_404(row.id, world["other"])
    realisations.delete(realisations.in_scope_or_404(row.id, world["dinas"]), world["officer"].id, world["dinas"])
    assert count() == 0
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "realisation.delete")) == 1


def test_done_for_sums_the_jp_per_module(world):
    record(world, world["ani"], on="2024-01-10", jp="3")
    record(world, world["ani"], on="2025-03-17", jp="2")
    record(world, world["ani"], "m-krisis-kelas", on="2025-03-17")
    assert realisations.done_for(world["ani"].id) == {"m-strategi-1": 5, "m-krisis-kelas": 8}
    assert realisations.done_for(world["ani"].id, since=date(2025, 1, 1)) == {"m-strategi-1": 2, "m-krisis-kelas": 8}


def test_the_plan_counts_a_module_done_from_365_days_before_the_submit_date(world):
    assessment = make_assessment(world["ani"], world["version"], answers=MINI_LOW, submit=True)
    submitted = office_time(assessment.submitted_at).date()
    record(world, world["ani"], "m-strategi-1", on=submitted - timedelta(days=366))  # too early
    record(world, world["ani"], "m-krisis-kelas", on=submitted - timedelta(days=365), jp="7")
    done = realisations.plan_done(assessment)
    assert done == {"m-krisis-kelas": {"completed_on": submitted - timedelta(days=365), "jp": 7}}
    plan = {"modules": [{"id": "m-krisis-kelas", "jp": 8}, {"id": "m-strategi-1", "jp": 4}]}
    with force_locale("en"):
        figures = plan_text.progress(plan, done)
    assert (figures["done_jp"], figures["remaining_jp"]) == (8, 4)
    assert figures["line"] == "Done 8 JP, remaining 4 JP."


def set_plan(world, lines, unit=None, opens_on=None):
    round_ = make_round(world["dinas"], world["version"], opens_on=opens_on or date(2025, 1, 1),
                        closes_on=date(2025, 12, 31))
    plan = UnitPlan(round_id=round_.id, unit_id=(unit or world["dinas"]).id, status=PlanStatus.SET.value,
                    snapshot={"lines": lines})
    db.session.add(plan)
    db.session.commit()
    return plan


def target(plan, person, *modules, year=1):
    """The person's counted assessment of the plan's round, with ``modules`` in its plan."""
    from app.models import Assessment, PlanEntry, utcnow

    assessment = Assessment(user_id=person.id, version_id=plan.round.version_id, round_id=plan.round_id,
                            unit_id=person.unit_id, position_id="admin-medsos", status="submitted",
                            submitted_at=utcnow(), latest=True)
    db.session.add(assessment)
    db.session.flush()
    db.session.add_all(PlanEntry(assessment_id=assessment.id, module_id=module, unit_id=person.unit_id,
                                 domain_id=module.split("-")[1], jp=8, rank=rank, year=year)
                       for rank, module in enumerate(modules))
    db.session.commit()


def test_against_plan_counts_people_and_jp_of_the_unit_since_the_round_opened(world):
    plan = set_plan(world, [
        {"module": "m-strategi-2", "people": 3, "jp": 8, "funded_people": 3},
        {"module": "m-krisis-kelas", "people": 2, "jp": 8, "funded_people": 1},
        {"module": "m-strategi-1", "people": 1, "jp": 4, "funded_people": 1},
    ])
    carol = make_user(world["seksi"], name="Carol")
    dewi = make_user(world["seksi"], name="Dewi")  # the plan does not target her
    targets = ((world["ani"], ("m-strategi-2",)), (carol, ("m-strategi-2",)),
               (world["budi"], ("m-strategi-2", "m-krisis-kelas")), (world["outsider"], ("m-krisis-kelas",)))
    for person, modules in targets:
        target(plan, person, *modules)
    target(plan, dewi, "m-krisis-kelas", year=2)  # a later year of her plan: not this plan's
    record(world, dewi, "m-strategi-2", on="2025-02-01")                     # not targeted with it
    record(world, dewi, "m-krisis-kelas", on="2025-02-01")                   # targeted only in year 2
    record(world, world["ani"], "m-strategi-2", on="2025-02-01")            # counts
    record(world, world["ani"], "m-strategi-2", on="2025-03-01", jp="2")    # same person again: JP adds
    record(world, carol, "m-strategi-2", on="2025-01-01", jp="6")           # the opening day counts
    record(world, world["budi"], "m-strategi-2", on="2024-12-31")           # before the round opened
    record(world, world["budi"], "m-krisis-kelas", on="2025-04-01", jp="5")  # counts
    realisations.record(world["outsider"], "m-krisis-kelas", "2025-04-01", "8", "",  # another unit
                        actor=None, scope=None)
    rows = realisations.against_plan(plan, world["dinas"])
    figures = [(r["module"], r["people_planned"], r["jp_planned"], r["people_realised"], r["jp_realised"])
               for r in rows]
    assert figures == [("m-strategi-2", 3, 24, 2, 16),   # Ani 8 + 2, Carol 6
                       ("m-krisis-kelas", 2, 16, 1, 5),
                       ("m-strategi-1", 1, 4, 0, 0),
                       (None, 6, 44, 3, 21)]
    assert rows[-1]["total"] and rows[0]["title"] == {"id": "Strategi lanjut", "en": "Advanced strategy"}
    seksi_only = realisations.against_plan(plan, world["seksi"])
    assert [(r["people_realised"], r["jp_realised"]) for r in seksi_only][0] == (2, 16)


def test_against_plan_refuses_a_draft(world):
    plan = set_plan(world, [])
    plan.status = PlanStatus.DRAFT.value
    with pytest.raises(Conflicting):
        realisations.against_plan(plan, world["dinas"])


def pdf_text(story) -> str:
    furniture = Furniture(header_left="Swanilai", header_right="", footer_left="", page_label=lambda n, m: f"{n}/{m}")
    body = build_pdf(story, furniture, title="t", author="Swanilai", subject="s", lang="en")
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(body)).pages)


def test_the_realisation_section_renders_in_a_pdf(world):
    plan = set_plan(world, [{"module": "m-strategi-2", "people": 3, "jp": 8},
                            {"module": "m-krisis-kelas", "people": 2, "jp": 8}])
    target(plan, world["ani"], "m-strategi-2")
    record(world, world["ani"], "m-strategi-2", on="2025-02-01")
    rows = realisations.against_plan(plan, world["dinas"])
    with force_locale("en"):
        text = pdf_text(realisation_story(rows, "en", styles()))
        empty = pdf_text(realisation_story([{"total": True, "people_planned": 0, "jp_planned": 0,
                                             "people_realised": 0, "jp_realised": 0}], "en", styles()))
    assert "Realisation against the set plan" in text
    assert "Advanced strategy 3 1 24 8 33%" in text
    assert "Crisis in class 2 0 16 0 0%" in text
    assert "Total 5 1 40 8 20%" in text
    assert "nothing to compare with" in empty
