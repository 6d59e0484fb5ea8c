"""F6: with several gunicorn workers the sign-in limit lives in Redis, so it counts across them;
production refuses to start with a per-worker store, and the development defaults refuse gunicorn.

The server is gunicorn -w 2 in the production configuration, without a proxy in front (the
client address is the TCP peer). Every attempt uses a fresh connection. So that both workers
really answer sign-ins, the first attempt is held open (all but the last byte of its body sent)
while the second is made: the worker reading the first cannot take the second."""

from __future__ import annotations

import re

import pytest

from tests.deploy.support import PRODUCTION_SECRET, TARGET_NIP, Launcher, settled_text

WRONG = "salah-Sandi-999"
LIMIT = 5


def production_env(site, **settings: str) -> dict[str, str]:
    return site.env(SWANILAI_CONFIG="production", SECRET_KEY=PRODUCTION_SECRET, BASE_URL="http://127.0.0.1",
                    **settings)


@pytest.fixture(scope="module")
def redis_backed_app(tmp_path_factory, site):
    servers = Launcher(tmp_path_factory.mktemp("deploy-redis"))
    try:
        redis = servers.redis()
        app = servers.gunicorn(production_env(site, REDIS_URL=redis.url), workers=2, access_log=True)
        yield app, redis
    finally:
        servers.stop_all()


def two_workers_then_rest(app, attempt, sources: list[str]) -> list[int]:
    """Statuses of one attempt per source address; the first two are in flight together."""
    held = attempt(app.client(sources[0]), held=True)
    second = attempt(app.client(sources[1]))
    statuses = [held.finish().status, second.status]
    statuses += [attempt(app.client(source)).status for source in sources[2:]]
    return statuses


def post_pids(app, expected: int = 0) -> set[int]:
    """The pids that answered sign-in POSTs, once the access log shows `expected` of them."""
    text = settled_text(lambda: "\n".join(app.access_lines()),
                        lambda text: text.count("POST /auth/login ") >= expected)
    pids = set()
    for line in text.splitlines():
        found = re.match(r"<(\d+)> POST /auth/login ", line)
        if found:
            pids.add(int(found.group(1)))
    return pids


def test_account_limit_counts_across_workers_and_addresses(redis_backed_app):
    app, redis = redis_backed_app

    def attempt(client, held=False):
        return client.begin_sign_in(TARGET_NIP, WRONG) if held else client.sign_in(TARGET_NIP, WRONG)

    sources = [f"127.0.0.{21 + i}" for i in range(LIMIT + 1)]  # a new address each time
    statuses = two_workers_then_rest(app, attempt, sources)
    assert statuses == [401] * LIMIT + [429], f"the 6th failure on one account must get 429: {statuses}"

    workers = app.worker_pids()
    assert len(workers) == 2 and post_pids(app, expected=LIMIT + 1) == workers, (
        f"both workers {sorted(workers)} should have answered sign-ins, the access log shows "
        f"{sorted(post_pids(app))}:\n" + "\n".join(app.access_lines()))
    assert int(redis.command("DBSIZE")[1:].strip()) > 0, "no counter is kept in Redis"


def test_control_per_worker_memory_store_misses_failures(launcher, site):
    """What production now refuses (testing config, memory:// with two workers): each worker
    counts only its own share of the failures, so six failures split over both never reach the
    limit anywhere. Proves the test above can fail."""
    app = launcher.gunicorn(site.env(SWANILAI_CONFIG="testing", RATELIMIT_STORAGE_URI="memory://"), workers=2)

    def attempt(client, held=False):
        return client.begin_sign_in(TARGET_NIP, WRONG) if held else client.sign_in(TARGET_NIP, WRONG)

    statuses = two_workers_then_rest(app, attempt, [f"127.0.0.{41 + i}" for i in range(LIMIT + 1)])
    assert statuses == [401] * (LIMIT + 1), f"per-worker counters should have missed the 6th failure: {statuses}"


def test_address_limit_counts_across_workers(redis_backed_app):
    app, _ = redis_backed_app
    numbers = iter(range(300, 400))

    def attempt(client, held=False):
        nip = f"19990101202001{next(numbers):04d}"  # a made-up account each time
        return client.begin_sign_in(nip, WRONG) if held else client.sign_in(nip, WRONG)

    statuses = two_workers_then_rest(app, attempt, ["127.0.0.31"] * (LIMIT + 1))
    assert statuses == [401] * LIMIT + [429], f"the 6th failure from one address must get 429: {statuses}"


def test_production_serves_only_the_host_of_base_url(redis_backed_app):
    app, _ = redis_backed_app
    assert app.client().get("/healthz").status == 200
    assert app.client().get("/healthz", headers={"Host": "evil.example"}).status == 400


def test_production_with_per_worker_memory_store_refuses_to_boot(launcher, site):
    refused = launcher.gunicorn_refusal(production_env(site), workers=2)
    stderr = refused.stderr_text()
    assert refused.popen.returncode != 0
    assert "Refusing to start in production:" in stderr, stderr[-3000:]
    assert "REDIS_URL" in stderr, stderr[-3000:]


def test_development_defaults_refuse_gunicorn(launcher, site):
    refused = launcher.gunicorn_refusal(site.env(), workers=1)  # SWANILAI_CONFIG unset
    stderr = refused.stderr_text()
    assert refused.popen.returncode != 0
    assert "SWANILAI_CONFIG=production" in stderr, stderr[-3000:]
