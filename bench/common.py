"""Helpers shared by the benchmark scripts in ``bench/``.

Benchmarks are scripts, not tests: they print figures as ratios against a baseline measured in
the same run on the same machine, so the numbers mean something on a laptop and on a CI runner.
Nothing here asserts on time. Everything stays on 127.0.0.1 and in a temporary folder.
"""
from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/ first, not the repository
    sys.path.insert(0, str(ROOT))

BENCH_SECRET = "bench-secret-key-" + "x" * 32  # only for the throw-away servers of a benchmark run


# -- timing and statistics -----------------------------------------------------------------

def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by one call of ``fn`` (perf_counter), and its result."""
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def repeat(fn: Callable[[], Any], runs: int, warmup: int = 2) -> list[float]:
    """Seconds of ``runs`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    return [timed(fn)[0] for _ in range(runs)]


def repeat_interleaved(fns: Mapping[str, Callable[[], Any]], runs: int, warmup: int = 2) -> dict[str, list[float]]:
    """Like ``repeat`` for several functions, called in turn (a, b, a, b, …) so that a slow
    drift of the machine (other processes, CPU frequency) weighs on all of them alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            samples[name].append(timed(fn)[0])
    return samples


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """The median of ``numerators[i] / denominators[i]`` for samples taken in turn by
    ``repeat_interleaved``. On a shared machine whose speed changes from one second to the
    next, each pair was measured at the same speed, so this is steadier than a ratio of medians."""
    return median([a / b for a, b in zip(numerators, denominators) if b > 0])


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (0–100), linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def banner(title: str) -> None:
    print()
    print(title)
    print("=" * len(title))


# -- a bounded run --------------------------------------------------------------------------

class Overtime(Exception):
    """The whole benchmark ran past its time budget."""


def run_main(main: Callable[[], int]) -> None:
    """Exit with ``main()``'s status; a run past its budget ends with a message, not a traceback."""
    try:
        status = main()
    except Overtime as overtime:
        print(f"STOPPED: {overtime}", file=sys.stderr)
        status = 3
    sys.exit(status)


@contextlib.contextmanager
def time_budget(seconds: int) -> Iterator[None]:
    """Raise ``Overtime`` in the main thread after ``seconds`` (SIGALRM), so cleanup still runs."""

    def _alarm(_signum, _frame):
        raise Overtime(f"benchmark stopped after its budget of {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- a temporary instance folder and app ------------------------------------------------------

@contextlib.contextmanager
def temp_instance(prefix: str = "swanilai-bench-") -> Iterator[Path]:
    """A fresh folder for the SQLite database and the instance files, removed afterwards
    (kept when SWANILAI_BENCH_KEEP=1, to look at the database or the server logs)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        if os.environ.get("SWANILAI_BENCH_KEEP") == "1":
            print(f"(kept {folder})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def sqlite_url(folder: Path, name: str = "swanilai.db") -> str:
    return "sqlite:///" + str(folder / name)


def bench_env(folder: Path, database_url: str, **extra: str) -> dict[str, str]:
    """Environment for the app (and its commands) on the temporary database: development
    configuration, a real secret key, no sign-in rate limit."""
    env = dict(os.environ)
    for name in ("SWANILAI_CONFIG", "DATABASE_URL", "SQLALCHEMY_DATABASE_URI", "FLASK_APP"):
        env.pop(name, None)
    env.update({
        "SWANILAI_CONFIG": "development",
        "SWANILAI_INSTANCE": str(folder),
        "DATABASE_URL": database_url,
        "SECRET_KEY": BENCH_SECRET,
        "RATELIMIT_ENABLED": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.update(extra)
    return env


def make_app(folder: Path, config_name: str = "development", overrides: Mapping[str, Any] | None = None,
             migrate: bool = True):
    """``create_app`` on a new SQLite database in ``folder``, migrated with ``flask_migrate.upgrade()``."""
    os.environ["SWANILAI_INSTANCE"] = str(folder)  # create_app reads the instance folder from here
    from app import create_app

    settings = {"SQLALCHEMY_DATABASE_URI": sqlite_url(folder), "SECRET_KEY": BENCH_SECRET,
                "RATELIMIT_ENABLED": False}
    settings.update(overrides or {})
    app = create_app(config_name, settings)
    if migrate:
        import flask_migrate

        with app.app_context(), quiet_logs():
            flask_migrate.upgrade()
    return app


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Alembic logs one line per migration (its env.py reconfigures logging on every run, so
    only a global switch silences it); the benchmark output stays readable without them."""
    import logging

    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def flask_command(args: Sequence[str], env: Mapping[str, str], timeout: float = 60) -> str:
    """Run ``flask --app app …`` from the repository root with the benchmark's environment."""
    completed = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=dict(env),
                               capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed ({completed.returncode}):\n"
                           f"{completed.stdout}\n{completed.stderr}")
    return completed.stdout


# -- servers ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def venv_tool(name: str) -> str:
    """A console script of the running interpreter's environment (``.venv/bin/gunicorn``)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} is not installed next to {sys.executable}")
    return found


class Server:
    """A gunicorn process group on 127.0.0.1, ended (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, app_spec: str, env: Mapping[str, str], log: Path, workers: int = 2,
                 chdir: Path = ROOT, startup_seconds: float = 30):
        self.port = free_port()
        self.log_path = log
        self.startup_seconds = startup_seconds
        self.args = [venv_tool("gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{self.port}",
                     "--chdir", str(chdir), "--timeout", "60", "--graceful-timeout", "5",
                     "--log-level", "warning", app_spec]
        self.env = dict(env)
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not listen on port {self.port} within {self.startup_seconds} s:\n"
                           f"{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        # workers left behind by a killed master are in the same group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.process = None
        self._log.close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
