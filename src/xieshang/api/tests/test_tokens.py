"""API tokens: how a request authenticates, what is stored, and the token page in account settings."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from xieshang.api import actions
from xieshang.api.models import ApiToken
from xieshang.core.models import AuditEvent

ME = "/api/v1/me"


def _token(user, **kwargs):
    return actions.do_create_api_token(user, "脚本", actor=user, **kwargs)


def _auth(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_a_valid_token_authenticates_as_its_user(client, personas):
    token, secret = _token(personas.office_admin)
    response = client.get(ME, headers=_auth(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "office_admin"
    assert [c["code"] for c in response.json()["committees"]] == ["district"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_request_without_credentials_is_refused_with_401(client, personas):
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"]}
    assert "Bearer" in response["WWW-Authenticate"]


def test_a_revoked_token_is_refused(client, personas):
    token, secret = _token(personas.member)
    actions.do_revoke_api_token(token, actor=personas.member)
    response = client.get(ME, headers=_auth(secret))
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_an_expired_token_is_refused(client, personas):
    token, secret = _token(personas.member, expires_at=timezone.now() + datetime.timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(ME, headers=_auth(secret)).status_code == 401


def test_a_token_not_yet_expired_is_accepted(client, personas):
    _token_row, secret = _token(personas.member, expires_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(ME, headers=_auth(secret)).status_code == 200


@pytest.mark.parametrize("mangle", [
    lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),  # right prefix, wrong secret
    lambda s: "xs_00000000_" + s.rsplit("_", 1)[1],  # unknown prefix
    lambda s: "garbage",
    lambda s: "",
])
def test_a_wrong_token_is_refused(client, personas, mangle):
    _token_row, secret = _token(personas.member)
    assert client.get(ME, headers=_auth(mangle(secret))).status_code == 401


def test_a_wrong_token_is_refused_even_with_a_signed_in_session(client, personas, login):
    login(client, personas.member)
    assert client.get(ME).status_code == 200
    assert client.get(ME, headers=_auth("xs_deadbeef_nope")).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(client, personas):
    _token_row, secret = _token(personas.member)
    personas.member.is_active = False
    personas.member.save()
    assert client.get(ME, headers=_auth(secret)).status_code == 401


def test_the_secret_is_never_stored(personas):
    token, secret = _token(personas.member)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in row.values())
    assert row["key_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row["prefix"] + "_")
    for event in AuditEvent.objects.all():
        assert secret not in str(event.changes) and secret not in event.target_repr


def test_creating_and_revoking_a_token_are_audited(personas):
    token, _secret = _token(personas.member)
    actions.do_revoke_api_token(token, actor=personas.member)
    verbs = list(AuditEvent.objects.filter(target_id=str(token.pk)).order_by("id").values_list("verb", "actor"))
    assert verbs == [("api.token_created", personas.member.pk), ("api.token_revoked", personas.member.pk)]


def test_nobody_revokes_someone_elses_token(personas):
    from django.core.exceptions import PermissionDenied

    token, _secret = _token(personas.member)
    with pytest.raises(PermissionDenied):
        actions.do_revoke_api_token(token, actor=personas.sysadmin)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_needs_a_name_and_a_future_expiry(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.do_create_api_token(personas.member, "  ", actor=personas.member)
    with pytest.raises(ValidationError):
        actions.do_create_api_token(
            personas.member, "x", expires_at=timezone.now() - datetime.timedelta(days=1), actor=personas.member
        )
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="api.").exists()


# Session authentication ---------------------------------------------------------------------------------

def test_a_member_session_without_second_factor_may_use_the_api(client, personas):
    client.force_login(personas.member)
    assert client.get(ME).status_code == 200


def test_a_staff_session_without_second_factor_is_refused(client, personas):
    client.force_login(personas.office_admin)
    response = client.get("/api/v1/committees/district")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}


def test_a_staff_session_with_second_factor_may_use_the_api(client, personas, login):
    login(client, personas.office_admin)
    assert client.get("/api/v1/committees/district").status_code == 200


def test_a_session_write_needs_the_csrf_token(personas, login):
    client = Client(enforce_csrf_checks=True)
    login(client, personas.office_admin)
    body = '{"name": "科技界"}'
    refused = client.post("/api/v1/committees/district/sectors", body, content_type="application/json")
    assert refused.status_code == 403
    assert not personas.district.sector_set.filter(name="科技界").exists()
    client.get("/account/tokens/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/committees/district/sectors", body, content_type="application/json",
                           headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201


def test_a_token_write_needs_no_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    _token_row, secret = _token(personas.office_admin)
    response = client.post("/api/v1/committees/district/sectors", '{"name": "科技界"}',
                           content_type="application/json", headers=_auth(secret))
    assert response.status_code == 201


# The token page ------------------------------------------------------------------------------------------

def test_the_token_page_shows_a_new_secret_once(client, personas, login):
    login(client, personas.member)
    response = client.post("/account/tokens/", {"name": "同步脚本", "expires": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=personas.member)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix) and token.matches(secret)
    assert secret in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    again = client.get("/account/tokens/")
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode()
    assert client.get(ME, headers=_auth(secret)).status_code == 200


def test_the_token_page_refuses_an_empty_name(client, personas, login):
    login(client, personas.member)
    response = client.post("/account/tokens/", {"name": "", "expires": "never"})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_the_token_page_revokes_a_token(client, personas, login):
    token, secret = _token(personas.member)
    login(client, personas.member)
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(ME, headers=_auth(secret)).status_code == 401
    event = AuditEvent.objects.get(verb="api.token_revoked")
    assert event.via == "web" and event.actor_id == personas.member.pk


def test_the_token_page_does_not_reveal_someone_elses_token(client, personas, login):
    token, _secret = _token(personas.member)
    login(client, personas.cosigner)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert personas.member.username not in client.get("/account/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_needs_a_signed_in_user(client, personas):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_settings_page_links_to_the_token_page(client, personas, login):
    login(client, personas.member)
    assert "/account/tokens/" in client.get("/account/settings/").content.decode()
