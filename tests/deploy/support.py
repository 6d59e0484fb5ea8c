"""Helpers for the deployment tests: Debian's nginx and redis-server and the venv's gunicorn on
loopback, each in a process group of its own with its data and logs in a temporary folder, and a
hand-made HTTP client that can speak from any 127.x.y.z address.

Every server is started through a `Launcher`, which stops (and if need be SIGKILLs) all of them
when the test ends, whatever its outcome. Every wait is bounded."""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Mapping
from urllib.parse import urlencode

import pytest

import config as config_module
from tests.pages import CSRF_RE

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_NGINX = ROOT / "deploy" / "nginx.conf"
INSTALL_HINT = "`make services` installs Debian's nginx and redis-server (`make test` runs it)"
READY_SECONDS = 30.0
VICTIM_NIP = "198501012010011501"
TARGET_NIP = "198501012010011502"
# What production checks accept: secrets.token_urlsafe(48) style, fixed so a failure is repeatable.
PRODUCTION_SECRET = "kq3V9xR2mT7bZ1cW8nL5yH0pJ4sD6fG-aE_uB2iO9rX7tC3vN5mQ8wK1zY4hP6jS"


# -- binaries and ports ----------------------------------------------------------------------------

def require_binary(name: str) -> str:
    """The path of a system program; a failure (never a skip) naming the make target when missing."""
    found = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if os.access(p, os.X_OK)), None)
    if not found:
        pytest.fail(f"{name} is not installed: {INSTALL_HINT}", pytrace=False)
    return found


def gunicorn_binary() -> str:
    for candidate in (Path(sys.executable).parent / "gunicorn", ROOT / ".venv" / "bin" / "gunicorn"):
        if os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.fail("gunicorn is not in the virtualenv: run `make test` (it installs requirements-dev.txt)",
                pytrace=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL it if the test process dies without cleaning up."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# -- processes -------------------------------------------------------------------------------------

class Process:
    """A server process in its own session (so its workers can be killed with it)."""

    def __init__(self, name: str, args: list[str], log: Path, env: Mapping[str, str] | None = None,
                 cwd: Path = ROOT):
        self.name, self.args, self.log_path = name, args, log
        self.stdout_path = log.with_suffix(".out")
        self._log, self._out = open(log, "ab"), open(self.stdout_path, "ab")
        self.popen = subprocess.Popen(args, cwd=cwd, env=dict(env) if env is not None else None,
                                      stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._log,
                                      start_new_session=True, preexec_fn=_die_with_parent)

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def stderr_text(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")
        return ""

    def log_text(self) -> str:
        """stderr, then stdout (redis-server logs to stdout)."""
        with contextlib.suppress(OSError):
            return self.stderr_text() + self.stdout_path.read_text(errors="replace")
        return self.stderr_text()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(empty log)"

    def wait_exit(self, seconds: float) -> int | None:
        try:
            return self.popen.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM the group, SIGKILL what is left after `grace` seconds, reap."""
        group = self.popen.pid
        if self.running:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGTERM)
            self.wait_exit(grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)  # workers that outlived their master too
        self.wait_exit(5)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.05)
        self._log.close()
        self._out.close()


def wait_until(what: str, check, process: Process, seconds: float = READY_SECONDS):
    """Poll `check()` until it returns something truthy; fail with the process log if the process
    exits first or the time runs out."""
    deadline = time.monotonic() + seconds
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        if not process.running:
            raise AssertionError(f"{process.name} exited with {process.popen.returncode} before {what}:\n"
                                 f"{process.log_tail()}")
        try:
            result = check()
            if result:
                return result
        except (OSError, http.client.HTTPException, ssl.SSLError) as error:
            last_error = error
        time.sleep(0.1)
    raise AssertionError(f"{process.name}: no {what} within {seconds:.0f} s (last error: {last_error!r}):\n"
                         f"{process.log_tail()}")


def settled_text(read, until, seconds: float = 5.0) -> str:
    """A log's text once `until(text)` holds, or as it is after `seconds`: servers write the
    access-log line of a request after its answer has gone out, so a client can be faster."""
    deadline = time.monotonic() + seconds
    text = read()
    while not until(text) and time.monotonic() < deadline:
        time.sleep(0.05)
        text = read()
    return text


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any app setting (so nothing leaks in from the shell or
    from another test), plus `settings`."""
    names = set(config_module.settings_of(config_module.Config)) | set(config_module.ENV_ALIASES)
    env = {k: v for k, v in os.environ.items()
           if k not in names and not k.startswith(("SWANILAI_", "FLASK_", "TEST_DATABASE"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(settings)
    return env


# -- HTTP ------------------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Client:
    """A browser without JavaScript, by hand: one fresh connection per request from `source`
    (any 127.x.y.z: Linux routes all of 127.0.0.0/8 to the loopback device), cookies sent back
    whatever their Secure flag, redirects not followed."""

    port: int
    source: str = "127.0.0.1"
    tls: bool = False
    timeout: float = 20.0
    host: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def connection(self, timeout: float | None = None) -> http.client.HTTPConnection:
        timeout = self.timeout if timeout is None else timeout
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                               source_address=(self.source, 0), context=insecure_tls())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout, source_address=(self.source, 0))

    @property
    def origin(self) -> str:
        """The site's origin as the app sees it. Behind nginx that is `$host`, which has no port:
        what a browser sends when the site is on 443 (Flask-WTF compares the Referer of an HTTPS
        form post with it)."""
        return "https://127.0.0.1" if self.tls else f"http://127.0.0.1:{self.port}"

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        sent = {"Accept": "text/html", "Connection": "close", "Referer": f"{self.origin}/auth/login",
                **(extra or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return sent

    def _read(self, raw: http.client.HTTPResponse) -> Reply:
        for key, value in raw.getheaders():
            if key.lower() == "set-cookie":
                jar = SimpleCookie()
                jar.load(value)
                for name, morsel in jar.items():
                    if morsel.value == "" or morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return Reply(raw.status, {k.lower(): v for k, v in raw.getheaders()},
                     raw.read().decode("utf-8", errors="replace"))

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, timeout: float | None = None) -> Reply:
        connection = self.connection(timeout)
        try:
            connection.request(method, path, body=body, headers=self._headers(headers))
            return self._read(connection.getresponse())
        finally:
            connection.close()

    def get(self, path: str, headers: Mapping[str, str] | None = None, timeout: float | None = None) -> Reply:
        return self.request("GET", path, headers=headers, timeout=timeout)

    def sign_in_form(self, login: str, password: str, headers: Mapping[str, str] | None = None) -> bytes:
        """GET the sign-in page (for the session cookie and its CSRF token) and the form to POST."""
        page = self.get("/auth/login", headers=headers)
        assert page.status == 200, f"GET /auth/login from {self.source}: HTTP {page.status}\n{page.text[:500]}"
        match = CSRF_RE.search(page.text)
        assert match, "the sign-in page has no CSRF token"
        return urlencode({"login": login, "password": password, "next": "",
                          "csrf_token": match.group(1) or match.group(2)}).encode()

    def sign_in(self, login: str, password: str, headers: Mapping[str, str] | None = None) -> Reply:
        """One sign-in attempt as a browser makes it; the reply's status is the verdict (302, 401, 429)."""
        body = self.sign_in_form(login, password, headers)
        return self.request("POST", "/auth/login", body,
                            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def begin_sign_in(self, login: str, password: str) -> "HeldRequest":
        """A sign-in POST sent but for its last byte: the server process that took it is busy
        until `finish()`, so the next request must be answered by another one."""
        body = self.sign_in_form(login, password)
        connection = self.connection()
        connection.putrequest("POST", "/auth/login", skip_accept_encoding=True)
        for key, value in self._headers({"Content-Type": "application/x-www-form-urlencoded",
                                         "Content-Length": str(len(body))}).items():
            connection.putheader(key, value)
        connection.endheaders()
        connection.send(body[:-1])
        return HeldRequest(self, connection, body[-1:])


@dataclass
class HeldRequest:
    client: Client
    connection: http.client.HTTPConnection
    rest: bytes

    def finish(self) -> Reply:
        try:
            self.connection.send(self.rest)
            return self.client._read(self.connection.getresponse())
        finally:
            self.connection.close()


_TLS: ssl.SSLContext | None = None


def insecure_tls() -> ssl.SSLContext:
    """The test certificate is self-signed; what is tested is the proxy, not the certificate."""
    global _TLS
    if _TLS is None:
        _TLS = ssl.create_default_context()
        _TLS.check_hostname = False
        _TLS.verify_mode = ssl.CERT_NONE
    return _TLS


def status_line(sock: socket.socket) -> str:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1")


# -- servers ---------------------------------------------------------------------------------------

@dataclass
class Gunicorn:
    process: Process
    port: int
    access_log: Path | None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, source: str = "127.0.0.1") -> Client:
        return Client(self.port, source)

    def access_lines(self) -> list[str]:
        if self.access_log is None or not self.access_log.exists():
            return []
        return self.access_log.read_text(errors="replace").splitlines()

    def worker_pids(self) -> set[int]:
        return {int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", self.process.log_text())}


@dataclass
class Nginx:
    process: Process
    https_port: int
    http_port: int
    access_log: Path
    config: Path

    def client(self, source: str = "127.0.0.1", timeout: float = 20.0) -> Client:
        return Client(self.https_port, source, tls=True, timeout=timeout)


@dataclass
class Redis:
    process: Process
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self, *words: str) -> bytes:
        """One command in RESP, the raw reply (enough for PING and DBSIZE)."""
        payload = f"*{len(words)}\r\n".encode() + b"".join(
            f"${len(w.encode())}\r\n{w}\r\n".encode() for w in words)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(payload)
            return sock.recv(4096)


def render_nginx(template: str, *, upstream_port: int, https_port: int, http_port: int, cert: Path,
                 key: Path, access_log: Path, request_buffering: bool = True) -> str:
    """The shipped server blocks with their placeholders replaced. Each placeholder must be found,
    so a changed deploy/nginx.conf fails here instead of being tested half."""
    replacements = [
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("/etc/ssl/swanilai/fullchain.pem", str(cert)),
        ("/etc/ssl/swanilai/privkey.pem", str(key)),
        ("/srv/swanilai/static/", f"{ROOT / 'static'}/"),
        ("/var/log/nginx/swanilai.access.log", str(access_log)),
    ]
    if not request_buffering:  # the control: what the shipped file prevents
        replacements.append(("proxy_request_buffering on;", "proxy_request_buffering off;"))
    for placeholder, value in replacements:
        assert placeholder in template, f"deploy/nginx.conf no longer contains {placeholder!r}"
        template = template.replace(placeholder, value)
    return template


def nginx_main_config(folder: Path, server_blocks: str) -> str:
    """A minimal top-level nginx.conf around the shipped file, everything in `folder`."""
    mime = Path("/etc/nginx/mime.types")
    types = f"include {mime};" if mime.exists() else "types { text/css css; application/javascript js; }"
    user = "user root;" if os.geteuid() == 0 else ""  # workers would run as nobody, shut out of /tmp/pytest-of-root
    return f"""daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log notice;
{user}
events {{ worker_connections 512; }}
http {{
    {types}
    default_type application/octet-stream;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    access_log off;
{server_blocks}
}}
"""


class Launcher:
    """Starts the servers of one test in `folder` and stops every one of them at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[Process] = []
        self._count = 0

    def _dir(self, name: str) -> Path:
        self._count += 1
        path = self.folder / f"{self._count:02d}-{name}"
        path.mkdir(parents=True)
        return path

    def _spawn(self, name: str, args: list[str], log: Path, env: Mapping[str, str] | None = None) -> Process:
        process = Process(name, args, log, env)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            with contextlib.suppress(Exception):
                process.stop()
        self.processes.clear()

    # gunicorn

    def gunicorn_args(self, folder: Path, *, workers: int, worker_class: str, threads: int,
                      access_log: Path | None) -> list[str]:
        args = [gunicorn_binary(), "-w", str(workers), "-k", worker_class, "--threads", str(threads),
                "-b", "127.0.0.1:0", "--chdir", str(ROOT), "--timeout", "30", "--graceful-timeout", "3",
                "--log-level", "info", "--error-logfile", "-", "--worker-tmp-dir", str(folder)]
        if access_log is not None:
            args += ["--access-logfile", str(access_log), "--access-logformat", "%(p)s %(r)s %(s)s"]
        return args + ["app:create_app()"]

    def gunicorn(self, env: Mapping[str, str], *, workers: int = 1, worker_class: str = "sync",
                 threads: int = 1, access_log: bool = False) -> Gunicorn:
        """gunicorn on 127.0.0.1 (port chosen by the kernel), answering /healthz."""
        folder = self._dir("gunicorn")
        log = folder / "access.log" if access_log else None
        process = self._spawn("gunicorn", self.gunicorn_args(folder, workers=workers, worker_class=worker_class,
                                                            threads=threads, access_log=log),
                              folder / "gunicorn.log", env)

        def listening() -> int | None:
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", process.log_text())
            return int(found.group(1)) if found else None

        port = wait_until("'Listening at' line", listening, process)
        server = Gunicorn(process, port, log)
        wait_until("200 from /healthz", lambda: Client(port, timeout=5).get("/healthz").status == 200, process)
        wait_until(f"{workers} booted workers", lambda: len(server.worker_pids()) >= workers, process)
        return server

    def gunicorn_refusal(self, env: Mapping[str, str], *, workers: int = 2, seconds: float = 45.0) -> Process:
        """gunicorn expected not to boot: the exited process (its log holds stdout and stderr)."""
        folder = self._dir("gunicorn-refused")
        process = self._spawn("gunicorn", self.gunicorn_args(folder, workers=workers, worker_class="sync",
                                                            threads=1, access_log=None),
                              folder / "gunicorn.log", env)
        if process.wait_exit(seconds) is None:
            process.stop()
            raise AssertionError(f"gunicorn was still running after {seconds:.0f} s, it should have refused "
                                 f"to boot:\n{process.log_tail()}")
        return process

    # nginx

    def nginx(self, upstream_port: int, tls: tuple[Path, Path], *, request_buffering: bool = True) -> Nginx:
        """The shipped deploy/nginx.conf in front of 127.0.0.1:`upstream_port`."""
        binary = require_binary("nginx")
        template = SHIPPED_NGINX.read_text()
        for attempt in range(3):  # a free port may be taken by someone else before nginx binds it
            folder = self._dir("nginx")
            https_port, http_port = free_port(), free_port()
            access_log = folder / "access.log"
            blocks = render_nginx(template, upstream_port=upstream_port, https_port=https_port,
                                  http_port=http_port, cert=tls[0], key=tls[1], access_log=access_log,
                                  request_buffering=request_buffering)
            conf = folder / "nginx.conf"
            conf.write_text(nginx_main_config(folder, blocks))
            tested = subprocess.run([binary, "-t", "-q", "-c", str(conf), "-p", f"{folder}/", "-e",
                                     str(folder / "error.log")], capture_output=True, text=True, timeout=30)
            assert tested.returncode == 0, f"nginx -t rejects the rendered deploy/nginx.conf:\n{tested.stderr}"
            process = self._spawn("nginx", [binary, "-c", str(conf), "-p", f"{folder}/", "-e",
                                            str(folder / "error.log")], folder / "nginx.log")
            server = Nginx(process, https_port, http_port, access_log, conf)
            try:
                wait_until("200 from /healthz through nginx",
                           lambda: server.client(timeout=5).get("/healthz").status == 200,  # noqa: B023 - called now
                           process)
            except AssertionError:
                errors = (folder / "error.log").read_text(errors="replace") if (folder / "error.log").exists() else ""
                if "Address already in use" in errors + process.log_text() and attempt < 2:
                    process.stop()
                    continue
                raise AssertionError(f"nginx did not come up:\n{errors[-3000:]}\n{process.log_tail()}") from None
            return server
        raise AssertionError("unreachable")

    # redis

    def redis(self) -> Redis:
        binary = require_binary("redis-server")
        for attempt in range(3):
            folder = self._dir("redis")
            port = free_port()
            process = self._spawn("redis-server", [binary, "--port", str(port), "--bind", "127.0.0.1",
                                                   "--save", "", "--appendonly", "no", "--dir", str(folder),
                                                   "--protected-mode", "yes", "--daemonize", "no"],
                                  folder / "redis.log")
            server = Redis(process, port)
            try:
                wait_until("PONG", lambda: server.command("PING").startswith(b"+PONG"), process)  # noqa: B023 - called now
            except AssertionError:
                if "Address already in use" in process.log_text() and attempt < 2:
                    process.stop()
                    continue
                raise
            return server
        raise AssertionError("unreachable")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    openssl = require_binary("openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, f"openssl could not make the test certificate:\n{made.stderr}"
    return cert, key


# -- slow clients ----------------------------------------------------------------------------------

def established_to(port: int) -> int:
    """How many TCP connections to 127.0.0.1:`port` are established (server side, from
    /proc/net/tcp), accepted by the server process or still in its backlog."""
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for row in table:
            fields = row.split()
            local, state = fields[1], fields[3]
            if state == "01" and int(local.split(":")[1], 16) == port:
                count += 1
    return count


class SlowClients:
    """Connections that never finish their request: some send a POST head announcing a large
    body and then a byte now and then, others only part of a request head."""

    def __init__(self, port: int, tls: bool = True):
        self.port, self.tls = port, tls
        self.dribbling: list[socket.socket] = []
        self.stalled: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        if self.tls:
            sock = insecure_tls().wrap_socket(sock, server_hostname="127.0.0.1")
        return sock

    def open(self, bodies: int = 8, heads: int = 8) -> "SlowClients":
        for _ in range(bodies):
            sock = self._open()
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
                         b"login=1985")
            self.dribbling.append(sock)
        for _ in range(heads):
            sock = self._open()
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")
            self.stalled.append(sock)
        self._thread = threading.Thread(target=self._dribble, daemon=True)
        self._thread.start()
        return self

    def _dribble(self) -> None:
        while not self._stop.wait(0.5):
            for sock in self.dribbling:
                with contextlib.suppress(OSError):
                    sock.sendall(b"0")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for sock in self.dribbling + self.stalled:
            with contextlib.suppress(OSError):
                sock.close()

    def __enter__(self) -> "SlowClients":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
