"""我的待办 for each role, with due dates, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.core import workbench
from xieshang.org import roles
from xieshang.proposals import actions
from xieshang.proposals import workbench as providers

D = datetime.date.fromisoformat


def todo(user):
    return [item for item in workbench.items_for(user) if item.kind.startswith("proposals.")]


def kinds(user):
    return sorted(item.kind for item in todo(user))


def test_drafts_and_cosign_requests_reach_their_authors(world):
    world.flow.draft(joint=True)
    assert kinds(world.member) == ["proposals.draft"]
    (item,) = todo(world.cosigner)
    assert item.kind == "proposals.cosign" and item.due == D("2026-03-09") and not item.overdue
    world.clock.set("2026-03-10")
    assert todo(world.cosigner)[0].overdue


def test_the_proposal_office_sees_its_queues_counted(world):
    world.flow.submitted(title="甲")
    world.flow.submitted(title="乙")
    world.flow.in_review(title="丙")
    world.flow.filed(title="丁")
    titles = {item.kind: item.title for item in todo(world.proposal_staff)}
    assert titles == {"proposals.queue_submitted": "2 件提案待预审", "proposals.queue_review": "1 件提案待审定",
                      "proposals.queue_filed": "1 件已立案提案待交办"}
    assert todo(world.sysadmin) == []  # the deployment's administrator runs no committee's office
    assert todo(world.other_staff) == []
    assert todo(world.outsider) == []


def test_departments_see_their_assignments_then_the_cosigning_and_review_steps(world):
    p = world
    proposal = p.flow.assigned()
    (lead_item,) = todo(p.dept_handler)
    assert lead_item.kind == "proposals.assignment" and lead_item.due == D("2026-06-02")
    (co_item,) = todo(p.other_dept_handler)
    assert co_item.kind == "proposals.assignment" and co_item.due == D("2026-04-02")
    reply = p.flow.reply(proposal)
    assert todo(p.dept_handler) == []  # the reply is with the co-signers
    assert kinds(p.other_dept_handler) == ["proposals.assignment", "proposals.reply_cosign"]
    actions.do_cosign_reply(reply, actor=p.other_dept_handler)
    assert kinds(p.other_dept_handler) == ["proposals.assignment"]
    assert "proposals.reply_review" in kinds(p.proposal_staff)
    actions.do_review_reply(reply, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply, actor=p.dept_handler)
    assert todo(p.dept_handler) == []
    assert kinds(p.member) == ["proposals.rating"]
    actions.do_rate_proposal(p.flow.lead(proposal).proposal, result="satisfied", actor=p.member)
    assert todo(p.member) == []


def test_overdue_assignments_are_flagged(world):
    world.flow.assigned(co=False)
    world.clock.set("2026-06-03")
    (item,) = todo(world.dept_handler)
    assert item.overdue


def test_objections_and_extension_requests_wait_for_the_office(world):
    p = world
    first = p.flow.assigned(title="甲", co=False)
    second = p.flow.assigned(title="乙", co=False)
    actions.do_object_assignment(p.flow.lead(first), reason="职责不符", actor=p.dept_handler)
    actions.do_request_extension(p.flow.lead(second), new_due=D("2026-07-01"), reason="调研", actor=p.dept_handler)
    titles = {item.kind: item.title for item in todo(p.proposal_staff)}
    assert titles["proposals.objections"] == "1 项交办异议待处理"
    assert titles["proposals.extensions"] == "1 项延期申请待审批"


@pytest.mark.parametrize("provider", [providers.drafts_to_finish, providers.cosign_requests, providers.office_queues,
                                      providers.assignments_to_handle, providers.replies_to_cosign,
                                      providers.ratings_owed])
def test_each_provider_runs_a_fixed_number_of_queries(world, provider):
    p = world
    users = [p.member, p.cosigner, p.proposal_staff, p.dept_handler, p.other_dept_handler]

    def measure():
        out = {}
        for user in users:
            roles.forget(user)  # each measurement pays for reading the roles once
            with CaptureQueriesContext(connection) as ctx:
                list(provider(user))
            out[user.username] = len(ctx.captured_queries)
        return out

    def one_of_each(n):
        p.flow.draft(title=f"草稿{n}", joint=True)
        p.flow.submitted(title=f"提交{n}")
        p.flow.reply(p.flow.assigned(title=f"交办{n}"))
        p.flow.replied(title=f"答复{n}", co=False)

    one_of_each(1)
    small = measure()
    for n in range(2, 5):
        one_of_each(n)
    assert measure() == small
