"""A small load generator for 127.0.0.1: threads, ``http.client``, a cookie jar per simulated user.

``Client`` is one simulated person (their cookies, their CSRF token). ``drive`` runs a fixed list
of requests through N threads, a new connection per request (gunicorn's sync workers close the
connection after each response anyway), until the list is done or the time is up, and returns
the latency of each request and the wall time of the whole run.
"""
from __future__ import annotations

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Callable, Mapping, Sequence
from urllib.parse import urlencode

HOST = "127.0.0.1"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def csrf_token(html: str) -> str:
    """The first CSRF token on a page (the hidden field of a Flask-WTF form)."""
    match = _CSRF.search(html)
    if not match:
        raise ValueError("no csrf_token field on the page")
    return match.group(1) or match.group(2)


@dataclass
class Client:
    """One simulated user: keeps the cookies the server sets, like a browser."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, response: Response) -> None:
        for key, value in response.headers:
            if key.lower() != "set-cookie":
                continue
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                expired = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if expired or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def request(self, method: str, path: str, form: Mapping[str, str] | None = None) -> Response:
        body = urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "swanilai-bench", "Accept": "text/html"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            connection.close()
        self.remember(response)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: Mapping[str, str]) -> Response:
        return self.request("POST", path, form)


@dataclass
class Run:
    latencies: list[float]  # seconds, of the requests that got the expected answer
    errors: list[str]
    wall: float  # seconds from the first request sent to the last answer received
    planned: int
    stopped_early: bool

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.done / self.wall if self.wall > 0 else 0.0


def drive(jobs: Sequence[Callable[[], Response]], check: Callable[[Response], bool], *, concurrency: int,
          max_seconds: float) -> Run:
    """Run ``jobs`` (each sends one request) through ``concurrency`` threads; a request counts
    when ``check`` accepts its answer. No job starts after ``max_seconds``."""
    lock = threading.Lock()
    position = iter(range(len(jobs)))
    latencies: list[float] = []
    errors: list[str] = []
    stopped = threading.Event()
    start = time.perf_counter()
    deadline = start + max_seconds

    def worker() -> None:
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            if time.perf_counter() > deadline:
                stopped.set()
                return
            began = time.perf_counter()
            try:
                response = jobs[index]()
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            elapsed = time.perf_counter() - began
            with lock:
                if check(response):
                    latencies.append(elapsed)
                else:
                    errors.append(f"HTTP {response.status} {response.header('Location') or response.text[:120]!r}")

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + 60)
    wall = time.perf_counter() - start
    return Run(latencies, errors, wall, len(jobs), stopped.is_set())


def merge(runs: Sequence[Run]) -> Run:
    """Several runs of the same request as one: latencies pooled, wall times added."""
    return Run([x for run in runs for x in run.latencies], [e for run in runs for e in run.errors],
               sum(run.wall for run in runs), sum(run.planned for run in runs),
               any(run.stopped_early for run in runs))
