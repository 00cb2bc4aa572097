"""The demo committee (``xieshang demo``) and ``xieshang totp`` on it; see test_demo_seed.py for the rest."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.core.models import AuditEvent
from xieshang.opinions import seed as opinion_seed
from xieshang.opinions.models import Adoption, BulletinIssue, CopyStatus, FollowUp, FollowUpStatus, Report, ReportCopy
from xieshang.org import demo_data, roles
from xieshang.org.models import (
    Committee,
    Department,
    DepartmentStaff,
    Informant,
    LiaisonGroup,
    Member,
    RoleGrant,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from xieshang.testing import totp_now

pytestmark = pytest.mark.django_db

COUNTED = [Committee, Term, Session, Sector, SpecialCommittee, LiaisonGroup, Member, Informant, Department,
           DepartmentStaff, RoleGrant, TOTPDevice, AuditEvent, Report, ReportCopy, FollowUp]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for this module, inside a transaction rolled back at its end.

    Each test's own ``db`` transaction nests inside (a savepoint), so a test that writes leaves the loaded
    demo as it found it. Loading it once keeps the module fast.
    """
    # The same fast hasher the per-test conftest fixture sets, so the tests can check the demo passwords.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        output = run("demo")
    try:
        yield output
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_output, db):
    district = Committee.objects.get(code=demo_data.DISTRICT["code"])
    return {"output": demo_output, "district": district, "city": district.parent}


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_it_builds_a_province_a_city_and_one_district_of_the_real_shape(demo):
    district, city = demo["district"], demo["city"]
    province = city.parent
    assert province.code == demo_data.PROVINCE["code"] and province.level == Committee.Level.PROVINCIAL
    assert province.parent is None and list(province.children.all()) == [city]
    assert city.code == demo_data.CITY["code"] and city.level == Committee.Level.CITY
    assert district.level == Committee.Level.COUNTY
    assert list(city.children.all()) == [district]

    members = Member.objects.filter(committee=district)
    assert 200 <= members.count() <= 240
    assert 35 <= members.standing().count() <= 45
    assert Sector.objects.filter(committee=district).count() == 25
    assert set(Sector.objects.filter(committee=district).values_list("name", flat=True)) >= {
        "中共", "民革", "民盟", "无党派人士", "工商联", "教育界", "医药卫生界", "少数民族界", "宗教界", "特邀人士"}
    # Every sector has members, every member a sector, special committee and liaison group.
    assert not Sector.objects.filter(committee=district, member__isnull=True).exists()
    assert not members.filter(sector__isnull=True).exists()
    assert not members.filter(special_committee__isnull=True).exists()
    assert not members.filter(liaison_group__isnull=True).exists()
    assert SpecialCommittee.objects.filter(committee=district).count() == 7
    assert SpecialCommittee.objects.filter(committee=district, name="提案委员会").exists()
    assert 6 <= LiaisonGroup.objects.filter(committee=district).count() <= 8


def test_its_departments_include_public_security_procuratorate_and_court(demo):
    departments = Department.objects.filter(committee=demo["district"])
    assert 55 <= departments.count() <= 70
    legal = set(departments.filter(kind=Department.Kind.LEGAL).values_list("name", flat=True))
    assert legal >= {"区公安分局", "区人民检察院", "区人民法院"}
    # Departments of every kind, as in a real district.
    assert set(departments.values_list("kind", flat=True)) == set(Department.Kind.values)


def test_it_has_a_current_term_with_sessions_and_proposal_windows(demo):
    district = demo["district"]
    current = Term.objects.get(committee=district, is_current=True)
    assert current.number == 15 and current.start_date.year == 2022
    assert Term.objects.filter(committee=district).count() == 2
    sessions = list(current.sessions.order_by("number"))
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5]
    for session in sessions:
        assert session.proposal_window_start < session.plenary_start <= session.proposal_window_end
        assert session.is_plenary_window(session.plenary_start)
    # Members belong to the current term.
    assert not Member.objects.filter(committee=district).exclude(term=current).exists()


def test_each_persona_actually_holds_its_role(demo):
    User = get_user_model()
    committees = {"district": demo["district"], "city": demo["city"]}
    assert {p.key for p in demo_data.PERSONAS} == set(demo_data.PERSONA_ROLES)
    covered = set()
    for persona in demo_data.PERSONAS:
        user = User.objects.get(username=persona.username)
        role, where = demo_data.PERSONA_ROLES[persona.key]
        committee = committees[where] if where else demo["district"]
        assert role in roles.roles_in(user, committee), persona.key
        covered.add(role)
        assert roles.needs_second_factor(user) == persona.staff, persona.key
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == persona.staff, persona.key
    assert covered == set(roles.ALL_ROLES)
    # The city's staff holds no role in the district: one committee's staff never sees another's data.
    city_staff = User.objects.get(username="city_staff")
    assert roles.roles_in(city_staff, demo["district"]) == set()
    # The two member personas are distinct members, in the same committee, so one can co-sign the other's work.
    member = Member.objects.get(user__username="member")
    cosigner = Member.objects.get(user__username="cosigner")
    assert member != cosigner and member.committee == cosigner.committee == demo["district"]


def test_the_informant_is_appointed_but_not_a_member_and_the_city_editor_also_signs(demo):
    User = get_user_model()
    informant = User.objects.get(username="informant")
    assert not Member.objects.filter(user=informant).exists()
    row = Informant.objects.get(user=informant)
    assert row.committee == demo["district"] and row.is_active
    assert roles.roles_in(informant, demo["district"]) == {roles.INFORMANT}
    assert not roles.needs_second_factor(informant)
    assert AuditEvent.objects.filter(verb="org.informant_created", target_id=str(row.pk)).exists()
    city_editor = User.objects.get(username="city_editor")
    assert roles.roles_in(city_editor, demo["city"]) == {roles.INFO_EDITOR, roles.INFO_SIGNER}
    assert roles.roles_in(city_editor, demo["district"]) == set()
    # The district's editor and signer are two people (the editor drafts, the signer signs off).
    assert roles.roles_in(User.objects.get(username="info_signer"), demo["district"]) == {roles.INFO_SIGNER}
    assert roles.INFO_SIGNER not in roles.roles_in(User.objects.get(username="info_editor"), demo["district"])


def test_its_reports_go_through_three_levels_by_the_real_actions(demo):
    district, city = demo["district"], demo["city"]
    province = city.parent
    reports = Report.objects.filter(committee=district)
    assert reports.count() == len(opinion_seed.DEMO_STEPS)
    # Every list has something to show: each state at the district, copies at the city and the province.
    assert set(ReportCopy.objects.filter(committee=district).values_list("status", flat=True)) == set(CopyStatus.values)
    assert ReportCopy.objects.filter(committee=city, status=CopyStatus.PENDING).exists()
    assert ReportCopy.objects.filter(committee=city, status=CopyStatus.ADOPTED).exists()
    assert ReportCopy.objects.filter(committee=province, status=CopyStatus.ADOPTED).exists()
    assert Adoption.objects.filter(external=True, level=Committee.Level.NATIONAL).exists()
    assert reports.filter(author_kind=Report.AuthorKind.INFORMANT, author_user__username="informant").exists()
    assert reports.filter(author_kind=Report.AuthorKind.COLLECTIVE, on_behalf=True).exists()
    # A city leader's instruction gave the district's department a task, which it answered.
    task = FollowUp.objects.filter(instruction__copy__committee=city, department__committee=district,
                                   status=FollowUpStatus.REPORTED).first()
    assert task is not None and task.responded_by.username == "dept_handler" and task.due_on.year == 2026
    assert BulletinIssue.objects.get(committee=district).number == 1
    # Written through the actions: each draft, submission and adoption left its audit row.
    assert AuditEvent.objects.filter(verb="opinions.drafted").count() == reports.count()
    assert AuditEvent.objects.filter(verb="opinions.adoption_recorded").count() == Adoption.objects.count()


def test_demo_passwords_pass_the_password_policy(demo):
    for persona in demo_data.PERSONAS:
        user = get_user_model().objects.get(username=persona.username)
        validate_password(demo_data.DEMO_PASSWORD, user)
        assert user.check_password(demo_data.DEMO_PASSWORD)


def test_it_prints_every_login_with_password_and_totp_secret(demo):
    out = demo["output"]
    for persona in demo_data.PERSONAS:
        line = next(line for line in out.splitlines() if re.search(rf"\s{persona.username}\s", line))
        assert demo_data.DEMO_PASSWORD in line
        assert (demo_data.DEMO_TOTP_BASE32 in line) == persona.staff
    assert "xieshang totp" in out


def test_a_second_run_changes_nothing_and_says_so(demo):
    before = counts()
    out = run("demo")
    assert "演示数据已存在，未做任何更改" in out
    assert counts() == before


def test_a_second_run_restores_a_changed_demo_password(demo):
    user = get_user_model().objects.get(username="office_admin")
    user.set_password("Something-else-123")
    user.save()
    out = run("demo")
    assert "未做任何更改" not in out
    user.refresh_from_db()
    assert user.check_password(demo_data.DEMO_PASSWORD)


def test_every_demo_row_is_written_through_actions_in_one_audit_group(demo):
    events = AuditEvent.objects.filter(verb__startswith="org.")
    assert events.filter(verb="org.member_created").count() == Member.objects.count()
    assert events.filter(verb="org.department_created").count() == Department.objects.count()
    assert events.filter(verb="org.role_granted").count() == RoleGrant.objects.count()
    assert not events.exclude(actor=None).exists()
    assert events.values("group_id").distinct().count() == 1


def test_totp_prints_the_current_code_of_a_staff_device(demo):
    device = TOTPDevice.objects.get(user__username="office_admin", confirmed=True)
    before = totp_now(device)
    code = run("totp", "office_admin").strip()
    after = totp_now(device)
    assert re.fullmatch(r"\d{6}", code)
    assert code in {before, after}
    assert device.verify_token(code)


def test_totp_refuses_a_user_without_a_device(demo):
    with pytest.raises(CommandError, match="没有已启用的双因素验证设备"):
        run("totp", "member")
