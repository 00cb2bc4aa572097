"""Proposal to-dos for 我的待办: drafts, co-signing requests, review queues, assignments, replies, ratings.

Each provider runs a fixed number of queries whatever the number of items: the staff queues are counted per
committee rather than listed one proposal at a time. The department's lists (assignments to handle, replies to
co-sign) take the workbench's optional ``limit``: the page then reads every row's id and due date (narrow),
builds items for the most urgent rows only and counts the rest (``core.workbench.MoreItems``), instead of
building an item for each of a department's hundreds of open cases.
"""

import datetime

from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, When
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xieshang.core import workbench
from xieshang.org import roles
from xieshang.org.models import Committee

from . import dates
from .models import EDITABLE_STATES, Assignment, AssignmentStatus, Proposal, Proposer, Reply, ReplyCosign, Status
from .rules import PROPOSAL_OFFICE


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _detail(proposal):
    return _reverse("proposals:detail", proposal.committee.code, proposal.pk)


def _committee_label(committee):
    return committee.short_name or committee.name


@workbench.register
def drafts_to_finish(user):
    if not user.is_authenticated:
        return
    # The user's first-proposer rows are read first (by the proposer's user index) and passed as ids: with a
    # subquery or a join inside the OR, SQLite scanned every proposal (200 ms at 100,000).
    first_of = list(Proposer.objects.filter(user=user, role=Proposer.Role.FIRST).values_list("proposal_id", flat=True))
    drafts = (Proposal.objects.filter(status__in=EDITABLE_STATES)
              .filter(Q(created_by=user) | Q(pk__in=first_of))
              .select_related("committee").order_by("id"))
    for proposal in drafts:
        title = (_("退回修改：%(title)s") if proposal.status == Status.RETURNED else _("待完成的提案草稿：%(title)s")) % {
            "title": proposal.title}
        yield workbench.TodoItem(kind="proposals.draft", title=title, url=_detail(proposal),
                                 committee=_committee_label(proposal.committee), detail=proposal.decision_note)


def _own_rows(user, **conditions):
    """Ids of the user's proposer rows matching ``conditions``: read by the proposer's user index first, so that
    the query that joins their proposals starts from these few rows (SQLite otherwise started from every
    proposal in the joined state, 40–180 ms at 100,000)."""
    return list(Proposer.objects.filter(user=user, **conditions).values_list("pk", flat=True))


@workbench.register
def cosign_requests(user):
    if not user.is_authenticated:
        return
    today = dates.today()
    ids = _own_rows(user, role=Proposer.Role.COSIGNER, signature=Proposer.Signature.PENDING)
    if not ids:
        return
    rows = Proposer.objects.filter(pk__in=ids, proposal__status__in=EDITABLE_STATES).select_related(
        "proposal__committee")
    for row in rows:
        yield workbench.TodoItem(
            kind="proposals.cosign", title=_("请确认联名：%(title)s") % {"title": row.proposal.title},
            url=_detail(row.proposal), due=row.sign_due, committee=_committee_label(row.proposal.committee),
            overdue=bool(row.sign_due and row.sign_due < today),
        )


@workbench.register
def office_queues(user):
    """Counts of what waits for the proposal office in each committee where the user works there."""
    if not user.is_authenticated:
        return
    # Only committees where the user holds an office role themself: the deployment's system administrator
    # does not run every committee's proposal office.
    office = PROPOSAL_OFFICE - {roles.SYSADMIN}
    committee_ids = [cid for cid in roles.committee_ids(user) if roles.roles_in(user, cid) & office]
    if not committee_ids:
        return
    committees = {c.pk: c for c in Committee.objects.filter(pk__in=committee_ids)}
    queues = {
        Status.SUBMITTED: _("%(n)d 件提案待预审"),
        Status.REVIEW: _("%(n)d 件提案待审定"),
        Status.FILED: _("%(n)d 件已立案提案待交办"),
    }
    counts = (Proposal.objects.filter(committee_id__in=committee_ids, status__in=list(queues))
              .values("committee_id", "status").annotate(n=Count("id")).order_by())
    for row in counts:
        committee = committees[row["committee_id"]]
        yield workbench.TodoItem(kind=f"proposals.queue_{row['status']}", title=queues[row["status"]] % {"n": row["n"]},
                                 url=_reverse("proposals:register", committee.code),
                                 committee=_committee_label(committee))
    replies = (Reply.objects.filter(status=Reply.ReviewStatus.REVIEW,
                                    assignment__proposal__committee_id__in=committee_ids)
               .values("assignment__proposal__committee_id").annotate(n=Count("id"), due=Min("assignment__reply_due"))
               .order_by())
    for row in replies:
        committee = committees[row["assignment__proposal__committee_id"]]
        yield workbench.TodoItem(kind="proposals.reply_review", title=_("%(n)d 份答复待审核") % {"n": row["n"]},
                                 url=_reverse("proposals:register", committee.code), due=row["due"],
                                 committee=_committee_label(committee))
    waiting = (Assignment.objects.filter(proposal__committee_id__in=committee_ids)
               .filter(Q(status=AssignmentStatus.OBJECTED) | Q(extension=Assignment.Extension.REQUESTED))
               .values("proposal__committee_id")
               .annotate(objections=Count("id", filter=Q(status=AssignmentStatus.OBJECTED)),
                         extensions=Count("id", filter=Q(extension=Assignment.Extension.REQUESTED)))
               .order_by())
    for row in waiting:
        committee = committees[row["proposal__committee_id"]]
        if row["objections"]:
            yield workbench.TodoItem(kind="proposals.objections",
                                     title=_("%(n)d 项交办异议待处理") % {"n": row["objections"]},
                                     url=_reverse("proposals:register", committee.code),
                                     committee=_committee_label(committee))
        if row["extensions"]:
            yield workbench.TodoItem(kind="proposals.extensions",
                                     title=_("%(n)d 项延期申请待审批") % {"n": row["extensions"]},
                                     url=_reverse("proposals:register", committee.code),
                                     committee=_committee_label(committee))


def _limited(rows, limit, kind, *, due, today):
    """The ``limit`` most urgent of ``rows`` (soonest ``due`` first, undated last) and a MoreItems for the rest.

    Two queries: the (id, due date) pairs of every row, narrow and unordered (an index lookup; sorting a few
    hundred pairs here is cheaper than letting the database sort wide rows, where PostgreSQL chose a full
    scan), then the shown rows by id. ``due`` names a date annotation or field of ``rows``' model.
    """
    far = datetime.date.max
    keys = sorted(rows.values_list("pk", due), key=lambda k: (k[1] is None, k[1] or far, k[0]))
    wanted = [pk for pk, _due in keys[:limit]]
    by_pk = {row.pk: row for row in rows.filter(pk__in=wanted)} if wanted else {}
    shown = [by_pk[pk] for pk in wanted if pk in by_pk]
    overdue = {pk for pk, day in keys if day is not None and day < today}
    hidden_overdue = len(overdue) - sum(1 for pk in wanted if pk in overdue)
    return shown, workbench.MoreItems(kind=kind, count=len(keys) - len(shown), overdue=hidden_overdue)


LEAD_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT_LEAD)


@workbench.register
def assignments_to_handle(user, limit=None):
    """The open assignments of the user's departments whose next step is theirs (reply, or co-handling opinion)."""
    if not user.is_authenticated:
        return
    department_ids = roles.department_ids(user)
    if not department_ids:
        return
    today = dates.today()
    # A lead whose reply for this round is with the co-signers or the office has nothing to do meanwhile.
    waiting = Reply.objects.filter(
        assignment=OuterRef("pk"), round=OuterRef("proposal__round"),
        status__in=[Reply.ReviewStatus.COSIGNING, Reply.ReviewStatus.REVIEW, Reply.ReviewStatus.APPROVED])
    rows = (Assignment.objects.filter(department_id__in=department_ids,
                                      status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.HANDLING])
            .filter(~Exists(waiting))
            .annotate(todo_due=Case(When(role__in=LEAD_ROLES, then=F("reply_due")), default=F("opinion_due")))
            .select_related("proposal__committee", "department"))
    more = None
    if limit is not None:
        rows, more = _limited(rows, limit, "proposals.assignment", due="todo_due", today=today)
    for a in rows:
        due = a.todo_due
        if a.is_lead:
            title = _("待答复：%(case)s《%(title)s》（%(department)s）")
        else:
            title = _("待送会办意见：%(case)s《%(title)s》（%(department)s）")
        yield workbench.TodoItem(
            kind="proposals.assignment",
            title=title % {"case": a.proposal.case_label, "title": a.proposal.title, "department": a.department.name},
            url=_detail(a.proposal), due=due, committee=_committee_label(a.proposal.committee),
            overdue=bool(due and due < today),
        )
    if more is not None:
        yield more


@workbench.register
def replies_to_cosign(user, limit=None):
    """Lead replies waiting for the co-signature of one of the user's co-handling departments."""
    if not user.is_authenticated:
        return
    department_ids = roles.department_ids(user)
    if not department_ids:
        return
    # EXISTS subqueries rather than joins: no DISTINCT over the join, and each probe uses an index.
    co = (Assignment.objects.filter(department_id__in=department_ids, role=Assignment.Role.CO)
          .exclude(status=AssignmentStatus.WITHDRAWN))
    rows = (Reply.objects.filter(status=Reply.ReviewStatus.COSIGNING)
            .filter(Exists(co.filter(proposal_id=OuterRef("assignment__proposal_id"))))
            .exclude(Exists(ReplyCosign.objects.filter(reply=OuterRef("pk"), assignment__in=co)))
            .annotate(todo_due=F("assignment__reply_due"))
            .select_related("assignment__proposal__committee"))
    more = None
    if limit is not None:
        rows, more = _limited(rows, limit, "proposals.reply_cosign", due="todo_due", today=dates.today())
    for reply in rows:
        proposal = reply.assignment.proposal
        yield workbench.TodoItem(kind="proposals.reply_cosign",
                                 title=_("待会签答复：《%(title)s》") % {"title": proposal.title},
                                 url=_detail(proposal), due=reply.todo_due,
                                 committee=_committee_label(proposal.committee))
    if more is not None:
        yield more


@workbench.register
def ratings_owed(user):
    if not user.is_authenticated:
        return
    ids = _own_rows(user, signature=Proposer.Signature.CONFIRMED)
    if not ids:
        return
    rows = (Proposer.objects.filter(pk__in=ids, proposal__status=Status.REPLIED)
            .exclude(ratings__round=F("proposal__round"))
            .select_related("proposal__committee"))
    for row in rows:
        yield workbench.TodoItem(kind="proposals.rating",
                                 title=_("请评价提案办理情况：《%(title)s》") % {"title": row.proposal.title},
                                 url=_detail(row.proposal), committee=_committee_label(row.proposal.committee))
