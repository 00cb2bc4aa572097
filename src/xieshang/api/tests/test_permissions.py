"""The permission matrix through the API: every persona against the read and write endpoints of ``district``.

Expected codes: 200/201 when the rule allows; 403 when the persona can see the committee but the rule refuses;
404 when the persona cannot see the committee at all (another committee's staff, the outsider), so that its
existence is not revealed. A refusal carries ``{"detail": ...}`` and nothing else.
"""

import pytest

from xieshang.core.models import AuditEvent
from xieshang.org.models import Committee, Department, DepartmentStaff, Member, RoleGrant, Sector
from xieshang.testing import PERSONA_NAMES

from .helpers import call

IN_DISTRICT = {
    "member", "cosigner", "proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader",
    "auditor", "sysadmin", "dept_leader", "dept_handler", "other_dept_handler",
}
# An appointed informant (特邀信息员) is not a member: the committee's organisation data is not theirs to see.
INVISIBLE = {"other_staff", "informant", "outsider"}
assert IN_DISTRICT | INVISIBLE == set(PERSONA_NAMES)

CONTACT_READERS = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "sysadmin"}
STRUCTURE_EDITORS = {"office_admin", "sysadmin"}
MEMBER_EDITORS = {"office_admin", "sysadmin"}
DEPARTMENT_EDITORS = {"office_admin", "proposal_staff", "sysadmin"}
STAFF_MANAGERS_OF_DEPT_A = DEPARTMENT_EDITORS | {"dept_leader"}
ROLE_MANAGERS = {"office_admin", "sysadmin"}
AUDIT_READERS = {"auditor", "office_admin", "sysadmin"}


def expected(persona, allowed, ok=200):
    if persona in allowed:
        return ok
    return 403 if persona in IN_DISTRICT else 404


def assert_refusal_carries_no_data(response):
    assert set(response.json()) == {"detail"}, response.json()
    assert "示范市东城区政协" not in response.content.decode()


READS = [
    ("/api/v1/committees/district", IN_DISTRICT),
    ("/api/v1/committees/district/terms", IN_DISTRICT),
    ("/api/v1/committees/district/sessions", IN_DISTRICT),
    ("/api/v1/committees/district/sectors", IN_DISTRICT),
    ("/api/v1/committees/district/special-committees", IN_DISTRICT),
    ("/api/v1/committees/district/liaison-groups", IN_DISTRICT),
    ("/api/v1/committees/district/members", IN_DISTRICT),
    ("/api/v1/committees/district/departments", IN_DISTRICT),
    ("/api/v1/committees/district/roles", ROLE_MANAGERS),
    ("/api/v1/audit?committee=district", AUDIT_READERS),
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("path,allowed", READS, ids=[r[0].split("district")[-1] or "committee" for r in READS])
def test_reads_follow_the_rules(client, personas, persona, path, allowed):
    response = call(client, "GET", path, getattr(personas, persona))
    assert response.status_code == expected(persona, allowed), response.content
    if response.status_code != 200:
        assert_refusal_carries_no_data(response)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_department_detail_and_staff_follow_the_rules(client, personas, persona):
    user = getattr(personas, persona)
    for path in (f"/api/v1/committees/district/departments/{personas.dept_a.pk}",
                 f"/api/v1/committees/district/departments/{personas.dept_a.pk}/staff"):
        response = call(client, "GET", path, user)
        assert response.status_code == expected(persona, IN_DISTRICT)
        if response.status_code != 200:
            assert_refusal_carries_no_data(response)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_member_contacts_only_reach_those_allowed_to_see_them(client, personas, persona):
    response = call(client, "GET", "/api/v1/committees/district/members", getattr(personas, persona))
    if persona in INVISIBLE:
        assert response.status_code == 404
        assert "13800000001" not in response.content.decode()
        return
    items = response.json()["items"]
    wang = next(i for i in items if i["name"] == "王建国")
    if persona in CONTACT_READERS:
        assert wang["contacts"]["mobile"] == "13800000001"
    else:
        assert wang["contacts"] is None
        assert "13800000001" not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_committee_list_shows_only_visible_committees(client, personas, persona):
    response = call(client, "GET", "/api/v1/committees", getattr(personas, persona))
    assert response.status_code == 200
    codes = {c["code"] for c in response.json()["items"]}
    if persona == "sysadmin":
        assert codes == {"province", "city", "district", "other"}
    elif persona == "other_staff":
        assert codes == {"other"}
    elif persona == "outsider":
        assert codes == set()
    else:
        assert codes == {"district"}


# Writes ---------------------------------------------------------------------------------------------------

def _writes(p):
    """(name, method, path, body, allowed, ok status, how to count what it writes)."""
    return [
        ("create_sector", "POST", "/api/v1/committees/district/sectors", {"name": "科技界", "order": 2},
         STRUCTURE_EDITORS, 201, lambda: Sector.objects.filter(name="科技界").count()),
        ("update_sector", "PATCH", f"/api/v1/committees/district/sectors/{p.sector.pk}", {"name": "经济界（新）"},
         STRUCTURE_EDITORS, 200, lambda: Sector.objects.filter(name="经济界（新）").count()),
        ("create_term", "POST", "/api/v1/committees/district/terms", {"number": 9, "start_date": "2022-01-01"},
         STRUCTURE_EDITORS, 201, lambda: p.district.term_set.filter(number=9).count()),
        ("create_member", "POST", "/api/v1/committees/district/members",
         {"name": "张新", "gender": "m", "sector": p.sector.pk}, MEMBER_EDITORS, 201,
         lambda: Member.objects.filter(name="张新").count()),
        ("update_member", "PATCH", f"/api/v1/committees/district/members/{p.member_row.pk}", {"unit": "某某公司"},
         MEMBER_EDITORS, 200, lambda: Member.objects.filter(unit="某某公司").count()),
        ("create_department", "POST", "/api/v1/committees/district/departments",
         {"name": "区卫生健康委", "kind": "government"}, DEPARTMENT_EDITORS, 201,
         lambda: Department.objects.filter(name="区卫生健康委").count()),
        ("add_staff", "POST", f"/api/v1/committees/district/departments/{p.dept_a.pk}/staff",
         {"username": "outsider", "tier": "handler"}, STAFF_MANAGERS_OF_DEPT_A, 201,
         lambda: DepartmentStaff.objects.filter(user=p.outsider).count()),
        ("grant_role", "POST", "/api/v1/committees/district/roles", {"username": "cosigner", "role": "info_editor"},
         ROLE_MANAGERS, 201, lambda: RoleGrant.objects.filter(user=p.cosigner).count()),
        ("update_committee", "PATCH", "/api/v1/committees/district", {"phone": "010-12345678"},
         {"sysadmin"}, 200, lambda: Committee.objects.filter(phone="010-12345678").count()),
    ]


WRITE_NAMES = [
    "create_sector", "update_sector", "create_term", "create_member", "update_member", "create_department",
    "add_staff", "grant_role", "update_committee",
]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("write", WRITE_NAMES)
def test_writes_follow_the_rules(client, personas, persona, write):
    name, method, path, body, allowed, ok, count = next(w for w in _writes(personas) if w[0] == write)
    user = getattr(personas, persona)
    before, events = count(), AuditEvent.objects.filter(verb__startswith="org.").count()
    response = call(client, method, path, user, body)
    assert response.status_code == expected(persona, allowed, ok), response.content
    if response.status_code in (200, 201):
        assert count() == before + 1
        assert AuditEvent.objects.filter(verb__startswith="org.").count() > events
    else:
        assert_refusal_carries_no_data(response)
        assert count() == before
        assert AuditEvent.objects.filter(verb__startswith="org.").count() == events


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_sysadmin_creates_committees(client, personas, persona):
    body = {"code": "newtown", "name": "示范市新区政协", "level": "county", "parent": "city"}
    response = call(client, "POST", "/api/v1/committees", getattr(personas, persona), body)
    if persona == "sysadmin":
        assert response.status_code == 201
        assert Committee.objects.get(code="newtown").parent == personas.city
    else:
        assert response.status_code == 403
        assert_refusal_carries_no_data(response)
        assert not Committee.objects.filter(code="newtown").exists()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_revoking_a_role_follows_the_rules(client, personas, persona):
    grant = RoleGrant.objects.get(user=personas.info_editor, committee=personas.district)
    response = call(client, "DELETE", f"/api/v1/committees/district/roles/{grant.pk}", getattr(personas, persona))
    assert response.status_code == expected(persona, ROLE_MANAGERS, 204)
    assert RoleGrant.objects.filter(pk=grant.pk).exists() == (response.status_code != 204)


def test_an_office_admin_cannot_grant_the_sysadmin_role(client, personas):
    response = call(client, "POST", "/api/v1/committees/district/roles", personas.office_admin,
                    {"username": "cosigner", "role": "sysadmin"})
    assert response.status_code == 403
    assert not RoleGrant.objects.filter(user=personas.cosigner).exists()


def test_a_department_leader_cannot_manage_another_departments_staff(client, personas):
    response = call(client, "POST", f"/api/v1/committees/district/departments/{personas.dept_b.pk}/staff",
                    personas.dept_leader, {"username": "outsider", "tier": "handler"})
    assert response.status_code == 403
    assert not DepartmentStaff.objects.filter(user=personas.outsider).exists()


def test_another_committees_object_is_not_found_not_forbidden(client, personas):
    """other_staff is office admin of ``other``; district's objects under other's URL are 404, and vice versa."""
    path = f"/api/v1/committees/other/departments/{personas.dept_a.pk}"
    assert call(client, "GET", path, personas.other_staff).status_code == 404
    response = call(client, "PATCH", path, personas.other_staff, {"name": "改名"})
    assert response.status_code == 404
    personas.dept_a.refresh_from_db()
    assert personas.dept_a.name == "区生态环境局"
    # district's own office admin asking for other's department under district's URL: also 404.
    path = f"/api/v1/committees/district/departments/{personas.dept_other.pk}"
    assert call(client, "GET", path, personas.office_admin).status_code == 404
    # An unknown committee and a real but invisible one answer alike.
    unknown = call(client, "GET", "/api/v1/committees/nowhere", personas.office_admin)
    hidden = call(client, "GET", "/api/v1/committees/other", personas.office_admin)
    assert unknown.status_code == hidden.status_code == 404
    assert unknown.json() == hidden.json()


def test_audit_without_a_filter_shows_only_ones_own_committees(client, personas):
    from xieshang.org import actions

    actions.do_create_sector(personas.district, {"name": "东城一界"}, actor=personas.office_admin)
    actions.do_create_sector(personas.other, {"name": "西城一界"}, actor=personas.other_staff)
    seen = call(client, "GET", "/api/v1/audit", personas.other_staff).json()["items"]
    assert {e["committee_id"] for e in seen} == {personas.other.pk}
    assert call(client, "GET", "/api/v1/audit", personas.outsider).status_code == 403
    assert call(client, "GET", "/api/v1/audit", personas.member).status_code == 403
    everything = call(client, "GET", "/api/v1/audit", personas.sysadmin).json()["items"]
    assert {personas.district.pk, personas.other.pk} <= {e["committee_id"] for e in everything}
