"""Temporary review probes (issue 14). Deleted after the review."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import UnitPlan, ModeCost
from app.services.clock import office_today
from tests.factories import create_person, make_unit, open_round, published_version, submitted_assessment
from tests.pages import login, post_form
from tests.web.test_unit_plans import setting, signed_in, post_ceiling, post_cost, set_it, plans, post_choice  # noqa


def xlsx(resp):
    assert resp.status_code == 200, (resp.status_code, resp.get_data(as_text=True)[:300])
    wb = load_workbook(io.BytesIO(resp.data))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def pdf(resp):
    assert resp.status_code == 200, resp.status_code
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(resp.data)).pages)


def dump(label, client, rid):
    plan = xlsx(client.get(f"/hr/export/plan.xlsx?round={rid}"))
    needs = xlsx(client.get(f"/hr/export/needs.xlsx?round={rid}"))
    people = xlsx(client.get(f"/hr/export/module-people.xlsx?round={rid}"))
    print(f"\n== {label}")
    for sheet in plan.values():
        for row in sheet[:5]:
            print("PLAN", row)
    for sheet in needs.values():
        for row in sheet[:3]:
            print("NEEDS", row)
    for sheet in people.values():
        for row in sheet[:5]:
            print("PEOPLE", row)
    text = pdf(client.get(f"/hr/report.pdf?round={rid}&appendix=1"))
    i = text.find("class size")
    print("PDF class sizes note:", re.findall(r"[^.]*class[^.]*size[^.]*\.", text)[:3])
    print("PDF appendix classes:", re.findall(r"Pegawai \d \d{18} [^ ]+ [^ ]+ ?\S* ?\S*", text)[:6])
    page = client.get(f"/hr/plan/?round={rid}").get_data(as_text=True)
    m = re.search(r'<tr data-module="m-krisis-kelas"[^>]*>(.*?)</tr>', page, re.S)
    print("PAGE kelas row:", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1))) if m else None)


def test_class_size_after_set(app, setting):
    hr = signed_in(app, setting["hr"])
    r = post_cost(hr, setting, "classroom", {"cost_per": "class", "amount": "10.000.000", "class_size": "2"})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    assert post_ceiling(hr, setting, "Rp 15.000.000").status_code == 302
    dump("DRAFT", hr, setting["round"])
    plan_id = plans(app)[-1][0]
    ap = signed_in(app, setting["approver"])
    assert set_it(ap, plan_id).status_code == 302
    dump("SET", hr, setting["round"])
    # A mode cost change while the page shows round=none (plan set for the real round)
    r = post_form(hr, "/hr/plan/modes/classroom?round=none", {"c-classroom-cost_per": "class",
                  "c-classroom-amount": "99.000.000", "c-classroom-class_size": "2"}, page="/hr/plan/?round=none")
    print("mode cost via round=none while set:", r.status_code)
    r = post_cost(hr, setting, "classroom", {"cost_per": "class", "amount": "99.000.000", "class_size": "2"})
    print("mode cost via set plan round:", r.status_code)
    # new submission after setting
    version_id = None
    with app.app_context():
        from app.models import Round
        version_id = db.session.get(Round, setting["round"]).version_id
    submitted_assessment(app, create_person(app, unit_code="PROV", name="Pegawai 9"), version_id=version_id)
    dump("SET + 4th person", hr, setting["round"])


def test_filters_on_plan(app, setting):
    hr = signed_in(app, setting["hr"])
    rid = setting["round"]
    for q in ["position=nonexistent", "from=2999-01-01", "position=admin-medsos"]:
        r = hr.get(f"/hr/plan/?round={rid}&{q}")
        t = re.search(r'data-total="needed">(.*?)</dd>', r.get_data(as_text=True), re.S)
        print("plan page", q, r.status_code, t.group(1).strip() if t else None)


def test_authz(app, setting):
    rid = setting["round"]
    hr = signed_in(app, setting["hr"])
    assert post_ceiling(hr, setting, "5.000.000").status_code == 302
    plan_id = plans(app)[-1][0]
    other_ap = create_person(app, ("approver",), unit_code="DINAS", name="Sub approver")
    lain_ap = create_person(app, ("approver",), unit_code="LAIN", name="Lain approver")
    dinas_hr = create_person(app, ("hr",), unit_code="DINAS", name="Dinas HR")
    resp = create_person(app, ("respondent",), unit_code="PROV", name="Resp")
    admin = create_person(app, ("admin",), unit_code="PROV", name="Adm")
    hrap = create_person(app, ("hr", "approver"), unit_code="PROV", name="HR and approver")
    for who, person in [("dinas approver", other_ap), ("lain approver", lain_ap)]:
        c = signed_in(app, person)
        print(who, c.get(f"/approver/plans/{plan_id}").status_code,
              c.post(f"/approver/plans/{plan_id}/set", data={}).status_code, c.get("/approver/").status_code)
    for who, person in [("hr", setting["hr"]), ("respondent", resp), ("admin", admin), ("dinas hr", dinas_hr)]:
        c = signed_in(app, person)
        print(who, "approver index", c.get("/approver/").status_code, "plan", c.get(f"/approver/plans/{plan_id}").status_code,
              "set", c.post(f"/approver/plans/{plan_id}/set").status_code)
    c = signed_in(app, dinas_hr)
    print("dinas hr on prov plan", c.get(f"/hr/plan/?round={rid}").status_code,
          c.get(f"/hr/plan/?round={rid}&unit=1").status_code)
    with app.app_context():
        from app.services.units import unit_by_code
        prov_id = unit_by_code("PROV").id
        lain_id = unit_by_code("LAIN").id
    print("dinas hr ?unit=PROV", c.get(f"/hr/plan/?unit={prov_id}").status_code,
          c.get(f"/hr/export/plan.xlsx?unit={prov_id}").status_code,
          c.get(f"/hr/report.pdf?unit={prov_id}&module=m-krisis-kelas").status_code)
    print("prov hr ?unit=LAIN", hr.get(f"/hr/plan/?unit={lain_id}").status_code)
    c = signed_in(app, resp)
    print("respondent /hr/plan", c.get("/hr/plan/").status_code, "/hr/realisations", c.get("/hr/realisations").status_code)
    c = signed_in(app, hrap)
    r = set_it(c, plan_id)
    print("hr+approver sets own-unit plan:", r.status_code)
    # HR gives approver role?
    page = hr.get("/hr/employees/new").get_data(as_text=True)
    print("hr new employee page has approver option:", 'value="approver"' in page)


def test_bad_input(app, setting):
    hr = signed_in(app, setting["hr"])
    rid = setting["round"]
    for v in ["0", "-5", "1e9", "150,000,000", "150.000.000,00", "9" * 30, "9" * 41, "１５０", "1.000", "01.000",
              "Rp", "\u00a0Rp\u00a0150.000", "1000000000000001", "1.0.0", "150.00.000", "٣"]:
        r = post_ceiling(hr, setting, v)
        print("ceiling", repr(v), r.status_code)
    for data in [{"cost_per": "class", "amount": "1.000.000.000.000.000", "class_size": "1"},
                 {"cost_per": "x", "amount": "5", "class_size": ""},
                 {"cost_per": "class", "amount": "5", "class_size": "99999999999999999999"},
                 {"cost_per": "participant", "amount": "5", "class_size": "-1"},
                 {"cost_per": "participant", "amount": "5", "class_size": "２"}]:
        r = post_cost(hr, setting, "classroom", data)
        print("cost", data, r.status_code)
    for mode in ["nope", "%00", "..", "a b"]:
        print("mode path", mode, post_form(hr, f"/hr/plan/modes/{mode}?round={rid}", {}, page=setting["plan_url"]).status_code)
    for mid in ["nope", "%00", "x" * 300, "m-krisis-kelas%0a"]:
        print("module path", mid, post_form(hr, f"/hr/plan/modules/{mid}?round={rid}", {f"m-{mid}-quarter": "1"},
                                            page=setting["plan_url"]).status_code)
    print("quarter 5", post_choice(hr, setting, "m-krisis-kelas", "5", "x").status_code)
    print("provider 201", post_choice(hr, setting, "m-krisis-kelas", "1", "x" * 201).status_code)
    for q in ["sep=tab", "sep=", "sep=%00", "sep=SEMICOLON", "sep=semicolon%20"]:
        print("csv", q, hr.get(f"/hr/export/plan.csv?round={rid}&{q}").status_code,
              "xlsx", hr.get(f"/hr/export/plan.xlsx?round={rid}&{q}").status_code)
    for m in ["nope", "%00", "x" * 65, "m-krisis-kelas%20", "%20m-krisis-kelas", "ü", "m-strategi-lanjut"]:
        print("pdf module", m, hr.get(f"/hr/report.pdf?round={rid}&module={m}").status_code)
    for q in ["from=2025-13-01", "to=x", "from=99999-01-01", "round=99999999999999999999", "round=-1",
              "unit=99999999999999999999", "version=99999999999999999999", "round=%C2%B2"]:
        print("filters", q, hr.get(f"/hr/plan/?{q}").status_code, hr.get(f"/hr/export/plan.csv?{q}").status_code,
              hr.get(f"/hr/report.pdf?{q}&module=x").status_code)
    ap = signed_in(app, setting["approver"])
    assert post_ceiling(hr, setting, "5.000.000").status_code == 302
    plan_id = plans(app)[-1][0]
    for on in ["0001-01-01", "9999-12-31", "2025-02-30", "x", "1969-01-01"]:
        print("set on", on, set_it(ap, plan_id, on=on).status_code)
    print("approver path id huge", ap.get("/approver/plans/99999999999999").status_code)


def test_csv_import(app, setting):
    hr = signed_in(app, setting["hr"])
    nip = setting["hr"].nip
    def up(data, name="r.csv"):
        return post_form(hr, "/hr/realisations/import", {"file": (io.BytesIO(data), name)},
                         page="/hr/realisations/import", content_type="multipart/form-data")
    cases = {
        "empty": b"",
        "bom only": b"\xef\xbb\xbf",
        "header only": b"nip,module,date\n",
        "wrong cols": b"a,b,c\n1,2,3\n",
        "nul": b"nip,module,date\n\x00,1,2\n",
        "latin1": "nip,module,date\nñ,1,2\n".encode("latin-1"),
        "formula": f"nip,module,date,jp,provider\n{nip},m-krisis-kelas,2025-01-01,8,=HYPERLINK(\"x\")\n".encode(),
        "sep semi bom": ("\ufeffnip;module;date\n" + f"{nip};m-krisis-kelas;01/02/2025\n").encode(),
        "date weird": f"nip,module,date\n{nip},m-krisis-kelas,٢٠٢٥-01-01\n{nip},m-krisis-kelas,2025-1-1 \n{nip},m-krisis-kelas,00/00/0000\n".encode(),
        "jp": f"nip,module,date,jp\n{nip},m-krisis-kelas,2024-01-01,٣\n{nip},m-krisis-kelas,2024-01-02,99999999999\n{nip},m-krisis-kelas,2024-01-03,-1\n".encode(),
        "dup header": b"nip,nip,module,date\n1,1,m,2025-01-01\n",
        "3MB": b"nip,module,date\n" + b"1,2,3\n" * 500000,
    }
    for label, data in cases.items():
        r = up(data)
        t = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.get_data(as_text=True)))
        i = t.find("problem")
        print("import", label, r.status_code, t[max(0, i - 60):i + 200] if i >= 0 else t[:120])


def test_formula_export(app, setting):
    hr = signed_in(app, setting["hr"])
    rid = setting["round"]
    for n, provider in enumerate(["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠1",
                                  "a;=1", "a,=1", " =1", '"=1', "a\n=1", "\u3000=1"]):
        post_choice(hr, setting, "m-krisis-kelas", "1", provider)
        csv_c = hr.get(f"/hr/export/plan.csv?round={rid}&sep=comma").get_data(as_text=True).splitlines()[1]
        csv_s = hr.get(f"/hr/export/plan.csv?round={rid}&sep=semicolon").get_data(as_text=True).splitlines()[1]
        x = xlsx(hr.get(f"/hr/export/plan.xlsx?round={rid}"))
        row = list(x.values())[0][1]
        print("provider", repr(provider), "| xlsx:", repr(row[6]), "| csv,:", csv_c.split(",")[6:7], "| csv;:", csv_s.split(";")[6:7])
