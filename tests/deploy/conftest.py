"""Fixtures of the deployment tests: a migrated SQLite database with known people (always SQLite:
what is tested is gunicorn, nginx and Redis, not the database), a self-signed certificate for
nginx, and a `launcher` that stops every server it started when the test ends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.support import (
    TARGET_NIP, VICTIM_NIP, Gunicorn, Launcher, Nginx, clean_environment, self_signed_certificate,
)
from tests.factories import PASSWORD


@dataclass(frozen=True)
class Site:
    database_url: str
    instance: Path

    def env(self, **settings: str) -> dict[str, str]:
        """The environment of a server process on this database."""
        return clean_environment(DATABASE_URL=self.database_url, SWANILAI_INSTANCE=str(self.instance), **settings)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    """One database for every deployment test, with two respondents who know their password."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from tests.factories import make_unit, make_user

    folder = tmp_path_factory.mktemp("deploy-site")
    url = f"sqlite:///{folder / 'swanilai.db'}"
    application = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    application.instance_path = str(folder)
    with application.app_context():
        upgrade()
        unit = make_unit("DEPLOY", "Unit Uji Deploy")
        make_user(unit, nip=VICTIM_NIP, name="Korban Uji", password=PASSWORD)
        make_user(unit, nip=TARGET_NIP, name="Sasaran Uji", password=PASSWORD)
        db.session.remove()
        db.engine.dispose()
    return Site(url, folder)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("deploy-tls"))


@pytest.fixture
def launcher(tmp_path):
    servers = Launcher(tmp_path)
    try:
        yield servers
    finally:
        servers.stop_all()


@pytest.fixture(scope="session")
def session_launcher(tmp_path_factory):
    servers = Launcher(tmp_path_factory.mktemp("deploy-servers"))
    try:
        yield servers
    finally:
        servers.stop_all()


@dataclass(frozen=True)
class Stack:
    app: Gunicorn
    proxy: Nginx


@pytest.fixture(scope="session")
def proxied_app(session_launcher, site, tls_files) -> Stack:
    """The shipped nginx config in front of one gunicorn worker that trusts one proxy, as
    production runs it (the testing configuration keeps the cookies usable over plain HTTP)."""
    app = session_launcher.gunicorn(site.env(SWANILAI_CONFIG="testing", TRUSTED_PROXIES="1"), access_log=True)
    return Stack(app, session_launcher.nginx(app.port, tls_files))
