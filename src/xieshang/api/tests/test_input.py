"""Bad input is a 422 with a message per field, and writes nothing (no row, no audit event)."""

import pytest

from xieshang.core.models import AuditEvent
from xieshang.org.models import Department, LiaisonGroup, Member, Sector, SpecialCommittee, Term

from .helpers import bearer, call


@pytest.fixture
def admin(client, personas):
    """The district's office admin, by token: the persona allowed every write tested here."""
    return bearer(personas.office_admin)


def _nothing_written(before):
    assert Member.objects.count() == before["members"]
    assert Sector.objects.count() == before["sectors"]
    assert Department.objects.count() == before["departments"]
    assert AuditEvent.objects.filter(verb__startswith="org.").count() == before["events"]


@pytest.fixture
def before(personas):
    return {
        "members": Member.objects.count(), "sectors": Sector.objects.count(),
        "departments": Department.objects.count(),
        "events": AuditEvent.objects.filter(verb__startswith="org.").count(),
    }


def test_invalid_json_is_a_422(client, admin, before):
    response = call(client, "POST", "/api/v1/committees/district/sectors", headers=admin, raw='{"name": "科技界"')
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]
    _nothing_written(before)


def test_a_json_array_instead_of_an_object_is_a_422(client, admin, before):
    response = call(client, "POST", "/api/v1/committees/district/sectors", headers=admin, body=["科技界"])
    assert response.status_code == 422
    _nothing_written(before)


@pytest.mark.parametrize("body,field", [
    ({"name": 12}, "name"),
    ({"name": "科技界", "order": "first"}, "order"),
    ({"name": "科技界", "order": -1}, "order"),
    ({}, "name"),
])
def test_wrong_types_and_missing_fields_are_422_per_field(client, admin, before, body, field):
    response = call(client, "POST", "/api/v1/committees/district/sectors", headers=admin, body=body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert all(isinstance(m, str) and m for m in response.json()["errors"][field])
    _nothing_written(before)


def test_unknown_fields_are_refused_not_ignored(client, admin, before, personas):
    response = call(client, "POST", "/api/v1/committees/district/members", headers=admin,
                    body={"name": "张新", "committee": personas.other.pk})
    assert response.status_code == 422
    assert "committee" in response.json()["errors"]
    _nothing_written(before)


def test_a_patch_with_an_unknown_field_changes_nothing(client, admin, before, personas):
    response = call(client, "PATCH", f"/api/v1/committees/district/members/{personas.member_row.pk}",
                    headers=admin, body={"unit": "新单位", "user": personas.sysadmin.pk})
    assert response.status_code == 422
    personas.member_row.refresh_from_db()
    assert personas.member_row.unit == ""
    _nothing_written(before)


@pytest.mark.parametrize("field,model,make", [
    ("sector", Sector, lambda c: Sector.objects.create(committee=c, name="西城界别")),
    ("special_committee", SpecialCommittee, lambda c: SpecialCommittee.objects.create(committee=c, name="西城专委会")),
    ("liaison_group", LiaisonGroup, lambda c: LiaisonGroup.objects.create(committee=c, name="西城联络组")),
    ("term", Term, lambda c: Term.objects.create(committee=c, number=1, start_date="2022-01-01")),
])
def test_a_reference_to_another_committees_row_is_a_422(client, personas, field, model, make):
    foreign = make(personas.other)
    admin = bearer(personas.office_admin)
    events = AuditEvent.objects.filter(verb__startswith="org.").count()
    response = call(client, "POST", "/api/v1/committees/district/members", headers=admin,
                    body={"name": "张新", field: foreign.pk})
    assert response.status_code == 422
    assert field in response.json()["errors"]
    # The message is the same as for an id that does not exist at all.
    missing = call(client, "POST", "/api/v1/committees/district/members", headers=admin,
                   body={"name": "张新", field: 999999})
    assert missing.json()["errors"][field] == response.json()["errors"][field]
    assert not Member.objects.filter(name="张新").exists()
    assert AuditEvent.objects.filter(verb__startswith="org.").count() == events


def test_moving_a_member_into_another_committees_sector_is_a_422(client, admin, personas):
    foreign = Sector.objects.create(committee=personas.other, name="西城界别")
    response = call(client, "PATCH", f"/api/v1/committees/district/members/{personas.member_row.pk}",
                    headers=admin, body={"sector": foreign.pk})
    assert response.status_code == 422
    personas.member_row.refresh_from_db()
    assert personas.member_row.sector == personas.sector


def test_a_duplicate_name_is_a_422(client, admin, before):
    response = call(client, "POST", "/api/v1/committees/district/sectors", headers=admin, body={"name": "经济界"})
    assert response.status_code == 422
    assert response.json()["errors"]
    _nothing_written(before)


def test_a_duplicate_department_is_a_422(client, admin, before):
    response = call(client, "POST", "/api/v1/committees/district/departments", headers=admin,
                    body={"name": "区生态环境局", "kind": "government"})
    assert response.status_code == 422
    _nothing_written(before)


def test_a_duplicate_member_number_is_a_422(client, admin, personas):
    call(client, "POST", "/api/v1/committees/district/members", headers=admin, body={"name": "甲", "member_no": "007"})
    response = call(client, "POST", "/api/v1/committees/district/members", headers=admin,
                    body={"name": "乙", "member_no": "007"})
    assert response.status_code == 422
    assert not Member.objects.filter(name="乙").exists()


def test_model_validation_reports_the_field(client, admin, before):
    response = call(client, "POST", "/api/v1/committees/district/members", headers=admin,
                    body={"name": "张新", "email": "not-an-email", "status": "retired"})
    assert response.status_code == 422
    assert {"email", "status"} <= set(response.json()["errors"])
    _nothing_written(before)


def test_an_invalid_department_kind_is_a_422(client, admin, before):
    response = call(client, "POST", "/api/v1/committees/district/departments", headers=admin,
                    body={"name": "某局", "kind": "ministry"})
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]
    _nothing_written(before)


def test_staff_for_an_unknown_account_is_a_422(client, admin, personas):
    response = call(client, "POST", f"/api/v1/committees/district/departments/{personas.dept_a.pk}/staff",
                    headers=admin, body={"username": "nobody", "tier": "handler"})
    assert response.status_code == 422
    assert "username" in response.json()["errors"]


def test_adding_the_same_staff_twice_is_a_422(client, admin, personas):
    response = call(client, "POST", f"/api/v1/committees/district/departments/{personas.dept_a.pk}/staff",
                    headers=admin, body={"username": "dept_handler", "tier": "handler"})
    assert response.status_code == 422
    assert personas.dept_a.staff.filter(user=personas.dept_handler).count() == 1


def test_an_unknown_role_is_a_422(client, admin, personas):
    response = call(client, "POST", "/api/v1/committees/district/roles", headers=admin,
                    body={"username": "cosigner", "role": "emperor"})
    assert response.status_code == 422


def test_a_committee_cannot_become_its_own_ancestor(client, personas):
    response = call(client, "PATCH", "/api/v1/committees/city", personas.sysadmin, {"parent": "district"})
    assert response.status_code == 422
    assert "parent" in response.json()["errors"]
    personas.city.refresh_from_db()
    assert personas.city.parent == personas.province


def test_an_unknown_parent_committee_is_a_422(client, personas):
    response = call(client, "POST", "/api/v1/committees", personas.sysadmin,
                    {"code": "x1", "name": "某政协", "level": "county", "parent": "nowhere"})
    assert response.status_code == 422
    assert "parent" in response.json()["errors"]


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-1", "limit=abc"])
def test_bad_paging_parameters_are_a_422(client, admin, query):
    response = call(client, "GET", f"/api/v1/committees/district/members?{query}", headers=admin)
    assert response.status_code == 422
    assert response.json()["errors"]
