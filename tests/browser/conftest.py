"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

Every test here that uses the browser is marked ``browser``. Without /usr/bin/chromium they are skipped with a reason, unless
``XS_REQUIRE_BROWSER=1`` (as CI sets it), in which case they fail: CI must never pass by skipping them.
Screenshots go to ``XS_SCREENSHOT_DIR`` (default ``var/screenshots``).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(config, items):
    """Every test that drives the browser is marked ``browser`` (so ``-m "not browser"`` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module; closed before tests of other modules run in this process."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("XS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"XS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests.")
    from playwright.sync_api import expect, sync_playwright

    # Generous waits: CI machines run the suite in parallel and a page can take seconds under load.
    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an event loop in the test thread while it runs, which trips Django's
    # async-safety check; the ORM calls the tests make there (fixtures, assertions) are plain synchronous
    # calls and safe. Allowed only while this browser is open, so the rest of the suite keeps the check.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def site(live_server, transactional_db, personas):
    """The live server with the shared personas loaded; staff personas get a TOTP device."""
    from xieshang.core.actions import do_seed_calendar
    from xieshang.org import roles
    from xieshang.testing import give_totp

    # A live-server test flushes the database afterwards, taking the migration-seeded calendar with it.
    do_seed_calendar(actor=None)
    for name in ("proposal_staff", "info_editor", "office_admin", "committee_leader", "auditor", "sysadmin",
                 "dept_leader", "dept_handler"):
        user = getattr(personas, name)
        assert roles.needs_second_factor(user)
        give_totp(user)
    personas.url = live_server.url
    return personas


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return page


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, locale="zh-CN")
    ctx.set_default_timeout(TIMEOUT_MS)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def screenshot_dir():
    path = Path(os.environ.get("XS_SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
