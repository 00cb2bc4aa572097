"""Organisation pages and forms: valid input goes through an action, invalid input shows why and writes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model

from xieshang.core.models import AuditEvent
from xieshang.org import settings_registry
from xieshang.org.models import (
    Committee,
    CommitteeSetting,
    Department,
    DepartmentStaff,
    ImportJob,
    LiaisonGroup,
    Member,
    RoleGrant,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)

from .xlsx import DEPARTMENT_HEADER, MEMBER_HEADER, make_xlsx, upload

ORG = "/c/district/org/"


@pytest.fixture
def admin_client(client, login, personas):
    login(client, personas.office_admin)
    return client


def text(response):
    return response.content.decode()


# --- Home --------------------------------------------------------------------------------------------------------


def test_home_shows_counts_links_and_the_committee_tree(admin_client, personas):
    Member.objects.create(committee=personas.district, name="常委甲", is_standing=True, sector=personas.sector)
    Member.objects.create(committee=personas.district, name="离任乙", status="left")
    SpecialCommittee.objects.create(committee=personas.district, name="经济委员会")
    body = text(admin_client.get(ORG))
    assert "示范市东城区政协" in body and "示范市政协" in body  # itself and its parent
    counts = body[body.index('data-testid="org-counts"'):]
    assert '<span class="stat-n">3</span><span>在任委员' in counts  # two personas' members + 常委甲
    assert '<span class="stat-n">1</span><span>常委' in counts
    assert '<span class="stat-n">2</span><span>承办单位' in counts
    assert f"{ORG}import/members/" in body and f"{ORG}roles/" in body


def test_home_of_the_city_lists_its_children(client, login, personas):
    login(client, personas.sysadmin)
    body = text(client.get("/c/city/org/"))
    assert "示范市东城区政协" in body and "示范市西城区政协" in body


def test_a_member_sees_no_management_links_on_home(client, login, personas):
    login(client, personas.member)
    body = text(client.get(ORG))
    assert f"{ORG}roles/" not in body and f"{ORG}settings/" not in body and "import/" not in body


# --- Terms and sessions ------------------------------------------------------------------------------------------


def test_it_creates_a_term_and_refuses_a_duplicate_number(admin_client, personas):
    response = admin_client.post(f"{ORG}terms/new/", {"number": 15, "start_date": "2022-01-10", "end_date": ""})
    assert response.status_code == 302
    term = Term.objects.get(committee=personas.district, number=15)
    assert AuditEvent.objects.for_object(term).filter(verb="org.term_created").exists()

    response = admin_client.post(f"{ORG}terms/new/", {"number": 15, "start_date": "2023-01-10"})
    assert response.status_code == 200
    assert "errorbox" in text(response) or "fielderror" in text(response)
    assert Term.objects.filter(committee=personas.district).count() == 1


def test_it_refuses_a_term_that_ends_before_it_starts(admin_client, personas):
    response = admin_client.post(f"{ORG}terms/new/", {"number": 16, "start_date": "2027-01-10", "end_date": "2026-01-01"})
    assert "结束日期不能早于开始日期" in text(response)
    assert not Term.objects.exists()


def test_it_edits_a_term_and_audits_the_old_and_new_values(admin_client, personas):
    term = Term.objects.create(committee=personas.district, number=15, start_date="2022-01-01")
    admin_client.post(f"{ORG}terms/{term.pk}/edit/", {"number": 15, "start_date": "2022-01-15"})
    term.refresh_from_db()
    assert str(term.start_date) == "2022-01-15"
    event = AuditEvent.objects.for_object(term).get(verb="org.term_updated")
    assert event.changes == {"start_date": ["2022-01-01", "2022-01-15"]}


def test_it_sets_the_current_term_and_clears_the_previous_one(admin_client, personas):
    old = Term.objects.create(committee=personas.district, number=14, start_date="2017-01-01", is_current=True)
    new = Term.objects.create(committee=personas.district, number=15, start_date="2022-01-01")
    admin_client.post(f"{ORG}terms/{new.pk}/current/")
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.is_current and not old.is_current
    assert admin_client.get(f"{ORG}terms/{new.pk}/current/").status_code == 405


def test_it_creates_and_edits_a_session_with_its_proposal_window(admin_client, personas):
    term = Term.objects.create(committee=personas.district, number=15, start_date="2022-01-01")
    data = {"number": 3, "year": 2026, "plenary_start": "2026-01-10", "plenary_end": "2026-01-13",
            "proposal_window_start": "2025-12-01", "proposal_window_end": "2026-01-12"}
    assert admin_client.post(f"{ORG}terms/{term.pk}/sessions/new/", data).status_code == 302
    session = Session.objects.get(term=term, number=3)
    assert session.is_plenary_window(session.proposal_window_end)
    body = text(admin_client.get(f"{ORG}terms/"))
    assert "2025-12-01 — 2026-01-12" in body

    bad = dict(data, plenary_end="2026-01-01", proposal_window_end="")
    response = admin_client.post(f"{ORG}sessions/{session.pk}/edit/", bad)
    assert "会议结束日期不能早于开始日期" in text(response)
    assert "须同时填写" in text(response)
    session.refresh_from_db()
    assert str(session.plenary_end) == "2026-01-13"


def test_it_refuses_a_session_for_another_committees_term(admin_client, personas):
    term = Term.objects.create(committee=personas.other, number=15, start_date="2022-01-01")
    assert admin_client.get(f"{ORG}terms/{term.pk}/sessions/new/").status_code == 404


# --- Sectors, special committees, liaison groups ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, model, data",
    [
        ("sectors", Sector, {"name": "教育界", "order": 2}),
        ("special-committees", SpecialCommittee, {"name": "经济委员会", "short_name": "经济委", "order": 1}),
        ("liaison-groups", LiaisonGroup, {"name": "东华门街道联络组", "area": "street", "leader_name": "周组长",
                                          "contact_phone": "", "order": 1}),
    ],
)
def test_it_creates_edits_and_lists_structure_rows(admin_client, personas, kind, model, data):
    assert admin_client.post(f"{ORG}{kind}/new/", data).status_code == 302
    obj = model.objects.get(committee=personas.district, name=data["name"])
    admin_client.post(f"{ORG}{kind}/{obj.pk}/edit/", dict(data, order=9))
    obj.refresh_from_db()
    assert obj.order == 9
    assert data["name"] in text(admin_client.get(f"{ORG}{kind}/"))
    # A blank name and a duplicate name are both refused with a message.
    response = admin_client.post(f"{ORG}{kind}/new/", dict(data, name=""))
    assert "fielderror" in text(response)
    response = admin_client.post(f"{ORG}{kind}/new/", data)
    assert response.status_code == 200 and ("errorbox" in text(response) or "fielderror" in text(response))
    assert model.objects.filter(committee=personas.district, name=data["name"]).count() == 1


def test_the_sector_list_counts_active_members(admin_client, personas):
    body = text(admin_client.get(f"{ORG}sectors/"))
    assert f"?sector={personas.sector.pk}&amp;status=active\">2<" in body


# --- Members -----------------------------------------------------------------------------------------------------


def _member_data(personas, **over):
    data = {"name": "张伟", "member_no": "D001", "gender": "m", "ethnicity": "汉族", "birth_date": "1970-03-05",
            "party": "", "term": "", "sector": personas.sector.pk, "special_committee": "", "liaison_group": "",
            "is_standing": "on", "unit": "某公司", "post": "经理", "mobile": "13900000001", "phone": "", "email": "",
            "address": "", "status": "active"}
    data.update(over)
    return data


def test_it_creates_a_member_and_shows_the_profile_with_its_timeline(admin_client, personas):
    response = admin_client.post(f"{ORG}members/new/", _member_data(personas))
    member = Member.objects.get(member_no="D001")
    assert response["Location"] == f"{ORG}members/{member.pk}/"
    assert member.is_standing and member.sector == personas.sector
    admin_client.post(f"{ORG}members/{member.pk}/edit/", _member_data(personas, post="董事长"))
    body = text(admin_client.get(f"{ORG}members/{member.pk}/"))
    assert "董事长" in body and "13900000001" in body
    assert "新增了委员" in body and "修改了委员信息" in body  # the timeline's verb labels
    assert "经理" in body  # the old value in the timeline


def test_it_refuses_a_member_without_a_name_or_with_a_bad_email(admin_client, personas):
    response = admin_client.post(f"{ORG}members/new/", _member_data(personas, name="", email="nope"))
    assert response.status_code == 200
    assert text(response).count("fielderror") >= 2
    assert not Member.objects.filter(member_no="D001").exists()


def test_it_refuses_a_sector_of_another_committee_for_a_member(admin_client, personas):
    foreign = Sector.objects.create(committee=personas.other, name="农业界")
    response = admin_client.post(f"{ORG}members/new/", _member_data(personas, sector=foreign.pk))
    assert response.status_code == 200 and "fielderror" in text(response)
    assert not Member.objects.filter(member_no="D001").exists()


def test_it_refuses_a_duplicate_member_number(admin_client, personas):
    Member.objects.create(committee=personas.district, name="老委员", member_no="D001")
    response = admin_client.post(f"{ORG}members/new/", _member_data(personas))
    assert response.status_code == 200 and "errorbox" in text(response)
    assert Member.objects.filter(member_no="D001").count() == 1


def test_a_member_sees_the_directory_without_contacts_or_history(client, login, personas):
    login(client, personas.cosigner)
    body = text(client.get(f"{ORG}members/"))
    assert "王建国" in body and "13800000001" not in body
    body = text(client.get(f"{ORG}members/{personas.member_row.pk}/"))
    assert "王建国" in body and "13800000001" not in body and "member-contacts" not in body
    assert "历史记录" not in body


def test_office_staff_see_contacts(client, login, personas):
    login(client, personas.info_editor)
    assert "13800000001" in text(client.get(f"{ORG}members/"))
    assert "13800000001" in text(client.get(f"{ORG}members/{personas.member_row.pk}/"))


def test_the_member_list_filters(admin_client, personas):
    economy = SpecialCommittee.objects.create(committee=personas.district, name="经济委员会")
    group = LiaisonGroup.objects.create(committee=personas.district, name="东华门街道联络组")
    education = Sector.objects.create(committee=personas.district, name="教育界", order=2)
    term = Term.objects.create(committee=personas.district, number=15, start_date="2022-01-01")
    Member.objects.create(committee=personas.district, name="张三", sector=education, is_standing=True,
                          special_committee=economy, liaison_group=group, term=term)
    Member.objects.create(committee=personas.district, name="张四", sector=education, status="left")

    def names(**params):
        body = text(admin_client.get(f"{ORG}members/", params))
        return {n for n in ("王建国", "李秀英", "张三", "张四") if f">{n}</a>" in body}

    assert names() == {"王建国", "李秀英", "张三", "张四"}
    assert names(q="张") == {"张三", "张四"}
    assert names(sector=education.pk) == {"张三", "张四"}
    assert names(special_committee=economy.pk) == {"张三"}
    assert names(liaison_group=group.pk) == {"张三"}
    assert names(standing="1") == {"张三"}
    assert names(standing="0") == {"王建国", "李秀英", "张四"}
    assert names(status="left") == {"张四"}
    assert names(term=term.pk) == {"张三"}
    assert names(sector="not-a-number") == {"王建国", "李秀英", "张三", "张四"}


def test_the_member_list_answers_htmx_with_the_results_only(admin_client, personas):
    response = admin_client.get(f"{ORG}members/", {"q": "王"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert "王建国" in body and "<html" not in body and 'name="q"' not in body
    assert "HX-Request" in response["Vary"]
    full = text(admin_client.get(f"{ORG}members/", {"q": "王"}))
    assert "<html" in full and 'hx-get="/c/district/org/members/"' in full and 'hx-push-url="true"' in full


def test_the_member_list_paginates(admin_client, personas):
    Member.objects.bulk_create(Member(committee=personas.district, name=f"委员{i:03d}") for i in range(60))
    page1 = text(admin_client.get(f"{ORG}members/", {"status": "active"}))
    assert "共 62 位委员" in page1 and "第 1 / 2 页" in page1 and "status=active&amp;page=2" in page1
    page2 = text(admin_client.get(f"{ORG}members/", {"status": "active", "page": 2}))
    assert "第 2 / 2 页" in page2


def test_the_member_list_runs_a_fixed_number_of_queries(admin_client, personas, django_assert_max_num_queries):
    """The same queries for 5 members as for a full page of 50 with 120 behind it (sector, groups, term joined)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    special = SpecialCommittee.objects.create(committee=personas.district, name="经济委员会")
    group = LiaisonGroup.objects.create(committee=personas.district, name="联络组")
    term = Term.objects.create(committee=personas.district, number=15, start_date="2022-01-01")

    def add(n):
        Member.objects.bulk_create(
            Member(committee=personas.district, name=f"委员{i:03d}", sector=personas.sector, special_committee=special,
                   liaison_group=group, term=term)
            for i in range(n)
        )

    add(5)
    admin_client.get(f"{ORG}members/")  # warm the session and the content-type cache
    with CaptureQueriesContext(connection) as few:
        admin_client.get(f"{ORG}members/")
    add(115)
    with django_assert_max_num_queries(21):
        response = admin_client.get(f"{ORG}members/")
    assert response.status_code == 200 and "共 122 位委员" in text(response)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(f"{ORG}members/")
    assert len(many) == len(few)


def test_it_creates_a_login_account_for_a_member(admin_client, personas):
    member = Member.objects.create(committee=personas.district, name="赵六", sector=personas.sector)
    response = admin_client.post(f"{ORG}members/{member.pk}/account/", {"username": "zhaoliu", "password": ""})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user.username == "zhaoliu" and member.user.first_name == "赵六"
    assert not member.user.has_usable_password()
    verbs = set(AuditEvent.objects.filter(verb__in=["org.user_created", "org.member_updated"])
                .values_list("group_id", flat=True))
    assert len(verbs) == 1  # one user action


def test_it_refuses_a_taken_username_or_a_weak_password_for_a_member_account(admin_client, personas):
    member = Member.objects.create(committee=personas.district, name="赵六")
    response = admin_client.post(f"{ORG}members/{member.pk}/account/", {"username": "member"})
    assert "该用户名已存在" in text(response)
    response = admin_client.post(f"{ORG}members/{member.pk}/account/", {"username": "zhaoliu", "password": "123"})
    assert response.status_code == 200 and "errorbox" in text(response)
    member.refresh_from_db()
    assert member.user is None and not get_user_model().objects.filter(username="zhaoliu").exists()


# --- Departments and staff ---------------------------------------------------------------------------------------


def test_the_department_list_groups_by_kind_and_filters(admin_client, personas):
    Department.objects.create(committee=personas.district, name="区公安分局", kind="legal")
    body = text(admin_client.get(f"{ORG}departments/"))
    assert "政府部门" in body and "政法机关" in body and "区公安分局" in body
    assert "西城区公安分局" not in body  # the other committee's department
    body = text(admin_client.get(f"{ORG}departments/", {"kind": "legal"}, HTTP_HX_REQUEST="true"))
    assert "区公安分局" in body and "区生态环境局" not in body and "<html" not in body


def test_it_creates_and_edits_a_department_and_refuses_bad_input(admin_client, personas):
    data = {"name": "区人民法院", "short_name": "区法院", "kind": "legal", "contact_name": "", "contact_phone": "",
            "address": "", "is_active": "on"}
    response = admin_client.post(f"{ORG}departments/new/", data)
    department = Department.objects.get(committee=personas.district, name="区人民法院")
    assert response["Location"] == f"{ORG}departments/{department.pk}/"
    admin_client.post(f"{ORG}departments/{department.pk}/edit/", dict(data, contact_name="吴法官"))
    department.refresh_from_db()
    assert department.contact_name == "吴法官"
    response = admin_client.post(f"{ORG}departments/new/", dict(data, kind="court"))
    assert "fielderror" in text(response)
    response = admin_client.post(f"{ORG}departments/new/", data)  # duplicate name
    assert "errorbox" in text(response)
    assert Department.objects.filter(name="区人民法院").count() == 1


def test_the_department_page_shows_staff_at_three_tiers(client, login, personas):
    login(client, personas.dept_handler)
    body = text(client.get(f"{ORG}departments/{personas.dept_a.pk}/"))
    for label in ("分管领导", "办公室", "经办人"):
        assert label in body
    assert "赵局长" in body and "钱经办" in body
    assert "添加人员" not in body  # a handler may not manage staff


def test_a_department_leader_adds_a_new_account_and_removes_staff(client, login, personas):
    login(client, personas.dept_leader)
    response = client.post(f"{ORG}departments/{personas.dept_a.pk}/staff/add/", {
        "mode": "new", "username": "handler2", "full_name": "孙新", "password": "", "tier": "office", "phone": "123",
    })
    assert response.status_code == 302
    post = DepartmentStaff.objects.get(department=personas.dept_a, user__username="handler2")
    assert post.tier == "office" and post.user.first_name == "孙新"
    assert len(set(AuditEvent.objects.filter(verb__in=["org.user_created", "org.department_staff_added"])
                   .values_list("group_id", flat=True))) == 1
    client.post(f"{ORG}staff/{post.pk}/remove/")
    assert not DepartmentStaff.objects.filter(pk=post.pk).exists()


def test_it_adds_an_existing_account_as_staff_and_refuses_bad_input(admin_client, personas):
    url = f"{ORG}departments/{personas.dept_b.pk}/staff/add/"
    response = admin_client.post(url, {"mode": "existing", "username": "nobody", "tier": "handler"})
    assert "没有这个用户名的账号" in text(response)
    response = admin_client.post(url, {"mode": "new", "username": "outsider", "full_name": "", "tier": "handler"})
    assert "该用户名已存在" in text(response) and "新建账号须填写姓名" in text(response)
    response = admin_client.post(url, {"mode": "existing", "username": "other_dept_handler", "tier": "handler"})
    assert "该账号已是本单位人员" in text(response)
    count = DepartmentStaff.objects.count()
    response = admin_client.post(url, {"mode": "existing", "username": "outsider", "tier": "leader"})
    assert response.status_code == 302 and DepartmentStaff.objects.count() == count + 1


def test_a_department_leader_cannot_add_staff_to_another_department(client, login, personas):
    login(client, personas.dept_leader)
    response = client.post(f"{ORG}departments/{personas.dept_b.pk}/staff/add/",
                           {"mode": "existing", "username": "outsider", "tier": "handler"})
    assert response.status_code == 403
    assert not DepartmentStaff.objects.filter(user=personas.outsider).exists()


# --- Roles and settings ------------------------------------------------------------------------------------------


def test_it_grants_and_revokes_a_role(admin_client, personas):
    response = admin_client.post(f"{ORG}roles/", {"username": "outsider", "role": "auditor"})
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=personas.outsider, committee=personas.district, role="auditor")
    assert "路人" in text(admin_client.get(f"{ORG}roles/"))
    admin_client.post(f"{ORG}roles/{grant.pk}/revoke/")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_it_refuses_an_unknown_user_or_the_sysadmin_role_on_the_roles_page(admin_client, personas):
    assert "没有这个用户名的账号" in text(admin_client.post(f"{ORG}roles/", {"username": "ghost", "role": "auditor"}))
    response = admin_client.post(f"{ORG}roles/", {"username": "outsider", "role": "sysadmin"})
    assert "fielderror" in text(response)
    assert not RoleGrant.objects.filter(user=personas.outsider).exists()


def test_it_will_not_revoke_another_committees_grant(admin_client, personas):
    grant = RoleGrant.objects.get(user=personas.other_staff)
    assert admin_client.post(f"{ORG}roles/{grant.pk}/revoke/").status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_the_settings_page_shows_every_setting_and_saves_them_in_one_action(admin_client, personas):
    body = text(admin_client.get(f"{ORG}settings/"))
    for key, definition in settings_registry.REGISTRY.items():
        assert f'name="{key}"' in body
        assert str(definition.label) in body
    data = {key: ("\n".join(map(str, d.default)) if d.kind == "list" else d.default)
            for key, d in settings_registry.REGISTRY.items() if d.kind != "bool"}
    data["notifications.reminder_days"] = "7\n2"
    data["notifications.escalate_after_days"] = "5"
    assert admin_client.post(f"{ORG}settings/", data).status_code == 302
    assert settings_registry.get(personas.district, "notifications.reminder_days") == [7, 2]
    assert settings_registry.get(personas.district, "notifications.escalate_after_days") == 5
    groups = set(AuditEvent.objects.filter(verb="org.setting_changed").values_list("group_id", flat=True))
    assert len(groups) == 1


def test_the_settings_page_refuses_out_of_range_values(admin_client, personas):
    data = {key: ("\n".join(map(str, d.default)) if d.kind == "list" else d.default)
            for key, d in settings_registry.REGISTRY.items() if d.kind != "bool"}
    data["notifications.escalate_after_days"] = "999"
    data["notifications.reminder_days"] = "abc"
    response = admin_client.post(f"{ORG}settings/", data)
    assert response.status_code == 200 and text(response).count("fielderror") >= 2
    assert not CommitteeSetting.objects.exists()


# --- Committees (sysadmin) ---------------------------------------------------------------------------------------


def test_the_sysadmin_creates_and_edits_a_committee(client, login, personas):
    login(client, personas.sysadmin)
    data = {"code": "north", "name": "示范市北城区政协", "short_name": "北城区政协", "level": "county",
            "parent": personas.city.pk, "address": "", "phone": ""}
    assert client.post("/committees/new/", data).status_code == 302
    north = Committee.objects.get(code="north")
    assert north.parent == personas.city
    client.post(f"/committees/{north.pk}/edit/", dict(data, phone="010-1"))
    north.refresh_from_db()
    assert north.phone == "010-1"
    assert "示范市北城区政协" in text(client.get("/committees/"))


def test_it_refuses_bad_committee_input(client, login, personas):
    login(client, personas.sysadmin)
    base = {"code": "north", "name": "北城", "short_name": "", "level": "county", "parent": "", "address": "",
            "phone": ""}
    assert "fielderror" in text(client.post("/committees/new/", dict(base, code="Bad Code")))
    assert "fielderror" in text(client.post("/committees/new/", dict(base, name="示范市政协")))  # taken
    assert "全国政协没有上级组织" in text(client.post("/committees/new/",
                                                   dict(base, level="national", parent=personas.city.pk)))
    # A county cannot be a parent, and a committee cannot be placed under its own child.
    assert "fielderror" in text(client.post("/committees/new/", dict(base, parent=personas.district.pk)))
    response = client.post(f"/committees/{personas.city.pk}/edit/",
                           {"code": "city", "name": "示范市政协", "level": "city", "parent": personas.district.pk})
    assert "fielderror" in text(response)
    assert not Committee.objects.filter(code="north").exists()
    personas.city.refresh_from_db()
    assert personas.city.parent == personas.province


# --- Import pages ------------------------------------------------------------------------------------------------


def test_the_template_download_is_an_xlsx_with_the_chinese_header(admin_client, personas):
    from openpyxl import load_workbook

    response = admin_client.get(f"{ORG}import/members/template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header[:3] == ["姓名", "性别", "界别"]
    response = admin_client.get(f"{ORG}import/departments/template.xlsx")
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header == ["名称", "类型", "简称", "联系人", "联系电话", "地址"]


def test_uploading_a_good_file_imports_and_shows_the_result(admin_client, personas):
    data = make_xlsx([MEMBER_HEADER[:3], ["张伟", "男", "经济界"], ["刘芳", "女", "经济界"]])
    response = admin_client.post(f"{ORG}import/members/", {"file": upload(data, "委员名单.xlsx")}, follow=True)
    body = text(response)
    assert "导入成功，共新增 2 条记录" in body and "已导入" in body
    assert Member.objects.filter(committee=personas.district).count() == 4


def test_uploading_a_bad_file_lists_each_row_and_can_be_resolved(admin_client, personas):
    data = make_xlsx([DEPARTMENT_HEADER, ["区法院", "法院", "", "", "", ""], ["", "政府部门", "", "", "", ""]])
    response = admin_client.post(f"{ORG}import/departments/", {"file": upload(data, "d.xlsx")}, follow=True)
    body = text(response)
    assert "导入失败，未写入任何数据" in body
    assert "第 2 行" in body and "类型“法院”无效" in body and "第 3 行" in body
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.created_by == personas.office_admin
    assert "导入失败：d.xlsx" in text(admin_client.get("/"))  # on the uploader's workbench
    admin_client.post(f"{ORG}imports/{job.pk}/resolve/")
    job.refresh_from_db()
    assert job.resolved
    assert "导入失败：d.xlsx" not in text(admin_client.get("/"))


def test_uploading_without_a_file_shows_a_field_error(admin_client, personas):
    response = admin_client.post(f"{ORG}import/members/", {})
    assert response.status_code == 200 and "fielderror" in text(response)
    assert not ImportJob.objects.exists()


def test_an_unknown_import_kind_is_not_found(admin_client, personas):
    assert admin_client.get(f"{ORG}import/proposals/").status_code == 404


def test_uploading_an_oversized_file_says_so_and_writes_nothing_but_the_job(admin_client, personas, settings):
    settings.XS_IMPORT_MAX_BYTES = 1024
    data = make_xlsx([MEMBER_HEADER[:3], ["张伟", "男", "经济界"]])
    assert len(data) > 1024
    body = text(admin_client.post(f"{ORG}import/members/", {"file": upload(data, "big.xlsx")}, follow=True))
    assert "文件过大" in body and "整个文件" in body
    assert Member.objects.filter(name="张伟").count() == 0
    assert ImportJob.objects.get().status == "failed"


def test_proposal_staff_import_departments_through_the_page(client, login, personas):
    login(client, personas.proposal_staff)
    data = make_xlsx([DEPARTMENT_HEADER, ["区人民法院", "政法机关", "区法院", "", "", ""]])
    body = text(client.post(f"{ORG}import/departments/", {"file": upload(data, "d.xlsx")}, follow=True))
    assert "导入成功，共新增 1 条记录" in body
    assert Department.objects.get(name="区人民法院").kind == "legal"
