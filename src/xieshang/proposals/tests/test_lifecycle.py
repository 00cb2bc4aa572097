"""The proposal workflow end to end, and each review decision, through the actions only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xieshang.core.models import AuditEvent, Notification
from xieshang.org.models import Member, SpecialCommittee
from xieshang.proposals import actions
from xieshang.proposals.models import Assignment, Proposal, Proposer, Rating, Reply, StatusChange, SupervisionTask
from xieshang.proposals.transitions import InvalidTransition

D = datetime.date.fromisoformat


def statuses(proposal):
    return list(StatusChange.objects.filter(proposal=proposal, subject="proposal").values_list("to_status", flat=True))


def test_a_joint_proposal_walks_from_draft_to_archive_with_one_rehandling(world, django_capture_on_commit_callbacks):
    p, flow = world, world.flow
    with django_capture_on_commit_callbacks(execute=True):
        proposal = flow.draft(joint=True)
    assert proposal.status == "draft" and proposal.kind == "joint"
    assert Notification.objects.filter(recipient=p.cosigner, kind="proposals.cosign_requested").exists()
    cosigner_row = proposal.proposers.get(member=p.cosigner_row)
    assert cosigner_row.signature == "pending" and cosigner_row.sign_due == D("2026-03-09")

    actions.do_respond_cosign(proposal, accept=True, actor=p.cosigner)
    actions.do_submit_proposal(proposal, actor=p.member)
    assert proposal.status == "submitted" and proposal.serial == 1 and proposal.timing == "regular"
    actions.do_pass_pre_review(proposal, actor=p.proposal_staff)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_file_proposal(proposal, actor=p.proposal_staff)
    assert proposal.case_number == 1 and str(proposal.case_label) == "第1号"
    assert Notification.objects.filter(recipient=p.member, kind="proposals.filed").exists()

    lead, co = actions.do_assign_proposal(proposal, leads=[p.dept_a], co=[p.dept_b], actor=p.proposal_staff)
    assert (lead.role, co.role) == ("lead", "co")
    assert lead.reply_due == D("2026-06-02") and lead.first_contact_due == D("2026-03-23")
    assert co.opinion_due == D("2026-04-02") and lead.objection_due == D("2026-03-09")

    actions.do_record_first_contact(lead, on=D("2026-03-02"), note="电话沟通", actor=p.dept_handler)
    proposal.refresh_from_db()
    assert proposal.status == "in_progress"
    actions.do_send_co_opinion(co, opinion="同意主办单位意见。", actor=p.other_dept_handler)
    reply = flow.reply(proposal, outcome="A")
    assert reply.status == "cosigning"
    actions.do_cosign_reply(reply, note="无意见", actor=p.other_dept_handler)
    assert reply.status == "review"
    actions.do_review_reply(reply, approve=True, outcome="B", actor=p.proposal_staff)
    assert reply.final_outcome == "B"
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_send_reply(reply, actor=p.dept_handler)
    proposal.refresh_from_db()
    assert proposal.status == "replied"
    assert Notification.objects.filter(recipient=p.cosigner, kind="proposals.replied").exists()

    p.clock.set("2026-03-10")
    actions.do_rate_proposal(proposal, result="dissatisfied", comment="未解决", actor=p.member)
    proposal.refresh_from_db()
    lead.refresh_from_db()
    assert proposal.status == "rehandle" and proposal.round == 2
    assert lead.status == "handling" and lead.reply_due == D("2026-04-10")

    reply2 = flow.reply(proposal, outcome="A")
    assert reply2.round == 2 and reply2.status == "cosigning"
    actions.do_cosign_reply(reply2, actor=p.other_dept_handler)
    actions.do_review_reply(reply2, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply2, actor=p.proposal_staff)
    proposal.refresh_from_db()
    assert proposal.status == "replied"
    actions.do_rate_proposal(proposal, result="satisfied", actor=p.member)
    proposal.refresh_from_db()
    assert proposal.status == "replied"  # the co-signer has not rated yet
    actions.do_rate_proposal(proposal, result="basically", actor=p.cosigner)
    proposal.refresh_from_db()
    assert proposal.status == "archived"
    assert statuses(proposal) == ["submitted", "review", "filed", "assigned", "in_progress", "replied", "rehandle",
                                  "in_progress", "replied", "archived"]
    verbs = set(AuditEvent.objects.filter(committee_id=p.district.pk).values_list("verb", flat=True))
    assert {"proposals.drafted", "proposals.filed", "proposals.assigned", "proposals.reply_sent",
            "proposals.rated", "proposals.archived", "proposals.rehandle"} <= verbs


def test_the_table_refuses_filing_a_draft_with_a_clear_message(world):
    proposal = world.flow.draft()
    with pytest.raises(InvalidTransition) as exc:
        actions.do_file_proposal(proposal, actor=world.proposal_staff)
    assert "草稿" in exc.value.messages[0] and "已立案" in exc.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.case_number is None


def test_a_joint_proposal_waits_for_its_cosigners_before_submission(world):
    p = world
    proposal = p.flow.draft(joint=True)
    with pytest.raises(ValidationError, match="未确认"):
        actions.do_submit_proposal(proposal, actor=p.member)
    actions.do_respond_cosign(proposal, accept=False, actor=p.cosigner)
    with pytest.raises(ValidationError, match="至少需要 1 位联名人"):
        actions.do_submit_proposal(proposal, actor=p.member)
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.serial is None


def test_a_cosigner_past_the_deadline_cannot_confirm_and_counts_as_declined(world):
    from xieshang.testing import make_user

    p = world
    proposal = p.flow.draft(joint=True)
    late_user = make_user("late_member", "张三")
    second = Member.objects.create(committee=p.district, user=late_user, name="张三", sector=p.sector)
    actions.do_invite_cosigners(proposal, [second], actor=p.member)
    actions.do_respond_cosign(proposal, accept=True, actor=p.cosigner)
    p.clock.set("2026-03-10")
    with pytest.raises(ValidationError, match="期限"):
        actions.do_respond_cosign(proposal, accept=True, actor=late_user)
    actions.do_submit_proposal(proposal, actor=p.member)
    assert proposal.proposers.get(member=second).signature == "declined"
    assert proposal.status == "submitted"


def test_submission_in_the_plenary_window_is_a_plenary_proposal(world):
    world.clock.set("2026-01-05")
    proposal = world.flow.submitted()
    assert proposal.timing == Proposal.Timing.PLENARY


def test_pre_review_can_return_a_proposal_with_a_reason_and_it_can_be_resubmitted(world):
    p = world
    proposal = p.flow.submitted()
    with pytest.raises(ValidationError, match="理由"):
        actions.do_return_proposal(proposal, reason=" ", actor=p.proposal_staff)
    actions.do_return_proposal(proposal, reason="请补充数据", actor=p.proposal_staff)
    assert proposal.status == "returned"
    actions.do_update_proposal(proposal, {"analysis": "补充了数据。"}, actor=p.member)
    actions.do_submit_proposal(proposal, actor=p.member)
    assert proposal.status == "submitted" and proposal.serial == 1


def test_decline_needs_a_configured_ground_and_tells_the_proposer(world, django_capture_on_commit_callbacks):
    p = world
    proposal = p.flow.in_review()
    with pytest.raises(ValidationError, match="不予立案理由"):
        actions.do_decline_proposal(proposal, ground="看不顺眼", actor=p.proposal_staff)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_decline_proposal(proposal, ground="属于学术探讨的", reason="建议以论文形式发表", actor=p.proposal_staff)
    assert proposal.status == "declined" and proposal.decline_ground == "属于学术探讨的"
    note = Notification.objects.get(recipient=p.member, kind="proposals.declined")
    assert "属于学术探讨的" in note.body


def test_merging_keeps_every_proposer_on_the_lead_case(world):
    p = world
    lead = p.flow.filed(title="关于老旧小区改造的建议")
    second = p.flow.in_review(title="关于加装电梯的建议", joint=True)
    actions.do_merge_proposal(second, into=lead, actor=p.proposal_staff)
    assert second.status == "merged" and second.merged_into == lead and second.case_number is None
    names = set(lead.proposers.values_list("member__name", flat=True))
    assert names == {"王建国", "李秀英"}  # the first proposer is on both and is not repeated
    assert lead.proposers.get(member=p.cosigner_row).role == Proposer.Role.MERGED


def test_merging_into_an_unfiled_proposal_is_refused(world):
    p = world
    target = p.flow.in_review(title="甲")
    proposal = p.flow.in_review(title="乙")
    with pytest.raises(ValidationError, match="已立案"):
        actions.do_merge_proposal(proposal, into=target, actor=p.proposal_staff)
    proposal.refresh_from_db()
    assert proposal.status == "review"


def test_conversion_needs_the_proposers_consent(world):
    p = world
    proposal = p.flow.in_review()
    with pytest.raises(ValidationError, match="同意"):
        actions.do_convert_proposal(proposal, target="social_info", consent=False, actor=p.proposal_staff)
    actions.do_convert_proposal(proposal, target="social_info", consent=True, actor=p.proposal_staff)
    assert proposal.status == "converted" and proposal.convert_target == "social_info"


def test_the_proposer_can_withdraw_before_filing_but_not_after(world):
    p = world
    proposal = p.flow.submitted()
    actions.do_withdraw_proposal(proposal, reason="另行反映", actor=p.member)
    assert proposal.status == "withdrawn"
    filed = p.flow.filed(title="另一件")
    with pytest.raises(InvalidTransition):
        actions.do_withdraw_proposal(filed, actor=p.member)


def test_batch_filing_numbers_in_order_and_a_refusal_rolls_back_the_whole_batch(world):
    p = world
    a, b = p.flow.in_review(title="甲"), p.flow.in_review(title="乙")
    draft = p.flow.draft(title="丙")
    with pytest.raises(ValidationError, match="《丙》"):
        actions.do_review_batch([a, b, draft], "file", actor=p.proposal_staff)
    a.refresh_from_db()
    assert a.status == "review" and a.case_number is None
    actions.do_review_batch([b, a], "file", actor=p.proposal_staff)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.case_number, a.case_number) == (1, 2)


def test_split_assignment_gives_each_lead_its_own_reply_and_due_date(world):
    p = world
    proposal = p.flow.filed()
    first, second = actions.do_assign_proposal(proposal, leads=[p.dept_a, p.dept_b], actor=p.proposal_staff)
    assert first.role == second.role == Assignment.Role.SPLIT_LEAD
    reply = p.flow.reply(proposal)
    assert reply.status == "review"  # no co-handlers, so straight to the office
    actions.do_review_reply(reply, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply, actor=p.dept_handler)
    proposal.refresh_from_db()
    assert proposal.status == "in_progress"  # the other lead has not replied yet
    reply_b = actions.do_draft_reply(second, {"outcome": "C", "body": "留作参考。", "signer": "局长"},
                                     actor=p.other_dept_handler)
    actions.do_review_reply(reply_b, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply_b, actor=p.other_dept_handler)
    proposal.refresh_from_db()
    assert proposal.status == "replied"


def test_a_department_objects_in_time_and_staff_reassign(world):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    p.clock.set("2026-03-09")  # the last day of the five-working-day window
    actions.do_object_assignment(lead, reason="不属于本单位职责", actor=p.dept_handler)
    assert lead.status == "objected"
    with pytest.raises(ValidationError, match="已承办"):
        actions.do_reassign_assignment(lead, department=p.dept_a, actor=p.proposal_staff)
    new = actions.do_reassign_assignment(lead, department=p.dept_b, actor=p.proposal_staff)
    lead.refresh_from_db()
    assert lead.status == "withdrawn" and lead.replaced_by == new
    assert new.role == "lead" and new.assigned_at == D("2026-03-09") and new.reply_due == D("2026-06-09")
    assert not Proposal.objects.visible_to(p.dept_handler).filter(pk=proposal.pk).exists()


def test_staff_can_dismiss_an_objection(world):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    actions.do_object_assignment(lead, reason="职责不符", actor=p.dept_handler)
    actions.do_dismiss_objection(lead, note="属于贵单位职责", actor=p.proposal_staff)
    assert lead.status == "assigned"


def test_extension_is_requested_then_approved_or_refused(world):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    with pytest.raises(ValidationError, match="延期最晚"):
        actions.do_request_extension(lead, new_due=D("2026-12-01"), reason="需要调研", actor=p.dept_handler)
    actions.do_request_extension(lead, new_due=D("2026-07-02"), reason="需要调研", actor=p.dept_handler)
    with pytest.raises(ValidationError, match="待审批"):
        actions.do_request_extension(lead, new_due=D("2026-07-03"), reason="再议", actor=p.dept_handler)
    with pytest.raises(PermissionDenied):
        actions.do_decide_extension(lead, approve=True, actor=p.dept_leader)
    actions.do_decide_extension(lead, approve=True, actor=p.proposal_staff)
    assert lead.reply_due == D("2026-07-02") and lead.extension == "approved"
    actions.do_request_extension(lead, new_due=D("2026-08-03"), reason="仍需时间", actor=p.dept_handler)
    actions.do_decide_extension(lead, approve=False, note="不予延期", actor=p.proposal_staff)
    assert lead.reply_due == D("2026-07-02") and lead.extension == "refused"


def test_the_office_may_return_a_reply_and_the_lead_redrafts_it(world):
    p = world
    proposal = p.flow.assigned(co=False)
    reply = p.flow.reply(proposal)
    with pytest.raises(ValidationError, match="理由"):
        actions.do_review_reply(reply, approve=False, actor=p.proposal_staff)
    actions.do_review_reply(reply, approve=False, note="答复过于简略", actor=p.proposal_staff)
    assert reply.status == "returned"
    again = p.flow.reply(proposal, outcome="C")
    assert again.pk == reply.pk and again.status == "review" and again.outcome == "C"
    with pytest.raises(ValidationError, match="A/B/C"):
        actions.do_review_reply(again, approve=True, outcome="D", actor=p.proposal_staff)


def test_abcd_committees_accept_class_d(world):
    from xieshang.org import actions as org_actions

    p = world
    org_actions.do_change_setting(p.district, "proposals.outcome_classes", "abcd", actor=p.office_admin)
    proposal = p.flow.assigned(co=False)
    reply = p.flow.reply(proposal, outcome="D")
    assert reply.outcome == "D"


def test_staff_record_a_rating_for_an_offline_proposer(world):
    p = world
    proposal = p.flow.replied(co=False)
    row = proposal.proposers.get(role="first")
    with pytest.raises(PermissionDenied):
        actions.do_rate_proposal(proposal, result="satisfied", for_proposer=row, actor=p.dept_handler)
    rating = actions.do_rate_proposal(proposal, result="satisfied", for_proposer=row, actor=p.proposal_staff)
    assert rating.on_behalf and rating.recorded_by == p.proposal_staff
    proposal.refresh_from_db()
    assert proposal.status == "archived"


def test_a_second_dissatisfied_rating_beyond_the_rounds_archives(world):
    p = world
    proposal = p.flow.replied(co=False)
    actions.do_rate_proposal(proposal, result="dissatisfied", actor=p.member)
    reply = p.flow.reply(proposal)
    actions.do_review_reply(reply, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply, actor=p.dept_handler)
    proposal.refresh_from_db()
    actions.do_rate_proposal(proposal, result="dissatisfied", actor=p.member)
    proposal.refresh_from_db()
    assert proposal.status == "archived" and proposal.round == 2


def test_extra_rating_fields_only_when_the_committee_enables_them(world):
    from xieshang.org import actions as org_actions

    p = world
    proposal = p.flow.replied(co=False)
    with pytest.raises(ValidationError, match="未启用"):
        actions.do_rate_proposal(proposal, result="satisfied", extras={"visit": "visited"}, actor=p.member)
    org_actions.do_change_setting(p.district, "proposals.rating_extra_fields", True, actor=p.office_admin)
    with pytest.raises(ValidationError):
        actions.do_rate_proposal(proposal, result="satisfied", extras={"visit": "maybe"}, actor=p.member)
    rating = actions.do_rate_proposal(proposal, result="satisfied",
                                      extras={"visit": "visited", "attitude": "understanding"}, actor=p.member)
    assert (rating.visit, rating.attitude) == ("visited", "understanding")


def test_key_excellent_and_publication(world):
    p = world
    proposal = p.flow.assigned()
    economy = SpecialCommittee.objects.create(committee=p.district, name="经济委员会")
    task = actions.do_select_key_proposal(proposal, leader_name="张副主席", special_committee=economy,
                                          actor=p.proposal_staff)
    assert proposal.is_key and task.year == 2026 and SupervisionTask.objects.count() == 1
    with pytest.raises(ValidationError, match="已是重点提案"):
        actions.do_select_key_proposal(proposal, leader_name="张副主席", actor=p.proposal_staff)
    actions.do_record_oversight_report(task, report="已开展视察一次。", actor=p.proposal_staff)
    actions.do_mark_excellent(proposal, actor=p.proposal_staff)
    assert proposal.is_excellent and proposal.excellent_year == 2026
    assert not Proposal.objects.published().exists()
    with pytest.raises(ValidationError, match="理由"):
        actions.do_set_public_consent(proposal, consent=False, actor=p.member)
    actions.do_set_public_consent(proposal, consent=True, actor=p.member)
    assert list(Proposal.objects.published()) == [proposal]
    draft = p.flow.draft(title="未立案")
    with pytest.raises(ValidationError, match="已立案"):
        actions.do_mark_excellent(draft, actor=p.proposal_staff)


def test_a_collective_proposal_is_drafted_by_its_contact_person(world):
    p = world
    proposal = actions.do_create_proposal(
        p.district, p.session,
        {"title": "关于发展数字经济的建议", "kind": "collective", "collective_type": "party",
         "collective_name": "民盟区委", "contact_name": "周联络", "situation": "情况", "suggestion": "建议"},
        actor=p.proposal_staff)
    row = proposal.proposers.get()
    assert (row.name, row.member, row.user) == ("民盟区委", None, p.proposal_staff)
    with pytest.raises(ValidationError, match="集体提案须写明"):
        actions.do_create_proposal(p.district, p.session, {"title": "关于X的建议", "kind": "collective"},
                                   actor=p.proposal_staff)


def test_only_members_draft_individual_proposals(world):
    p = world
    with pytest.raises(ValidationError, match="在任委员"):
        actions.do_create_proposal(p.district, p.session, {"title": "关于X的建议"}, actor=p.proposal_staff)
    with pytest.raises(PermissionDenied):
        actions.do_create_proposal(p.district, p.session, {"title": "关于X的建议"}, actor=p.outsider)
    with pytest.raises(PermissionDenied):
        actions.do_create_proposal(p.other, p.other_session, {"title": "关于X的建议"}, actor=p.member)


def test_rating_is_refused_before_the_reply(world):
    p = world
    proposal = p.flow.assigned()
    with pytest.raises(ValidationError, match="不能评价"):
        actions.do_rate_proposal(proposal, result="satisfied", actor=p.member)
    assert not Rating.objects.exists()


def test_a_sent_reply_cannot_be_redrafted(world):
    p = world
    proposal = p.flow.replied(co=False)
    reply = Reply.objects.get(assignment__proposal=proposal)
    with pytest.raises(ValidationError):
        p.flow.reply(proposal)
    reply.refresh_from_db()
    assert reply.status == "sent"


def test_a_proposal_with_cosigners_stays_joint(world):
    p = world
    proposal = p.flow.draft(joint=True)
    with pytest.raises(ValidationError, match="联名提案"):
        actions.do_update_proposal(proposal, {"kind": "individual"}, actor=p.member)
    actions.do_respond_cosign(proposal, accept=False, actor=p.cosigner)
    actions.do_update_proposal(proposal, {"kind": "individual"}, actor=p.member)
    actions.do_submit_proposal(proposal, actor=p.member)
    assert proposal.status == "submitted" and proposal.kind == "individual"
