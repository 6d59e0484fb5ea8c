"""The shipped deploy/nginx.conf itself: static files from disk with caching, an access log
without query strings or invitation tokens, plain HTTP redirected, bodies above 2 MiB refused."""

from __future__ import annotations

import socket

from tests.deploy.support import insecure_tls, settled_text, status_line

SECRET_QUERY = "rahasia-query-7d41"
SECRET_TOKEN = "undangan-token-93ac51"


def test_static_files_come_from_disk_with_caching(proxied_app):
    reply = proxied_app.proxy.client().get("/static/swanilai.css")
    assert reply.status == 200 and "text/css" in reply.headers["content-type"]
    assert reply.headers.get("cache-control") == "public, max-age=3600"
    assert reply.headers.get("x-content-type-options") == "nosniff"
    assert not [line for line in proxied_app.app.access_lines() if "/static/" in line], \
        "gunicorn served a static file"


def test_access_log_has_no_query_string_and_no_invitation_token(proxied_app):
    client = proxied_app.proxy.client()
    assert client.get(f"/auth/login?next=/saya/{SECRET_QUERY}").status == 200
    client.get(f"/auth/invitation/{SECRET_TOKEN}?x={SECRET_QUERY}")
    log = settled_text(proxied_app.proxy.access_log.read_text, lambda text: "/auth/invitation/-" in text)
    assert '"GET /auth/login HTTP/1.1" 200' in log, log[-2000:]
    assert '"GET /auth/invitation/- HTTP/1.1"' in log, log[-2000:]
    assert SECRET_QUERY not in log and SECRET_TOKEN not in log, log[-2000:]


def test_plain_http_is_redirected_to_https(proxied_app):
    client = proxied_app.proxy.client()
    client.port, client.tls = proxied_app.proxy.http_port, False
    reply = client.get("/saya/?tab=1")
    assert reply.status == 301 and reply.headers["location"] == "https://127.0.0.1/saya/?tab=1"


def test_body_above_max_content_length_is_refused_by_nginx(proxied_app):
    """client_max_body_size 2m = MAX_CONTENT_LENGTH: nginx answers 413 from the head alone."""
    with socket.create_connection(("127.0.0.1", proxied_app.proxy.https_port), timeout=10) as raw:
        with insecure_tls().wrap_socket(raw, server_hostname="127.0.0.1") as sock:
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: %d\r\n\r\n" % (2 * 1024 * 1024 + 1))
            assert status_line(sock).split()[1] == "413"
