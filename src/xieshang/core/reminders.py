"""The generic part of the daily deadline reminders (催办), shared by the domain apps' reminder jobs.

A domain app (``proposals.reminders``, ``opinions.reminders``) lists its open due dates and who hears about each;
this module answers which notice is owed on a given day and records each notice once:

- :func:`stage_on` gives the notice owed on ``today`` for a due date: a reminder on the committee's reminder days
  before it (``"before:N"``, only the latest one reached when the job missed days), ``"overdue"`` after it and
  ``"escalate"`` once it has been overdue for the committee's escalation delay, all in working days;
- :func:`claim` records a notice in :class:`~xieshang.core.models.ReminderLog` under (item, due date, stage) and
  says whether it was new: a notice already recorded, by an earlier or a concurrent run, is never sent again;
- :class:`Summary` counts what one run sent.

The committee settings the jobs read are :data:`REMINDER_DAYS` and :data:`ESCALATE_AFTER_DAYS`; they are defined
(label, default) in ``org.settings_registry`` with the other per-committee settings, since core knows nothing
of committees.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from . import calendar as workdays
from .models import ReminderLog

REMINDER_DAYS = "notifications.reminder_days"
ESCALATE_AFTER_DAYS = "notifications.escalate_after_days"


@dataclass
class Summary:
    """What one run of a reminder job sent, and how many due dates it skipped."""

    reminders: int = 0
    overdue: int = 0
    escalations: int = 0
    skipped: int = 0  # items beyond the loaded calendar

    @property
    def total(self):
        return self.reminders + self.overdue + self.escalations

    def count(self, stage):
        """Count one notice sent at ``stage``."""
        if stage.startswith("before:"):
            self.reminders += 1
        elif stage == "overdue":
            self.overdue += 1
        else:
            self.escalations += 1


def stage_on(due, today, reminder_days, escalate_after, cal):
    """The notice owed on ``today`` for ``due``: ("before:N", "overdue" or "escalate") or None.

    ``reminder_days`` are working days before ``due`` (non-positive ones are ignored); ``escalate_after`` is the
    number of working days overdue after which the item escalates (None: never). Raises
    :class:`~xieshang.core.calendar.BeyondCalendar` when a date needed lies in a year ``cal`` does not cover.
    """
    if today > due:
        if escalate_after is not None and workdays.working_days_between(due, today, cal) >= escalate_after:
            return "escalate"
        return "overdue"
    # The latest reminder day already reached (the job may have missed days).
    reached = [(workdays.add_working_days(due, -n, cal), n) for n in reminder_days if n > 0]
    reached = [(trigger, n) for trigger, n in reached if trigger <= today]
    if not reached:
        return None
    return "before:%d" % max(reached)[1]


def claim(committee_id, item, due, stage, today):
    """Record the notice; False when it was already recorded (by an earlier or a concurrent run)."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(committee_id=committee_id, item=item, due=due, stage=stage, sent_on=today)
    except IntegrityError:
        return False
    return True


def send_owed(entries, *, today, kind, title, url, summary=None):
    """Send what ``entries`` owe on ``today``; the one dispatch loop of every app's reminder job.

    Each entry has ``committee_id``, ``item``, ``due`` and the recipients ``remind`` (before the due date),
    ``overdue_to`` and ``escalate_to``. ``title(entry, stage)`` and ``url(entry)`` word the notice; ``kind`` is the
    app's notification prefix (``"<kind>.reminder"`` / ``"<kind>.overdue"``). An escalation also sends the overdue
    notice if that was never sent. A due date beyond the loaded calendar is counted in ``summary.skipped``, never
    guessed. Returns the Summary.
    """
    from xieshang.core.notifications import notify
    from xieshang.org import settings_registry  # core knows committees only through their settings

    summary = summary or Summary()
    cal = workdays.load()
    rules = {}

    def rules_of(committee_id):
        if committee_id not in rules:
            days = settings_registry.get(committee_id, REMINDER_DAYS) or []
            rules[committee_id] = (sorted({int(n) for n in days}, reverse=True),
                                   int(settings_registry.get(committee_id, ESCALATE_AFTER_DAYS)))
        return rules[committee_id]

    def send(entry, recipients, stage):
        recipients = [u for u in recipients if u is not None]
        if not recipients or not claim(entry.committee_id, entry.item, entry.due, stage, today):
            return
        notify(recipients, kind=f"{kind}.reminder" if stage.startswith("before:") else f"{kind}.overdue",
               title=title(entry, stage), url=url(entry), committee_id=entry.committee_id)
        summary.count(stage)

    for entry in entries:
        reminder_days, escalate_after = rules_of(entry.committee_id)
        try:
            stage = stage_on(entry.due, today, reminder_days, escalate_after, cal)
        except workdays.BeyondCalendar:
            summary.skipped += 1
            continue
        if stage is None:
            continue
        if stage.startswith("before:"):
            send(entry, entry.remind, stage)
        else:
            send(entry, entry.overdue_to, "overdue")
            if stage == "escalate":
                send(entry, entry.escalate_to, "escalate")
    return summary
