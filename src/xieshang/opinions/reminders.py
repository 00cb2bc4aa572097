"""Reminders and escalation for the follow-up tasks (跟踪问效) of leaders' instructions; a daily, idempotent job.

An open :class:`~xieshang.opinions.models.FollowUp` (the department has not reported yet) is due on ``due_on``.
The rules are those of the proposal reminders (shared in :mod:`xieshang.core.reminders`), with the settings of
the committee whose copy recorded the instruction (the level that follows the task up):

- on the committee's reminder days before the due date (``notifications.reminder_days``, working days, default
  5 and 1) the department's staff are reminded; when several reminder days passed unnoticed only the latest
  one is sent;
- from the first working day after the due date the department's leaders are told it is overdue (its other staff
  when it has no leader account);
- once the task has been overdue for ``notifications.escalate_after_days`` working days the committee's
  information editors (信息编辑) are told as well.

Each notice is recorded through :mod:`xieshang.core.reminders` in :class:`~xieshang.core.models.ReminderLog` under
(``opinions.follow_up:<id>``, due date, stage): a notice already recorded is never sent again, so running the
job twice a day, or two runs at once, sends nothing twice, and a task reopened with a new due date starts
afresh. A task whose due date lies in a year the holiday calendar does not cover is skipped (and counted).

The job ``opinions.reminders`` runs with the proposals' one through ``xieshang run_periodic`` (the daily cron
line); it is registered when this module is imported (by the app's ``ready``).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, periodic, verbs
from xieshang.core.reminders import send_owed
from xieshang.org.models import DepartmentStaff, RoleGrant

from . import dates
from .models import FollowUp, FollowUpStatus

logger = logging.getLogger("xieshang.opinions.reminders")

ITEM_PREFIX = "opinions.follow_up"

verbs.register("opinions.reminders_sent", gettext_lazy("发送了社情民意跟踪问效催办提醒"))


@dataclass
class Due:
    """One open follow-up task: its key in the log, due date and who hears about it at each stage."""

    committee_id: int
    item: str
    due: datetime.date
    follow_up: FollowUp
    remind: list = field(default_factory=list)
    overdue_to: list = field(default_factory=list)
    escalate_to: list = field(default_factory=list)


def item_key(follow_up):
    return f"{ITEM_PREFIX}:{follow_up.pk}"


def _url(follow_up):
    copy = follow_up.instruction.copy
    for name, args in (("opinions:follow_up", [copy.committee.code, follow_up.pk]),
                       ("opinions:copy", [copy.committee.code, copy.pk])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def _open_dues(follow_ups):
    """A :class:`Due` per open task, with the recipients looked up in two queries for all of them."""
    department_ids = {f.department_id for f in follow_ups}
    committee_ids = {f.instruction.copy.committee_id for f in follow_ups}
    staff, leaders = {}, {}
    for post in DepartmentStaff.objects.filter(department_id__in=department_ids, user__is_active=True,
                                               department__is_active=True).select_related("user"):
        staff.setdefault(post.department_id, []).append(post.user)
        if post.tier == DepartmentStaff.Tier.LEADER:
            leaders.setdefault(post.department_id, []).append(post.user)
    editors = {}
    for grant in RoleGrant.objects.filter(committee_id__in=committee_ids, role=RoleGrant.Role.INFO_EDITOR,
                                          user__is_active=True).select_related("user"):
        editors.setdefault(grant.committee_id, []).append(grant.user)
    for f in follow_ups:
        committee_id = f.instruction.copy.committee_id
        yield Due(committee_id=committee_id, item=item_key(f), due=f.due_on, follow_up=f,
                  remind=staff.get(f.department_id, []),
                  overdue_to=leaders.get(f.department_id) or staff.get(f.department_id, []),
                  escalate_to=editors.get(committee_id, []))


def _title(entry, stage):
    f = entry.follow_up
    values = {"title": f.report.title, "department": f.department.name, "due": entry.due.isoformat()}
    if stage.startswith("before:"):
        return _("提醒：领导批示的社情民意信息《%(title)s》请于 %(due)s 前反馈办理情况") % values
    if stage == "overdue":
        return _("逾期：领导批示的社情民意信息《%(title)s》办理情况已于 %(due)s 到期，尚未反馈") % values
    return _("逾期上报：%(department)s对领导批示的社情民意信息《%(title)s》自 %(due)s 到期后仍未反馈") % values




@audit.action
def send_follow_up_reminders(today=None, *, actor=None):
    """Send every follow-up reminder, overdue notice and escalation owed on ``today``; returns a Summary.

    Safe to run any number of times a day (see the module docstring).
    """
    today = today or dates.today()
    follow_ups = list(FollowUp.objects.filter(status=FollowUpStatus.OPEN).select_related(
        "report", "department", "instruction__copy__committee").order_by("due_on", "pk"))
    summary = send_owed(_open_dues(follow_ups), today=today, kind="opinions",
                        title=_title, url=lambda entry: _url(entry.follow_up))
    if summary.total:
        audit.record("opinions.reminders_sent", note=today.isoformat(),
                     changes={"reminders": summary.reminders, "overdue": summary.overdue,
                              "escalations": summary.escalations})
    if summary.skipped:
        logger.warning("%d follow-up due dates lie beyond the loaded holiday calendar", summary.skipped)
    return summary


@periodic.register("opinions.reminders", interval=datetime.timedelta(days=1), offset=datetime.timedelta(hours=8),
                   description="Send 社情民意 follow-up reminders and overdue escalations (idempotent).")
def daily_reminders():
    summary = send_follow_up_reminders(actor=None)
    return {"reminders": summary.reminders, "overdue": summary.overdue, "escalations": summary.escalations,
            "skipped": summary.skipped}
