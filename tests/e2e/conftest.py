"""Real-browser fixtures: one Streamlit server and one Chromium for the whole session.

With CI=true a missing Chromium fails the run; elsewhere it skips these tests."""

import os

import pytest

from bench.browser import ROOT, chromium_path, launch, open_app, streamlit_server

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def server():
    with streamlit_server(ARTIFACTS / "e2e-server.log") as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        message = "Chromium not found at /usr/bin/chromium: `apt-get install chromium`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def app(page, server):
    """A page with the app opened on its default view."""
    open_app(page, server)
    return page


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
