"""Sign-in, workbench, language switch and sign-out in a real browser, for every persona."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from xieshang.testing import PASSWORD, totp_now

STAFF = ["proposal_staff", "info_editor", "office_admin", "committee_leader", "auditor", "sysadmin",
         "dept_leader", "dept_handler"]
MEMBERS = ["member", "cosigner"]


def english(msgid):
    """What the server shows for ``msgid`` in English, or None while the English catalogue lacks it."""
    from django.utils import translation

    with translation.override("en"):
        text = translation.gettext(msgid)
    return text if text != msgid else None


def submit_password(page, base, username, password):
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) button[type=submit]").click()


def submit_code(page, user):
    expect(page).to_have_url(re.compile(r"/account/2fa/verify/"))
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.fill("#id_token", totp_now(device))
    page.locator("form:has(#id_token) button[type=submit]").click()


def sign_in(page, base, user, *, password=PASSWORD, staff):
    submit_password(page, base, user.username, password)
    if staff:
        submit_code(page, user)
    expect(page.locator("h1")).to_have_text("我的待办")


@pytest.mark.parametrize("name", MEMBERS + STAFF)
def test_each_persona_signs_in_sees_the_workbench_switches_to_english_and_signs_out(page, site, name):
    user = getattr(site, name)
    sign_in(page, site.url, user, staff=name in STAFF)
    expect(page).to_have_url(site.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#mainnav")).to_contain_text("我的待办")

    page.locator("form.lang button[name=language]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(site.url + "/")
    translated = english("我的待办")
    if translated:
        expect(page.locator("h1")).to_have_text(translated)
    else:
        # No English catalogue yet: the switch still happened and the page still renders the workbench.
        expect(page.locator("h1")).to_be_visible()
    expect(page.locator("form.lang button[name=language]")).to_have_attribute("value", "zh-hans")

    page.locator("header form[action$='/account/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/account/login/"))
    expect(page.locator("#id_password")).to_be_visible()
    # Signed out for real: the workbench asks for a login again.
    page.goto(site.url + "/")
    expect(page).to_have_url(re.compile(r"/account/login/\?next=/"))
    csp = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not csp, csp


def test_a_member_signs_in_without_a_second_factor(page, site):
    submit_password(page, site.url, "member", PASSWORD)
    expect(page).to_have_url(site.url + "/")
    expect(page.locator("h1")).to_have_text("我的待办")


def test_a_staff_login_asks_for_the_second_factor_and_refuses_a_wrong_code(page, site):
    submit_password(page, site.url, "office_admin", PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/2fa/verify/"))
    expect(page.locator("#id_token")).to_be_visible()
    # The password alone reaches nothing else.
    page.goto(site.url + "/c/district/org/")
    expect(page).to_have_url(re.compile(r"/account/2fa/verify/"))
    device = TOTPDevice.objects.get(user=site.office_admin, confirmed=True)
    wrong = f"{(int(totp_now(device)) + 1) % 1_000_000:06d}"
    page.fill("#id_token", wrong)
    page.locator("form:has(#id_token) button[type=submit]").click()
    expect(page.locator(".errorbox")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/account/2fa/verify/"))
    # django-otp throttles a device for 2^(failures-1) seconds after a wrong code.
    page.wait_for_timeout(1500)
    submit_code(page, site.office_admin)
    expect(page.locator("h1")).not_to_have_text("我的待办")  # it goes back where it was heading
    expect(page).to_have_url(site.url + "/c/district/org/")


def test_a_user_locked_out_after_five_failures_is_refused_even_with_the_right_password(page, site):
    for _attempt in range(5):
        submit_password(page, site.url, "member", "Wrong-password-123")
    submit_password(page, site.url, "member", PASSWORD)
    expect(page.locator("[data-testid=locked-out]")).to_be_visible()
    page.goto(site.url + "/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
    # Another account is not affected by the lock.
    submit_password(page, site.url, "cosigner", PASSWORD)
    expect(page.locator("h1")).to_have_text("我的待办")


def test_the_workbench_works_on_a_phone_and_the_menu_button_opens_the_nav(phone, site, screenshot_dir):
    sign_in(phone, site.url, site.office_admin, staff=True)
    nav = phone.locator("#mainnav")
    toggle = phone.locator("button.nav-toggle")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    # Nothing sticks out sideways at 375 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(screenshot_dir / "workbench-phone.png"), full_page=True)
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="我的待办")).to_be_visible()
    phone.screenshot(path=str(screenshot_dir / "workbench-phone-menu.png"), full_page=True)
    toggle.click()
    expect(nav).to_be_hidden()


def test_the_printed_demo_logins_work(page, live_server, transactional_db):
    """The logins ``xieshang demo`` prints are real: a staff one with the code ``xieshang totp`` shows."""
    from django.core.management import call_command

    from xieshang.org import demo_data
    from xieshang.org.management.commands.totp import current_code

    call_command("demo", stdout=open("/dev/null", "w"))
    submit_password(page, live_server.url, "proposal_staff", demo_data.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/2fa/verify/"))
    device = TOTPDevice.objects.get(user__username="proposal_staff", confirmed=True)
    page.fill("#id_token", current_code(device))
    page.locator("form:has(#id_token) button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("我的待办")
    expect(page.locator("#mainnav")).to_contain_text(demo_data.DISTRICT["short_name"])
