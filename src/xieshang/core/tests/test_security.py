"""The security baseline: second-factor enforcement, lockout, sign-in audit, password policy, idle timeout,
headers, CSRF, error pages and the language switch."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from xieshang.core.models import AuditEvent
from xieshang.core.passwords import CharacterClassValidator
from xieshang.testing import PASSWORD, give_totp

LOGIN = "/account/login/"
DATA_PAGES = ["/c/district/org/", "/audit/", "/calendar/", "/", "/account/settings/", "/account/admin/users/"]


def password_login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


# Second factor enforcement --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DATA_PAGES)
@pytest.mark.parametrize("persona", ["proposal_staff", "auditor", "sysadmin", "dept_handler"])
def test_staff_cannot_reach_pages_before_the_second_factor(client, personas, persona, path):
    give_totp(getattr(personas, persona))
    password_login(client, persona)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/verify/?next=")


@pytest.mark.parametrize("path", ["/c/district/org/", "/audit/"])
def test_staff_without_a_device_are_sent_to_enrol_from_any_page(client, personas, path):
    password_login(client, "office_admin")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/setup/?next=")


def test_unverified_staff_cannot_post_to_data_pages_either(client, personas):
    give_totp(personas.office_admin)
    password_login(client, "office_admin")
    response = client.post("/c/district/org/terms/new/", {"number": 99})
    assert response.status_code == 302
    assert "/account/2fa/verify/" in response["Location"]


@pytest.mark.parametrize("path", ["/account/2fa/verify/extra/", "/account/2fa/", "/account/2fa/setup/../../audit/"])
def test_the_allow_list_is_exact(client, personas, path):
    give_totp(personas.office_admin)
    password_login(client, "office_admin")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/verify/")


def test_unverified_staff_may_switch_language_and_sign_out(client, personas):
    give_totp(personas.office_admin)
    password_login(client, "office_admin")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/account/2fa/verify/"})["Location"] == "/account/2fa/verify/"
    assert client.get("/account/2fa/verify/").status_code == 200
    client.post("/account/logout/")
    assert "_auth_user_id" not in client.session


def test_members_need_no_second_factor(client, personas):
    password_login(client, "member")
    assert client.get("/").status_code == 200
    assert client.get("/c/district/org/").status_code == 200


def test_the_api_refuses_an_unverified_staff_session_itself(client, personas, login):
    give_totp(personas.office_admin)
    password_login(client, "office_admin")
    url = "/api/v1/committees/district/departments"
    response = client.get(url)
    assert response.status_code in (401, 403)
    assert "items" not in response.json()
    verified = login(Client(), personas.office_admin).get(url)
    assert verified.status_code == 200
    assert "区生态环境局" in [d["name"] for d in verified.json()["items"]]


# Lockout -----------------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_and_the_right_password_is_refused(client, personas):
    for attempt in range(1, 5):
        response = password_login(client, "member", "wrong-Passw0rd!")
        assert response.status_code == 200, attempt
    response = password_login(client, "member", "wrong-Passw0rd!")
    assert response.status_code == 429
    response = password_login(client, "member")
    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已锁定" in html and "30 分钟" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_per_address(client, personas):
    for _i in range(5):
        password_login(client, "member", "wrong-Passw0rd!")
    assert password_login(client, "cosigner").status_code == 302


def test_lockout_ends_after_the_cool_off(client, personas):
    from axes.models import AccessAttempt

    for _i in range(5):
        password_login(client, "member", "wrong-Passw0rd!")
    AccessAttempt.objects.filter(username="member").update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert password_login(client, "member").status_code == 302


def test_lockout_settings_are_five_failures_and_thirty_minutes():
    import config.settings as conf

    assert conf.AXES_FAILURE_LIMIT == 5
    assert conf.AXES_COOLOFF_TIME * 60 == 30
    assert conf.AXES_LOCKOUT_PARAMETERS == ["username"]


def test_fewer_failures_then_success_resets_the_count(client, personas):
    from axes.models import AccessAttempt

    for _i in range(4):
        password_login(client, "member", "wrong-Passw0rd!")
    assert password_login(client, "member").status_code == 302
    assert not AccessAttempt.objects.filter(username="member").exists()


# Sign-in audit ------------------------------------------------------------------------------------------


def test_login_and_logout_are_audited_with_the_actor(client, personas):
    password_login(client, "member")
    client.post("/account/logout/")
    login_row = AuditEvent.objects.get(verb="account.login")
    logout_row = AuditEvent.objects.get(verb="account.logout")
    for row in (login_row, logout_row):
        assert row.actor == personas.member
        assert row.target_id == str(personas.member.pk)
        assert row.ip == "127.0.0.1"
        assert row.via == "web"
    assert login_row.group_id != logout_row.group_id


def test_failed_login_is_audited_without_actor_or_password(client, personas):
    password_login(client, "member", "Secret-guess-123")
    row = AuditEvent.objects.get(verb="account.login_failed")
    assert row.actor is None
    assert row.changes == {"username": "member", "locked": False}
    assert "Secret-guess-123" not in json.dumps(row.changes) + row.note
    assert row.ip == "127.0.0.1"


def test_failed_login_for_an_unknown_name_is_audited_too(client, db):
    password_login(client, "nobody-here", "whatever-A1")
    assert AuditEvent.objects.get(verb="account.login_failed").changes["username"] == "nobody-here"


def test_lockout_is_audited_and_each_refused_attempt_after_it(client, personas):
    for _i in range(5):
        password_login(client, "member", "wrong-Passw0rd!")
    assert AuditEvent.objects.filter(verb="account.login_failed").count() == 5
    lock = AuditEvent.objects.get(verb="account.locked_out")
    assert lock.actor is None
    assert lock.target_id == str(personas.member.pk)
    assert lock.changes == {"username": "member"}
    password_login(client, "member")  # the right password, refused
    assert AuditEvent.objects.filter(verb="account.locked_out").count() == 2
    refused = AuditEvent.objects.filter(verb="account.login_failed").order_by("-id").first()
    assert refused.changes == {"username": "member", "locked": True}
    assert PASSWORD not in json.dumps(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert not AuditEvent.objects.filter(verb="account.login").exists()


def test_programmatic_logins_are_not_audited_as_sign_ins(client, personas, login):
    login(client, personas.member)
    client.logout()
    assert not AuditEvent.objects.filter(verb__startswith="account.").exists()


# Password policy ------------------------------------------------------------------------------------------


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


def test_policy_refuses_a_short_password():
    assert "password_too_short" in codes("Ab1!xyz")


def test_policy_refuses_a_password_with_too_few_character_classes():
    assert codes("abcdefghijkq") == {"password_too_simple"}
    assert codes("ABCDEFGH1234") == {"password_too_simple"}


def test_policy_refuses_a_common_password():
    assert "password_too_common" in codes("Password123")


def test_policy_refuses_an_all_numeric_password():
    assert "password_entirely_numeric" in codes("83920174650193")


def test_policy_refuses_a_password_like_the_username(personas):
    assert "password_too_similar" in codes("Proposal_staff1", personas.proposal_staff)


def test_policy_accepts_a_good_password(personas):
    assert codes("Zhengxie-2026-春", personas.member) == set()
    assert codes("lower and 1 digit, symbol") == set()


def test_character_classes_count_chinese_punctuation_as_a_symbol_and_chinese_as_none():
    validator = CharacterClassValidator(min_classes=3)
    assert validator.classes("abc123！") == 3
    assert validator.classes("政协委员履职") == 0
    with pytest.raises(ValidationError):
        validator.validate("政协委员履职平台abc")


def test_character_class_validator_refuses_an_impossible_setting():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        CharacterClassValidator(min_classes=5)


def test_the_policy_is_configured_in_settings():
    import config.settings as conf

    names = [v["NAME"].rsplit(".", 1)[-1] for v in conf.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
        "CharacterClassValidator",
    ]


def test_argon2_is_the_first_hasher():
    import config.settings as conf
    from django.contrib.auth.hashers import make_password

    assert conf.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=conf.PASSWORD_HASHERS):
        assert make_password("Zhengxie-2026-春").startswith("argon2$argon2id$")


# Idle timeout ---------------------------------------------------------------------------------------------


def test_idle_timeout_is_thirty_minutes_by_default_and_renewed_on_every_request(monkeypatch):
    import config.settings as conf

    monkeypatch.delenv("XS_IDLE_TIMEOUT_MINUTES", raising=False)
    assert conf.env_int("IDLE_TIMEOUT_MINUTES", 30) * 60 == 1800
    if "XS_IDLE_TIMEOUT_MINUTES" not in __import__("os").environ:
        assert conf.SESSION_COOKIE_AGE == 1800
    assert conf.SESSION_SAVE_EVERY_REQUEST is True


def _session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_idle_past_the_limit_is_signed_out(client, personas, login):
    login(client, personas.member)
    assert client.get("/").status_code == 200
    Session.objects.filter(pk=_session_row(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_activity_renews_the_session(client, personas, login, settings):
    login(client, personas.member)
    client.get("/")
    row = _session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=2))
    assert client.get("/").status_code == 200
    renewed = _session_row(client).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((renewed - expected).total_seconds()) < 60


# Headers and CSRF ----------------------------------------------------------------------------------------


def _directives(csp):
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("path", [LOGIN, "/"])
def test_security_headers_on_a_normal_page(client, personas, login, path):
    login(client, personas.member)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_lockout_page_has_the_headers_too(client, personas):
    for _i in range(5):
        response = password_login(client, "member", "wrong-Passw0rd!")
    assert response.status_code == 429
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_post_without_csrf_token_is_refused_with_a_chinese_page(personas):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(LOGIN, {"username": "member", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert "_auth_user_id" not in csrf_client.session


def test_a_signed_in_post_without_csrf_token_changes_nothing(personas, login):
    from xieshang.core.models import UserPreference

    csrf_client = login(Client(enforce_csrf_checks=True), personas.member)
    response = csrf_client.post("/account/settings/", {"channels": ["email"], "language": "en"})
    assert response.status_code == 403
    assert not UserPreference.objects.filter(user=personas.member, language="en").exists()


def test_session_cookie_is_http_only_and_same_site(client, personas):
    response = password_login(client, "member")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


# Error pages ---------------------------------------------------------------------------------------------


def test_404_is_a_chinese_page_in_the_site_layout(client, personas, login):
    login(client, personas.member)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'class="topbar"' in html


def test_403_says_no_access_and_reveals_nothing(client, personas, login):
    login(client, personas.outsider)
    response = client.get("/account/admin/users/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "您无权访问此页面" in html
    assert "sysadmin" not in html and "系统管理员" not in html.replace("请联系本单位的系统管理员", "")


@pytest.mark.parametrize(("template", "text"), [("400.html", "请求有误"), ("500.html", "系统出错了")])
def test_400_and_500_pages_render_without_a_request(template, text):
    html = render_to_string(template)
    assert text in html and "app.css" in html


def test_500_handler_serves_the_chinese_page(personas, settings):
    from django.test import RequestFactory
    from django.views import defaults

    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


# Language switch ------------------------------------------------------------------------------------------


def test_language_switch_persists_across_visits(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 30 * 24 * 3600
    assert '<html lang="en">' in client.get(LOGIN).content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": LOGIN})
    assert '<html lang="zh-hans">' in client.get(LOGIN).content.decode()


def test_language_switch_refuses_an_unknown_language(client, db):
    client.post("/i18n/setlang/", {"language": "xx", "next": LOGIN})
    assert '<html lang="zh-hans">' in client.get(LOGIN).content.decode()


def test_language_switch_needs_csrf(db):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_chinese_is_the_default_language(client, db):
    html = client.get(LOGIN).content.decode()
    assert re.search(r'<html lang="zh-hans">', html)
    assert reverse("set_language") in html
