"""Employee CSV import (all or nothing, every bad row listed) and HR's scope over people."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from tests.factories import create_person, make_unit
from tests.pages import csrf_from, login, post_form

HEADER = "nip,name,email,unit_code,position,roles\n"


@pytest.fixture
def tree(app):
    with app.app_context():
        prov = make_unit("PROV", "Provinsi")
        dinas = make_unit("DINAS", "Dinas A", prov)
        make_unit("SEKSI", "Seksi A1", dinas)
        make_unit("LAIN", "Dinas Lain", prov)


def upload(client, url, content: bytes):
    html = client.get(url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_from(html), "file": (io.BytesIO(content), "pegawai.csv")},
                       content_type="multipart/form-data")


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


@pytest.fixture
def hr_client(app, client, tree):
    person = create_person(app, ("hr",), unit_code="DINAS", email="hr@contoh.go.id")
    login(client, person.nip)
    return client


def test_a_file_with_bad_rows_imports_nobody_and_lists_every_bad_row(app, hr_client):
    content = (HEADER
               + "198001012005011001,Ani,ani@contoh.go.id,SEKSI,,\n"        # line 2: fine
               + "12345,Budi,budi@contoh.go.id,SEKSI,,\n"                   # line 3: NIP
               + "198001012005011003,Citra,bukan-email,SEKSI,,\n"           # line 4: e-mail
               + "198001012005011004,Dedi,dedi@contoh.go.id,LAIN,,\n"       # line 5: outside scope
               + "198001012005011005,Eka,eka@contoh.go.id,SEKSI,,admin\n"   # line 6: role HR may not give
               + "198001012005011001,Ani Lagi,ani2@contoh.go.id,SEKSI,,\n"  # line 7: duplicate NIP in file
               ).encode()
    before = count_users(app)
    response = upload(hr_client, "/hr/employees/import", content)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    for line in (3, 4, 5, 6, 7):
        assert f"<td>{line}</td>" in text, line
    assert "<td>2</td>" not in text
    assert count_users(app) == before


def test_a_good_file_imports_everyone_with_invitation_links(app, hr_client):
    content = (HEADER + "198001012005011001,Ani,ani@contoh.go.id,SEKSI,,\n"
               + "198001012005012002,Budi,budi@contoh.go.id,DINAS,,respondent;hr\n").encode("utf-8-sig")
    before = count_users(app)
    response = upload(hr_client, "/hr/employees/import", content)
    assert response.status_code == 200
    assert count_users(app) == before + 2
    links = hr_client.get("/hr/employees/invitations.csv")
    body = links.get_data().decode("utf-8-sig")
    assert links.headers["Content-Type"].startswith("text/csv")
    assert body.count("/auth/invitation/") == 2 and "198001012005011001" in body


@pytest.mark.parametrize("content,message", [
    (b"nip;nama\n1;2\n", "nip, name, email"),
    ("nip,name,email,unit_code\n198001012005011001,Ãni,a@b.go.id,SEKSI\n".encode("cp1252"), "UTF-8"),
    (b"", "kosong"),
])
def test_wrong_columns_encoding_or_empty_file_get_a_clear_message(app, hr_client, content, message):
    response = upload(hr_client, "/hr/employees/import", content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_hr_sees_only_people_in_scope(app, hr_client):
    outside = create_person(app, unit_code="LAIN", name="Orang Luar", email="luar@contoh.go.id")
    inside = create_person(app, unit_code="SEKSI", name="Orang Dalam", email="dalam@contoh.go.id")
    listing = hr_client.get("/hr/employees").get_data(as_text=True)
    assert "Orang Dalam" in listing and "Orang Luar" not in listing
    assert hr_client.get(f"/hr/employees/{outside.id}").status_code == 404
    assert hr_client.get(f"/hr/employees/{inside.id}").status_code == 200
    response = post_form(hr_client, f"/hr/employees/{outside.id}/active/0", page=f"/hr/employees/{inside.id}")
    assert response.status_code == 404


def test_hr_cannot_take_over_an_admin_in_their_unit(app, hr_client):
    boss = create_person(app, ("admin",), unit_code="SEKSI", email="boss@contoh.go.id")
    assert hr_client.get(f"/hr/employees/{boss.id}").status_code == 403
    response = post_form(hr_client, f"/hr/employees/{boss.id}/invitation", page="/hr/employees")
    assert response.status_code == 403


def test_hr_cannot_place_people_outside_scope_or_grant_admin(app, hr_client):
    for unit_code, roles in (("LAIN", ["respondent"]), ("SEKSI", ["admin"])):
        response = post_form(hr_client, "/hr/employees/new", {
            "nip": "198001012005011009", "name": "X", "email": "x@contoh.go.id", "unit_code": unit_code,
            "roles": roles})
        assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "x@contoh.go.id")) is None


def test_hr_home_shows_the_scope_tree(app, hr_client):
    page = hr_client.get("/hr/").get_data(as_text=True)
    assert "Dinas A" in page and "Seksi A1" in page and "Dinas Lain" not in page


def test_the_links_of_a_large_import_download_by_post(app, hr_client):
    """The import page posts the new people's ids: 400 of them no longer fit in a URL."""
    rows = "".join(f"198001012005011{i:03d},Pegawai {i},p{i}@contoh.go.id,SEKSI,,\n"
                   for i in range(400))
    response = upload(hr_client, "/hr/employees/import", (HEADER + rows).encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert 'method="post" action="/hr/employees/invitations.csv"' in page
    ids = re.findall(r'name="user" value="(\d+)"', page)
    assert len(ids) == 400
    links = hr_client.post("/hr/employees/invitations.csv", data={"user": ids, "csrf_token": csrf_from(page)})
    assert links.status_code == 200
    assert links.get_data().decode("utf-8-sig").count("/auth/invitation/") == 400
