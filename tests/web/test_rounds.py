"""Assessment rounds through the pages (issue 13, part 1): HR or an admin opens a round for a unit
and below; a person has at most one assessment per round (start or resume, never a second one);
a self-assessment outside any round can be discarded after a confirmation; HR follows
participation with a "not started" list and a reminder per person; closing freezes the round;
dashboards take the round as their filter. Bad input is refused and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Answer, AuditEvent, Assessment, Round, Unit
from app.services.clock import office_today
from tests.factories import FULL, MINI_LOW, create_person, make_unit, open_round, published_version, \
    started_assessment, submitted_assessment
from tests.pages import assessment_id_of, csrf_from, login, post_form, start_assessment


@pytest.fixture
def version_id(app):
    return published_version(app)


@pytest.fixture
def units(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi Contoh")
        make_unit("DINAS", "Dinas Contoh", prov)
        make_unit("LAIN", "Provinsi Lain")
    return "PROV"


@pytest.fixture
def hr(app, units):
    return create_person(app, ("hr", "respondent"), unit_code="PROV", name="Rina HR")


def count(app, model, *conditions) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def unit_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Unit.id).where(Unit.code == code))


def start_again(client, version_id):
    """A second "agree and start" (another tab, a double tap), with a token from the home page."""
    token = csrf_from(client.get("/saya/").get_data(as_text=True))
    return client.post(f"/saya/mulai/{version_id}", data={"position": "admin-medsos", "consent": "y",
                                                          "csrf_token": token})


def round_form(app, version_id, **changes) -> dict:
    today = office_today()
    data = {"name": "AKPK 2027", "unit": str(unit_id(app, "PROV")), "version": str(version_id),
            "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=30)).isoformat()}
    data.update(changes)
    return data


# -- opening a round -------------------------------------------------------------------------------

def test_hr_opens_a_round_and_it_is_audited(app, client, hr, version_id):
    login(client, hr.nip)
    response = post_form(client, "/hr/rounds/new", round_form(app, version_id))
    assert response.status_code == 302
    with app.app_context():
        round_ = db.session.scalar(select(Round))
        assert (round_.name, round_.unit.code, round_.version_id) == ("AKPK 2027", "PROV", version_id)
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_type == "round")) == "round.create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "AKPK 2027" in page and "Rina HR" in page  # HR is a respondent too: not started yet


@pytest.mark.parametrize("changes, message", [
    ({"closes_on": (office_today() - timedelta(days=1)).isoformat()}, "Tanggal penutupan sebelum tanggal pembukaan"),
    ({"name": "  "}, "AKPK 2027"),
    ({"opens_on": "2027-13-01"}, "Isi tanggal pembukaan"),
    ({"version": "999"}, "versi kuesioner yang telah diterbitkan"),
])
def test_a_bad_round_is_refused_with_a_plain_message_and_nothing_written(app, client, hr, version_id, changes,
                                                                          message):
    login(client, hr.nip)
    response = post_form(client, "/hr/rounds/new", round_form(app, version_id, **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Round) == 0


def test_a_unit_outside_the_scope_is_refused(app, client, units, version_id):
    officer = create_person(app, ("hr",), unit_code="DINAS")
    login(client, officer.nip)
    response = post_form(client, "/hr/rounds/new", round_form(app, version_id, unit=str(unit_id(app, "PROV"))))
    assert response.status_code == 400 and count(app, Round) == 0


def test_overlapping_rounds_for_the_same_people_are_refused(app, client, hr, version_id):
    login(client, hr.nip)
    assert post_form(client, "/hr/rounds/new", round_form(app, version_id)).status_code == 302
    later = office_today() + timedelta(days=10)
    below = round_form(app, version_id, name="Khusus Dinas", unit=str(unit_id(app, "DINAS")),
                       opens_on=later.isoformat(), closes_on=(later + timedelta(days=5)).isoformat())
    response = post_form(client, "/hr/rounds/new", below)
    assert response.status_code == 400
    assert "AKPK 2027" in response.get_data(as_text=True)  # names the round it overlaps
    assert count(app, Round) == 1
    after = office_today() + timedelta(days=31)
    next_one = round_form(app, version_id, name="AKPK 2028", opens_on=after.isoformat(),
                          closes_on=(after + timedelta(days=20)).isoformat())
    assert post_form(client, "/hr/rounds/new", next_one).status_code == 302  # after it: fine


def test_another_province_may_run_a_round_on_the_same_days(app, client, units, version_id):
    admin = create_person(app, ("admin",), unit_code="PROV")
    login(client, admin.nip)
    assert post_form(client, "/admin/rounds/new", round_form(app, version_id)).status_code == 302
    other = round_form(app, version_id, name="AKPK Lain", unit=str(unit_id(app, "LAIN")))
    assert post_form(client, "/admin/rounds/new", other).status_code == 302
    assert count(app, Round) == 2


# -- the respondent: one assessment per round ---------------------------------------------------------

def test_a_person_never_gets_a_second_assessment_in_a_round(app, client, units, version_id):
    round_id = open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    login(client, person.nip)
    home = client.get("/saya/").get_data(as_text=True)
    assert "AKPK 2027" in home and f"/saya/mulai/{version_id}" in home
    first = assessment_id_of(start_assessment(client, version_id))
    assert start_again(client, version_id).headers["Location"].endswith(f"/saya/penilaian/{first}")
    assert client.get(f"/saya/mulai/{version_id}").headers["Location"].endswith(f"/saya/penilaian/{first}")
    assert client.get(f"/saya/putaran/{round_id}").headers["Location"].endswith(f"/saya/penilaian/{first}")
    assert count(app, Assessment) == 1
    with app.app_context():
        assert db.session.get(Assessment, first).round_id == round_id
    home = client.get("/saya/").get_data(as_text=True)
    assert f"/saya/penilaian/{first}" in home and "0 dari 2 domain" in home
    assert "/buang" not in home  # an assessment of a round is not discarded


def test_after_submitting_the_round_offers_the_result_not_a_new_start(app, client, units, version_id):
    open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    aid = submitted_assessment(app, person, version_id=version_id)
    login(client, person.nip)
    home = client.get("/saya/").get_data(as_text=True)
    assert f"/saya/penilaian/{aid}/hasil" in home and f"/saya/mulai/{version_id}" not in home
    assert start_again(client, version_id).headers["Location"].endswith(f"/saya/penilaian/{aid}")
    assert count(app, Assessment) == 1


def test_only_the_rounds_version_may_be_started_while_it_is_open(app, client, units, version_id):
    newer = published_version(app, FULL)  # another questionnaire, published after the round opened
    open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="PROV")
    login(client, person.nip)
    assert client.get(f"/saya/mulai/{newer}").status_code == 404
    assert client.get(f"/saya/mulai/{version_id}").status_code == 200


def test_a_round_of_another_unit_is_not_the_persons(app, client, units, version_id):
    round_id = open_round(app, "LAIN", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    login(client, person.nip)
    assert client.get(f"/saya/putaran/{round_id}").status_code == 404
    assert "AKPK 2027" not in client.get("/saya/").get_data(as_text=True)


def test_a_self_assessment_outside_a_round_is_discarded_after_a_confirmation(app, client, units, version_id):
    person = create_person(app, unit_code="PROV")
    aid = started_assessment(app, person, {"strategi-rencana": 2}, version_id=version_id)
    login(client, person.nip)
    assert start_again(client, version_id).headers["Location"].endswith(f"/saya/penilaian/{aid}")
    confirm = client.get(f"/saya/penilaian/{aid}/buang").get_data(as_text=True)
    assert "1 jawaban" in confirm and "tidak dapat dibatalkan" in confirm
    assert count(app, Assessment) == 1  # asking is not doing
    response = client.post(f"/saya/penilaian/{aid}/buang", data={"csrf_token": csrf_from(confirm)})
    assert response.status_code == 302
    assert count(app, Assessment) == 0 and count(app, Answer) == 0
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target_id == str(aid),
                                                                 AuditEvent.action == "assessment.discard"))


def test_a_submitted_or_round_assessment_cannot_be_discarded(app, client, units, version_id):
    person = create_person(app, unit_code="PROV")
    done = submitted_assessment(app, person, version_id=version_id)
    open_round(app, "PROV", version_id=version_id)
    in_round = started_assessment(app, person, version_id=version_id)
    login(client, person.nip)
    for aid in (done, in_round):
        assert client.get(f"/saya/penilaian/{aid}/buang").status_code == 404
        page = client.get("/saya/").get_data(as_text=True)
        assert client.post(f"/saya/penilaian/{aid}/buang", data={"csrf_token": csrf_from(page)}).status_code == 404
    assert count(app, Assessment) == 2


# -- closing -------------------------------------------------------------------------------------------

def test_a_closed_round_refuses_answers_and_submits_and_keeps_what_was_saved(app, client, hr, version_id):
    round_id = open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    aid = started_assessment(app, person, {"strategi-rencana": 2}, version_id=version_id)
    login(client, hr.nip)
    confirm = client.get(f"/hr/rounds/{round_id}/close").get_data(as_text=True)
    assert "tidak dapat dibatalkan" in confirm
    assert post_form(client, f"/hr/rounds/{round_id}/close").status_code == 302
    post_form(client, "/auth/logout", page="/hr/")
    login(client, person.nip)
    page = client.get(f"/saya/penilaian/{aid}/domain/strategi")
    assert page.status_code == 409 and "ditutup" in page.get_data(as_text=True)
    token = csrf_from(client.get("/saya/").get_data(as_text=True))
    posted = client.post(f"/saya/penilaian/{aid}/domain/strategi",
                         data={"strategi-rencana": "4", "action": "stay", "csrf_token": token})
    assert posted.status_code == 409
    saved = client.post(f"/saya/penilaian/{aid}/autosave", json={"domain": "strategi",
                                                                 "answers": {"strategi-rencana": 4}},
                        headers={"X-CSRFToken": token})
    assert saved.status_code == 409
    assert client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": token}).status_code == 409
    with app.app_context():
        assert db.session.scalar(select(Answer.value).where(Answer.assessment_id == aid)) == 2
        assert db.session.get(Assessment, aid).status == "in_progress"
    assert client.get(f"/saya/putaran/{round_id}").status_code == 302  # back home with a message
    assert start_assessment(client, version_id).status_code == 302  # a self-assessment again, not in the round


def test_a_closed_round_cannot_be_changed(app, client, hr, version_id):
    round_id = open_round(app, "PROV", version_id=version_id, closed=True)
    login(client, hr.nip)
    assert client.get(f"/hr/rounds/{round_id}/edit").status_code == 302
    page = client.get(f"/hr/rounds/{round_id}").get_data(as_text=True)
    assert f"/hr/rounds/{round_id}/close" not in page


# -- participation and reminders -----------------------------------------------------------------------

def test_hr_sees_who_has_not_started_with_a_reminder_and_link(app, client, hr, version_id):
    round_id = open_round(app, "PROV", version_id=version_id)
    waiting = create_person(app, unit_code="DINAS", name="Budi Belum")
    begun = create_person(app, unit_code="DINAS", name="Sari Sedang")
    done = create_person(app, unit_code="PROV", name="Tono Selesai")
    create_person(app, unit_code="LAIN", name="Orang Lain")
    started_assessment(app, begun, version_id=version_id)
    submitted_assessment(app, done, version_id=version_id)
    login(client, hr.nip)
    page = client.get(f"/hr/rounds/{round_id}").get_data(as_text=True)
    assert "Budi Belum" in page and "Sari Sedang" not in page.split('id="not-started"')[1]
    assert "Tono Selesai" not in page and "Orang Lain" not in page
    assert f"http://127.0.0.1:5000/saya/putaran/{round_id}" in page
    assert "Yth. Budi Belum, mohon mengisi penilaian mandiri kompetensi “AKPK 2027”" in page
    assert waiting.nip in page
    # the total row: 4 registered respondents (HR included), 2 started, 1 submitted
    total = page.split('class="total"')[1].split("</tr>")[0]
    assert [cell.split("<")[0].strip() for cell in total.split('class="num">')[1:]] == ["4", "2", "1", "1 (25%)"]


def test_hr_of_a_sub_unit_follows_the_province_round_for_their_people_only(app, client, units, version_id):
    round_id = open_round(app, "PROV", version_id=version_id)
    officer = create_person(app, ("hr",), unit_code="DINAS")
    create_person(app, unit_code="DINAS", name="Budi Dinas")
    create_person(app, unit_code="PROV", name="Ani Provinsi")
    login(client, officer.nip)
    page = client.get(f"/hr/rounds/{round_id}").get_data(as_text=True)
    assert "Budi Dinas" in page and "Ani Provinsi" not in page
    assert f"/hr/rounds/{round_id}/close" not in page  # following is not managing
    assert client.get(f"/hr/rounds/{round_id}/close").status_code == 404


def test_the_dashboard_counts_the_chosen_round(app, client, hr, version_id):
    person = create_person(app, unit_code="DINAS")
    submitted_assessment(app, person, version_id=version_id)  # before any round: outside
    round_id = open_round(app, "PROV", version_id=version_id)
    login(client, hr.nip)
    in_round = client.get("/hr/dashboard").get_data(as_text=True)  # the newest round by default
    assert f'<option value="{round_id}" selected' in in_round
    outside = client.get("/hr/dashboard?round=none").get_data(as_text=True)
    assert 'value="none" selected' in outside
    with app.app_context():
        from app.services.unit_reports import Filters, participation, summarise

        prov = db.session.scalar(select(Unit).where(Unit.code == "PROV"))
        round_ = db.session.get(Round, round_id)
        assert participation(Filters(prov, round=round_))[0].submitted == 0
        assert participation(Filters(prov))[0].submitted == 1
        assert summarise(Filters(prov)).assessed == 1
    assert client.get("/hr/dashboard?round=abc").status_code == 400


def test_a_round_of_another_province_is_not_found_on_the_dashboard(app, client, hr, version_id):
    other = open_round(app, "LAIN", version_id=version_id)
    login(client, hr.nip)
    assert client.get(f"/hr/dashboard?round={other}").status_code == 404
    assert client.get(f"/hr/rounds/{other}").status_code == 404


# -- target position -----------------------------------------------------------------------------------

def test_a_target_position_not_in_the_questionnaire_is_refused(app, client, units, version_id):
    person = create_person(app, unit_code="PROV")
    login(client, person.nip)
    page = client.get(f"/saya/mulai/{version_id}").get_data(as_text=True)
    response = client.post(f"/saya/mulai/{version_id}", data={"position": "admin-medsos", "target_position": "raja",
                                                              "consent": "y", "csrf_token": csrf_from(page)})
    assert response.status_code == 400 and "jabatan yang Anda tuju" in response.get_data(as_text=True)
    assert count(app, Assessment) == 0
    response = client.post(f"/saya/mulai/{version_id}", data={"position": "admin-medsos", "target_position": "pimpinan",
                                                              "consent": "y", "csrf_token": csrf_from(page)})
    with app.app_context():
        assert db.session.get(Assessment, assessment_id_of(response)).target_position_id == "pimpinan"


def test_the_target_position_can_be_changed_after_submitting(app, client, units, version_id):
    person = create_person(app, unit_code="PROV")
    aid = submitted_assessment(app, person, MINI_LOW, version_id=version_id)
    login(client, person.nip)
    result = client.get(f"/saya/penilaian/{aid}/hasil").get_data(as_text=True)
    url = f"/saya/penilaian/{aid}/jabatan-tujuan"
    assert client.post(url, data={"target_position": "raja", "csrf_token": csrf_from(result)}).status_code == 400
    assert client.post(url, data={"target_position": "pimpinan", "csrf_token": csrf_from(result)}).status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, aid).target_position_id == "pimpinan"


# -- found in review -----------------------------------------------------------------------------------

def test_two_starts_at_the_same_moment_make_one_assessment(app, units, version_id, monkeypatch):
    """A double tap: both requests pass the "has one already?" check only if nothing serialises
    them; the person's lock makes the second wait for the first and find its assessment."""
    import threading
    import time

    from app.models import QuestionnaireVersion, User
    from app.services import assessments as service

    open_round(app, "PROV", version_id=version_id)
    person = create_person(app, unit_code="DINAS")
    together = threading.Barrier(2, timeout=10)
    real_lock, real_find = service.lock_person, service.current_assessment

    def lock_together(user):
        together.wait()  # both starts are inside start() now
        real_lock(user)

    def find_slowly(user, round_):
        found = real_find(user, round_)
        time.sleep(0.3)  # the window in which the other start would also find nothing
        return found

    monkeypatch.setattr(service, "lock_person", lock_together)
    monkeypatch.setattr(service, "current_assessment", find_slowly)
    ids, errors = [], []

    def start():
        try:
            with app.app_context():
                assessment = service.start(db.session.get(User, person.id),
                                           db.session.get(QuestionnaireVersion, version_id), "admin-medsos")
                db.session.commit()
                ids.append(assessment.id)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(ids) == 2 and ids[0] == ids[1]
    assert count(app, Assessment) == 1


@pytest.mark.parametrize("path", ["/hr/rounds/{big}", "/hr/rounds/{big}/close", "/saya/putaran/{big}",
                                  "/hr/rounds/{round_id}?page={big}"])
def test_oversized_ids_and_pages_are_not_found_or_the_last_page(app, client, hr, version_id, path):
    round_id = open_round(app, "PROV", version_id=version_id)
    login(client, hr.nip)
    response = client.get(path.format(big=10**30, round_id=round_id))
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Halaman" not in response.get_data(as_text=True) or "AKPK 2027" in response.get_data(as_text=True)
    page = client.get("/hr/rounds/new").get_data(as_text=True)
    posted = client.post("/hr/rounds/new", data={**round_form(app, version_id, unit=str(10**30)),
                                                 "csrf_token": csrf_from(page)})
    assert posted.status_code == 400 and "Pilih unit dari daftar" in posted.get_data(as_text=True)


def test_editing_cannot_close_a_round_behind_the_confirmation(app, client, hr, version_id):
    round_id = open_round(app, "PROV", version_id=version_id)
    login(client, hr.nip)
    yesterday = office_today() - timedelta(days=1)
    response = post_form(client, f"/hr/rounds/{round_id}/edit",
                         round_form(app, version_id, opens_on=(yesterday - timedelta(days=5)).isoformat(),
                                    closes_on=yesterday.isoformat()))
    assert response.status_code == 400 and "sudah lewat" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Round, round_id).closes_on > office_today()


def test_a_version_an_open_round_uses_cannot_be_retired(app, client, units, version_id):
    open_round(app, "PROV", version_id=version_id)
    trainer = create_person(app, ("trainer",), unit_code="PROV")
    login(client, trainer.nip)
    response = post_form(client, f"/trainer/versions/{version_id}/retire", page="/trainer/")
    with app.app_context():
        from app.models import QuestionnaireVersion

        assert db.session.get(QuestionnaireVersion, version_id).status == "published"
    assert "AKPK 2027" in client.get(response.headers.get("Location", "/trainer/")).get_data(as_text=True) \
        or "AKPK 2027" in response.get_data(as_text=True)


def test_the_dashboard_opens_on_a_begun_round_not_a_planned_one(app, client, hr, version_id):
    current = open_round(app, "PROV", version_id=version_id)
    later = office_today() + timedelta(days=60)
    planned = open_round(app, "PROV", version_id=version_id, name="AKPK 2028", opens_on=later,
                         closes_on=later + timedelta(days=30))
    login(client, hr.nip)
    page = client.get("/hr/dashboard").get_data(as_text=True)
    assert f'<option value="{current}" selected' in page and f'<option value="{planned}" selected' not in page


def test_a_sub_units_round_counts_only_its_own_people_as_registered(app, client, hr, version_id):
    round_id = open_round(app, "DINAS", version_id=version_id)
    create_person(app, unit_code="DINAS")
    create_person(app, unit_code="PROV")
    with app.app_context():
        from app.services.unit_reports import Filters, participation

        prov = db.session.scalar(select(Unit).where(Unit.code == "PROV"))
        total, _rows = participation(Filters(prov, round=db.session.get(Round, round_id)))
        assert total.registered == 1  # the DINAS person, not HR and the PROV person
