"""The permission matrix of the proposal rules over every persona, and visible_to() agreeing with it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from xieshang.proposals import actions
from xieshang.proposals.models import Proposal, Reply
from xieshang.testing import PERSONA_NAMES

OFFICE_READERS = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "sysadmin"}
PROPOSAL_OFFICE = {"proposal_staff", "office_admin", "sysadmin"}
NEVER = {"other_staff", "informant", "outsider"}


def holders(world, perm, obj):
    return {name for name in PERSONA_NAMES if getattr(world, name).has_perm(perm, obj)}


def viewers_by_queryset(world, proposal):
    return {name for name in PERSONA_NAMES
            if Proposal.objects.visible_to(getattr(world, name)).filter(pk=proposal.pk).exists()}


@pytest.fixture
def stages(world):
    """One proposal at each stage that changes who may see it."""
    flow, p = world.flow, world
    out = {
        "draft": flow.draft(title="草稿"),
        "joint_draft": flow.draft(title="联名草稿", joint=True),
        "submitted": flow.submitted(title="已提交"),
        "assigned_lead_only": flow.assigned(title="仅主办", co=False),
        "assigned_with_co": flow.assigned(title="主办会办", co=True),
    }
    out["returned"] = flow.submitted(title="退回")
    actions.do_return_proposal(out["returned"], reason="请修改", actor=p.proposal_staff)
    return out


EXPECTED_VIEWERS = {
    "draft": {"member"},
    "joint_draft": {"member", "cosigner"},
    "returned": {"member"} | OFFICE_READERS,
    "submitted": {"member"} | OFFICE_READERS,
    "assigned_lead_only": {"member"} | OFFICE_READERS | {"dept_leader", "dept_handler"},
    "assigned_with_co": {"member"} | OFFICE_READERS | {"dept_leader", "dept_handler", "other_dept_handler"},
}


@pytest.mark.parametrize("stage", list(EXPECTED_VIEWERS))
def test_who_may_view_a_proposal_at_each_stage(world, stages, stage):
    proposal = stages[stage]
    expected = EXPECTED_VIEWERS[stage]
    assert holders(world, "proposals.view_proposal", proposal) == expected
    assert viewers_by_queryset(world, proposal) == expected
    assert not expected & NEVER


def test_a_department_sees_only_what_is_assigned_to_it(world, stages):
    mine = set(Proposal.objects.visible_to(world.other_dept_handler).values_list("title", flat=True))
    assert mine == {"主办会办"}
    mine = set(Proposal.objects.visible_to(world.dept_handler).values_list("title", flat=True))
    assert mine == {"仅主办", "主办会办"}


def test_a_member_sees_only_their_own_drafts(world, stages):
    assert set(Proposal.objects.visible_to(world.cosigner).values_list("title", flat=True)) == {"联名草稿"}
    assert "草稿" in set(Proposal.objects.visible_to(world.member).values_list("title", flat=True))


def test_another_committee_and_the_public_see_nothing(world, stages):
    assert not Proposal.objects.visible_to(world.other_staff).exists()
    assert not Proposal.objects.visible_to(world.outsider).exists()
    assert not Proposal.objects.visible_to(AnonymousUser()).exists()
    assert not Proposal.objects.published().exists()


def test_the_public_sees_only_filed_proposals_whose_proposers_consented(world, stages):
    actions.do_set_public_consent(stages["assigned_with_co"], consent=True, actor=world.member)
    actions.do_set_public_consent(stages["returned"], consent=True, actor=world.member)
    assert set(Proposal.objects.published().values_list("title", flat=True)) == {"主办会办"}


def test_permission_matrix_for_the_workflow_steps(world, stages):
    p = world
    committee = p.district
    assert holders(p, "proposals.view_register", committee) == OFFICE_READERS
    assert holders(p, "proposals.add_proposal", committee) == {"member", "cosigner"} | PROPOSAL_OFFICE
    assert holders(p, "proposals.change_proposal", stages["draft"]) == {"member"}
    assert holders(p, "proposals.change_proposal", stages["returned"]) == {"member"}
    assert holders(p, "proposals.change_proposal", stages["submitted"]) == set()
    assert holders(p, "proposals.sign_proposal", stages["joint_draft"]) == {"cosigner"}
    assert holders(p, "proposals.review_proposal", stages["submitted"]) == PROPOSAL_OFFICE
    assert holders(p, "proposals.file_proposal", stages["submitted"]) == PROPOSAL_OFFICE
    assert holders(p, "proposals.assign_proposal", stages["submitted"]) == PROPOSAL_OFFICE
    assert holders(p, "proposals.withdraw_proposal", stages["submitted"]) == {"member"} | PROPOSAL_OFFICE

    proposal = stages["assigned_with_co"]
    lead, co = p.flow.lead(proposal), p.flow.co(proposal)
    assert holders(p, "proposals.reply_assignment", lead) == {"dept_leader", "dept_handler"}
    assert holders(p, "proposals.object_assignment", lead) == {"dept_leader", "dept_handler"}
    assert holders(p, "proposals.reply_assignment", co) == set()
    assert holders(p, "proposals.send_opinion", co) == {"other_dept_handler"}
    assert holders(p, "proposals.object_assignment", co) == {"other_dept_handler"}
    assert holders(p, "proposals.decide_extension", lead) == PROPOSAL_OFFICE

    reply = p.flow.reply(proposal)
    assert holders(p, "proposals.cosign_reply", reply) == {"other_dept_handler"}
    assert holders(p, "proposals.review_reply", reply) == PROPOSAL_OFFICE
    assert holders(p, "proposals.select_key", proposal) == PROPOSAL_OFFICE
    assert holders(p, "proposals.mark_excellent", proposal) == PROPOSAL_OFFICE
    assert holders(p, "proposals.record_rating", proposal) == PROPOSAL_OFFICE
    assert holders(p, "proposals.set_public_consent", proposal) == {"member"} | PROPOSAL_OFFICE


def test_only_confirmed_proposers_may_rate(world):
    p = world
    proposal = p.flow.replied(co=False, joint=True)
    assert holders(p, "proposals.rate_proposal", proposal) == {"member", "cosigner"}


@pytest.mark.parametrize("persona", sorted(NEVER | {"other_dept_handler"}))
def test_outsiders_cannot_act_on_a_lead_assignment(world, stages, persona):
    from django.core.exceptions import PermissionDenied

    user = getattr(world, persona)
    lead = world.flow.lead(stages["assigned_with_co"])
    with pytest.raises(PermissionDenied):
        actions.do_draft_reply(lead, {"outcome": "A", "body": "x", "signer": "y"}, actor=user)
    with pytest.raises(PermissionDenied):
        actions.do_object_assignment(lead, reason="x", actor=user)
    assert not Reply.objects.exists()


@pytest.mark.parametrize("persona", ["member", "dept_handler", "auditor", "committee_leader", "other_staff",
                                     "outsider"])
def test_only_the_proposal_office_files(world, stages, persona):
    from django.core.exceptions import PermissionDenied

    proposal = world.flow.in_review(title="待审定")
    with pytest.raises(PermissionDenied):
        actions.do_file_proposal(proposal, actor=getattr(world, persona))
    proposal.refresh_from_db()
    assert proposal.case_number is None
