"""The proposal workflow's states and moves, as data, and the one function that applies a move.

Proposal (``models.Status``), simplified from the superset in domain.md §3::

    DRAFT ──submit──▶ SUBMITTED ──pass pre-review──▶ REVIEW ──file──▶ FILED ──assign──▶ ASSIGNED
      │                 │  ▲                            │                                  │ first handling step
      │                 │  └──resubmit── RETURNED ◀─────┤ (return to proposers)            ▼
      │                 └──return with reason──▶ RETURNED                               IN_PROGRESS
      │                                              ├──decline──▶ DECLINED               │ every lead reply sent
      │                                              ├──merge────▶ MERGED (→ a filed lead) ▼
      │                                              ├──convert──▶ CONVERTED             REPLIED
      └──withdraw (also from SUBMITTED/RETURNED/REVIEW)─▶ WITHDRAWN    不满意 ◀─┘    │ all rated
                                                                  REHANDLE ─▶ IN_PROGRESS  ▼
                                                                                       ARCHIVED

SUBMITTED is the pre-review queue (预审); RETURNED is "预审退回" and lets the proposers edit and resubmit.
DECLINED, MERGED, CONVERTED, WITHDRAWN and ARCHIVED are final. Key, excellent and public flags are overlays,
not states. A department's objection lives on its assignment and never changes the proposal's state.

Assignment (``models.AssignmentStatus``): ASSIGNED → OBJECTED (→ ASSIGNED when dismissed, → WITHDRAWN when
reassigned to another department) or → HANDLING → DONE (reply sent / co-opinion sent) → HANDLING again when the
proposal is re-handled.

Reply (``models.Reply.ReviewStatus``): COSIGNING → REVIEW → APPROVED → SENT, with REVIEW → RETURNED and
RETURNED → COSIGNING/REVIEW when the lead redrafts.
"""

from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.transitions import InvalidTransition, Table

from .models import Assignment, AssignmentStatus, Proposal, Reply, StatusChange, Status

__all__ = ["InvalidTransition", "TABLES", "allowed", "check", "transition"]

A = AssignmentStatus
R = Reply.ReviewStatus

# {from: {to: audit verb}}: the only moves there are.
PROPOSAL_MOVES = {
    Status.DRAFT: {Status.SUBMITTED: "proposals.submitted", Status.WITHDRAWN: "proposals.withdrawn"},
    Status.SUBMITTED: {
        Status.REVIEW: "proposals.pre_review_passed",
        Status.RETURNED: "proposals.returned",
        Status.WITHDRAWN: "proposals.withdrawn",
    },
    Status.RETURNED: {Status.SUBMITTED: "proposals.submitted", Status.WITHDRAWN: "proposals.withdrawn"},
    Status.REVIEW: {
        Status.FILED: "proposals.filed",
        Status.DECLINED: "proposals.declined",
        Status.MERGED: "proposals.merged",
        Status.CONVERTED: "proposals.converted",
        Status.WITHDRAWN: "proposals.withdrawn",
        Status.RETURNED: "proposals.returned",
    },
    Status.FILED: {Status.ASSIGNED: "proposals.assigned"},
    Status.ASSIGNED: {Status.IN_PROGRESS: "proposals.handling_started"},
    Status.IN_PROGRESS: {Status.REPLIED: "proposals.replied"},
    Status.REPLIED: {Status.REHANDLE: "proposals.rehandle", Status.ARCHIVED: "proposals.archived"},
    Status.REHANDLE: {Status.IN_PROGRESS: "proposals.handling_started"},
    Status.DECLINED: {},
    Status.MERGED: {},
    Status.CONVERTED: {},
    Status.WITHDRAWN: {},
    Status.ARCHIVED: {},
}

ASSIGNMENT_MOVES = {
    A.ASSIGNED: {A.OBJECTED: "proposals.assignment_objected", A.HANDLING: "proposals.assignment_handling"},
    A.OBJECTED: {A.ASSIGNED: "proposals.objection_dismissed", A.WITHDRAWN: "proposals.assignment_withdrawn"},
    A.HANDLING: {A.DONE: "proposals.assignment_done"},
    A.DONE: {A.HANDLING: "proposals.assignment_reopened"},
    A.WITHDRAWN: {},
}

REPLY_MOVES = {
    R.COSIGNING: {R.REVIEW: "proposals.reply_cosigned"},
    R.REVIEW: {R.APPROVED: "proposals.reply_approved", R.RETURNED: "proposals.reply_returned"},
    R.RETURNED: {R.COSIGNING: "proposals.reply_redrafted", R.REVIEW: "proposals.reply_redrafted"},
    R.APPROVED: {R.SENT: "proposals.reply_sent"},
    R.SENT: {},
}

TABLES = {
    Proposal: Table(PROPOSAL_MOVES, Status, lambda: _("提案当前状态为“%(from)s”，不能转为“%(to)s”。")),
    Assignment: Table(ASSIGNMENT_MOVES, AssignmentStatus, lambda: _("该交办当前状态为“%(from)s”，不能转为“%(to)s”。")),
    Reply: Table(REPLY_MOVES, Reply.ReviewStatus, lambda: _("该答复当前状态为“%(from)s”，不能转为“%(to)s”。")),
}
SUBJECTS = {Proposal: "proposal", Assignment: "assignment", Reply: "reply"}


def allowed(obj, to_status):
    """True when ``obj`` (a Proposal, Assignment or Reply) may move to ``to_status`` now."""
    return TABLES[type(obj)].allowed(obj, to_status)


def check(obj, to_status):
    """Raise :class:`InvalidTransition` unless ``obj`` may move to ``to_status``; return the audit verb."""
    return TABLES[type(obj)].check(obj, to_status)


def transition(obj, to_status, *, actor, note="", fields=()):
    """Move ``obj`` to ``to_status``: check the table, save, write a StatusChange row and the audit event.

    Must run inside an action (it writes to the audit group). ``fields`` are other attributes the caller
    already set on ``obj`` that must be saved and audited with the move. Raises :class:`InvalidTransition`
    before writing anything when the move is not in the table.
    """
    verb = check(obj, to_status)
    subject = SUBJECTS[type(obj)]
    from_status = obj.status
    obj.status = to_status
    update_fields = ["status", *fields]
    if isinstance(obj, Proposal):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)
    if isinstance(obj, Proposal):
        proposal, assignment, reply = obj, None, None
    elif isinstance(obj, Assignment):
        proposal, assignment, reply = obj.proposal, obj, None
    else:
        proposal, assignment, reply = obj.assignment.proposal, obj.assignment, obj
    StatusChange.objects.create(
        proposal=proposal, assignment=assignment, reply=reply, subject=subject, from_status=from_status,
        to_status=to_status, actor=actor if getattr(actor, "pk", None) else None, note=str(note),
    )
    changes = {"status": [from_status, to_status]}
    changes.update(audit.snapshot(obj, fields))
    audit.record(verb, obj, changes=changes, note=note)
    return obj
