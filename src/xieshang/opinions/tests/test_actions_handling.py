"""A committee's handling of its copy: 核稿, return, 留存, 签发, 报送, forwarding up, adoption, instructions,
follow-up tasks and bulletin issues; and the conversion of a proposal into a report.

Every refusal is checked to write nothing (``db_state()`` equal before and after).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.models import AuditEvent, Notification
from xieshang.opinions import actions
from xieshang.opinions.models import (
    Adoption,
    BulletinEntry,
    BulletinStatus,
    CopyStatus,
    Dispatch,
    FollowUp,
    FollowUpStatus,
    Report,
    ReportEvent,
    ReportStatus,
    ReportVersion,
    visible_versions,
)
from xieshang.opinions.testing import BODY, db_state, forward, sign, signed_copy, submitted_copy
from xieshang.opinions.transitions import InvalidTransition
from xieshang.org.models import Department

D = datetime.date
TODAY = D(2026, 6, 1)


def refused(exc_type, func, *args, **kwargs):
    before = db_state()
    with pytest.raises(exc_type) as info:
        func(*args, **kwargs)
    assert db_state() == before
    return info.value


def adopt(copy, actor, **kwargs):
    params = {"kind": "single", "adopted_by": "东城区政协", "adopted_on": TODAY, **kwargs}
    return actions.do_adopt_copy(copy, actor=actor, **params)


def instruct(copy, actor, **kwargs):
    params = {"leader_name": "张区长", "leader_title": "区长", "text": "请区生态环境局研究办理。",
              "instructed_on": TODAY, **kwargs}
    return actions.do_record_instruction(copy, actor=actor, **params)


# ---------------------------------------------------------------------------------------------- 核稿

def test_editing_without_changes_moves_the_copy_and_keeps_the_version(chain):
    p = chain
    copy = submitted_copy(p)
    author_version = copy.version
    actions.do_edit_copy(copy, actor=p.info_editor)
    assert copy.status == CopyStatus.EDITED and copy.version == author_version
    assert copy.edited_by == p.info_editor and copy.edited_at is not None
    assert ReportVersion.objects.count() == 1


def test_rewriting_adds_a_version_and_keeps_the_authors_text(chain):
    p = chain
    copy = submitted_copy(p)
    actions.do_edit_copy(copy, data={"title": "关于加快老旧小区加装电梯的建议（修改）", "analysis": BODY["analysis"]},
                         note="调整标题", actor=p.info_editor)
    assert copy.status == CopyStatus.EDITED
    rewrite = copy.version
    assert (rewrite.number, rewrite.kind, rewrite.committee, rewrite.note) == (
        2, ReportVersion.Kind.EDIT, p.district, "调整标题")
    assert rewrite.situation == BODY["situation"]  # fields not rewritten are carried over
    # Re-edit without moving; every earlier text stays.
    actions.do_edit_copy(copy, data={"suggestion": "建议设立专项补贴。"}, actor=p.info_editor)
    assert copy.status == CopyStatus.EDITED and copy.version.number == 3
    texts = list(copy.report.versions.order_by("number").values_list("kind", "title", "suggestion"))
    assert texts[0] == ("author", BODY["title"], BODY["suggestion"])
    assert texts[1][1:] == ("关于加快老旧小区加装电梯的建议（修改）", BODY["suggestion"])
    assert texts[2][2] == "建议设立专项补贴。"
    report = copy.report
    report.refresh_from_db()
    assert report.title == BODY["title"]  # the author's report is never rewritten
    assert AuditEvent.objects.filter(verb="opinions.copy_reedited").count() == 1


def test_edit_refusals(chain):
    p = chain
    copy = submitted_copy(p)
    refused(PermissionDenied, actions.do_edit_copy, copy, actor=p.info_signer)
    refused(PermissionDenied, actions.do_edit_copy, copy, actor=p.member)
    refused(PermissionDenied, actions.do_edit_copy, copy, actor=p.city_editor)
    refused(PermissionDenied, actions.do_edit_copy, copy, actor=p.other_staff)
    refused(ValidationError, actions.do_edit_copy, copy, data={"title": ""}, actor=p.info_editor)
    refused(ValidationError, actions.do_edit_copy, copy, data={"situation": "字" * 1501}, actor=p.info_editor)
    refused(ValidationError, actions.do_edit_copy, copy, data={"status": "signed"}, actor=p.info_editor)
    refused(ValidationError, actions.do_edit_copy, copy, data={"situation": "", "suggestion": ""},
            actor=p.info_editor)
    sign(p, copy)
    refused(InvalidTransition, actions.do_edit_copy, copy, data={"title": "新标题"}, actor=p.info_editor)


def test_office_admin_edits_as_an_editor(chain):
    p = chain
    copy = submitted_copy(p)
    actions.do_edit_copy(copy, actor=p.office_admin)
    assert copy.status == CopyStatus.EDITED


# ---------------------------------------------------------------------------------------------- return, keep

def test_return_refusals(chain):
    p = chain
    copy = submitted_copy(p)
    refused(ValidationError, actions.do_return_copy, copy, reason="  ", actor=p.info_editor)
    refused(PermissionDenied, actions.do_return_copy, copy, reason="理由", actor=p.info_signer)
    actions.do_edit_copy(copy, actor=p.info_editor)
    refused(InvalidTransition, actions.do_return_copy, copy, reason="理由", actor=p.info_editor)


def test_a_higher_level_cannot_return_to_the_author(chain):
    p = chain
    city_copy = forward(p, signed_copy(p))
    error = refused(ValidationError, actions.do_return_copy, city_copy, reason="不用", actor=p.city_editor)
    assert "首报" in " ".join(error.messages)


def test_keep_and_reopen(chain):
    p = chain
    copy = submitted_copy(p)
    actions.do_keep_copy(copy, reason="暂不采用", actor=p.info_editor)
    assert copy.status == CopyStatus.KEPT and copy.kept_reason == "暂不采用"
    refused(InvalidTransition, actions.do_keep_copy, copy, actor=p.info_editor)
    refused(PermissionDenied, actions.do_reopen_copy, copy, actor=p.member)
    actions.do_reopen_copy(copy, actor=p.info_editor)
    assert copy.status == CopyStatus.PENDING
    refused(InvalidTransition, actions.do_reopen_copy, copy, actor=p.info_editor)


# ---------------------------------------------------------------------------------------------- 签发

def test_sign_and_send_back(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = submitted_copy(p)
    refused(InvalidTransition, actions.do_sign_copy, copy, actor=p.info_signer)  # not edited yet
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_edit_copy(copy, actor=p.info_editor)
    assert Notification.objects.filter(recipient=p.info_signer, kind="opinions.to_sign").exists()
    refused(PermissionDenied, actions.do_sign_copy, copy, actor=p.info_editor)
    refused(PermissionDenied, actions.do_sign_copy, copy, actor=p.city_signer)
    refused(ValidationError, actions.do_send_back_copy, copy, reason="", actor=p.info_signer)
    actions.do_send_back_copy(copy, reason="数据需核实", actor=p.info_signer)
    assert copy.status == CopyStatus.PENDING
    actions.do_edit_copy(copy, actor=p.info_editor)
    actions.do_sign_copy(copy, actor=p.info_signer)
    assert copy.status == CopyStatus.SIGNED and copy.signed_by == p.info_signer
    refused(InvalidTransition, actions.do_sign_copy, copy, actor=p.info_signer)
    refused(InvalidTransition, actions.do_send_back_copy, copy, reason="x", actor=p.info_signer)


# ---------------------------------------------------------------------------------------------- 报送

def test_dispatch_to_leaders_and_departments(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = signed_copy(p)
    with django_capture_on_commit_callbacks(execute=True):
        rows = actions.do_dispatch_copy(copy, [
            {"kind": "party_leader", "name": "区委书记"},
            {"kind": "department", "name": "", "department": p.dept_a},
        ], actor=p.info_editor)
    assert [(r.kind, r.recipient_name) for r in rows] == [("party_leader", "区委书记"), ("department", "区生态环境局")]
    assert copy.status == CopyStatus.SIGNED  # forwarding does not change the state
    assert Notification.objects.filter(recipient=p.dept_handler, kind="opinions.dispatched").exists()
    assert not Notification.objects.filter(recipient=p.other_dept_handler).exists()


@pytest.mark.parametrize("recipients", [
    [],
    [{"kind": "parent", "name": "市政协"}],
    [{"kind": "bogus", "name": "x"}],
    [{"kind": "party_leader", "name": ""}],
    [{"kind": "department", "name": "某局"}],
    [{"kind": "party_leader", "name": "区委", "department": "dept_a"}],
    [{"kind": "department", "name": "", "department": "dept_other"}],
    [{"kind": "party_leader", "name": "区委"}, {"kind": "department", "department": "dept_other"}],
])
def test_dispatch_bad_recipients_write_nothing(chain, recipients):
    p = chain
    copy = signed_copy(p)
    for r in recipients:
        if isinstance(r.get("department"), str):
            r["department"] = getattr(p, r["department"])
    refused(ValidationError, actions.do_dispatch_copy, copy, recipients, actor=p.info_editor)


def test_dispatch_needs_a_signed_copy_and_the_editor(chain):
    p = chain
    copy = submitted_copy(p)
    refused(InvalidTransition, actions.do_dispatch_copy, copy, [{"kind": "party_leader", "name": "区委"}],
            actor=p.info_editor)
    sign(p, copy)
    refused(PermissionDenied, actions.do_dispatch_copy, copy, [{"kind": "party_leader", "name": "区委"}],
            actor=p.info_signer)


def test_department_of_a_lower_committee_in_the_chain_is_allowed_not_of_another(chain):
    p = chain
    city_copy = sign(p, forward(p, signed_copy(p)))
    rows = actions.do_dispatch_copy(city_copy, [{"kind": "department", "department": p.dept_a},
                                                {"kind": "department", "department": p.city_dept}],
                                    actor=p.city_editor)
    assert len(rows) == 2
    refused(ValidationError, actions.do_dispatch_copy, city_copy,
            [{"kind": "department", "department": p.dept_other}], actor=p.city_editor)
    # The district cannot send to a city department: it is above, not below, in the chain.
    district_copy = city_copy.received_from
    refused(ValidationError, actions.do_dispatch_copy, district_copy,
            [{"kind": "department", "department": p.city_dept}], actor=p.info_editor)
    inactive = Department.objects.create(committee=p.district, name="已撤销局", kind="government", is_active=False)
    refused(ValidationError, actions.do_dispatch_copy, district_copy,
            [{"kind": "department", "department": inactive}], actor=p.info_editor)


def test_forward_to_parent(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = signed_copy(p, data={"is_urgent": True})
    with django_capture_on_commit_callbacks(execute=True):
        city_copy = forward(p, copy)
    assert (city_copy.committee, city_copy.level, city_copy.status) == (p.city, "city", CopyStatus.PENDING)
    assert city_copy.received_from == copy and city_copy.version == copy.version and city_copy.is_urgent
    dispatch = Dispatch.objects.get(copy=copy, kind=Dispatch.Kind.PARENT)
    assert dispatch.parent_copy == city_copy and dispatch.recipient_name == p.city.name
    assert copy.status == CopyStatus.SIGNED
    note = Notification.objects.get(recipient=p.city_editor, kind="opinions.forwarded")
    assert note.title.startswith("【紧急】")


def test_forward_refusals(chain):
    p = chain
    copy = submitted_copy(p)
    refused(InvalidTransition, actions.do_forward_to_parent, copy, actor=p.info_editor)  # not signed
    sign(p, copy)
    refused(PermissionDenied, actions.do_forward_to_parent, copy, actor=p.city_editor)
    refused(PermissionDenied, actions.do_forward_to_parent, copy, actor=p.member)
    forward(p, copy)
    refused(ValidationError, actions.do_forward_to_parent, copy, actor=p.info_editor)  # twice
    city_copy = sign(p, copy.forwarded_to)
    province_copy = sign(p, forward(p, city_copy))
    error = refused(ValidationError, actions.do_forward_to_parent, province_copy, actor=p.province_editor)
    assert "上级" in " ".join(error.messages)


# ---------------------------------------------------------------------------------------------- adoption

def test_adoption_moves_once_then_records_more(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = signed_copy(p)
    with django_capture_on_commit_callbacks(execute=True):
        first = adopt(copy, p.info_editor)
    assert copy.status == CopyStatus.ADOPTED and copy.adopted_at is not None
    assert (first.level, first.external, first.kind) == ("county", False, "single")
    second = adopt(copy, p.info_editor, kind="comprehensive", adopted_by="区委办")
    assert copy.status == CopyStatus.ADOPTED and second.kind == "comprehensive"
    events = ReportEvent.objects.filter(kind=ReportEvent.Kind.ADOPTED).order_by("id")
    assert [e.adoption for e in events] == [first, second]
    assert events[0].member == p.member_row and events[0].level == "county"
    assert Notification.objects.filter(recipient=p.member, kind="opinions.adopted").exists()


def test_adoption_refusals(chain):
    p = chain
    copy = submitted_copy(p)
    refused(InvalidTransition, adopt, copy, p.info_editor)  # unsigned
    actions.do_edit_copy(copy, actor=p.info_editor)
    refused(InvalidTransition, adopt, copy, p.info_editor)  # edited, still unsigned
    actions.do_sign_copy(copy, actor=p.info_signer)
    refused(PermissionDenied, adopt, copy, p.info_signer)
    refused(PermissionDenied, adopt, copy, p.city_editor)
    refused(ValidationError, adopt, copy, p.info_editor, kind="partly")
    refused(ValidationError, adopt, copy, p.info_editor, adopted_by=" ")
    refused(ValidationError, adopt, copy, p.info_editor, adopted_on=None)
    refused(ValidationError, adopt, copy, p.info_editor, adopted_on=TODAY + datetime.timedelta(days=1))


def test_external_adoption_on_the_highest_copy_only_and_above_the_deployment(chain):
    p = chain
    copy = signed_copy(p)
    # Not forwarded: the highest copy is the district's; the deployment reaches the province.
    refused(ValidationError, adopt, copy, p.info_editor, external_level="provincial")
    refused(ValidationError, adopt, copy, p.info_editor, external_level="galactic")
    national = adopt(copy, p.info_editor, external_level="national", adopted_by="全国政协办公厅")
    assert (national.level, national.external) == ("national", True)
    assert copy.status == CopyStatus.SIGNED  # no state change
    forward(p, copy)
    refused(ValidationError, adopt, copy, p.info_editor, external_level="national")  # no longer the highest
    assert ReportEvent.objects.get(kind=ReportEvent.Kind.ADOPTED).level == "national"


# ---------------------------------------------------------------------------------------------- instructions

def test_instruction_creates_follow_ups_with_working_day_due_dates(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = signed_copy(p)
    with django_capture_on_commit_callbacks(execute=True):
        instruction = instruct(copy, p.info_editor, departments=[p.dept_a, p.dept_b, p.dept_a])
    assert (instruction.level, instruction.leader_name) == ("county", "张区长")
    tasks = list(FollowUp.objects.order_by("department_id"))
    assert [t.department for t in tasks] == [p.dept_a, p.dept_b]
    # 2026-06-01 (Mon) + 15 working days, the Dragon Boat Festival (19 June) off: 2026-06-23.
    assert {t.due_on for t in tasks} == {D(2026, 6, 23)} and {t.assigned_on for t in tasks} == {TODAY}
    assert ReportEvent.objects.get(kind=ReportEvent.Kind.INSTRUCTED).instruction == instruction
    assert Notification.objects.filter(recipient=p.dept_handler, kind="opinions.follow_up").exists()
    assert Notification.objects.filter(recipient=p.other_dept_handler, kind="opinions.follow_up").exists()
    assert Notification.objects.filter(recipient=p.member, kind="opinions.instructed").exists()


def test_instruction_refusals(chain):
    p = chain
    copy = submitted_copy(p)
    refused(InvalidTransition, instruct, copy, p.info_editor)  # unsigned
    sign(p, copy)
    refused(ValidationError, instruct, copy, p.info_editor, leader_name="")
    refused(ValidationError, instruct, copy, p.info_editor, text="  ")
    refused(ValidationError, instruct, copy, p.info_editor, instructed_on=None)
    refused(ValidationError, instruct, copy, p.info_editor, departments=[p.dept_other])
    refused(ValidationError, instruct, copy, p.info_editor, departments=[p.city_dept])
    refused(ValidationError, instruct, copy, p.info_editor, external_level="city")
    refused(PermissionDenied, instruct, copy, p.committee_leader)
    refused(PermissionDenied, instruct, copy, p.city_editor)


def test_due_date_beyond_the_loaded_calendar_is_refused(chain, monkeypatch):
    from xieshang.opinions import dates

    p = chain
    copy = signed_copy(p)
    monkeypatch.setattr(dates, "today", lambda: D(2026, 12, 20))
    error = refused(ValidationError, instruct, copy, p.info_editor, departments=[p.dept_a],
                    instructed_on=D(2026, 12, 20))
    assert "2027" in " ".join(error.messages)
    # Without departments no due date is needed.
    instruct(copy, p.info_editor, instructed_on=D(2026, 12, 20))


# ---------------------------------------------------------------------------------------------- follow-ups

def test_follow_up_report_close_and_reopen(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = signed_copy(p)
    instruct(copy, p.info_editor, departments=[p.dept_a])
    task = FollowUp.objects.get()
    refused(PermissionDenied, actions.do_report_follow_up, task, response="已办", actor=p.other_dept_handler)
    refused(ValidationError, actions.do_report_follow_up, task, response=" ", actor=p.dept_handler)
    refused(InvalidTransition, actions.do_close_follow_up, task, actor=p.info_editor)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_report_follow_up(task, response="已完成整改。", actor=p.dept_handler)
    assert task.status == FollowUpStatus.REPORTED and task.responded_by == p.dept_handler
    assert Notification.objects.filter(recipient=p.member, kind="opinions.follow_up_reported").exists()
    assert Notification.objects.filter(recipient=p.info_editor, kind="opinions.follow_up_reported").exists()
    refused(InvalidTransition, actions.do_report_follow_up, task, response="再报", actor=p.dept_handler)
    refused(ValidationError, actions.do_reopen_follow_up, task, note="", actor=p.info_editor)
    refused(PermissionDenied, actions.do_reopen_follow_up, task, note="补充", actor=p.dept_handler)
    actions.do_reopen_follow_up(task, note="请补充资金安排。", actor=p.info_editor)
    assert task.status == FollowUpStatus.OPEN
    actions.do_report_follow_up(task, response="资金已安排。", actor=p.dept_leader)
    refused(PermissionDenied, actions.do_close_follow_up, task, actor=p.dept_leader)
    actions.do_close_follow_up(task, note="办结", actor=p.info_editor)
    assert task.status == FollowUpStatus.CLOSED and task.closed_at is not None
    refused(InvalidTransition, actions.do_reopen_follow_up, task, note="x", actor=p.info_editor)


# ---------------------------------------------------------------------------------------------- bulletin

def test_bulletin_compile_and_publish_adopts_signed_copies(chain):
    p = chain
    a, b, c = signed_copy(p), signed_copy(p), signed_copy(p)
    adopt(c, p.info_editor)
    issue = actions.do_create_bulletin(p.district, actor=p.info_editor)
    assert (issue.year, issue.number, issue.status) == (2026, None, BulletinStatus.DRAFT)
    single = actions.do_add_bulletin_entry(issue, [a], kind="single", actor=p.info_editor)
    comprehensive = actions.do_add_bulletin_entry(issue, [b, c], kind="comprehensive", title="关于养老的综合报告",
                                                  body="综合多篇信息……", actor=p.info_editor)
    assert (single.order, comprehensive.order) == (1, 2)
    refused(PermissionDenied, actions.do_publish_bulletin, issue, signer_name="签发人", actor=p.info_editor)
    actions.do_publish_bulletin(issue, signer_name="李主席", actor=p.info_signer)
    assert (issue.status, issue.number, issue.signer_name, issue.published_on) == (
        BulletinStatus.PUBLISHED, 1, "李主席", TODAY)
    for copy in (a, b, c):
        copy.refresh_from_db()
        assert copy.status == CopyStatus.ADOPTED
    assert Adoption.objects.get(copy=a).entry == single and Adoption.objects.get(copy=a).kind == "single"
    assert Adoption.objects.get(copy=b).kind == "comprehensive"
    assert Adoption.objects.filter(copy=c).count() == 1  # already adopted: not adopted again by the issue
    second = actions.do_create_bulletin(p.district, actor=p.info_editor)
    actions.do_add_bulletin_entry(second, [a], kind="single", actor=p.info_editor)
    actions.do_publish_bulletin(second, signer_name="李主席", actor=p.info_signer)
    assert second.number == 2
    refused(InvalidTransition, actions.do_publish_bulletin, second, signer_name="李主席", actor=p.info_signer)
    refused(InvalidTransition, actions.do_add_bulletin_entry, second, [b], kind="single", actor=p.info_editor)


def test_bulletin_refusals(chain):
    p = chain
    a, b = signed_copy(p), signed_copy(p)
    pending = submitted_copy(p)
    city_copy = sign(p, forward(p, signed_copy(p)))
    issue = actions.do_create_bulletin(p.district, actor=p.info_editor)
    refused(PermissionDenied, actions.do_create_bulletin, p.district, actor=p.member)
    refused(PermissionDenied, actions.do_create_bulletin, p.district, actor=p.city_editor)
    add = actions.do_add_bulletin_entry
    refused(ValidationError, add, issue, [a, b], kind="single", actor=p.info_editor)
    refused(ValidationError, add, issue, [], kind="single", actor=p.info_editor)
    refused(ValidationError, add, issue, [a], kind="comprehensive", title="综合", body="正文", actor=p.info_editor)
    refused(ValidationError, add, issue, [a, a], kind="comprehensive", title="综合", body="正文", actor=p.info_editor)
    refused(ValidationError, add, issue, [a, b], kind="comprehensive", title="", body="正文", actor=p.info_editor)
    refused(ValidationError, add, issue, [a, b], kind="comprehensive", title="综合", body="", actor=p.info_editor)
    refused(ValidationError, add, issue, [a], kind="other", actor=p.info_editor)
    refused(ValidationError, add, issue, [pending], kind="single", actor=p.info_editor)
    refused(ValidationError, add, issue, [city_copy], kind="single", actor=p.info_editor)
    refused(PermissionDenied, add, issue, [a], kind="single", actor=p.info_signer)
    refused(ValidationError, actions.do_publish_bulletin, issue, signer_name="李主席", actor=p.info_signer)  # empty
    entry = add(issue, [a], kind="single", actor=p.info_editor)
    refused(ValidationError, add, issue, [a], kind="single", actor=p.info_editor)  # already in this issue
    refused(ValidationError, actions.do_publish_bulletin, issue, signer_name=" ", actor=p.info_signer)
    actions.do_remove_bulletin_entry(entry, actor=p.info_editor)
    assert not BulletinEntry.objects.filter(issue=issue).exists()
    entry = add(issue, [b], kind="single", actor=p.info_editor)
    actions.do_keep_copy(b, actor=p.info_editor)  # no longer signed: publishing must refuse
    refused(ValidationError, actions.do_publish_bulletin, issue, signer_name="李主席", actor=p.info_signer)


# ---------------------------------------------------------------------------------------------- versions

def test_visible_versions_show_this_level_and_below_up_to_the_copy(chain):
    p = chain
    district_copy = sign(p, submitted_copy(p), data={"title": "区级改稿"})
    city_copy = sign(p, forward(p, district_copy), data={"title": "市级改稿"})
    province_copy = forward(p, city_copy)
    assert [v.title for v in visible_versions(district_copy)] == [BODY["title"], "区级改稿"]
    assert [v.title for v in visible_versions(city_copy)] == [BODY["title"], "区级改稿", "市级改稿"]
    assert [v.title for v in visible_versions(province_copy)] == [BODY["title"], "区级改稿", "市级改稿"]


def test_a_forwarded_copy_cannot_be_kept_below(chain):
    p = chain
    district_copy = signed_copy(p)
    forward(p, district_copy)
    error = refused(ValidationError, actions.do_keep_copy, district_copy, actor=p.info_editor)
    assert "上级" in " ".join(error.messages)


# ---------------------------------------------------------------------------------------------- conversion

def test_a_proposal_converted_at_review_arrives_submitted(chain, django_capture_on_commit_callbacks):
    from xieshang.org.models import Session, Term
    from xieshang.proposals import actions as proposal_actions

    p = chain
    term = Term.objects.create(committee=p.district, number=10, start_date=D(2022, 1, 1), is_current=True)
    session = Session.objects.create(term=term, number=5, year=2026, plenary_start=D(2026, 1, 20),
                                     plenary_end=D(2026, 1, 23))
    proposal = proposal_actions.do_create_proposal(p.district, session, {
        "title": "关于社区养老的建议", "situation": "情况", "analysis": "分析", "suggestion": "建议"}, actor=p.member)
    proposal_actions.do_submit_proposal(proposal, actor=p.member)
    proposal_actions.do_pass_pre_review(proposal, actor=p.proposal_staff)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_actions.do_convert_proposal(proposal, target="social_info", consent=True, actor=p.proposal_staff)
    report = Report.objects.get(source_proposal=proposal)
    assert report.status == ReportStatus.SUBMITTED and report.title == "关于社区养老的建议"
    assert (report.member, report.author_user, report.created_by) == (p.member_row, p.member, p.proposal_staff)
    assert report.copies.get().status == CopyStatus.PENDING
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.SUBMITTED).count() == 1
    assert Notification.objects.filter(recipient=p.member, kind="opinions.converted").exists()
    assert p.member.has_perm("opinions.view_report", report)
    # Converting to something else does not make a report; converting twice is refused.
    refused(ValidationError, actions.do_convert_from_proposal, proposal, actor=p.proposal_staff)
    refused(PermissionDenied, actions.do_convert_from_proposal, proposal, actor=p.info_editor)


def _proposal_in_review(p, **text):
    from xieshang.org.models import Session, Term
    from xieshang.proposals import actions as proposal_actions

    term = Term.objects.create(committee=p.district, number=10, start_date=D(2022, 1, 1), is_current=True)
    session = Session.objects.create(term=term, number=5, year=2026, plenary_start=D(2026, 1, 20),
                                     plenary_end=D(2026, 1, 23))
    proposal = proposal_actions.do_create_proposal(p.district, session, {"title": "关于社区养老的建议", **text},
                                                   actor=p.member)
    proposal_actions.do_submit_proposal(proposal, actor=p.member)
    proposal_actions.do_pass_pre_review(proposal, actor=p.proposal_staff)
    return proposal


def test_a_long_or_incomplete_proposal_still_converts(chain):
    from xieshang.proposals import actions as proposal_actions

    p = chain
    proposal = _proposal_in_review(p, analysis="只有分析" * 10)
    proposal_actions.do_convert_proposal(proposal, target="social_info", consent=True, actor=p.proposal_staff)
    report = Report.objects.get(source_proposal=proposal)
    assert report.status == ReportStatus.SUBMITTED and report.analysis == "只有分析" * 10


def test_other_conversion_targets_make_no_report(chain):
    from xieshang.proposals import actions as proposal_actions

    p = chain
    proposal = _proposal_in_review(p, situation="情况")
    proposal_actions.do_convert_proposal(proposal, target="letter", consent=True, actor=p.proposal_staff)
    assert not Report.objects.exists()


def test_a_failed_conversion_rolls_back_the_proposal_too(chain, monkeypatch):
    from xieshang.proposals import actions as proposal_actions
    from xieshang.proposals.models import Proposal

    p = chain
    proposal = _proposal_in_review(p, situation="情况")

    def broken(*args, **kwargs):
        raise ValidationError("报送失败")

    monkeypatch.setattr(actions, "_submit", broken)
    before = db_state()
    with pytest.raises(ValidationError):
        proposal_actions.do_convert_proposal(proposal, target="social_info", consent=True, actor=p.proposal_staff)
    assert Proposal.objects.get(pk=proposal.pk).status == "review"
    assert db_state() == before
