"""Random walks through the actions (hypothesis), checking the workflow's invariants after every step.

Each example runs inside a savepoint that is rolled back afterwards, so examples do not see each other. Every
step calls a real action as the persona who would take it; refusals (ValidationError, InvalidTransition,
PermissionDenied) are expected and must leave the invariants intact, anything else fails the test.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xieshang.proposals import actions
from xieshang.proposals.models import (
    FILED_STATES,
    Assignment,
    AssignmentStatus,
    CaseCounter,
    Proposal,
    Proposer,
    Rating,
    Reply,
    StatusChange,
    Status,
)
from xieshang.proposals.transitions import ASSIGNMENT_MOVES, PROPOSAL_MOVES

START = datetime.date(2026, 3, 2)
LAST = datetime.date(2026, 8, 31)  # keeps every computed due date inside the loaded 2026 calendar
OPS = ["create", "cosign", "submit", "pass", "return", "file", "decline", "merge", "convert", "withdraw", "assign",
       "object", "reassign", "dismiss", "first_contact", "co_opinion", "draft_reply", "cosign_reply", "review_reply",
       "send_reply", "rate_member", "rate_cosigner", "rate_on_behalf", "clock", "batch_file", "key", "consent"]


class Walker:
    def __init__(self, world):
        self.w = world
        self.flow = world.flow

    def proposal(self, i):
        pks = list(Proposal.objects.order_by("pk").values_list("pk", flat=True))
        if not pks:
            return None
        return Proposal.objects.get(pk=pks[i % len(pks)])

    def handler(self, assignment):
        return self.w.dept_handler if assignment.department_id == self.w.dept_a.pk else self.w.other_dept_handler

    def live(self, proposal, *, lead):
        qs = proposal.assignments.exclude(status=AssignmentStatus.WITHDRAWN)
        qs = qs.filter(role__in=["lead", "split"]) if lead else qs.filter(role="co")
        return qs.order_by("pk").first()

    def advance(self, i, k):
        """The natural next step for proposal ``i`` in its current state (``k`` picks among alternatives)."""
        p = self.proposal(i)
        if p is None:
            return "create", k
        if p.status == Status.DRAFT and p.proposers.filter(signature=Proposer.Signature.PENDING).exists():
            return "cosign", k
        by_state = {
            Status.DRAFT: "submit", Status.RETURNED: "submit",
            Status.SUBMITTED: "pass" if k < 2 else "return",
            Status.REVIEW: ["file", "file", ["decline", "merge", "convert", "withdraw"][i % 4]][k],
            Status.FILED: "assign",
        }
        if p.status in by_state:
            return by_state[p.status], k
        if p.status == Status.REPLIED:
            if Rating.objects.filter(proposal=p, round=p.round, proposer__user=self.w.member).exists():
                return "rate_cosigner", k
            return "rate_member", k
        if p.assignments.filter(status=AssignmentStatus.OBJECTED).exists():
            return ("reassign" if k else "dismiss"), k
        co, lead = self.live(p, lead=False), self.live(p, lead=True)
        if co is not None and co.status != AssignmentStatus.DONE:
            return "co_opinion", k
        reply = Reply.objects.filter(assignment=lead, round=p.round).first() if lead else None
        if reply is None or reply.status == Reply.ReviewStatus.RETURNED:
            return "draft_reply", k
        return {Reply.ReviewStatus.COSIGNING: "cosign_reply", Reply.ReviewStatus.REVIEW: "review_reply",
                Reply.ReviewStatus.APPROVED: "send_reply"}.get(reply.status, "clock"), k

    def step(self, op, i, k):
        w, a = self.w, actions
        if op == "advance":
            op, k = self.advance(i, k)
        if op == "create":
            return self.flow.draft(title=f"提案{i}{k}", joint=bool(k % 2))
        if op == "clock":
            w.clock.set(min(LAST, w.clock.day + datetime.timedelta(days=[1, 4, 20][k])))
            return None
        p = self.proposal(i)
        if p is None:
            return None
        staff = w.proposal_staff
        if op == "cosign":
            return a.do_respond_cosign(p, accept=k != 0, actor=w.cosigner)
        if op == "submit":
            return a.do_submit_proposal(p, actor=w.member)
        if op == "pass":
            return a.do_pass_pre_review(p, actor=staff)
        if op == "return":
            return a.do_return_proposal(p, reason="请修改", actor=staff)
        if op == "file":
            return a.do_file_proposal(p, actor=staff)
        if op == "batch_file":
            others = [self.proposal(i + 1), p]
            return a.do_review_batch(others, "file", actor=staff)
        if op == "decline":
            return a.do_decline_proposal(p, ground="属于学术探讨的", actor=staff)
        if op == "merge":
            return a.do_merge_proposal(p, into=self.proposal(i + 1 + k), actor=staff)
        if op == "convert":
            return a.do_convert_proposal(p, target="opinion", consent=k != 0, actor=staff)
        if op == "withdraw":
            return a.do_withdraw_proposal(p, actor=w.member if k else staff)
        if op == "assign":
            co = [w.dept_b] if k == 1 else []
            leads = [w.dept_a, w.dept_b] if k == 2 else [w.dept_a]
            return a.do_assign_proposal(p, leads=leads, co=co, actor=staff)
        if op == "key":
            return a.do_select_key_proposal(p, leader_name="张副主席", actor=staff)
        if op == "consent":
            return a.do_set_public_consent(p, consent=bool(k), reason="涉及个人信息", actor=w.member)
        if op in ("rate_member", "rate_cosigner", "rate_on_behalf"):
            result = ["satisfied", "basically", "dissatisfied"][k]
            if op == "rate_member":
                return a.do_rate_proposal(p, result=result, actor=w.member)
            if op == "rate_cosigner":
                return a.do_rate_proposal(p, result=result, actor=w.cosigner)
            row = p.proposers.order_by("pk").last()
            return a.do_rate_proposal(p, result=result, for_proposer=row, actor=staff)
        lead, co = self.live(p, lead=True), self.live(p, lead=False)
        if op == "object":
            target = lead if k != 1 or co is None else co
            return target and a.do_object_assignment(target, reason="职责不符", actor=self.handler(target))
        if op == "reassign":
            objected = p.assignments.filter(status=AssignmentStatus.OBJECTED).first()
            department = w.dept_b if objected and objected.department_id == w.dept_a.pk else w.dept_a
            return objected and a.do_reassign_assignment(objected, department=department, actor=staff)
        if op == "dismiss":
            objected = p.assignments.filter(status=AssignmentStatus.OBJECTED).first()
            return objected and a.do_dismiss_objection(objected, note="维持", actor=staff)
        if op == "first_contact":
            return lead and a.do_record_first_contact(lead, on=w.clock.day, actor=self.handler(lead))
        if op == "co_opinion":
            return co and a.do_send_co_opinion(co, opinion="同意", actor=self.handler(co))
        if op == "draft_reply":
            outcome = ["A", "C", ""][k]
            return lead and a.do_draft_reply(lead, {"outcome": outcome, "body": "答复", "signer": "局长"},
                                             actor=self.handler(lead))
        reply = Reply.objects.filter(assignment__proposal=p).order_by("-pk").first()
        if reply is None:
            return None
        if op == "cosign_reply":
            return co and a.do_cosign_reply(reply, actor=self.handler(co))
        if op == "review_reply":
            return a.do_review_reply(reply, approve=k != 0, outcome=["", "B", "C"][k], note="意见", actor=staff)
        if op == "send_reply":
            return a.do_send_reply(reply, actor=staff if k else self.handler(reply.assignment))
        raise AssertionError(op)


def check_invariants(world):
    proposals = list(Proposal.objects.all())
    for p in proposals:
        assert p.status in PROPOSAL_MOVES
        # A case number exactly when the proposal is filed (or past filing).
        assert (p.case_number is not None) == (p.status in FILED_STATES), (p.status, p.case_number)
        if p.status == Status.MERGED:
            assert p.merged_into is not None and p.merged_into.status in FILED_STATES
        else:
            assert p.merged_into_id is None
        moves = list(StatusChange.objects.filter(proposal=p, subject="proposal").order_by("pk")
                     .values_list("from_status", "to_status"))
        expected_from = Status.DRAFT
        for from_status, to_status in moves:
            assert from_status == expected_from
            assert to_status in PROPOSAL_MOVES[from_status]
            expected_from = to_status
        assert expected_from == p.status
        assert (p.serial is not None) == any(to == Status.SUBMITTED for _f, to in moves)
        confirmed = p.proposers.filter(signature=Proposer.Signature.CONFIRMED)
        if p.status == Status.ARCHIVED:
            for row in confirmed:
                assert Rating.objects.filter(proposer=row, round=p.round).exists()
        live_leads = p.assignments.filter(role__in=["lead", "split"]).exclude(status=AssignmentStatus.WITHDRAWN)
        if p.status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED, Status.REHANDLE, Status.ARCHIVED):
            assert live_leads.exists()
        else:
            assert not p.assignments.exists()
        if p.status in (Status.REPLIED, Status.ARCHIVED):
            assert not live_leads.exclude(status=AssignmentStatus.DONE).exists()
        if p.status == Status.DRAFT:
            assert not Rating.objects.filter(proposal=p).exists()
    for assignment in Assignment.objects.all():
        assert assignment.status in ASSIGNMENT_MOVES
    for session_id in {p.session_id for p in proposals}:
        numbers = sorted(Proposal.objects.filter(session_id=session_id).exclude(case_number=None)
                         .values_list("case_number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)), numbers  # unique and gap-free
        counter = CaseCounter.objects.filter(session_id=session_id).first()
        assert (counter.last_case_number if counter else 0) == len(numbers)
        serials = sorted(Proposal.objects.filter(session_id=session_id).exclude(serial=None)
                         .values_list("serial", flat=True))
        assert serials == list(range(1, len(serials) + 1))


steps_strategy = st.lists(
    # Two steps in three take the natural next step, so walks get deep into handling and rating; the rest are any
    # action at all, mostly refused, which is how invalid moves get tried in every state.
    st.tuples(st.sampled_from(["advance"] * (2 * len(OPS)) + OPS), st.integers(min_value=0, max_value=3),
              st.integers(min_value=0, max_value=2)),
    min_size=1, max_size=60,
)


@settings(max_examples=80, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=steps_strategy)
def test_random_action_sequences_keep_the_invariants(world, steps):
    walker = Walker(world)
    world.clock.set(START)
    savepoint = transaction.savepoint()
    try:
        walker.step("create", 0, 1)
        for op, i, k in steps:
            try:
                walker.step(op, i, k)
            except (ValidationError, PermissionDenied):
                pass
            check_invariants(world)
    finally:
        transaction.savepoint_rollback(savepoint)


def test_the_walker_can_reach_the_archive(world):
    """A guided walk, so the random test's vocabulary is known to reach every part of the workflow."""
    walker = Walker(world)
    for op, k in [("create", 1), ("cosign", 1), ("submit", 0), ("pass", 0), ("file", 0), ("assign", 1),
                  ("first_contact", 0), ("co_opinion", 0), ("draft_reply", 0), ("cosign_reply", 0),
                  ("review_reply", 1), ("send_reply", 0), ("rate_member", 2), ("draft_reply", 1),
                  ("cosign_reply", 0), ("review_reply", 2), ("send_reply", 1), ("rate_member", 0),
                  ("rate_cosigner", 1)]:
        walker.step(op, 0, k)
        check_invariants(world)
    assert Proposal.objects.get().status == Status.ARCHIVED
