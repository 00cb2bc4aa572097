"""Bulk proposals for benchmarks (``xieshang seed --proposals N``) and a small demo set through the real actions.

:func:`seed_proposals` writes N proposals of one committee with their proposers, assignments, replies, ratings,
state changes and audit rows using ``bulk_create`` in chunks — it deliberately bypasses the actions, which
take a lock, check permissions and send notifications per row and would need hours for 100,000 proposals.
The rows it writes have the shapes the actions write (same states, same audit verbs and targets), with a
realistic distribution of states: older sessions are mostly archived, the latest session is mostly still in
handling. Dates are approximate (calendar days, not working days): the data is for measuring, not for
deadline tests. Case and serial numbers continue each session's counter, so the seeded rows respect the
uniqueness constraints and later real filings continue the series.

:func:`demo_proposals` instead walks a modest number of proposals through the real actions with the demo
personas, so that ``xieshang demo`` shows a register, a workbench and statistics that behave like real use.
"""

import datetime
import random
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from xieshang.core.models import AuditEvent
from xieshang.core.seeding import explicit_timestamps, pick_weighted, pinned_today
from xieshang.org.models import Department, Member, Sector, Session

from . import settings as local
from .models import (
    Assignment,
    AssignmentStatus,
    CaseCounter,
    Proposal,
    Proposer,
    Rating,
    Reply,
    Status,
    StatusChange,
)

S = Status
A = AssignmentStatus
CHUNK = 2000
SEED_ACTOR = "seed"

TOPICS = [
    "加快老旧小区加装电梯", "完善社区居家养老服务", "推进垃圾分类常态化", "缓解学校周边交通拥堵", "加强河道综合治理",
    "支持中小微企业融资", "优化营商环境", "推进智慧社区建设", "加强农村饮用水安全", "完善公共文化服务体系",
    "促进青年人才安居", "规范共享单车停放", "提升基层医疗服务能力", "加强中小学心理健康教育", "推动夜间经济发展",
    "加强历史文化街区保护", "推进背街小巷整治", "完善新能源汽车充电设施", "加强食品安全监管", "推进政务服务一网通办",
]
SITUATION = "近年来，{topic}工作取得一定成效，但群众反映仍有不少问题，基层调研中发现相关机制尚不健全。"
ANALYSIS = "主要原因在于职责分散、投入不足、协调机制不畅，部分政策落实不到位，群众参与度不高。"
SUGGESTION = "一是加强统筹协调，明确牵头部门；二是加大资金投入，设立专项经费；三是建立长效机制，定期评估成效。"

# State weights for the latest session (still being handled) and for earlier ones (mostly closed).
LATEST_WEIGHTS = {
    S.SUBMITTED: 3, S.RETURNED: 1, S.REVIEW: 4, S.FILED: 3, S.ASSIGNED: 10, S.IN_PROGRESS: 30, S.REPLIED: 10,
    S.REHANDLE: 2, S.ARCHIVED: 20, S.DECLINED: 7, S.MERGED: 5, S.CONVERTED: 3, S.WITHDRAWN: 2,
}
EARLIER_WEIGHTS = {
    S.IN_PROGRESS: 1, S.REPLIED: 2, S.ARCHIVED: 72, S.DECLINED: 10, S.MERGED: 7, S.CONVERTED: 5, S.WITHDRAWN: 3,
}
# The proposal moves each final state went through, as (from, to) pairs after DRAFT → SUBMITTED.
PATHS = {
    S.SUBMITTED: [],
    S.RETURNED: [(S.SUBMITTED, S.RETURNED)],
    S.REVIEW: [(S.SUBMITTED, S.REVIEW)],
    S.FILED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.FILED)],
    S.ASSIGNED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.FILED), (S.FILED, S.ASSIGNED)],
    S.IN_PROGRESS: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.FILED), (S.FILED, S.ASSIGNED), (S.ASSIGNED, S.IN_PROGRESS)],
    S.REPLIED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.FILED), (S.FILED, S.ASSIGNED), (S.ASSIGNED, S.IN_PROGRESS),
                (S.IN_PROGRESS, S.REPLIED)],
    S.REHANDLE: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.FILED), (S.FILED, S.ASSIGNED), (S.ASSIGNED, S.IN_PROGRESS),
                 (S.IN_PROGRESS, S.REPLIED), (S.REPLIED, S.REHANDLE)],
    S.ARCHIVED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.FILED), (S.FILED, S.ASSIGNED), (S.ASSIGNED, S.IN_PROGRESS),
                 (S.IN_PROGRESS, S.REPLIED), (S.REPLIED, S.ARCHIVED)],
    S.DECLINED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.DECLINED)],
    S.MERGED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.MERGED)],
    S.CONVERTED: [(S.SUBMITTED, S.REVIEW), (S.REVIEW, S.CONVERTED)],
    S.WITHDRAWN: [(S.SUBMITTED, S.WITHDRAWN)],
}
VERBS = {
    (S.DRAFT, S.SUBMITTED): "proposals.submitted", (S.SUBMITTED, S.REVIEW): "proposals.pre_review_passed",
    (S.SUBMITTED, S.RETURNED): "proposals.returned", (S.REVIEW, S.FILED): "proposals.filed",
    (S.REVIEW, S.DECLINED): "proposals.declined", (S.REVIEW, S.MERGED): "proposals.merged",
    (S.REVIEW, S.CONVERTED): "proposals.converted", (S.SUBMITTED, S.WITHDRAWN): "proposals.withdrawn",
    (S.FILED, S.ASSIGNED): "proposals.assigned", (S.ASSIGNED, S.IN_PROGRESS): "proposals.handling_started",
    (S.IN_PROGRESS, S.REPLIED): "proposals.replied", (S.REPLIED, S.REHANDLE): "proposals.rehandle",
    (S.REPLIED, S.ARCHIVED): "proposals.archived",
}
FILED_LIKE = {S.FILED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.REHANDLE, S.ARCHIVED}
HANDLED = {S.IN_PROGRESS, S.REPLIED, S.REHANDLE, S.ARCHIVED}
REPLIED_LIKE = {S.REPLIED, S.REHANDLE, S.ARCHIVED}


def _at(day, rng):
    """A working-hours moment on ``day`` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))))


class _Writer:
    """Collects the rows of one chunk and writes them with a few bulk_create calls."""

    def __init__(self, committee, rng, types):
        self.committee = committee
        self.rng = rng
        self.types = types
        self.events = []
        self.changes = []

    def event(self, verb, target_type, target_id, at, changes, note=""):
        self.events.append(AuditEvent(
            group_id=uuid.uuid4(), created_at=at, actor=None, actor_repr=SEED_ACTOR, committee_id=self.committee.pk,
            verb=verb, target_type_id=target_type, target_id=str(target_id), target_repr="", changes=changes,
            note=note, via="seed"))


def seed_proposals(committee, n, *, seed=20260101, chunk=CHUNK, log=None):
    """Create ``n`` proposals of ``committee`` spread over its sessions (most in the latest). Returns row counts.

    Needs the committee's sessions, members and departments (``xieshang demo`` / ``xieshang seed`` make them).
    Each chunk of ``chunk`` proposals is one transaction.
    """
    sessions = list(Session.objects.filter(term__committee=committee).order_by("year", "number"))
    members = list(Member.objects.filter(committee=committee).values_list("pk", "user_id", "name"))
    departments = list(Department.objects.filter(committee=committee, is_active=True).values_list("pk", flat=True))
    sectors = list(Sector.objects.filter(committee=committee).values_list("name", flat=True))
    if not sessions or len(members) < 5 or not departments:
        raise ValueError("the committee needs sessions, at least five members and one department")
    categories = list(local.value(committee, local.CATEGORIES)) or ["社会"]
    rng = random.Random(seed + n)
    # Uneven department load, as in real life: a few departments receive most of the proposals.
    dept_weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(departments))]
    rng.shuffle(dept_weights)
    ct = ContentType.objects.get_for_models(Proposal, Assignment, Reply)
    types = {"proposal": ct[Proposal].pk, "assignment": ct[Assignment].pk, "reply": ct[Reply].pk}
    # Half of the proposals in the latest session, the rest spread over the earlier ones.
    session_weights = [1.0] * (len(sessions) - 1) + [max(1.0, len(sessions) - 1.0)]
    totals = {"proposals": 0, "proposers": 0, "assignments": 0, "replies": 0, "ratings": 0, "status_changes": 0,
              "audit_events": 0}
    started = time.monotonic()
    with explicit_timestamps(Proposal, Reply, Rating, StatusChange, AuditEvent):
        done = 0
        while done < n:
            size = min(chunk, n - done)
            with transaction.atomic():
                counts = _seed_chunk(committee, size, rng=rng, sessions=sessions, session_weights=session_weights,
                                     members=members, departments=departments, dept_weights=dept_weights,
                                     sectors=sectors, categories=categories, types=types)
            for key, value in counts.items():
                totals[key] += value
            done += size
            if log:
                log(f"{done}/{n} proposals, {time.monotonic() - started:.1f} s")
    totals["seconds"] = round(time.monotonic() - started, 1)
    return totals


def _seed_chunk(committee, size, *, rng, sessions, session_weights, members, departments, dept_weights, sectors,
                categories, types):
    latest = sessions[-1]
    w = _Writer(committee, rng, types)
    # Lock the counters of the sessions we number in, as the filing action does.
    counters = {}
    for session in sessions:
        counter, _created = CaseCounter.objects.get_or_create(session=session)
        counters[session.pk] = CaseCounter.objects.select_for_update().get(pk=counter.pk)

    proposals, plans = [], []
    for _i in range(size):
        session = rng.choices(sessions, weights=session_weights)[0]
        state = pick_weighted(rng, LATEST_WEIGHTS if session.pk == latest.pk else EARLIER_WEIGHTS)
        kind = pick_weighted(rng, {Proposal.Kind.INDIVIDUAL: 65, Proposal.Kind.JOINT: 25,
                                    Proposal.Kind.COLLECTIVE: 10})
        counter = counters[session.pk]
        counter.last_serial += 1
        case_number = None
        if state in FILED_LIKE:
            counter.last_case_number += 1
            case_number = counter.last_case_number
        submitted = _at(session.plenary_start - datetime.timedelta(days=rng.randint(0, 20)), rng)
        topic = rng.choice(TOPICS)
        collective = kind == Proposal.Kind.COLLECTIVE
        collective_name = f"{rng.choice(sectors)}委员联组" if collective and sectors else ""
        proposal = Proposal(
            committee=committee, session=session, serial=counter.last_serial, case_number=case_number,
            title=f"关于{topic}的建议（{counter.last_serial}）", situation=SITUATION.format(topic=topic),
            analysis=ANALYSIS, suggestion=SUGGESTION, category=rng.choice(categories), kind=kind,
            collective_type=Proposal.CollectiveType.SECTOR if collective else "",
            collective_name=collective_name, contact_name="联系人" if collective else "",
            timing=Proposal.Timing.PLENARY if rng.random() < 0.75 else Proposal.Timing.REGULAR,
            status=state, round=2 if state == S.REHANDLE else 1, submitted_at=submitted,
            filed_at=submitted + datetime.timedelta(days=rng.randint(15, 30)) if case_number else None,
            decline_ground=local.NATIONAL_DECLINE_GROUNDS[9] if state == S.DECLINED else "",
            convert_target=Proposal.ConvertTarget.OPINION if state == S.CONVERTED else "",
            public_consent=(rng.random() < 0.8) if case_number else None,
            is_key=bool(case_number) and rng.random() < 0.03,
            created_at=submitted - datetime.timedelta(days=rng.randint(1, 10)), updated_at=submitted,
        )
        proposals.append(proposal)
        plans.append((state, kind))
    Proposal.objects.bulk_create(proposals)
    CaseCounter.objects.bulk_update(counters.values(), ["last_serial", "last_case_number"])

    # Merged proposals point at a filed proposal of the same session in this chunk (when there is one).
    filed_by_session = {}
    for proposal, (state, _kind) in zip(proposals, plans):
        if state in FILED_LIKE - {S.ARCHIVED}:
            filed_by_session.setdefault(proposal.session_id, []).append(proposal.pk)
    merged = []
    for proposal, (state, _kind) in zip(proposals, plans):
        if state == S.MERGED and filed_by_session.get(proposal.session_id):
            proposal.merged_into_id = rng.choice(filed_by_session[proposal.session_id])
            merged.append(proposal)
    if merged:
        Proposal.objects.bulk_update(merged, ["merged_into"])

    proposers, assignments, assignment_plans = [], [], []
    for proposal, (state, kind) in zip(proposals, plans):
        if kind == Proposal.Kind.COLLECTIVE:
            proposers.append(Proposer(proposal=proposal, name=proposal.collective_name, role=Proposer.Role.FIRST,
                                      order=0, signature=Proposer.Signature.CONFIRMED))
        else:
            count = 1 + (rng.randint(1, 3) if kind == Proposal.Kind.JOINT else 0)
            for order, (member_id, user_id, name) in enumerate(rng.sample(members, count)):
                proposers.append(Proposer(
                    proposal=proposal, member_id=member_id, user_id=user_id, name=name,
                    role=Proposer.Role.FIRST if order == 0 else Proposer.Role.COSIGNER, order=order,
                    signature=Proposer.Signature.CONFIRMED,
                    responded_at=proposal.submitted_at if order else None))
        # Events and state changes of the proposal itself.
        at = proposal.submitted_at
        steps = [(S.DRAFT, S.SUBMITTED)] + PATHS[state]
        for from_state, to_state in steps:
            at = at + datetime.timedelta(days=rng.randint(2, 25)) if from_state != S.DRAFT else at
            w.changes.append(StatusChange(proposal=proposal, subject="proposal", from_status=from_state,
                                          to_status=to_state, at=at))
            w.event(VERBS[(from_state, to_state)], w.types["proposal"], proposal.pk, at,
                    {"status": [from_state, to_state]})
        if state in FILED_LIKE - {S.FILED}:
            assigned_on = (proposal.filed_at + datetime.timedelta(days=rng.randint(3, 15))).date()
            leads = [rng.choices(departments, weights=dept_weights)[0]]
            if rng.random() < 0.05:
                leads.append(rng.choices(departments, weights=dept_weights)[0])
            co = []
            if rng.random() < 0.35:
                co = [d for d in rng.choices(departments, weights=dept_weights, k=rng.randint(1, 2))
                      if d not in leads]
            lead_role = Assignment.Role.SPLIT_LEAD if len(set(leads)) > 1 else Assignment.Role.LEAD
            for department_id in dict.fromkeys(leads):
                assignments.append(_assignment(proposal, department_id, lead_role, state, assigned_on, rng))
                assignment_plans.append((proposal, state, True))
            for department_id in dict.fromkeys(co):
                assignments.append(_assignment(proposal, department_id, Assignment.Role.CO, state, assigned_on, rng))
                assignment_plans.append((proposal, state, False))
    Proposer.objects.bulk_create(proposers)
    Assignment.objects.bulk_create(assignments)

    replies = []
    for assignment, (proposal, state, is_lead) in zip(assignments, assignment_plans):
        at = timezone.make_aware(datetime.datetime.combine(assignment.assigned_at, datetime.time(9)))
        w.event("proposals.assigned", w.types["assignment"], assignment.pk, at,
                {"department": assignment.department_id, "role": assignment.role})
        if state in HANDLED:
            w.event("proposals.first_contact", w.types["assignment"], assignment.pk,
                    at + datetime.timedelta(days=10), {"first_contact_on": str(assignment.first_contact_on)})
            w.changes.append(StatusChange(proposal=proposal, assignment=assignment, subject="assignment",
                                          from_status=A.ASSIGNED, to_status=A.HANDLING,
                                          at=at + datetime.timedelta(days=10)))
        if not is_lead:
            continue
        rounds = 0
        if state in REPLIED_LIKE:
            rounds = 1
        elif state == S.IN_PROGRESS and rng.random() < 0.25:
            rounds = -1  # a draft reply waiting for review
        if rounds == 0:
            continue
        outcome = pick_weighted(rng, {"A": 55, "B": 35, "C": 10})
        late = rng.random() < 0.12
        sent = at + datetime.timedelta(days=rng.randint(95, 130) if late else rng.randint(30, 88))
        replies.append(Reply(
            assignment=assignment, round=1, doc_number=f"函〔{proposal.session.year}〕{assignment.pk % 1000}号",
            outcome=outcome, reviewed_outcome="", body="经认真研究，现答复如下：" + SUGGESTION, signer="局长",
            status=Reply.ReviewStatus.SENT if rounds > 0 else Reply.ReviewStatus.REVIEW,
            drafted_at=sent - datetime.timedelta(days=5), sent_at=sent if rounds > 0 else None))
    Reply.objects.bulk_create(replies)
    for reply in replies:
        if reply.status == Reply.ReviewStatus.SENT:
            w.event("proposals.reply_sent", w.types["reply"], reply.pk, reply.sent_at,
                    {"status": ["approved", "sent"], "outcome": reply.outcome})

    ratings = []
    by_proposal = {}
    for row in proposers:
        by_proposal.setdefault(row.proposal_id, []).append(row)
    for proposal, (state, _kind) in zip(proposals, plans):
        if state not in (S.ARCHIVED, S.REHANDLE):
            continue
        at = (proposal.filed_at or proposal.submitted_at) + datetime.timedelta(days=rng.randint(100, 140))
        for row in by_proposal.get(proposal.pk, []):
            if state == S.REHANDLE:
                result = Rating.Result.DISSATISFIED if row.role == Proposer.Role.FIRST else Rating.Result.BASICALLY
            else:
                result = pick_weighted(rng, {Rating.Result.SATISFIED: 70, Rating.Result.BASICALLY: 27,
                                              Rating.Result.DISSATISFIED: 3})
            ratings.append(Rating(proposal=proposal, proposer=row, round=1, result=result, rated_at=at,
                                  on_behalf=row.user_id is None))
            w.event("proposals.rated", w.types["proposal"], proposal.pk, at,
                    {"proposer": row.name, "result": result, "round": 1})
    Rating.objects.bulk_create(ratings)
    StatusChange.objects.bulk_create(w.changes)
    AuditEvent.objects.bulk_create(w.events)
    return {"proposals": len(proposals), "proposers": len(proposers), "assignments": len(assignments),
            "replies": len(replies), "ratings": len(ratings), "status_changes": len(w.changes),
            "audit_events": len(w.events)}


def _assignment(proposal, department_id, role, state, assigned_on, rng):
    days = datetime.timedelta
    if state == S.ASSIGNED:
        status = A.ASSIGNED
    elif state in (S.IN_PROGRESS, S.REHANDLE):
        status = A.HANDLING if role != Assignment.Role.CO or rng.random() < 0.5 else A.DONE
    else:
        status = A.DONE
    co = role == Assignment.Role.CO
    handled = state in HANDLED
    return Assignment(
        proposal=proposal, department_id=department_id, role=role, status=status, assigned_at=assigned_on,
        objection_due=assigned_on + days(7), first_contact_due=None if co else assigned_on + days(21),
        first_contact_on=assigned_on + days(10) if handled and not co else None,
        opinion_due=assigned_on + days(30) if co else None,
        opinion="同意主办单位意见。" if co and status == A.DONE else "",
        reply_due=None if co else assigned_on + days(91 if state != S.REHANDLE else 121),
    )


# ------------------------------------------------------------------------------------------------ demo set

def demo_proposals(district, users, session, *, count=120, seed=20260301):
    """Walk ``count`` proposals of ``district`` through the real actions with the demo personas.

    ``users``: {persona key: User} with member, cosigner, proposal_staff, dept_handler (whose department
    leads), and the department objects come from the committee. Idempotent: returns 0 when the session already
    has proposals. The states are spread so that every list and every statistic has something to show.
    """
    from . import actions

    if Proposal.objects.filter(session=session).exists():
        return 0
    rng = random.Random(seed)
    member, cosigner, staff = users["member"], users["cosigner"], users["proposal_staff"]
    handler_departments = list(users["dept_handler"].department_posts.values_list("department_id", flat=True))
    lead = Department.objects.get(pk=handler_departments[0])
    others = list(Department.objects.filter(committee=district, is_active=True).exclude(pk=lead.pk)[:6])
    cosigner_row = Member.objects.get(committee=district, user=cosigner)
    categories = list(local.value(district, local.CATEGORIES))
    body = {"situation": SITUATION.format(topic="相关工作"), "analysis": ANALYSIS, "suggestion": SUGGESTION}
    # "filed" comes before "merged" so that the first merge already has a filed lead to join.
    targets = ["draft", "submitted", "review", "filed", "declined", "merged", "converted", "withdrawn", "assigned",
               "in_progress", "replied", "archived", "archived", "archived", "in_progress", "replied"]
    made, lead_case = 0, None
    for i in range(count):
        target = targets[i % len(targets)]
        topic = TOPICS[i % len(TOPICS)]
        joint = i % 4 == 1
        proposal = actions.do_create_proposal(
            district, session, {"title": f"关于{topic}的建议", "category": categories[i % len(categories)], **body},
            cosigners=[cosigner_row] if joint else (), actor=member)
        made += 1
        if target == "draft":
            continue
        if joint:
            actions.do_respond_cosign(proposal, accept=True, actor=cosigner)
        actions.do_submit_proposal(proposal, actor=member)
        if target == "submitted":
            continue
        if target == "withdrawn":
            actions.do_withdraw_proposal(proposal, reason="问题已解决", actor=member)
            continue
        actions.do_pass_pre_review(proposal, actor=staff)
        if target == "review":
            continue
        if target == "declined":
            actions.do_decline_proposal(proposal, ground=local.NATIONAL_DECLINE_GROUNDS[9], actor=staff)
            continue
        if target == "converted":
            actions.do_convert_proposal(proposal, target=Proposal.ConvertTarget.OPINION, consent=True, actor=staff)
            continue
        if target == "merged":
            if lead_case is not None:
                actions.do_merge_proposal(proposal, into=lead_case, actor=staff)
                continue
            target = "filed"
        actions.do_file_proposal(proposal, actor=staff)
        actions.do_set_public_consent(proposal, consent=True, actor=member)
        if target == "filed":
            lead_case = proposal
            continue
        co = [rng.choice(others)] if others and i % 3 == 0 else []
        actions.do_assign_proposal(proposal, leads=[lead], co=co, actor=staff)
        if target == "assigned":
            continue
        assignment = proposal.assignments.get(department=lead)
        actions.do_record_first_contact(assignment, on=assignment.assigned_at, note="电话沟通", actor=users["dept_handler"])
        if target == "in_progress":
            continue
        for co_assignment in proposal.assignments.filter(role=Assignment.Role.CO):
            actions.do_send_co_opinion(co_assignment, opinion="同意主办单位意见。", actor=None)
        reply = actions.do_draft_reply(assignment, {
            "outcome": rng.choice(["A", "A", "B", "C"]), "body": "经认真研究，现答复如下：" + SUGGESTION,
            "signer": "局长", "doc_number": f"东环函〔{session.year}〕{i + 1}号"}, actor=users["dept_handler"])
        if proposal.assignments.filter(role=Assignment.Role.CO).exists():
            actions.do_cosign_reply(reply, actor=None)  # the system signs for every co-department at once
        actions.do_review_reply(reply, approve=True, actor=staff)
        actions.do_send_reply(reply, actor=users["dept_handler"])
        if target == "replied":
            continue
        proposal.refresh_from_db()
        for row in proposal.proposers.filter(signature=Proposer.Signature.CONFIRMED).exclude(user=None):
            actions.do_rate_proposal(proposal, result=rng.choice(["satisfied", "satisfied", "basically"]),
                                     actor=row.user)
    return made


def load_demo_proposals(district, *, count=120):
    """The demo's proposals: ``count`` proposals of the district's latest session through the real actions.

    The actions run as if today were the last day of the session's plenary (so the submissions are plenary
    proposals and every deadline falls inside the loaded working-day calendar). One transaction: all or
    nothing. Returns the number created (0 when the session already has proposals).
    """
    from django.contrib.auth import get_user_model

    from . import dates

    User = get_user_model()
    session = Session.objects.filter(term__committee=district).order_by("-year", "-number").first()
    if session is None:
        return 0
    users = {u.username: u for u in User.objects.filter(
        username__in=["member", "cosigner", "proposal_staff", "dept_handler"])}
    if len(users) < 4:
        return 0
    # (the demo's story is set during its session)
    with transaction.atomic(), pinned_today(dates, session.plenary_end):
        return demo_proposals(district, users, session, count=count)
