"""A report that cannot be built does not cut the streamed ZIP of personal PDFs: it is logged and
replaced by a note in the download's language, the other PDFs follow, and a last note lists what
is missing. First ``zip_stream`` alone, then HR's download of a real unit."""
from __future__ import annotations

import io
import re
import logging
import zipfile

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from pypdf import PdfReader

from app.services import reports as result_view
from app.reports.bundle import ZipEntry, zip_stream
from tests.factories import MINI_LOW, create_person, make_unit, submitted_assessment
from tests.pages import login


@pytest.fixture(autouse=True)
def bundle_log(monkeypatch):
    """The bundle's logger, enabled: the session's database migration runs Alembic's logging
    fileConfig, which disables every logger that existed before it (not so in a web worker)."""
    monkeypatch.setattr(logging.getLogger("app.reports.bundle"), "disabled", False)


# -- zip_stream ------------------------------------------------------------------------------------

class Notes:
    def note(self, entry):
        return f"GAGAL-{entry.name}.txt", f"{entry.label} failed\nsecond line"

    def summary(self, failed):
        return "LAPORAN-GAGAL.txt", "\n".join(entry.name for entry in failed)


def broken() -> bytes:
    raise RuntimeError("the chart exploded")


def entries():
    return [ZipEntry("a.pdf", lambda: b"A" * 10, "ref a", "Ani"),
            ZipEntry("b.pdf", broken, "assessment 2", "Budi"),
            ("c.pdf", lambda: b"C" * 10)]  # a plain (name, build) pair still works


def test_a_failing_entry_becomes_a_note_and_the_archive_goes_on(caplog):
    with caplog.at_level(logging.ERROR, logger="app.reports.bundle"):
        data = b"".join(zip_stream(entries(), Notes()))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every entry complete, every CRC right
    assert archive.namelist() == ["a.pdf", "GAGAL-b.pdf.txt", "c.pdf", "LAPORAN-GAGAL.txt"]
    assert archive.read("a.pdf") == b"A" * 10 and archive.read("c.pdf") == b"C" * 10
    assert archive.read("GAGAL-b.pdf.txt") == b"Budi failed\r\nsecond line"
    assert archive.read("LAPORAN-GAGAL.txt") == b"b.pdf"
    [record] = caplog.records
    assert "ZIP entry 2 (assessment 2)" in record.getMessage()
    assert "Budi" not in record.getMessage()  # the log names no person
    assert record.exc_info and "the chart exploded" in str(record.exc_info[1])


def test_without_failures_there_is_no_summary():
    data = b"".join(zip_stream([e for e in entries() if e[0] != "b.pdf"], Notes()))
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["a.pdf", "c.pdf"]


def test_without_notes_the_error_propagates():
    with pytest.raises(RuntimeError):
        b"".join(zip_stream(entries()))


# -- HR's download --------------------------------------------------------------------------------

@pytest.fixture
def unit(app):
    with app.app_context():
        make_unit("DINAS_Z", "Dinas Z")
    people = [create_person(app, unit_code="DINAS_Z", name=name, email=f"z{n}@contoh.go.id")
              for n, name in enumerate(["Ani Satu", "Budi Dua", "Citra Tiga"])]
    hr = create_person(app, ("hr",), unit_code="DINAS_Z", name="Rina HR", email="hrz@contoh.go.id")
    return {"people": people, "hr": hr, "ids": [submitted_assessment(app, p, MINI_LOW) for p in people]}


@pytest.fixture
def one_fails(monkeypatch, unit):
    """The PDF of the second person cannot be built."""
    failing = unit["ids"][1]
    real = result_view.build_personal_pdf

    def build(report):
        if report["assessment"]["id"] == failing:
            raise ValueError("no room for the chart")
        return real(report)

    monkeypatch.setattr(result_view, "build_personal_pdf", build)
    return failing


def translated(app, lang: str, msgid: str, **params) -> str:
    with app.test_request_context(), force_locale(lang):
        return _(msgid, **params)


def download(app, client, unit, lang: str) -> zipfile.ZipFile:
    login(client, unit["hr"].nip)
    if lang == "en":
        client.set_cookie("swanilai_lang", "en")
    response = client.get("/hr/people.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    return archive


@pytest.mark.parametrize("lang", ["id", "en"])
def test_hr_gets_every_other_pdf_and_a_note_in_their_language(app, client, unit, one_fails, lang, caplog):
    caplog.set_level(logging.ERROR, logger="app.reports.bundle")
    archive = download(app, client, unit, lang)
    ani, budi, citra = unit["people"]
    first, failed, last = unit["ids"]
    names = archive.namelist()
    assert names == [f"{ani.nip}_Ani_Satu.pdf", f"GAGAL-{budi.nip}_Budi_Dua.txt",
                     f"{citra.nip}_Citra_Tiga.pdf", "LAPORAN-GAGAL.txt"]
    title = translated(app, lang, "Competency gap report")
    for name in (names[0], names[2]):
        reader = PdfReader(io.BytesIO(archive.read(name)))
        assert title in " ".join(page.extract_text() for page in reader.pages)

    note = archive.read(names[1]).decode("utf-8")
    entry = f"{budi.nip}_Budi_Dua.pdf"
    assert translated(app, lang, "The report %(file)s (%(person)s) could not be built.", file=entry,
                      person=f"Budi Dua, NIP {budi.nip}") in note
    advice = translated(app, lang, "Download the missing reports one by one from each person's result "
                                   "page, or report the problem to your administrator with the date and "
                                   "time of this download.")
    assert advice in note and "\r\n" in note

    summary = archive.read("LAPORAN-GAGAL.txt").decode("utf-8")
    with app.test_request_context(), force_locale(lang):
        head = ngettext("%(num)d report could not be built; the other reports in this ZIP are complete.",
                        "%(num)d reports could not be built; the other reports in this ZIP are complete.", 1)
    assert summary.startswith(head)
    assert f"- {entry} (Budi Dua, NIP {budi.nip})" in summary and advice in summary
    assert "Ani Satu" not in summary and "Citra Tiga" not in summary
    assert any(f"(assessment {failed})" in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_english_note_reads_in_english(app, client, unit, one_fails):
    """The note follows the request's language: Indonesian by default, English on request."""
    english = download(app, client, unit, "en").read("LAPORAN-GAGAL.txt").decode("utf-8")
    assert english.startswith("1 report could not be built")
    assert translated(app, "id", "Competency gap report") != "Competency gap report"  # catalogue loaded


def test_an_assessment_gone_before_its_turn_gets_a_note(app, unit):
    first, gone, last = unit["ids"]
    with app.test_request_context(), force_locale("en"):
        chunks = result_view.pdf_zip_stream([first, 999_999, last], "en")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[1] == "GAGAL-laporan-999999.txt" and names[-1] == "LAPORAN-GAGAL.txt"
    assert "Assessment number 999999" in archive.read(names[1]).decode("utf-8")
    assert all(re.fullmatch(r"\d{18}_[A-Za-z0-9_-]+\.pdf", n) for n in names if n.endswith(".pdf"))
    assert len([n for n in names if n.endswith(".pdf")]) == 2
