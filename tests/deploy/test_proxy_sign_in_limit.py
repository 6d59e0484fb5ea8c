"""F2: behind nginx the sign-in limit counts the real client address, not the proxy's.

Browsers reach nginx (the shipped deploy/nginx.conf) from different loopback addresses; nginx
forwards to gunicorn from 127.0.0.1. With TRUSTED_PROXIES=1 the app counts the address nginx
appended to X-Forwarded-For; with 0 (the control) every visitor looks like 127.0.0.1, so one
attacker locks everybody out."""

from __future__ import annotations

from tests.deploy.support import VICTIM_NIP
from tests.factories import PASSWORD
from tests.deploy.support import settled_text

WRONG = "salah-Sandi-999"
LIMIT = 5  # LOGIN_FAILURE_LIMIT's default, "5 per minute"


def made_up_nip(n: int) -> str:
    return f"19990101202001{n:04d}"


def guesses(client, first: int, count: int, headers_for=lambda i: None) -> list[int]:
    return [client.sign_in(made_up_nip(first + i), WRONG, headers_for(i)).status for i in range(count)]


def test_attacker_behind_nginx_is_limited_and_victim_still_signs_in(proxied_app):
    attacker = proxied_app.proxy.client("127.0.0.2")
    assert guesses(attacker, 0, LIMIT + 1) == [401] * LIMIT + [429], "the 6th failed sign-in must get 429"

    victim = proxied_app.proxy.client("127.0.0.3")
    reply = victim.sign_in(VICTIM_NIP, PASSWORD)
    assert reply.status == 302, f"the victim at another address is refused: HTTP {reply.status}"

    log = settled_text(proxied_app.proxy.access_log.read_text, lambda text: "127.0.0.3 " in text)
    assert "127.0.0.2 " in log and "127.0.0.3 " in log, "nginx did not see the clients' own addresses"


def test_forged_forwarded_for_does_not_escape_the_limit(proxied_app):
    """nginx appends the address it saw to whatever X-Forwarded-For the client sends; the app
    trusts one hop, so it reads that last entry and the forged ones change nothing."""
    forger = proxied_app.proxy.client("127.0.0.4")
    statuses = guesses(forger, 100, LIMIT + 1, lambda i: {"X-Forwarded-For": f"10.{i}.{i}.{i + 1}"})
    assert statuses == [401] * LIMIT + [429], f"rotating X-Forwarded-For reset the limit: {statuses}"


def test_control_without_trusted_proxy_one_attacker_locks_out_everybody(launcher, site, tls_files):
    """The finding reproduced: TRUSTED_PROXIES=0 behind a proxy. Proves the test above can fail."""
    app = launcher.gunicorn(site.env(SWANILAI_CONFIG="testing", TRUSTED_PROXIES="0"))
    proxy = launcher.nginx(app.port, tls_files)
    assert guesses(proxy.client("127.0.0.2"), 200, LIMIT) == [401] * LIMIT

    reply = proxy.client("127.0.0.3").sign_in(VICTIM_NIP, PASSWORD)
    assert reply.status == 429, f"expected the victim to be locked out without ProxyFix, got HTTP {reply.status}"
