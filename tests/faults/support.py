"""Helpers for the fault tests: an HTTP client with its own cookie jar, servers on 127.0.0.1 (the
app under gunicorn in its own process group, or werkzeug in a thread), a TCP proxy that can cut
the database away, Chromium in a thread of its own, and respondents with complete answers."""

from __future__ import annotations

import contextlib
import http.client
import json as jsonlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Mapping
from urllib.parse import urlencode, urlsplit

from werkzeug.serving import make_server

from tests.factories import PASSWORD, ROOT, create_person
from tests.pages import csrf_from

SERVER_SECRET = "fault-tests-secret-key-" + "x" * 24
LEAKS = ("Traceback", "OperationalError", "sqlalchemy", "sqlite3", "psycopg", "database is locked",
         'File "/')


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- HTTP ------------------------------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def json(self) -> Any:
        return jsonlib.loads(self.text)


@dataclass
class HttpUser:
    """One person's browser without JavaScript: cookies kept, redirects not followed, a new
    connection per request (gunicorn's sync workers close it after each answer anyway)."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply:
        parts = urlsplit(self.base)
        sent = {"Accept": "text/html", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            reply = Reply(raw.status, {k.lower(): v for k, v in raw.getheaders()},
                          raw.read().decode("utf-8", errors="replace"))
            for key, value in raw.getheaders():
                if key.lower() == "set-cookie":
                    jar = SimpleCookie()
                    jar.load(value)
                    for name, morsel in jar.items():
                        if morsel.value == "" or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                            self.cookies.pop(name, None)
                        else:
                            self.cookies[name] = morsel.value
        finally:
            connection.close()
        return reply

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: Mapping[str, str], **headers: str) -> Reply:
        return self.request("POST", path, urlencode(data, doseq=True).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", **headers})

    def post_json(self, path: str, payload: Any, token: str) -> Reply:
        return self.request("POST", path, jsonlib.dumps(payload).encode(),
                            {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token})

    def sign_in(self, login: str, password: str = PASSWORD) -> Reply:
        page = self.get("/auth/login")
        assert page.status == 200, f"GET /auth/login: {page.status}"
        reply = self.post_form("/auth/login", {"login": login, "password": password, "next": "",
                                               "csrf_token": csrf_from(page.text)})
        assert reply.status == 302, f"sign-in of {login}: HTTP {reply.status}"
        return reply

    def token_of(self, path: str) -> str:
        page = self.get(path)
        assert page.status == 200, f"GET {path}: HTTP {page.status}"
        return csrf_from(page.text)


def assert_no_leak(text: str) -> None:
    for word in LEAKS:
        assert word not in text, f"the answer shows internals ({word!r}):\n{text[:2000]}"


# -- servers ---------------------------------------------------------------------------------------

def server_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FLASK_", "SQLALCHEMY_")) and k not in ("DATABASE_URL", "SWANILAI_CONFIG")}
    env.update({"SWANILAI_CONFIG": "testing", "DATABASE_URL": database_url, "SECRET_KEY": SERVER_SECRET,
                "RATELIMIT_ENABLED": "false", "SWANILAI_INSTANCE": str(instance), "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


class Gunicorn:
    """`gunicorn -w N 'app:create_app()'` on 127.0.0.1 in a process group of its own, so the
    master and its workers can be killed together. Always stopped on exit."""

    def __init__(self, env: Mapping[str, str], log: Path, workers: int = 2, threads: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env, self.log_path, self.workers, self.threads = dict(env), log, workers, threads
        self.process: subprocess.Popen | None = None

    def start(self, ready_seconds: float = 30) -> "Gunicorn":
        gunicorn = Path(sys.executable).parent / "gunicorn"
        args = [str(gunicorn), "-w", str(self.workers), "--threads", str(self.threads),
                "-b", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--timeout", "30", "--graceful-timeout", "2",
                "--log-level", "warning", "app:create_app()"]
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + ready_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if HttpUser(self.base, timeout=2).get("/healthz").status == 200:
                    return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn not ready within {ready_seconds} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (master and workers) and wait until it is gone."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the workers are reaped by init: wait for them too
            try:
                os.killpg(self.process.pid, 0)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.05)
        self.process = None
        self._log.close()

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"

    def __enter__(self) -> "Gunicorn":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def werkzeug_server(app):
    """The app served by werkzeug's threaded server in a thread, like tests/browser's live_server."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


class TcpProxy:
    """127.0.0.1:<port> → the database server. `cut()` drops every open connection and refuses
    new ones (the database is gone, as when its server restarts); `restore()` brings it back."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()
        with self._lock:
            self._sockets.discard(sock)

    def cut(self) -> None:
        if self._listener is not None:
            self._close(self._listener)  # shutdown wakes the accept() of the listening thread
            self._listener = None
        with self._lock:
            open_sockets = list(self._sockets)
        for sock in open_sockets:
            self._close(sock)

    def close(self) -> None:
        self.cut()


# -- Chromium ---------------------------------------------------------------------------------------

def in_chromium(fn: Callable[[Any], Any], timeout: float = 90) -> Any:
    """Run ``fn(page)`` with a phone-sized page of a real headless Chromium (Debian's, with the
    flags of tests/browser) in a thread of its own, and return its result or raise its error.

    Its own thread because Playwright's sync API cannot start twice in one thread, and in a
    whole-suite run tests/browser's session-wide `browser` fixture keeps one open in the main thread."""
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM_FLAGS, chromium_path

    executable = chromium_path()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
                try:
                    context = browser.new_context(viewport={"width": 390, "height": 844})
                    outcome["value"] = fn(context.new_page())
                    context.close()
                finally:
                    browser.close()
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="chromium", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise AssertionError(f"the browser part did not finish within {timeout} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


# -- data ------------------------------------------------------------------------------------------

def on_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def model_of(app, version_id: int):
    from app.extensions import db
    from app.models import QuestionnaireVersion
    from app.services.questionnaires import parsed

    with app.app_context():
        return parsed(db.session.get(QuestionnaireVersion, version_id))


def complete_answers(model, rng: random.Random) -> dict[str, Any]:
    """Every item answered (comments included), in the form the app stores them."""
    from app.commands.demo import random_answers
    from app.engine.answers import check_answers, missing_required

    answers = random_answers(model, rng, rng.random())
    for item in model.items:
        if item.type == "text":
            answers[item.id] = f"Komentar {rng.randrange(10**6)}"
        elif item.type == "multi" and not answers.get(item.id):
            answers[item.id] = [item.options[0].id]
    answers = check_answers(model, answers)
    assert not missing_required(model, answers)
    return answers


def respondents_with_complete_assessments(app, version_id: int, count: int, seed: int) -> list[SimpleNamespace]:
    """``count`` respondents, each with an in-progress assessment whose every item is answered,
    made with the services (start after consent, save every answer)."""
    from app.extensions import db
    from app.models import QuestionnaireVersion, User
    from app.services import assessments as service

    rng = random.Random(seed)
    model = model_of(app, version_id)
    positions = [p.id for p in model.positions]
    people = []
    for index in range(count):
        person = create_person(app, ("respondent",), name=f"Responden Uji {index}",
                               email=f"resp{seed}-{index}@contoh.go.id")
        answers = complete_answers(model, rng)
        with app.app_context():
            user = db.session.get(User, person.id)
            version = db.session.get(QuestionnaireVersion, version_id)
            assessment = service.start(user, version, positions[index % len(positions)])
            service.save_answers(assessment, answers, domain_id=None)
            db.session.commit()
            person.assessment_id = assessment.id
            person.position_id = assessment.position_id
        person.answers = answers
        people.append(person)
    return people
