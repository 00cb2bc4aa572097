"""Proposal to-dos for 我的待办: drafts, co-signing requests, review queues, assignments, replies, ratings.

Each provider runs a fixed number of queries whatever the number of items: the staff queues are counted per
committee rather than listed one proposal at a time.
"""

from django.db.models import Count, F, Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xieshang.core import workbench
from xieshang.org import roles
from xieshang.org.models import Committee

from . import dates
from .models import EDITABLE_STATES, Assignment, AssignmentStatus, Proposal, Proposer, Reply, Status
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
    # A subquery, not a join: an OR across the proposer join cannot use an index (and needs DISTINCT), while
    # "created by u" and "u's first-proposer rows" each can.
    first_rows = Proposer.objects.filter(user=user, role=Proposer.Role.FIRST).values("proposal_id")
    drafts = (Proposal.objects.filter(status__in=EDITABLE_STATES)
              .filter(Q(created_by=user) | Q(pk__in=first_rows))
              .select_related("committee").order_by("id"))
    for proposal in drafts:
        title = (_("退回修改：%(title)s") if proposal.status == Status.RETURNED else _("待完成的提案草稿：%(title)s")) % {
            "title": proposal.title}
        yield workbench.TodoItem(kind="proposals.draft", title=title, url=_detail(proposal),
                                 committee=_committee_label(proposal.committee), detail=proposal.decision_note)


@workbench.register
def cosign_requests(user):
    if not user.is_authenticated:
        return
    today = dates.today()
    rows = Proposer.objects.filter(user=user, role=Proposer.Role.COSIGNER, signature=Proposer.Signature.PENDING,
                                   proposal__status__in=EDITABLE_STATES).select_related("proposal__committee")
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


@workbench.register
def assignments_to_handle(user):
    if not user.is_authenticated:
        return
    department_ids = roles.department_ids(user)
    if not department_ids:
        return
    today = dates.today()
    open_assignments = Assignment.objects.filter(department_id__in=department_ids,
                                                 status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.HANDLING])
    # A lead whose reply for this round is with the co-signers or the office has nothing to do meanwhile.
    waiting = set(Reply.objects.filter(
        assignment__in=open_assignments, round=F("assignment__proposal__round"),
        status__in=[Reply.ReviewStatus.COSIGNING, Reply.ReviewStatus.REVIEW, Reply.ReviewStatus.APPROVED],
    ).values_list("assignment_id", flat=True))
    for a in open_assignments.select_related("proposal__committee", "department"):
        if a.pk in waiting:
            continue
        due = a.reply_due if a.is_lead else a.opinion_due
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


@workbench.register
def replies_to_cosign(user):
    if not user.is_authenticated:
        return
    department_ids = roles.department_ids(user)
    if not department_ids:
        return
    co = (Assignment.objects.filter(department_id__in=department_ids, role=Assignment.Role.CO)
          .exclude(status=AssignmentStatus.WITHDRAWN))
    replies = (Reply.objects.filter(status=Reply.ReviewStatus.COSIGNING,
                                    assignment__proposal__assignments__in=co)
               .exclude(cosigns__assignment__in=co)
               .select_related("assignment__proposal__committee").distinct())
    for reply in replies:
        proposal = reply.assignment.proposal
        yield workbench.TodoItem(kind="proposals.reply_cosign",
                                 title=_("待会签答复：《%(title)s》") % {"title": proposal.title},
                                 url=_detail(proposal), due=reply.assignment.reply_due,
                                 committee=_committee_label(proposal.committee))


@workbench.register
def ratings_owed(user):
    if not user.is_authenticated:
        return
    rows = (Proposer.objects.filter(user=user, signature=Proposer.Signature.CONFIRMED,
                                    proposal__status=Status.REPLIED)
            .exclude(ratings__round=F("proposal__round"))
            .select_related("proposal__committee"))
    for row in rows:
        yield workbench.TodoItem(kind="proposals.rating",
                                 title=_("请评价提案办理情况：《%(title)s》") % {"title": row.proposal.title},
                                 url=_detail(row.proposal), committee=_committee_label(row.proposal.committee))
