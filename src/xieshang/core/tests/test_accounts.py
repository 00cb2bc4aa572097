"""Sign-in, the second factor, backup codes, personal settings, password change and the sysadmin's account desk."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.core import account_actions
from xieshang.core.models import AuditEvent, UserPreference
from xieshang.testing import PASSWORD, give_totp, totp_now

LOGIN = "/account/login/"


def password_login(client, user, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.username, "password": password, **extra})


def wrong_code(device):
    right = totp_now(device)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp makes the next try wait after a wrong code; tests that retry at once switch that off."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


# Sign-in --------------------------------------------------------------------------------------------------


def test_login_page_renders_for_phones_in_chinese(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport"' in html
    assert "登录" in html and 'name="username"' in html and 'name="password"' in html


def test_member_logs_in_and_lands_on_the_workbench(client, personas):
    response = password_login(client, personas.member)
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench")
    assert client.get(reverse("workbench")).status_code == 200


def test_login_follows_a_local_next_but_not_another_host(client, personas):
    response = password_login(client, personas.member, next="/calendar/")
    assert response["Location"] == "/calendar/"
    client.logout()
    response = password_login(client, personas.member, next="https://evil.example/")
    assert response["Location"] == reverse("workbench")


def test_wrong_password_gives_a_clear_message_and_no_session(client, personas):
    response = password_login(client, personas.member, password="not-the-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, db):
    response = client.post(LOGIN, {"username": "nobody", "password": "whatever-1A"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_login_applies_the_saved_interface_language(client, personas):
    UserPreference.objects.create(user=personas.member, language="en")
    response = password_login(client, personas.member)
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(reverse("workbench")).content.decode()


def test_login_without_saved_language_leaves_the_browser_choice_alone(client, personas):
    response = password_login(client, personas.member)
    assert "django_language" not in response.cookies


# Second factor: enrolment --------------------------------------------------------------------------------


def test_staff_without_a_device_is_sent_to_setup(client, personas):
    response = password_login(client, personas.proposal_staff)
    assert response["Location"].startswith("/account/2fa/setup/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=personas.proposal_staff, confirmed=False)
    import base64

    assert base64.b32encode(device.bin_key).decode() in html  # the secret, for manual entry


def test_setup_with_the_right_code_confirms_the_device_and_shows_backup_codes_once(client, personas):
    user = personas.proposal_staff
    password_login(client, user)
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/2fa/setup/", {"token": totp_now(device), "next": "/calendar/"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = list(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert len(codes) == account_actions.BACKUP_CODE_COUNT
    html = response.content.decode()
    assert all(code in html for code in codes)
    assert 'href="/calendar/"' in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    # The session now counts as verified: data pages open.
    assert client.get("/c/district/org/").status_code == 200
    # The codes are never shown again: setup now sends to verification, and verification shows none.
    again = client.get("/account/2fa/setup/")
    assert again.status_code == 302
    assert AuditEvent.objects.filter(verb="account.second_factor_enrolled", target_id=str(user.pk)).count() == 1


def test_setup_with_a_wrong_code_does_not_confirm(client, personas):
    user = personas.proposal_staff
    password_login(client, user)
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/2fa/setup/", {"token": wrong_code(device)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get("/c/district/org/").status_code == 302


def test_setup_reuses_the_pending_device_so_the_qr_code_stays_the_same(client, personas):
    password_login(client, personas.proposal_staff)
    client.get("/account/2fa/setup/")
    client.get("/account/2fa/setup/")
    assert TOTPDevice.objects.filter(user=personas.proposal_staff).count() == 1


# Second factor: verification -----------------------------------------------------------------------------


def test_staff_with_a_device_is_sent_to_verify(client, personas):
    give_totp(personas.office_admin)
    response = password_login(client, personas.office_admin, next="/calendar/")
    assert response["Location"] == "/account/2fa/verify/?next=%2Fcalendar%2F"


def test_wrong_code_is_refused_and_audited(client, personas):
    device = give_totp(personas.office_admin)
    password_login(client, personas.office_admin)
    response = client.post("/account/2fa/verify/", {"token": wrong_code(device)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert client.get("/c/district/org/").status_code == 302
    row = AuditEvent.objects.get(verb="account.second_factor_failed")
    assert row.actor == personas.office_admin
    assert row.changes == {"method": "totp"}


def test_right_code_is_accepted_after_a_wrong_one(client, personas, no_otp_throttle):
    device = give_totp(personas.office_admin)
    password_login(client, personas.office_admin)
    client.post("/account/2fa/verify/", {"token": wrong_code(device)})
    response = client.post("/account/2fa/verify/", {"token": totp_now(device), "next": "/calendar/"})
    assert response.status_code == 302
    assert response["Location"] == "/calendar/"
    assert client.get("/c/district/org/").status_code == 200
    assert AuditEvent.objects.filter(verb="account.second_factor_verified").count() == 1


def test_verification_gives_the_session_a_new_key(client, personas):
    device = give_totp(personas.office_admin)
    password_login(client, personas.office_admin)
    before = client.session.session_key
    client.post("/account/2fa/verify/", {"token": totp_now(device)})
    assert client.session.session_key != before
    assert client.get("/c/district/org/").status_code == 200


def test_a_code_right_after_a_wrong_one_is_throttled(client, personas):
    device = give_totp(personas.office_admin)
    password_login(client, personas.office_admin)
    client.post("/account/2fa/verify/", {"token": wrong_code(device)})
    response = client.post("/account/2fa/verify/", {"token": totp_now(device)})
    assert response.status_code == 200
    assert "尝试次数过多" in response.content.decode()


def test_verify_ignores_a_next_on_another_host(client, personas):
    device = give_totp(personas.office_admin)
    password_login(client, personas.office_admin)
    response = client.post("/account/2fa/verify/", {"token": totp_now(device), "next": "https://evil.example/x"})
    assert response["Location"] == reverse("workbench")


def test_backup_code_works_once(client, personas, no_otp_throttle):
    user = personas.dept_handler
    give_totp(user)
    codes = account_actions.do_regenerate_backup_codes(user, actor=user)
    password_login(client, user)
    response = client.post("/account/2fa/verify/", {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/c/district/org/").status_code != 302
    row = AuditEvent.objects.filter(verb="account.second_factor_verified").get()
    assert row.changes == {"method": "backup"}

    client.post("/account/logout/")
    password_login(client, user)
    response = client.post("/account/2fa/verify/", {"token": codes[0]})
    assert response.status_code == 200
    assert client.get("/c/district/org/").status_code == 302
    assert client.post("/account/2fa/verify/", {"token": codes[1]}).status_code == 302


def test_backup_codes_can_be_regenerated_by_a_verified_user_and_old_ones_stop_working(client, personas, login):
    user = personas.office_admin
    old = account_actions.do_regenerate_backup_codes(user, actor=user)
    login(client, user)
    assert "10" in client.get("/account/2fa/backup-codes/").content.decode()
    response = client.post("/account/2fa/backup-codes/")
    new = list(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert set(new).isdisjoint(old)
    assert all(code in response.content.decode() for code in new)


def test_backup_codes_page_needs_a_verified_session(client, personas):
    give_totp(personas.office_admin)
    password_login(client, personas.office_admin)
    response = client.post("/account/2fa/backup-codes/")
    assert response.status_code == 302
    assert "/account/2fa/verify/" in response["Location"]
    assert not StaticDevice.objects.filter(user=personas.office_admin).exists()


# Personal settings --------------------------------------------------------------------------------------


def test_settings_save_channels_and_language_and_apply_the_language(client, personas, login):
    login(client, personas.member)
    response = client.post("/account/settings/", {"channels": ["email", "sms"], "language": "en"})
    assert response.status_code == 302
    pref = UserPreference.objects.get(user=personas.member)
    assert pref.channels == ["email", "sms"]
    assert pref.language == "en"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/account/settings/").content.decode()
    row = AuditEvent.objects.get(verb="account.preferences_updated")
    assert row.changes["language"] == ["", "en"]


def test_settings_refuse_an_unknown_language_or_channel_and_save_nothing(client, personas, login):
    login(client, personas.member)
    for data in ({"language": "xx"}, {"channels": ["fax"], "language": ""}):
        response = client.post("/account/settings/", data)
        assert response.status_code == 200
        assert "errorbox" in response.content.decode()
    assert not UserPreference.objects.filter(user=personas.member).exclude(channels=[], language="").exists()


def test_settings_keep_channels_when_only_language_changes(client, personas, login):
    UserPreference.objects.create(user=personas.member, channels=["email"])
    login(client, personas.member)
    page = client.get("/account/settings/").content.decode()
    assert re.search(r'<input[^>]*value="email"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="sms"[^>]*checked', page)
    client.post("/account/settings/", {"channels": ["email"], "language": "zh-hans"})
    pref = UserPreference.objects.get(user=personas.member)
    assert pref.channels == ["email"] and pref.language == "zh-hans"


def test_settings_need_a_login(client, db):
    response = client.get("/account/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# Password change ----------------------------------------------------------------------------------------


def test_password_page_shows_the_policy(client, personas, login):
    login(client, personas.member)
    html = client.get("/account/password/").content.decode()
    assert "密码须包含小写字母、大写字母、数字、符号中的至少 3 类。" in html
    assert 'data-testid="password-policy"' in html


def test_password_change_refuses_a_weak_password_and_keeps_the_old_one(client, personas, login):
    login(client, personas.member)
    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"}
    )
    assert response.status_code == 200
    personas.member.refresh_from_db()
    assert personas.member.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(verb="account.password_changed").exists()


def test_password_change_refuses_a_wrong_old_password(client, personas, login):
    login(client, personas.member)
    new = "Zhengxie-2026-春"
    response = client.post("/account/password/", {"old_password": "nope", "new_password1": new, "new_password2": new})
    assert response.status_code == 200
    personas.member.refresh_from_db()
    assert not personas.member.check_password(new)


def test_password_change_with_a_good_password_keeps_the_session_and_is_audited(client, personas, login):
    login(client, personas.member)
    new = "Zhengxie-2026-春"
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.check_password(new)
    assert client.get(reverse("workbench")).status_code == 200
    row = AuditEvent.objects.get(verb="account.password_changed")
    assert row.actor == personas.member
    assert new not in str(row.changes) and PASSWORD not in str(row.changes)


# The sysadmin's account desk ----------------------------------------------------------------------------


def lock_out(client, user):
    for _i in range(5):
        password_login(client, user, password="wrong-Passw0rd!")
    assert AccessAttempt.objects.filter(username=user.username).exists()


def test_sysadmin_sees_locked_and_second_factor_state(client, personas, login):
    from django.test import Client

    lock_out(Client(), personas.member)
    give_totp(personas.dept_handler)
    login(client, personas.sysadmin)
    html = client.get("/account/admin/users/", {"q": "member"}).content.decode()
    assert "已锁定" in html and "解锁" in html
    html = client.get("/account/admin/users/", {"q": "dept_handler"}).content.decode()
    assert "已绑定" in html and "重置双因素验证" in html


def test_sysadmin_unlocks_a_locked_account_and_it_is_audited(client, personas, login):
    from django.test import Client

    member_client = Client()
    lock_out(member_client, personas.member)
    assert password_login(member_client, personas.member).status_code == 429
    login(client, personas.sysadmin)
    response = client.post(f"/account/admin/users/{personas.member.pk}/unlock/", {"q": "member"})
    assert response.status_code == 302
    assert response["Location"] == "/account/admin/users/?q=member"
    assert not AccessAttempt.objects.filter(username="member").exists()
    assert password_login(member_client, personas.member).status_code == 302
    row = AuditEvent.objects.get(verb="account.unlocked")
    assert row.actor == personas.sysadmin
    assert row.target_id == str(personas.member.pk)


def test_sysadmin_resets_a_second_factor_and_the_old_session_must_enrol_again(client, personas, login):
    from django.test import Client

    user = personas.dept_handler
    user_client = login(Client(), user)
    account_actions.do_regenerate_backup_codes(user, actor=user)
    assert user_client.get("/c/district/org/").status_code == 200
    login(client, personas.sysadmin)
    response = client.post(f"/account/admin/users/{user.pk}/reset-2fa/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    again = user_client.get("/c/district/org/")
    assert again.status_code == 302
    assert again["Location"].startswith("/account/2fa/setup/")
    row = AuditEvent.objects.get(verb="account.second_factor_reset")
    assert row.actor == personas.sysadmin
    assert row.changes == {"removed_devices": {"totp": 1, "backup": 1}}


@pytest.mark.parametrize("persona", ["member", "office_admin", "auditor", "committee_leader", "other_staff", "outsider"])
def test_only_the_sysadmin_reaches_the_account_desk(client, personas, login, persona):
    from django.test import Client

    lock_out(Client(), personas.cosigner)
    give_totp(personas.dept_handler)
    login(client, getattr(personas, persona))
    response = client.get("/account/admin/users/")
    assert response.status_code == 403
    assert "cosigner" not in response.content.decode()
    assert client.post(f"/account/admin/users/{personas.cosigner.pk}/unlock/").status_code == 403
    assert client.post(f"/account/admin/users/{personas.dept_handler.pk}/reset-2fa/").status_code == 403
    assert AccessAttempt.objects.filter(username="cosigner").exists()
    assert TOTPDevice.objects.filter(user=personas.dept_handler).exists()
    assert not AuditEvent.objects.filter(verb__in=["account.unlocked", "account.second_factor_reset"]).exists()


def test_account_desk_actions_need_post(client, personas, login):
    login(client, personas.sysadmin)
    assert client.get(f"/account/admin/users/{personas.member.pk}/unlock/").status_code == 405
    assert client.get(f"/account/admin/users/{personas.member.pk}/reset-2fa/").status_code == 405


def test_account_desk_for_an_unknown_user_is_404(client, personas, login):
    login(client, personas.sysadmin)
    assert client.post("/account/admin/users/999999/unlock/").status_code == 404
