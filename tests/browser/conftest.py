"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's live server.

Every test here is marked ``browser``. Without /usr/bin/chromium they are skipped with a reason, unless
``XS_REQUIRE_BROWSER=1`` (as CI sets it), in which case they fail: CI must never pass by skipping them.
Screenshots go to ``XS_SCREENSHOT_DIR`` (default ``var/screenshots``).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django's ORM calls from the test
# itself (fixtures, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("XS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("XS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"XS_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, personas):
    """The live server with the shared personas loaded; staff personas get a TOTP device."""
    from xieshang.org import roles
    from xieshang.testing import give_totp

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
    ctx.set_default_timeout(15_000)
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
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    yield page
    ctx.close()


@pytest.fixture
def screenshot_dir():
    path = Path(os.environ.get("XS_SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
