"""The baseline of ``bench/submit_throughput.py``: the least a Flask app can do per write.

Two endpoints insert rows with SQLAlchemy Core into a SQLite table, with the same connection
settings as Swanilai (``app/database.py``: WAL, busy timeout, foreign keys, synchronous=NORMAL):

    POST /one    one row in one transaction
    POST /forty  40 rows (one executemany) in one transaction

Served like the app: ``gunicorn -w 2 -b 127.0.0.1:PORT 'minimal_app:create_app()'`` with
``--chdir bench`` and ``MINIMAL_DB=/path/to/file.db``. The table is created beforehand with
``init_db`` (two workers creating it at once would race).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

from flask import Flask, jsonify
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, event, insert

BUSY_TIMEOUT_MS = 15000  # Swanilai's SQLITE_BUSY_TIMEOUT_MS

metadata = MetaData()
rows = Table(
    "bench_rows", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch", Integer, nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("label", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
)


def engine_for(path: str):
    engine = create_engine("sqlite:///" + path, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    return engine


def init_db(path: str) -> None:
    engine = engine_for(path)
    metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    engine = engine_for(os.environ["MINIMAL_DB"])
    batch_counter = iter(range(os.getpid() * 1_000_000, 2**62))

    def write(count: int):
        batch = next(batch_counter)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        values = [{"batch": batch, "position": n, "label": f"row-{n}", "created_at": now} for n in range(count)]
        with engine.begin() as connection:
            if count == 1:
                connection.execute(insert(rows).values(values[0]))
            else:
                connection.execute(insert(rows), values)
        return jsonify(saved=count)

    @app.post("/one")
    def one():
        return write(1)

    @app.post("/forty")
    def forty():
        return write(40)

    @app.get("/")
    def ready():
        return "ok"

    return app
