"""Reads in domain words: a department's assignments, overdue and due-soon work, and who sees what."""

import datetime

from xieshang.org.models import Member
from xieshang.proposals import actions
from xieshang.proposals.models import Assignment, Proposal
from xieshang.testing import make_user

D = datetime.date.fromisoformat


def test_assignments_for_a_department_overdue_and_due_within(world):
    p = world
    first = p.flow.assigned(title="甲")  # lead due 06-02, co (dept_b) opinion due 04-02
    p.clock.set("2026-03-16")
    p.flow.assigned(title="乙", co=False)  # lead due 06-16
    assert Assignment.objects.for_department(p.dept_a).count() == 2
    assert Assignment.objects.for_department(p.dept_b).count() == 1
    assert not Assignment.objects.overdue(D("2026-04-02")).exists()
    assert list(Assignment.objects.overdue(D("2026-04-03"))) == [p.flow.co(first)]
    assert set(Assignment.objects.due_within(14, D("2026-05-20")).values_list("proposal__title", flat=True)) == {"甲"}
    assert Assignment.objects.due_within(14, D("2026-06-02")).count() == 2
    assert Assignment.objects.overdue(D("2026-06-17")).count() == 3
    actions.do_send_co_opinion(p.flow.co(first), opinion="同意", actor=p.other_dept_handler)
    assert Assignment.objects.overdue(D("2026-06-17")).count() == 2  # a finished share is never overdue


def test_the_new_department_sees_a_reassigned_proposal_and_the_old_one_does_not(world):
    p = world
    proposal = p.flow.assigned(co=False)
    actions.do_object_assignment(p.flow.lead(proposal), reason="职责不符", actor=p.dept_handler)
    actions.do_reassign_assignment(p.flow.lead(proposal), department=p.dept_b, actor=p.proposal_staff)
    assert list(Proposal.objects.visible_to(p.other_dept_handler)) == [proposal]
    assert not Proposal.objects.visible_to(p.dept_handler).exists()
    assert not p.dept_handler.has_perm("proposals.view_proposal", proposal)
    assert p.other_dept_handler.has_perm("proposals.view_proposal", proposal)


def test_one_cosigner_declining_does_not_hide_the_proposal_from_another(world):
    p = world
    proposal = p.flow.draft(joint=True)
    third = Member.objects.create(committee=p.district, user=make_user("third"), name="第三人", sector=p.sector)
    actions.do_invite_cosigners(proposal, [third], actor=p.member)
    actions.do_respond_cosign(proposal, accept=False, actor=p.cosigner)
    assert list(Proposal.objects.visible_to(third.user)) == [proposal]
    assert not Proposal.objects.visible_to(p.cosigner).exists()
    assert not p.cosigner.has_perm("proposals.view_proposal", proposal)


def test_visible_to_returns_each_proposal_once(world):
    p = world
    proposal = p.flow.assigned(joint=True)
    for user in (p.member, p.cosigner, p.proposal_staff, p.sysadmin, p.dept_handler):
        assert list(Proposal.objects.visible_to(user)) == [proposal]
