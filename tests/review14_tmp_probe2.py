from tests.pages import csrf_from
from tests.factories import create_person
from tests.web.test_unit_plans import setting, signed_in, post_ceiling, plans  # noqa
from app.services.clock import office_today


def test_set_with_token(app, setting):
    hr = signed_in(app, setting["hr"])
    assert post_ceiling(hr, setting, "5.000.000").status_code == 302
    plan_id = plans(app)[-1][0]
    data = {"place": "X", "on": office_today().isoformat(), "position": "P"}
    for who, person in [("hr", setting["hr"]), ("dinas approver", create_person(app, ("approver",), unit_code="DINAS", name="d")),
                        ("admin", create_person(app, ("admin",), unit_code="PROV", name="a"))]:
        c = signed_in(app, person)
        token = csrf_from(c.get("/").get_data(as_text=True) if who != "hr" else c.get(setting["plan_url"]).get_data(as_text=True))
        r = c.post(f"/approver/plans/{plan_id}/set", data={**data, "csrf_token": token})
        print(who, r.status_code)
    print(plans(app))
