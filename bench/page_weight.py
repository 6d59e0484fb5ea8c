"""What each respondent page weighs as served: HTML + the CSS, JS and fonts it references.

Run: ``.venv/bin/python bench/page_weight.py`` (or ``make bench``). The app runs in the testing
configuration on a temporary SQLite database seeded like ``flask seed-demo --respondents N``
(a province, three rounds, one of them open). The demo respondent, signed in, visits through the
test client: My assessments (with the open round), the start page, each domain page, the review
and the result of a submitted assessment. Every response and every ``/static/`` file a page
references (``<link href>``, ``<script src>``, ``url(...)`` in the stylesheet) is measured raw and
gzipped at level 6 (``gzip_comp_level 6``, what a production nginx with ``gzip on`` is usually
set to); the requests are counted on the first visit and after it, when only the resources that
may be cached are not asked for again.

Printed, not asserted. Target per page, after the first visit: at most 60 KB gzipped and 4
requests. Two notes the table states: ``deploy/nginx.conf`` sets no ``gzip`` directive (what is
compressed then depends on the distribution's ``http { }`` block: Debian's turns ``gzip on`` for
``text/html`` only, at level 1; upstream nginx compresses nothing), and the app sends its own
``Cache-Control`` for ``/static/`` (printed), which applies where nginx does not serve ``/static/``
itself (``make run``, gunicorn alone); behind ``deploy/nginx.conf`` static files are ``public,
max-age=3600``.
"""
from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import banner, make_app, run_main, temp_instance, time_budget, verdict  # noqa: E402

TARGET_KB = 60
TARGET_REQUESTS = 4
LEVEL = 6
NGINX_STATIC_CACHE = "public, max-age=3600"  # deploy/nginx.conf, location /static/

REFERENCE = re.compile(r"""<(?:link[^>]*?href|script[^>]*?src)=["'](/static/[^"'?#]+)""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=LEVEL, mtime=0))


def cacheable(cache_control: str) -> bool:
    """Whether a browser may reuse the response on the next page without asking again."""
    value = cache_control.lower()
    if not value or "no-store" in value or "no-cache" in value:
        return False
    match = re.search(r"max-age=(\d+)", value)
    return bool(match and int(match.group(1)) > 0)


def seed(app, people: int, seed_value: int) -> tuple[str, str]:
    """The demo province with ``people`` synthetic people; the demo respondent's NIP and a
    password set for this run."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from app.services.passwords import hash_password

    result = app.test_cli_runner().invoke(args=["seed-demo", "--respondents", str(people), "--seed", str(seed_value)])
    if result.exit_code != 0:
        raise RuntimeError(f"seed-demo failed: {result.output}\n{result.exception!r}")
    password = "bench-Password-123"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.nip == "199006102015032904"))
        user.password_hash = hash_password(password)
        db.session.commit()
        return user.nip, password


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


class Visitor:
    """The test client, with every static file measured once."""

    def __init__(self, client):
        self.client = client
        self.static: dict[str, dict] = {}

    def resource(self, path: str) -> dict:
        if path not in self.static:
            response = self.client.get(path)
            body = response.get_data()
            self.static[path] = {"raw": len(body), "gz": gz(body), "status": response.status_code,
                                 "type": response.mimetype,
                                 "cache_control": response.headers.get("Cache-Control", "")}
            if response.mimetype == "text/css":  # fonts and images the stylesheet asks for
                self.static[path]["refs"] = [u for u in CSS_URL.findall(body.decode("utf-8", "replace"))
                                             if u.startswith("/static/")]
        return self.static[path]

    def page(self, name: str, path: str) -> dict:
        response = self.client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{name}: GET {path} answered {response.status_code}")
        html = response.get_data()
        refs: list[str] = []
        for ref in REFERENCE.findall(html.decode("utf-8", "replace")):
            if ref not in refs:
                refs.append(ref)
        for ref in list(refs):
            for nested in self.resource(ref).get("refs", []):
                if nested not in refs:
                    refs.append(nested)
        return {"name": name, "path": path, "html_raw": len(html), "html_gz": gz(html),
                "html_cache": response.headers.get("Cache-Control", ""), "refs": refs,
                "text": html.decode("utf-8", "replace")}


def visit(app, nip: str, password: str) -> tuple[list[dict], Visitor]:
    from sqlalchemy import select

    from app.commands.demo_people import random_answers
    from app.extensions import db
    from app.models import Assessment
    from app.services import assessments as service

    client = app.test_client()
    visitor = Visitor(client)
    login = client.get("/auth/login").get_data(as_text=True)
    signed = client.post("/auth/login", data={"login": nip, "password": password, "csrf_token": csrf_from(login)})
    if signed.status_code != 302:
        raise RuntimeError(f"sign-in answered {signed.status_code}")
    pages = [visitor.page("My assessments", "/saya/")]
    start = re.search(r'href="(/saya/(?:mulai/\d+|putaran/\d+))"', pages[0]["text"])
    if not start:
        raise RuntimeError("My assessments offers no start link")
    entry = client.get(start.group(1))
    start_path = entry.headers["Location"] if entry.status_code == 302 else start.group(1)
    pages.append(visitor.page("Start", start_path))
    position = re.search(r'<option value="([^"]+)"', pages[-1]["text"].split('name="position"', 1)[-1])
    begun = client.post(start_path, data={"position": position.group(1) if position else "", "consent": "y",
                                          "csrf_token": csrf_from(pages[-1]["text"])})
    if begun.status_code != 302 or "/penilaian/" not in begun.headers.get("Location", ""):
        raise RuntimeError(f"starting answered {begun.status_code}")
    aid = int(begun.headers["Location"].split("/penilaian/")[1].split("/")[0])
    with app.app_context():
        assessment = db.session.get(Assessment, aid)
        model = service.model_of(assessment)
        domains = [(d.id, d.name.get("id") or d.id) for d in model.domains]
        answers = random_answers(model, random.Random(7), 0.6)
    for n, (domain_id, _name) in enumerate(domains, 1):
        pages.append(visitor.page(f"Domain {n}", f"/saya/penilaian/{aid}/domain/{domain_id}"))
        with app.app_context():  # the answers of the page, saved as the page would save them
            assessment = db.session.get(Assessment, aid)
            current = service.model_of(assessment).domain(domain_id).for_position(assessment.position_id)
            service.save_answers(assessment, {i.id: answers[i.id] for i in current.items if i.id in answers},
                                 domain_id=domain_id)
            db.session.commit()
    pages.append(visitor.page("Review", f"/saya/penilaian/{aid}/kirim"))
    sent = client.post(f"/saya/penilaian/{aid}/kirim", data={"csrf_token": csrf_from(pages[-1]["text"])})
    if sent.status_code != 302:
        raise RuntimeError(f"submit answered {sent.status_code}")
    pages.append(visitor.page("Result", sent.headers["Location"].replace("http://localhost", "")))
    with app.app_context():
        if db.session.scalar(select(Assessment.status).where(Assessment.id == aid)) != service.SUBMITTED:
            raise RuntimeError("the assessment was not submitted")
    return pages, visitor


def figures(page: dict, visitor: Visitor, static_cacheable) -> dict:
    resources = [visitor.static[ref] for ref in page["refs"]]
    first_kb = (page["html_gz"] + sum(r["gz"] for r in resources)) / 1000
    raw_kb = (page["html_raw"] + sum(r["raw"] for r in resources)) / 1000
    again = [r for r in resources if not static_cacheable(r)]
    after_kb = (page["html_gz"] + sum(r["gz"] for r in again)) / 1000
    html_again = 0 if cacheable(page["html_cache"]) else 1  # a page is asked for again unless cached
    return {"first_kb": first_kb, "raw_kb": raw_kb, "first_req": 1 + len(resources),
            "after_kb": after_kb, "after_req": html_again + len(again)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300, help="synthetic people of the demo province")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    with time_budget(85), temp_instance() as folder:
        app = make_app(folder, "testing")
        nip, password = seed(app, args.people, args.seed)
        pages, visitor = visit(app, nip, password)

    banner("Page weight of the respondent pages (HTML + CSS + JS + fonts, gzip -6)")
    print(f"demo province with {args.people} synthetic people; testing configuration; the demo respondent")
    print("static files referenced:")
    for path, r in visitor.static.items():
        print(f"  {path:<28} {r['type']:<24} {r['raw'] / 1000:6.1f} KB raw {r['gz'] / 1000:6.1f} KB gz   "
              f"Cache-Control from the app: {r['cache_control'] or '(none)'}")
    fonts = [p for p in visitor.static if p.endswith((".woff", ".woff2", ".ttf", ".otf"))]
    print(f"  web fonts referenced: {len(fonts)} (the stylesheet uses the system font stack)")
    print(f"HTML Cache-Control: {pages[0]['html_cache'] or '(none)'} (asked for again on every visit)")
    print("deploy/nginx.conf: no gzip directive; /static/ served by nginx with "
          f"Cache-Control: {NGINX_STATIC_CACHE}")

    for label, rule in (("static cached as behind deploy/nginx.conf (max-age=3600)", lambda r: True),
                        ("static cached only as the app's own Cache-Control allows (gunicorn alone)",
                         lambda r: cacheable(r["cache_control"]))):
        banner(f"After the first visit: {label}")
        print(f"{'page':<16} {'HTML gz':>8} {'first KB':>9} {'raw KB':>7} {'first req':>9} "
              f"{'after KB':>9} {'after req':>9}   target ≤ {TARGET_KB} KB, ≤ {TARGET_REQUESTS} req")
        misses = 0
        for page in pages:
            f = figures(page, visitor, rule)
            ok = f["after_kb"] <= TARGET_KB and f["after_req"] <= TARGET_REQUESTS
            misses += not ok
            print(f"{page['name']:<16} {page['html_gz'] / 1000:8.1f} {f['first_kb']:9.1f} {f['raw_kb']:7.1f} "
                  f"{f['first_req']:9d} {f['after_kb']:9.1f} {f['after_req']:9d}   {verdict(ok)}")
        print(f"{len(pages) - misses} of {len(pages)} pages within the target")
    return 0


if __name__ == "__main__":
    run_main(main)
