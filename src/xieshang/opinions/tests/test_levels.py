"""Forwarding across three levels of one deployment: district → city → province.

Each level sees only what reached it (its own copy and those above, never one below); adoption and an
instruction recorded at the top are visible to the author at the bottom; no level can change another's copy.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from xieshang.core.models import Notification
from xieshang.opinions import actions
from xieshang.opinions.models import (
    Adoption,
    CopyStatus,
    FollowUp,
    Instruction,
    Report,
    ReportCopy,
    ReportEvent,
    visible_versions,
)
from xieshang.opinions.testing import BODY, db_state, forward, sign, signed_copy, submitted_copy

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def walked(chain, django_capture_on_commit_callbacks):
    """An informant's report rewritten and signed at each level, forwarded to the province, adopted and
    instructed there with a follow-up task for a district department."""
    p = chain
    with django_capture_on_commit_callbacks(execute=True):
        p.d = signed_copy(p, actor=p.informant, data={"is_urgent": True})
        p.c = sign(p, forward(p, p.d), data={"title": "关于加快电梯加装的建议（市）"})
        p.pv = sign(p, forward(p, p.c), data={"suggestion": "建议全省推广补贴做法。"})
        actions.do_adopt_copy(p.pv, kind="single", adopted_by="省委办公厅", adopted_on=TODAY, actor=p.province_editor)
        actions.do_record_instruction(p.pv, leader_name="王省长", leader_title="省长", text="请住建部门研究推广。",
                                      instructed_on=TODAY, departments=[p.dept_a], actor=p.province_editor)
    p.report = p.d.report
    return p


def test_the_chain_follows_committee_parents_and_keeps_urgency(walked):
    p = walked
    assert [(c.committee, c.level) for c in (p.d, p.c, p.pv)] == [
        (p.district, "county"), (p.city, "city"), (p.province, "provincial")]
    assert p.c.received_from == p.d and p.pv.received_from == p.c
    assert all(c.is_urgent for c in (p.d, p.c, p.pv))
    assert Notification.objects.filter(recipient=p.province_editor, kind="opinions.forwarded",
                                       title__startswith="【紧急】").exists()


@pytest.mark.parametrize("who, expected", [
    ("informant", {"d", "c", "pv"}),  # the author sees the whole chain
    ("info_editor", {"d", "c", "pv"}),  # the originating committee sees how far it went
    ("committee_leader", {"d", "c", "pv"}),
    ("city_editor", {"c", "pv"}),  # the city never sees the district's copy
    ("city_leader", {"c", "pv"}),
    ("province_editor", {"pv"}),
    ("province_signer", {"pv"}),
    ("dept_handler", {"pv"}),  # the follow-up task's department sees the instructing copy
    ("other_dept_handler", set()),
    ("other_staff", set()),
    ("member", set()),
    ("outsider", set()),
])
def test_each_level_sees_only_what_reached_it(walked, who, expected):
    p = walked
    user = getattr(p, who)
    copies = {"d": p.d, "c": p.c, "pv": p.pv}
    seen = {name for name, copy in copies.items() if user.has_perm("opinions.view_copy", copy)}
    assert seen == expected
    # The query answers the same as the rule.
    assert set(ReportCopy.objects.visible_to(user)) == {copies[name] for name in expected}
    assert user.has_perm("opinions.view_report", p.report) == bool(expected)
    assert set(Report.objects.visible_to(user)) == ({p.report} if expected else set())


def test_the_top_levels_adoption_and_instruction_reach_the_author_at_the_bottom(walked):
    p = walked
    assert Notification.objects.filter(recipient=p.informant, kind="opinions.adopted").exists()
    assert Notification.objects.filter(recipient=p.informant, kind="opinions.instructed").exists()
    # What the author's pages read: every copy of their report, with its adoptions and instructions.
    mine = ReportCopy.objects.visible_to(p.informant).filter(report=p.report)
    assert Adoption.objects.filter(copy__in=mine).get().level == "provincial"
    instruction = Instruction.objects.filter(copy__in=mine).get()
    assert (instruction.level, instruction.leader_name) == ("provincial", "王省长")
    events = ReportEvent.objects.filter(report=p.report).values_list("kind", "level")
    assert sorted(events) == [("adopted", "provincial"), ("instructed", "provincial"), ("submitted", "county")]
    assert set(ReportEvent.objects.filter(report=p.report).values_list("informant", flat=True)) == {
        p.informant_row.pk}


def test_a_district_department_reports_back_on_a_provincial_instruction(walked, django_capture_on_commit_callbacks):
    p = walked
    task = FollowUp.objects.get()
    assert task.department == p.dept_a and task.instruction.copy == p.pv
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_report_follow_up(task, response="已完成。", actor=p.dept_handler)
    assert Notification.objects.filter(recipient=p.informant, kind="opinions.follow_up_reported").exists()
    assert Notification.objects.filter(recipient=p.province_editor, kind="opinions.follow_up_reported").exists()
    # The task is seen along the chain that reached the province, and by nobody else.
    seen = {who for who in ("informant", "info_editor", "city_editor", "province_editor", "dept_handler",
                            "other_dept_handler", "other_staff", "member", "outsider")
            if getattr(p, who).has_perm("opinions.view_follow_up", task)}
    assert seen == {"informant", "info_editor", "city_editor", "province_editor", "dept_handler"}
    # Closing belongs to the instructing level, not the department's own committee.
    with pytest.raises(PermissionDenied):
        actions.do_close_follow_up(task, actor=p.info_editor)
    actions.do_close_follow_up(task, actor=p.province_editor)


@pytest.mark.parametrize("editor, target", [
    ("info_editor", "c"), ("info_editor", "pv"), ("city_editor", "d"), ("city_editor", "pv"),
    ("province_editor", "d"), ("province_editor", "c"), ("other_staff", "d"),
])
def test_no_level_changes_another_levels_copy(walked, editor, target):
    p = walked
    user, copy = getattr(p, editor), getattr(p, target)
    assert not user.has_perm("opinions.edit_copy", copy)
    before = db_state()
    for call in (
        lambda: actions.do_keep_copy(copy, actor=user),
        lambda: actions.do_adopt_copy(copy, kind="single", adopted_by="x", adopted_on=TODAY, actor=user),
        lambda: actions.do_record_instruction(copy, leader_name="x", text="x", instructed_on=TODAY, actor=user),
        lambda: actions.do_dispatch_copy(copy, [{"kind": "party_leader", "name": "x"}], actor=user),
        lambda: actions.do_edit_copy(copy, data={"title": "别级改稿"}, actor=user),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert db_state() == before


@pytest.mark.parametrize("signer, target", [("info_signer", "c"), ("city_signer", "d"), ("province_signer", "c")])
def test_no_level_signs_another_levels_copy(chain, signer, target):
    p = chain
    d = signed_copy(p)
    c = forward(p, d)
    actions.do_edit_copy(c, actor=p.city_editor)
    copy = {"d": d, "c": c}[target]
    with pytest.raises(PermissionDenied):
        actions.do_sign_copy(copy, actor=getattr(p, signer))


def test_each_level_rewrites_its_own_version_and_the_authors_text_stays(walked):
    p = walked
    versions = list(p.report.versions.order_by("number"))
    assert [(v.kind, v.committee_id) for v in versions] == [
        ("author", None), ("edit", p.city.pk), ("edit", p.province.pk)]
    assert versions[0].title == BODY["title"] and versions[0].suggestion == BODY["suggestion"]
    assert p.d.version == versions[0] and p.c.version == versions[1] and p.pv.version == versions[2]
    assert [v.number for v in visible_versions(p.pv)] == [1, 2, 3]
    assert [v.number for v in visible_versions(p.c)] == [1, 2]
    assert [v.number for v in visible_versions(p.d)] == [1]


def test_each_level_has_its_own_queue(chain):
    p = chain
    d = signed_copy(p)
    urgent = submitted_copy(p, data={"is_urgent": True})
    plain = submitted_copy(p)
    c = forward(p, d)
    assert list(ReportCopy.objects.queue(p.district)) == [urgent, plain]
    assert list(ReportCopy.objects.queue(p.city)) == [c]
    assert list(ReportCopy.objects.queue(p.province)) == []
    actions.do_edit_copy(c, actor=p.city_editor)
    assert list(ReportCopy.objects.to_sign(p.city)) == [c]
    assert c.status == CopyStatus.EDITED and d.status == CopyStatus.SIGNED
