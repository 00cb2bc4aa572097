"""The proposals API's permission matrix: every persona against the main read and write endpoints.

200/201 when the rule allows; 403 when the persona can see the proposal but may not act; 404 when it cannot
see the proposal (or the committee) at all, so that nothing about it is revealed.
"""

import pytest

from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.tests.conftest import cal2026, clock, world  # noqa: F401  (fixtures)
from xieshang.testing import PERSONA_NAMES

from .helpers import call

OFFICE = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "sysadmin"}
# Personas who cannot see the district's proposals at all: another committee's staff, an appointed informant
# (特邀信息员, not a member) and the outsider.
OUTSIDE = {"other_staff", "informant", "outsider"}
PROPOSAL_OFFICE = {"proposal_staff", "office_admin", "sysadmin"}
DEPT_A = {"dept_leader", "dept_handler"}


def code(persona, allowed, visible, ok=200):
    if persona in allowed:
        return ok
    return 403 if persona in visible else 404


def assert_no_data(response, proposal):
    assert set(response.json()) == {"detail"}, response.json()
    assert proposal.title not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_draft_is_seen_only_by_its_author(client, world, persona):
    proposal = world.flow.draft()
    response = call(client, "GET", f"/api/v1/proposals/{proposal.pk}", getattr(world, persona))
    assert response.status_code == (200 if persona == "member" else 404)
    if response.status_code == 404:
        assert_no_data(response, proposal)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_an_assigned_proposal_is_seen_by_its_proposers_the_office_and_its_department_only(client, world, persona):
    proposal = world.flow.assigned(co=False)
    visible = {"member"} | OFFICE | DEPT_A
    response = call(client, "GET", f"/api/v1/proposals/{proposal.pk}", getattr(world, persona))
    assert response.status_code == (200 if persona in visible else 404)
    if response.status_code == 200:
        assert response.json()["case_number"] == 1
    else:
        assert_no_data(response, proposal)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_list_holds_only_what_the_persona_may_see(client, world, persona):
    world.flow.draft("关于草稿的建议")
    world.flow.assigned(title="关于交办给甲局的建议", co=False)
    world.flow.in_review(title="关于审查中的建议", joint=True)
    response = call(client, "GET", "/api/v1/committees/district/proposals", getattr(world, persona))
    if persona in OUTSIDE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    expected = {
        "member": {"关于草稿的建议", "关于交办给甲局的建议", "关于审查中的建议"},
        "cosigner": {"关于审查中的建议"},
        "dept_leader": {"关于交办给甲局的建议"},
        "dept_handler": {"关于交办给甲局的建议"},
        "other_dept_handler": set(),
    }.get(persona, {"关于交办给甲局的建议", "关于审查中的建议"})
    assert titles == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_filing_is_for_the_proposal_office_only(client, world, persona):
    proposal = world.flow.in_review()
    response = call(client, "POST", f"/api/v1/proposals/{proposal.pk}/file", getattr(world, persona), {})
    assert response.status_code == code(persona, PROPOSAL_OFFICE, {"member"} | OFFICE), response.content
    proposal.refresh_from_db()
    if response.status_code == 200:
        assert proposal.status == "filed" and proposal.case_number == 1
    else:
        assert proposal.status == "review" and proposal.case_number is None
        if response.status_code == 404:
            assert_no_data(response, proposal)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_lead_department_drafts_the_reply(client, world, persona):
    proposal = world.flow.assigned(co=False)
    lead = world.flow.lead(proposal)
    body = {"outcome": "A", "body": "已办理。", "signer": "赵局长"}
    response = call(client, "POST", f"/api/v1/assignments/{lead.pk}/reply", getattr(world, persona), body)
    assert response.status_code == code(persona, DEPT_A, {"member"} | OFFICE), response.content
    assert Reply.objects.filter(assignment=lead).count() == (1 if response.status_code == 200 else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_a_proposer_rates_the_reply(client, world, persona):
    proposal = world.flow.replied(co=False)
    response = call(client, "POST", f"/api/v1/proposals/{proposal.pk}/rating", getattr(world, persona),
                    {"result": "satisfied"})
    assert response.status_code == code(persona, {"member"}, OFFICE | DEPT_A, ok=201), response.content
    proposal.refresh_from_db()
    assert proposal.status == ("archived" if persona == "member" else "replied")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_draft_is_created_by_members_of_the_committee(client, world, persona):
    body = {"session": world.session.pk, "title": "关于接口起草的建议", "category": "社会", "situation": "情况"}
    response = call(client, "POST", "/api/v1/committees/district/proposals", getattr(world, persona), body)
    if persona in OUTSIDE:
        assert response.status_code == 404
    elif persona in {"member", "cosigner"}:
        assert response.status_code == 201, response.content
    elif persona in PROPOSAL_OFFICE:
        # Allowed by the rule, but an individual proposal needs a sitting member as its first proposer.
        assert response.status_code == 422
    else:
        assert response.status_code == 403
    assert Proposal.objects.filter(title="关于接口起草的建议").count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_assignment_is_for_the_proposal_office_only(client, world, persona):
    proposal = world.flow.filed()
    response = call(client, "POST", f"/api/v1/proposals/{proposal.pk}/assign", getattr(world, persona),
                    {"leads": [world.dept_a.pk]})
    assert response.status_code == code(persona, PROPOSAL_OFFICE, {"member"} | OFFICE), response.content
    assert proposal.assignments.count() == (1 if response.status_code == 200 else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_invited_cosigner_confirms(client, world, persona):
    proposal = world.flow.draft(joint=True)
    response = call(client, "POST", f"/api/v1/proposals/{proposal.pk}/cosign", getattr(world, persona),
                    {"accept": True})
    # The draft exists only for its author and the invited co-signer.
    assert response.status_code == code(persona, {"cosigner"}, {"member"}), response.content
    row = proposal.proposers.get(role="cosigner")
    assert row.signature == ("confirmed" if persona == "cosigner" else "pending")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_proposal_office_reviews_a_reply(client, world, persona):
    proposal = world.flow.assigned(co=False)
    reply = world.flow.reply(proposal)
    response = call(client, "POST", f"/api/v1/replies/{reply.pk}/review", getattr(world, persona),
                    {"approve": True, "outcome": "B"})
    # An unsent reply is hidden from the proposers (404); the lead department sees it but may not review it.
    assert response.status_code == code(persona, PROPOSAL_OFFICE, OFFICE | DEPT_A), response.content
    reply.refresh_from_db()
    assert reply.status == ("approved" if response.status_code == 200 else "review")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_withdrawal_is_for_the_author_and_the_proposal_office(client, world, persona):
    proposal = world.flow.submitted()
    response = call(client, "POST", f"/api/v1/proposals/{proposal.pk}/withdraw", getattr(world, persona), {})
    assert response.status_code == code(persona, {"member"} | PROPOSAL_OFFICE, OFFICE), response.content
    proposal.refresh_from_db()
    assert proposal.status == ("withdrawn" if response.status_code == 200 else "submitted")
