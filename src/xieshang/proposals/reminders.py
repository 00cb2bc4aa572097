"""Deadline reminders and escalation (催办), run once a day; idempotent.

For each open due date of a committee's proposals:

- a department's assignment: first contact (lead, until recorded), co-handling opinion (co, until sent) and
  reply (lead, until sent);
- a co-signer's confirmation (pending invitation on a draft);
- a proposer's rating (reply sent, this round not yet rated; due after the committee's feedback days),

the job sends a reminder on the committee's configured working days before the due date (setting
``notifications.reminder_days``, default 5 and 1). When several reminder days have passed unnoticed (the job
did not run) only the latest one is sent. The day after the due date the item is overdue: a department's
leaders are told (for a rating, the committee's proposal staff, who may record it for an offline proposer).
Once an item has been overdue for ``notifications.escalate_after_days`` working days the committee's proposal
staff are told as well (for assignments).

Which notice is owed on a day, and recording each one, are :mod:`xieshang.core.reminders`: each notice is recorded
in :class:`~xieshang.core.models.ReminderLog` under (item, due date, stage); a notice already recorded is never
sent again, so running the job twice a day, or two runs at once, sends
nothing twice, and a due date moved by an extension starts its reminders afresh. An item whose due date lies
in a year the holiday calendar does not cover is skipped (and counted), not guessed.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, periodic, verbs
from xieshang.core import calendar as workdays
from xieshang.core.reminders import send_owed
from xieshang.org.models import DepartmentStaff, RoleGrant

from . import dates
from . import settings as local
from .models import (
    EDITABLE_STATES,
    Assignment,
    AssignmentStatus,
    Proposal,
    Proposer,
    Rating,
    Status,
)

logger = logging.getLogger("xieshang.proposals.reminders")

verbs.register("proposals.reminders_sent", gettext_lazy("发送了提案催办提醒"))


@dataclass
class Due:
    """One open due date: what it is, who is reminded, who is told when it is overdue or escalated."""

    committee_id: int
    item: str
    due: datetime.date
    proposal: Proposal
    what: str  # e.g. "答复", shown in the message
    remind: list = field(default_factory=list)
    overdue_to: list = field(default_factory=list)
    escalate_to: list = field(default_factory=list)


def _url(proposal):
    try:
        return reverse("proposals:detail", args=[proposal.committee.code, proposal.pk])
    except NoReverseMatch:
        return ""


class _People:
    """Recipients looked up once per run: department staff by tier and proposal staff per committee."""

    def __init__(self):
        self.department_all, self.department_leaders = {}, {}
        for post in DepartmentStaff.objects.filter(user__is_active=True).select_related("user"):
            self.department_all.setdefault(post.department_id, []).append(post.user)
            if post.tier == DepartmentStaff.Tier.LEADER:
                self.department_leaders.setdefault(post.department_id, []).append(post.user)
        self.staff = {}
        for grant in RoleGrant.objects.filter(role=RoleGrant.Role.PROPOSAL_STAFF, user__is_active=True).exclude(
                committee=None).select_related("user"):
            self.staff.setdefault(grant.committee_id, []).append(grant.user)

    def leaders(self, department_id):
        # A department without a leader account: its other staff are told instead of no one.
        return self.department_leaders.get(department_id) or self.department_all.get(department_id, [])


def _open_assignment_dues(people):
    """Due dates of live assignments: first contact and reply (leads), opinion (co)."""
    assignments = (Assignment.objects.filter(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.HANDLING])
                   .select_related("proposal__committee", "department"))
    for a in assignments:
        proposal = a.proposal
        department_staff = people.department_all.get(a.department_id, [])
        common = {"committee_id": proposal.committee_id, "proposal": proposal, "remind": department_staff,
                  "overdue_to": people.leaders(a.department_id),
                  "escalate_to": people.staff.get(proposal.committee_id, [])}
        if a.is_lead:
            if a.first_contact_on is None and a.first_contact_due:
                yield Due(item=f"assignment:{a.pk}:first_contact", due=a.first_contact_due,
                          what=_("办前沟通"), **common)
            if a.reply_due:
                yield Due(item=f"assignment:{a.pk}:reply:{proposal.round}", due=a.reply_due,
                          what=_("书面答复"), **common)
        elif a.opinion_due:
            yield Due(item=f"assignment:{a.pk}:opinion", due=a.opinion_due, what=_("会办意见"), **common)


def _cosign_dues():
    rows = (Proposer.objects.filter(role=Proposer.Role.COSIGNER, signature=Proposer.Signature.PENDING,
                                    proposal__status__in=EDITABLE_STATES).exclude(sign_due=None).exclude(user=None)
            .select_related("proposal__committee", "user"))
    for row in rows:
        yield Due(committee_id=row.proposal.committee_id, item=f"proposer:{row.pk}:cosign", due=row.sign_due,
                  proposal=row.proposal, what=_("联名确认"), remind=[row.user])


def _rating_dues(people):
    """Each proposer who still owes a rating of the current round; due N working days after the reply."""
    proposals = (Proposal.objects.filter(status=Status.REPLIED).select_related("committee")
                 .annotate(last_sent=Max("assignments__replies__sent_at")))
    cal = workdays.load()
    for proposal in proposals:
        if proposal.last_sent is None:
            continue
        sent_on = timezone.localdate(proposal.last_sent)
        try:
            due = workdays.add_working_days(
                sent_on, local.value(proposal.committee_id, local.FEEDBACK_WORKING_DAYS), cal)
        except workdays.BeyondCalendar:
            continue
        rated = set(Rating.objects.filter(proposal=proposal, round=proposal.round).values_list("proposer_id",
                                                                                              flat=True))
        owing = proposal.proposers.filter(signature=Proposer.Signature.CONFIRMED).exclude(pk__in=rated)
        staff = people.staff.get(proposal.committee_id, [])
        for row in owing.select_related("user"):
            yield Due(committee_id=proposal.committee_id, item=f"proposer:{row.pk}:rating:{proposal.round}",
                      due=due, proposal=proposal, what=_("满意度测评"),
                      remind=[row.user] if row.user_id else [], overdue_to=staff)


def _messages(entry, stage):
    values = {"what": entry.what, "title": entry.proposal.title, "due": entry.due.isoformat()}
    if stage.startswith("before:"):
        return _("提醒：提案《%(title)s》的%(what)s将于 %(due)s 到期") % values
    if stage == "overdue":
        return _("逾期：提案《%(title)s》的%(what)s已于 %(due)s 到期，尚未完成") % values
    return _("逾期上报：提案《%(title)s》的%(what)s自 %(due)s 到期后仍未完成") % values




@audit.action
def send_due_reminders(today=None, *, actor=None):
    """Send every reminder and escalation owed on ``today`` (default: the local date); returns a Summary.

    Safe to run any number of times a day (see the module docstring).
    """
    today = today or dates.today()
    people = _People()
    entries = [*_open_assignment_dues(people), *_cosign_dues(), *_rating_dues(people)]
    summary = send_owed(entries, today=today, kind="proposals",
                        title=_messages, url=lambda entry: _url(entry.proposal))
    if summary.total:
        audit.record("proposals.reminders_sent", note=today.isoformat(),
                     changes={"reminders": summary.reminders, "overdue": summary.overdue,
                              "escalations": summary.escalations})
    if summary.skipped:
        logger.warning("%d proposal due dates lie beyond the loaded holiday calendar", summary.skipped)
    return summary


@periodic.register("proposals.reminders", interval=datetime.timedelta(days=1), offset=datetime.timedelta(hours=8),
                   description="Send proposal deadline reminders and overdue escalations (idempotent).")
def daily_reminders():
    summary = send_due_reminders(actor=None)
    return {"reminders": summary.reminders, "overdue": summary.overdue, "escalations": summary.escalations,
            "skipped": summary.skipped}
