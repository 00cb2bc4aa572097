"""The informant (特邀信息员) pages in org: who may list, appoint and change informants and link their accounts;
bad input shows on the form and writes nothing; a linked account gets the ``informant`` role and may report."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.org import actions, roles
from xieshang.org.models import Informant
from xieshang.testing import make_user

pytestmark = pytest.mark.django_db


def url(name, *args, committee="district"):
    return reverse(f"org:{name}", args=[committee, *args])


def as_user(client, login, user):
    client.logout()
    login(client, user)
    return client


def informant_data(**over):
    return {"name": "刘特邀", "unit": "区融媒体中心", "post": "记者", "mobile": "13900000009",
            "appointed_on": "2026-01-01", "ends_on": "2027-12-31", "is_active": "on", **over}


@pytest.mark.parametrize("name, list_status, edit_status", [
    ("office_admin", 200, 200), ("info_editor", 200, 200), ("sysadmin", 200, 200),
    ("info_signer", 200, 403), ("committee_leader", 200, 403), ("auditor", 200, 403),
    ("member", 403, 403), ("informant", 403, 403), ("dept_handler", 403, 403), ("other_staff", 403, 403),
    ("outsider", 403, 403),
])
def test_who_may_list_and_change_informants(client, login, personas, name, list_status, edit_status):
    unlinked = Informant.objects.create(committee=personas.district, name="未关联")
    as_user(client, login, getattr(personas, name))
    assert client.get(url("informant_list")).status_code == list_status
    assert client.get(url("informant_new")).status_code == edit_status
    assert client.get(url("informant_edit", personas.informant_row.pk)).status_code == edit_status
    assert client.get(url("informant_account", unlinked.pk)).status_code == edit_status


def test_the_list_shows_contacts_and_filters(client, login, personas):
    Informant.objects.create(committee=personas.district, name="旧信息员", is_active=False)
    as_user(client, login, personas.info_editor)
    page = client.get(url("informant_list")).content.decode()
    assert "陈信息" in page and "旧信息员" in page and "东城区融媒体中心" in page
    active = client.get(url("informant_list") + "?state=active").content.decode()
    assert "陈信息" in active and "旧信息员" not in active
    assert "旧信息员" not in client.get(url("informant_list") + "?q=陈").content.decode()


def test_an_editor_appoints_and_changes_an_informant(client, login, personas):
    as_user(client, login, personas.info_editor)
    response = client.post(url("informant_new"), informant_data())
    assert response.status_code == 302 and response["Location"] == url("informant_list")
    row = Informant.objects.get(name="刘特邀")
    assert row.committee == personas.district and row.is_active and row.user is None
    assert AuditEvent.objects.filter(verb="org.informant_created", actor=personas.info_editor).exists()
    response = client.post(url("informant_edit", row.pk), informant_data(post="主任", is_active=""))
    row.refresh_from_db()
    assert response.status_code == 302 and row.post == "主任" and not row.is_active
    event = AuditEvent.objects.get(verb="org.informant_updated")
    assert event.changes["post"] == ["记者", "主任"]


def test_bad_informant_input_is_shown_and_nothing_is_written(client, login, personas):
    as_user(client, login, personas.office_admin)
    before = AuditEvent.objects.count()
    response = client.post(url("informant_new"), informant_data(name=""))
    assert response.status_code == 400 and "fielderror" in response.content.decode()
    response = client.post(url("informant_new"), informant_data(ends_on="2025-01-01"))
    assert response.status_code == 400 and "聘期截止日期不能早于聘任日期。" in response.content.decode()
    assert not Informant.objects.filter(name="刘特邀").exists() and AuditEvent.objects.count() == before


def test_the_action_checks_permission_and_dates_itself(personas):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        actions.do_create_informant(personas.district, {"name": "某人"}, actor=personas.member)
    with pytest.raises(PermissionDenied):
        actions.do_create_informant(personas.district, {"name": "某人"}, actor=personas.other_staff)
    import datetime

    with pytest.raises(ValidationError):
        actions.do_update_informant(personas.informant_row, {"ends_on": datetime.date(2000, 1, 1),
                                                             "appointed_on": datetime.date(2001, 1, 1)},
                                    actor=personas.info_editor)
    with pytest.raises(ValidationError):  # one account, one informant post per committee
        actions.do_create_informant(personas.district, {"name": "重复", "user": personas.informant},
                                    actor=personas.info_editor)
    assert Informant.objects.filter(committee=personas.district).count() == 1


def test_an_informant_outside_the_committee_is_404(client, login, personas):
    theirs = Informant.objects.create(committee=personas.other, name="西城信息员")
    as_user(client, login, personas.info_editor)
    assert client.get(url("informant_edit", theirs.pk)).status_code == 404
    assert client.post(url("informant_account", theirs.pk), {"mode": "new", "username": "x1"}).status_code == 404


def test_create_an_account_and_the_informant_may_report(client, login, personas):
    row = Informant.objects.create(committee=personas.district, name="刘特邀")
    as_user(client, login, personas.info_editor)
    response = client.post(url("informant_account", row.pk), {"mode": "new", "username": "liu_info",
                                                               "password": "Xs-test-Passw0rd!"})
    assert response.status_code == 302
    row.refresh_from_db()
    user = get_user_model().objects.get(username="liu_info")
    assert row.user == user and user.first_name == "刘特邀"
    assert roles.INFORMANT in roles.roles_in(user, personas.district)
    as_user(client, login, user)
    assert client.get(reverse("opinions:new", args=["district"])).status_code == 200


def test_link_an_existing_account_then_unlink_it(client, login, personas):
    row = Informant.objects.create(committee=personas.district, name="刘特邀")
    existing = make_user("liu_existing", "刘特邀")
    as_user(client, login, personas.info_editor)
    response = client.post(url("informant_account", row.pk), {"mode": "existing", "username": "nobody"})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.user is None
    client.post(url("informant_account", row.pk), {"mode": "existing", "username": "liu_existing"})
    row.refresh_from_db()
    assert row.user == existing
    # Already linked: the account page sends back to the list.
    assert client.get(url("informant_account", row.pk)).status_code == 302
    client.post(url("informant_account", row.pk), {"unlink": "1"})
    row.refresh_from_db()
    assert row.user is None


def test_a_taken_username_is_refused(client, login, personas):
    row = Informant.objects.create(committee=personas.district, name="刘特邀")
    as_user(client, login, personas.info_editor)
    response = client.post(url("informant_account", row.pk), {"mode": "new", "username": "member"})
    assert response.status_code == 400 and "该用户名已存在。" in response.content.decode()
    row.refresh_from_db()
    assert row.user is None


def test_the_opinions_section_links_the_informant_pages_for_editors(client, login, personas):
    as_user(client, login, personas.info_editor)
    assert url("informant_list") in client.get(reverse("opinions:queue", args=["district"])).content.decode()
    as_user(client, login, personas.info_signer)
    assert url("informant_list") not in client.get(reverse("opinions:queue", args=["district"])).content.decode()
