"""The permission matrix: every 社情民意 permission against every persona.

The report is the district member's; its district copy is signed off and sent to 区生态环境局 (``dept_a``),
whose leader recorded an instruction with a follow-up task for ``dept_a``. The informant is an appointed
特邀信息员 who is not a member: they may report, and see nothing but their own reports.
"""

import datetime

import pytest

from xieshang.opinions import actions
from xieshang.opinions.models import FollowUp, ReportCopy
from xieshang.opinions.testing import make_report, signed_copy
from xieshang.testing import PERSONA_NAMES

READERS = {"info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "proposal_staff", "sysadmin"}
EDITORS = {"info_editor", "office_admin", "sysadmin"}
DEPARTMENT = {"dept_leader", "dept_handler"}

# (permission, object name, personas holding it); everyone else in PERSONA_NAMES must not.
MATRIX = [
    ("opinions.add_report", "district", {"member", "cosigner", "informant", *EDITORS}),
    ("opinions.add_report", "other", {"other_staff", "sysadmin"}),
    ("opinions.submit_on_behalf", "district", EDITORS),
    ("opinions.view_report", "draft", {"member"}),
    ("opinions.change_report", "draft", {"member"}),
    ("opinions.view_report", "report", {"member", *READERS, *DEPARTMENT}),
    ("opinions.change_report", "report", set()),
    ("opinions.view_report", "informant_report", {"informant", *READERS}),
    ("opinions.view_copy", "copy", {"member", *READERS, *DEPARTMENT}),
    ("opinions.edit_copy", "copy", EDITORS),
    ("opinions.sign_copy", "copy", {"info_signer"}),
    ("opinions.report_follow_up", "follow_up", DEPARTMENT),
    ("opinions.view_follow_up", "follow_up", {"member", *READERS, *DEPARTMENT}),
    ("opinions.manage_bulletin", "district", EDITORS),
    ("opinions.publish_bulletin", "district", {"info_signer"}),
    ("opinions.view_stats", "district", READERS),
    ("opinions.view_queue", "district", READERS),
    ("opinions.view_queue", "other", {"other_staff", "sysadmin"}),
    ("opinions.edit_copy", "city_copy", {"sysadmin"}),
    ("opinions.view_copy", "city_copy", {"member", *READERS}),
]


@pytest.fixture
def objects(chain):
    p = chain
    copy = signed_copy(p)
    actions.do_dispatch_copy(copy, [{"kind": "department", "department": p.dept_a}], actor=p.info_editor)
    actions.do_record_instruction(copy, leader_name="张区长", text="请研究。", instructed_on=datetime.date(2026, 6, 1),
                                  departments=[p.dept_a], actor=p.info_editor)
    city_copy = actions.do_forward_to_parent(copy, actor=p.info_editor)
    informant_copy = signed_copy(p, actor=p.informant)
    return p, {
        "district": p.district, "other": p.other, "draft": make_report(p), "report": copy.report, "copy": copy,
        "follow_up": FollowUp.objects.get(), "informant_report": informant_copy.report, "city_copy": city_copy,
    }


@pytest.mark.parametrize("perm, target, holders", MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
def test_permission_matrix(objects, perm, target, holders):
    p, objs = objects
    obj = objs[target]
    got = {name for name in PERSONA_NAMES if getattr(p, name).has_perm(perm, obj)}
    assert got == holders


def test_the_informant_is_not_a_member_and_sees_only_their_own(objects):
    p, objs = objects
    informant = p.informant
    assert informant.has_perm("opinions.add_report", p.district)
    assert not informant.has_perm("opinions.view_copy", objs["copy"])
    assert not informant.has_perm("opinions.view_queue", p.district)
    assert not informant.has_perm("opinions.view_stats", p.district)
    assert set(ReportCopy.objects.visible_to(informant)) == set(objs["informant_report"].copies.all())


def test_the_visibility_query_agrees_with_the_rule_for_every_persona(objects):
    p, objs = objects
    copies = list(ReportCopy.objects.all())
    for name in PERSONA_NAMES:
        user = getattr(p, name)
        by_rule = {c.pk for c in copies if user.has_perm("opinions.view_copy", c)}
        assert set(ReportCopy.objects.visible_to(user).values_list("pk", flat=True)) == by_rule, name


def test_anonymous_and_inactive_users_hold_nothing(objects):
    from django.contrib.auth.models import AnonymousUser

    p, objs = objects
    anonymous = AnonymousUser()
    for perm, target, _holders in MATRIX:
        assert not anonymous.has_perm(perm, objs[target])
    assert not ReportCopy.objects.visible_to(anonymous).exists()
    p.info_editor.is_active = False
    p.info_editor.save()
    assert not ReportCopy.objects.visible_to(p.info_editor).exists()
