"""F17: slow clients wait in nginx, not in gunicorn's threads.

gunicorn runs one gthread worker with two threads. 8 clients announce a 100 kB POST body and then
send a byte now and then, 8 more send only part of a request head; none ever finishes. With the
shipped nginx config (request buffering on) nginx holds them all and /healthz still answers.
The control turns `proxy_request_buffering off`: nginx then passes each slow body on as it
comes, both threads sit reading them, and /healthz gets no answer."""

from __future__ import annotations

import time

import pytest

from tests.deploy.support import SlowClients, established_to

SETTLE_SECONDS = 1.0  # a few dribbled bytes, for nginx to take in what the slow clients sent


@pytest.fixture
def threaded_app(launcher, site):
    return launcher.gunicorn(site.env(SWANILAI_CONFIG="testing", TRUSTED_PROXIES="1"),
                             workers=1, worker_class="gthread", threads=2)


def test_slow_clients_do_not_block_the_app_behind_the_shipped_config(launcher, threaded_app, tls_files):
    proxy = launcher.nginx(threaded_app.port, tls_files)
    with SlowClients(proxy.https_port).open(bodies=8, heads=8):
        time.sleep(SETTLE_SECONDS)
        assert established_to(threaded_app.port) == 0, "nginx passed unfinished requests on to gunicorn"
        started = time.monotonic()
        reply = proxy.client(timeout=10).get("/healthz")
        assert reply.status == 200, reply.text[:500]
        assert time.monotonic() - started < 10


def test_control_without_request_buffering_slow_clients_block_the_app(launcher, threaded_app, tls_files):
    proxy = launcher.nginx(threaded_app.port, tls_files, request_buffering=False)
    with SlowClients(proxy.https_port).open(bodies=8, heads=8):
        deadline = time.monotonic() + 15
        while established_to(threaded_app.port) < 8 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert established_to(threaded_app.port) >= 8, "nginx did not pass the slow bodies on"
        time.sleep(SETTLE_SECONDS)
        with pytest.raises(TimeoutError):
            reply = proxy.client(timeout=3).get("/healthz")
            pytest.fail(f"/healthz answered {reply.status} although both threads should be held by slow bodies")
    # The slow clients gone, nginx drops their upstream connections and the threads are free again.
    assert proxy.client(timeout=10).get("/healthz").status == 200
