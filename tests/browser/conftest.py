"""A live server on 127.0.0.1 for the session's app, and a real headless Chromium (Debian's
package) driven by Playwright."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.browser.chromium import CHROMIUM_FLAGS, chromium_path


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)  # a phone
    yield context.new_page()
    context.close()
