"""The permission matrix: every persona against every organisation permission, and the pages that enforce them.

The expected sets are written out by hand on purpose: a change to ``org/rules.py`` or ``org/roles.py`` that
widens or narrows access must show up here as a failing line.
"""

import pytest
from rules.permissions import permissions

from xieshang.org import actions
from xieshang.org.models import ImportJob, Member, Sector
from xieshang.testing import PERSONA_NAMES

IN_DISTRICT = {
    "member", "cosigner", "proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor",
    "sysadmin", "dept_leader", "dept_handler", "other_dept_handler",
}
OFFICE_ADMIN = {"office_admin", "sysadmin"}
PROPOSAL_OFFICE = {"office_admin", "proposal_staff", "sysadmin"}
OFFICE = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "sysadmin"}

# permission -> (object on which it is checked, personas allowed on the district committee)
EXPECTED = {
    "org.view_committee": ("district", IN_DISTRICT),
    "org.add_committee": (None, {"sysadmin"}),
    "org.change_committee": (None, {"sysadmin"}),
    "org.view_structure": ("district", IN_DISTRICT),
    "org.change_structure": ("district", OFFICE_ADMIN),
    "org.change_settings": ("district", OFFICE_ADMIN),
    "org.view_member_directory": ("district", IN_DISTRICT),
    "org.view_member_contacts": ("district", OFFICE),
    "org.change_member": ("district", OFFICE_ADMIN),
    "org.import_members": ("district", OFFICE_ADMIN),
    "org.view_department": ("district", IN_DISTRICT),
    "org.change_department": ("district", PROPOSAL_OFFICE),
    "org.import_departments": ("district", PROPOSAL_OFFICE),
    # dept_leader leads dept_a; the handlers of dept_a and dept_b may not manage staff.
    "org.manage_department_staff": ("dept_a", PROPOSAL_OFFICE | {"dept_leader"}),
    "org.manage_roles": ("district", OFFICE_ADMIN),
    "org.change_informant": ("district", {"office_admin", "info_editor", "sysadmin"}),
    "org.view_imports": ("district", PROPOSAL_OFFICE),
    "core.view_audit": ("district", {"auditor", "office_admin", "sysadmin"}),
    "core.view_audit_all": (None, {"sysadmin"}),
    # Holidays are deployment-wide: an office admin of any committee (other_staff too) maintains them.
    "core.manage_calendar": (None, {"sysadmin", "office_admin", "other_staff"}),
}
# The same permissions checked on the other district's objects: only its own office admin and the sysadmin.
EXPECTED_ON_OTHER = {
    perm: ({"sysadmin"} if allowed == {"sysadmin"} else {"sysadmin", "other_staff"})
    for perm, (_obj, allowed) in EXPECTED.items()
    if perm != "core.manage_calendar"
}
EXPECTED_ON_OTHER["core.manage_calendar"] = {"sysadmin", "office_admin", "other_staff"}


def test_the_matrix_covers_every_declared_organisation_permission():
    declared = {name for name in permissions if name.startswith("org.")}
    assert declared == {name for name in EXPECTED if name.startswith("org.")}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_matrix_on_the_district(personas, perm):
    target_name, allowed = EXPECTED[perm]
    target = getattr(personas, target_name) if target_name else None
    granted = {name for name in PERSONA_NAMES if getattr(personas, name).has_perm(perm, target)}
    assert granted == allowed


@pytest.mark.parametrize("perm", sorted(EXPECTED_ON_OTHER))
def test_permission_matrix_on_the_other_district(personas, perm):
    target_name, _allowed = EXPECTED[perm]
    target = {"district": personas.other, "dept_a": personas.dept_other, None: None}[target_name]
    granted = {name for name in PERSONA_NAMES if getattr(personas, name).has_perm(perm, target)}
    assert granted == EXPECTED_ON_OTHER[perm]


def test_a_department_leader_may_not_manage_another_departments_staff(personas):
    assert personas.dept_leader.has_perm("org.manage_department_staff", personas.dept_a)
    assert not personas.dept_leader.has_perm("org.manage_department_staff", personas.dept_b)


def test_a_member_who_left_loses_the_member_role(personas):
    actions.do_update_member(personas.member_row, {"status": "left"}, actor=None)
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=personas.member.pk)
    assert not fresh.has_perm("org.view_member_directory", personas.district)


# --- Pages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def page_objects(personas):
    p = personas
    p.job = actions.do_record_import(p.district, ImportJob.Kind.DEPARTMENTS, "d.xlsx", status="failed", row_count=0,
                                     errors=[{"row": None, "message": "x"}], actor=p.proposal_staff)
    p.staff_post = p.dept_a.staff.get(user=p.dept_handler)
    p.unlinked = Member.objects.create(committee=p.district, name="赵无号", sector=p.sector)
    return p


def _org(p, suffix=""):
    return f"/c/district/org/{suffix}"


# (page id, permission whose allowed set applies, url builder)
PAGES = [
    ("home", "org.view_committee", lambda p: _org(p)),
    ("terms", "org.view_structure", lambda p: _org(p, "terms/")),
    ("sectors", "org.view_structure", lambda p: _org(p, "sectors/")),
    ("special-committees", "org.view_structure", lambda p: _org(p, "special-committees/")),
    ("liaison-groups", "org.view_structure", lambda p: _org(p, "liaison-groups/")),
    ("term-new", "org.change_structure", lambda p: _org(p, "terms/new/")),
    ("sector-new", "org.change_structure", lambda p: _org(p, "sectors/new/")),
    ("sector-edit", "org.change_structure", lambda p: _org(p, f"sectors/{p.sector.pk}/edit/")),
    ("settings", "org.change_settings", lambda p: _org(p, "settings/")),
    ("members", "org.view_member_directory", lambda p: _org(p, "members/")),
    ("member", "org.view_member_directory", lambda p: _org(p, f"members/{p.member_row.pk}/")),
    ("member-new", "org.change_member", lambda p: _org(p, "members/new/")),
    ("member-edit", "org.change_member", lambda p: _org(p, f"members/{p.member_row.pk}/edit/")),
    ("member-account", "org.change_member", lambda p: _org(p, f"members/{p.unlinked.pk}/account/")),
    ("import-members", "org.import_members", lambda p: _org(p, "import/members/")),
    ("import-members-template", "org.import_members", lambda p: _org(p, "import/members/template.xlsx")),
    ("departments", "org.view_department", lambda p: _org(p, "departments/")),
    ("department", "org.view_department", lambda p: _org(p, f"departments/{p.dept_a.pk}/")),
    ("department-new", "org.change_department", lambda p: _org(p, "departments/new/")),
    ("department-edit", "org.change_department", lambda p: _org(p, f"departments/{p.dept_a.pk}/edit/")),
    ("staff-add", "org.manage_department_staff", lambda p: _org(p, f"departments/{p.dept_a.pk}/staff/add/")),
    ("import-departments", "org.import_departments", lambda p: _org(p, "import/departments/")),
    ("import-detail", "org.view_imports", lambda p: _org(p, f"imports/{p.job.pk}/")),
    ("roles", "org.manage_roles", lambda p: _org(p, "roles/")),
    ("committees", "org.change_committee", lambda p: "/committees/"),
    ("committee-new", "org.add_committee", lambda p: "/committees/new/"),
    ("committee-edit", "org.change_committee", lambda p: f"/committees/{p.district.pk}/edit/"),
]


@pytest.mark.parametrize("page, perm, url", PAGES, ids=[p[0] for p in PAGES])
def test_each_page_admits_exactly_the_allowed_personas(client, login, page_objects, page, perm, url):
    """Every persona in turn: 200 for the allowed set, 403/404 and no contacts for everyone else."""
    wrong = []
    for persona in PERSONA_NAMES:
        client.logout()
        login(client, getattr(page_objects, persona))
        response = client.get(url(page_objects))
        allowed = persona in EXPECTED[perm][1]
        if allowed and response.status_code != 200:
            wrong.append((persona, response.status_code, "should be allowed"))
        if not allowed and (response.status_code not in (403, 404) or b"13800000001" in response.content):
            wrong.append((persona, response.status_code, "should be refused"))
    assert wrong == []


# POST-only writes: each refused persona gets 403/404 and nothing changes.
WRITES = [
    ("term-current", "org.change_structure", lambda p: _org(p, f"terms/{p.term.pk}/current/")),
    ("staff-remove", "org.manage_department_staff", lambda p: _org(p, f"staff/{p.staff_post.pk}/remove/")),
    ("role-revoke", "org.manage_roles", lambda p: _org(p, f"roles/{p.grant.pk}/revoke/")),
    ("import-resolve", "org.import_departments", lambda p: _org(p, f"imports/{p.job.pk}/resolve/")),
]


@pytest.mark.parametrize("page, perm, url", WRITES, ids=[w[0] for w in WRITES])
def test_each_write_refuses_the_personas_without_the_permission(client, login, page_objects, page, perm, url):
    """Every refused persona gets 403/404 and changes nothing; then one allowed persona's write goes through."""
    from xieshang.org.models import DepartmentStaff, RoleGrant, Term

    p = page_objects
    p.term = Term.objects.create(committee=p.district, number=14, start_date="2017-01-01")
    p.grant = RoleGrant.objects.get(user=p.info_editor, committee=p.district)
    allowed = EXPECTED[perm][1]
    for persona in [name for name in PERSONA_NAMES if name not in allowed]:
        client.logout()
        login(client, getattr(p, persona))
        response = client.post(url(p))
        assert response.status_code in (403, 404), persona
        p.term.refresh_from_db()
        p.job.refresh_from_db()
        assert not p.term.is_current and not p.job.resolved, persona
        assert DepartmentStaff.objects.filter(pk=p.staff_post.pk).exists(), persona
        assert RoleGrant.objects.filter(pk=p.grant.pk).exists(), persona
    client.logout()
    login(client, getattr(p, sorted(allowed)[0]))
    assert client.post(url(p)).status_code == 302


def test_an_anonymous_visitor_is_sent_to_sign_in(client, personas):
    response = client.get("/c/district/org/members/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_of_another_committee_cannot_reach_this_committees_objects_by_id(client, login, personas):
    """An office admin of ``district`` addressing the other district's rows through the district URLs gets 404."""
    other_sector = Sector.objects.create(committee=personas.other, name="农业界")
    login(client, personas.office_admin)
    assert client.get(f"/c/district/org/sectors/{other_sector.pk}/edit/").status_code == 404
    assert client.get(f"/c/district/org/departments/{personas.dept_other.pk}/").status_code == 404
    assert client.get("/c/other/org/members/").status_code == 403
    assert client.get("/c/nowhere/org/").status_code == 404


def test_department_posts_are_read_with_the_roles_once_and_dropped_by_forget(personas, django_assert_num_queries):
    from xieshang.org import roles
    from xieshang.org.models import DepartmentStaff

    p = personas
    user = p.dept_handler
    roles.forget(user)
    assert roles.department_ids(user) == {p.dept_a.pk}
    assert roles.department_ids(user, tier="leader") == set()
    with django_assert_num_queries(0):
        assert roles.department_ids(user, tier="handler") == {p.dept_a.pk}
    DepartmentStaff.objects.create(department=p.dept_b, user=user, tier="leader")
    assert roles.department_ids(user) == {p.dept_a.pk}  # cached for this user object
    roles.forget(user)
    assert roles.department_ids(user) == {p.dept_a.pk, p.dept_b.pk}
    assert roles.department_ids(user, tier="leader") == {p.dept_b.pk}
    p.dept_b.is_active = False
    p.dept_b.save()
    roles.forget(user)
    assert roles.department_ids(user) == {p.dept_a.pk}


def test_values_derived_from_the_roles_are_dropped_with_them(personas):
    from xieshang.org import roles
    from xieshang.org.models import RoleGrant
    from xieshang.search.providers._util import committees_with

    p = personas
    assert committees_with(p.outsider, "library.view_document") == []
    RoleGrant.objects.create(user=p.outsider, committee=p.district, role=roles.OFFICE_ADMIN)
    assert committees_with(p.outsider, "library.view_document") == []  # cached until the roles change
    roles.forget(p.outsider)
    assert committees_with(p.outsider, "library.view_document") == [p.district.pk]
