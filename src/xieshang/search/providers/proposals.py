"""Proposals and the replies sent on them. Visibility follows ``Proposal.objects.visible_to`` exactly."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.proposals.models import Assignment, AssignmentStatus, Proposal, Reply, Status

from .. import registry
from ._util import safe_reverse


def _proposal_queryset():
    return Proposal.objects.select_related("session").prefetch_related("assignments", "suggested_departments")


def _proposal_doc(p):
    assigned = [a.department_id for a in p.assignments.all() if a.status != AssignmentStatus.WITHDRAWN]
    departments = assigned or [d.pk for d in p.suggested_departments.all()]
    return registry.Doc(
        committee_id=p.committee_id,
        title=p.title,
        body="\n".join(part for part in (p.situation, p.analysis, p.suggestion) if part),
        year=p.session.year if p.session_id else None,
        session_id=p.session_id,
        status=p.status,
        category=p.category,
        department_ids=tuple(departments),
        date=p.filed_at or p.submitted_at or p.created_at,
    )


def _visible_proposals(user):
    return Proposal.objects.visible_to(user).values("pk")


def _proposal_scope(user):
    """Proposal.objects.committee_ids_visible_to, kept with the user's roles (one query per user object)."""
    from xieshang.org import roles

    cache = roles.derived(user)
    if "proposal_scope" not in cache:
        cache["proposal_scope"] = Proposal.objects.committee_ids_visible_to(user)
    return cache["proposal_scope"]


def _proposal_url(entry):
    return safe_reverse("proposals:detail", entry.committee.code, entry.object_id)


registry.register(registry.Provider(
    kind="proposal",
    label=_("提案"),
    model=Proposal,
    queryset=_proposal_queryset,
    document=_proposal_doc,
    visible=lambda user: Q(kind="proposal", object_id__in=_visible_proposals(user)),
    scope=_proposal_scope,
    url=_proposal_url,
    dependents={Assignment: lambda a: [a.proposal_id]},
    status_choices=tuple(Status.choices),
))


def _reply_queryset():
    return Reply.objects.select_related("assignment__proposal__session")


def _reply_doc(r):
    # Only sent replies are searchable; drafts under review belong to the department's own workflow.
    if r.status != Reply.ReviewStatus.SENT:
        return None
    p = r.assignment.proposal
    return registry.Doc(
        committee_id=p.committee_id,
        title=p.title,
        body=r.body,
        parent_id=p.pk,
        year=p.session.year if p.session_id else None,
        session_id=p.session_id,
        status=r.status,
        category=p.category,
        department_ids=(r.assignment.department_id,),
        date=r.sent_at or r.drafted_at,
    )


def _reply_url(entry):
    return safe_reverse("proposals:detail", entry.committee.code, entry.parent_id)


registry.register(registry.Provider(
    kind="reply",
    label=_("提案答复"),
    model=Reply,
    queryset=_reply_queryset,
    document=_reply_doc,
    visible=lambda user: Q(kind="reply", parent_id__in=_visible_proposals(user)),
    scope=_proposal_scope,  # a reply's entry is in its proposal's committee
    url=_reply_url,
    dependents={Proposal: lambda p: Reply.objects.filter(assignment__proposal=p).values_list("pk", flat=True)},
    status_choices=tuple(Reply.ReviewStatus.choices),
))
