"""Steps the browser journeys share: signing in as a persona in a fresh context, finding an action's form, and
checking the status shown on a record's page. Imported by the test modules of this folder (``from helpers import
...``; pytest puts this folder on the path for its test modules)."""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from xieshang.testing import PASSWORD, totp_now


def open_as(browser, site, user, *, staff):
    """A fresh browser context signed in as ``user`` (with the TOTP step for staff)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.goto(site.url + "/account/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()
    if staff:
        expect(page).to_have_url(re.compile(r"/account/2fa/verify/"))
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        page.fill("#id_token", totp_now(device))
        page.locator("form:has(#id_token) button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    return page


def op(page, name):
    """The form of the action ``name`` on the page (``<form data-op=...>``), once the panels the page loads after
    itself (similar items, tags) are in: they push the forms down, and a click aimed before that lands elsewhere."""
    page.wait_for_load_state("networkidle")
    return page.locator(f"form[data-op={name}]")


def expect_status(page, label):
    """The record's status badge reads ``label``."""
    expect(page.locator("[data-testid=status]")).to_have_text(label)
