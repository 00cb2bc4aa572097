"""The shared reminder pieces: which notice is owed on a day (working days, 国庆 2026) and recording each once."""

import datetime

import pytest
from django.db import connection

from xieshang.core import calendar as workdays
from xieshang.core.calendar_import import HOLIDAY, WORKDAY, package_schedule
from xieshang.core.models import ReminderLog
from xieshang.core.reminders import ESCALATE_AFTER_DAYS, REMINDER_DAYS, Summary, claim, stage_on
from xieshang.org import settings_registry

D = datetime.date.fromisoformat


def _calendar(years):
    days = [d for y in years for d in package_schedule()[y]]
    return workdays.WorkCalendar(holidays=frozenset(d.date for d in days if d.kind == HOLIDAY),
                                 workdays=frozenset(d.date for d in days if d.kind == WORKDAY),
                                 years=frozenset(years))


CAL = _calendar([2026])
DUE = D("2026-10-09")  # Fri 9 Oct 2026; 1-7 Oct are off, Sat 10 Oct is a make-up working day


@pytest.mark.parametrize("today, expected", [
    ("2026-09-23", None),          # before the first reminder day
    ("2026-09-24", "before:5"),    # 5 working days before: 24, 28, 29, 30 Sep, 8 Oct (25-27 Sep, 1-7 Oct off)
    ("2026-09-30", "before:5"),    # between the reminder days: still the 5-day one (already sent, then claimed)
    ("2026-10-08", "before:1"),
    ("2026-10-09", "before:1"),    # the due date itself is not overdue
    ("2026-10-10", "overdue"),     # the make-up Saturday is the first overdue working day
    ("2026-10-12", "overdue"),
    ("2026-10-13", "escalate"),    # three working days overdue: 10, 12, 13 Oct
    ("2026-10-30", "escalate"),
])
def test_stage_on_counts_working_days_across_national_day(today, expected):
    assert stage_on(DUE, D(today), [5, 1], 3, CAL) == expected


def test_a_missed_run_gets_only_the_latest_reminder_reached():
    assert stage_on(DUE, D("2026-10-08"), [1, 5, 3], 3, CAL) == "before:1"
    assert stage_on(DUE, D("2026-09-29"), [5, 3, 1], 3, CAL) == "before:3"


def test_non_positive_reminder_days_are_ignored_and_no_escalation_without_a_delay():
    assert stage_on(DUE, D("2026-10-09"), [0, -2], 3, CAL) is None
    assert stage_on(DUE, D("2026-12-31"), [5, 1], None, CAL) == "overdue"


def test_a_date_beyond_the_calendar_raises_instead_of_guessing():
    with pytest.raises(workdays.BeyondCalendar):
        stage_on(D("2027-01-05"), D("2026-12-30"), [5, 1], 3, CAL)


def test_the_settings_keys_are_the_registered_committee_settings():
    assert settings_registry.REGISTRY[REMINDER_DAYS].default == [5, 1]
    assert settings_registry.REGISTRY[ESCALATE_AFTER_DAYS].default == 3


def test_summary_counts_each_stage():
    summary = Summary()
    for stage in ("before:5", "before:1", "overdue", "escalate"):
        summary.count(stage)
    assert (summary.reminders, summary.overdue, summary.escalations, summary.total) == (2, 1, 1, 4)


@pytest.mark.django_db
def test_claim_records_a_notice_once_per_item_due_date_and_stage(personas):
    committee_id = personas.district.pk
    assert claim(committee_id, "opinions.follow_up:1", DUE, "before:5", D("2026-09-24"))
    assert not claim(committee_id, "opinions.follow_up:1", DUE, "before:5", D("2026-09-25"))
    # Another stage, another due date (an extension) or another item is a new notice.
    assert claim(committee_id, "opinions.follow_up:1", DUE, "overdue", D("2026-10-10"))
    assert claim(committee_id, "opinions.follow_up:1", D("2026-10-16"), "before:5", D("2026-10-09"))
    assert claim(committee_id, "assignment:1:reply:1", DUE, "before:5", D("2026-09-24"))
    rows = ReminderLog.objects.order_by("pk").values_list("item", "due", "stage", "sent_on", "committee_id")
    assert list(rows) == [
        ("opinions.follow_up:1", DUE, "before:5", D("2026-09-24"), committee_id),
        ("opinions.follow_up:1", DUE, "overdue", D("2026-10-10"), committee_id),
        ("opinions.follow_up:1", D("2026-10-16"), "before:5", D("2026-10-09"), committee_id),
        ("assignment:1:reply:1", DUE, "before:5", D("2026-09-24"), committee_id),
    ]


@pytest.mark.django_db
def test_a_refused_claim_leaves_the_surrounding_transaction_usable(personas):
    claim(personas.district.pk, "x:1", DUE, "overdue", DUE)
    assert not claim(personas.district.pk, "x:1", DUE, "overdue", DUE)
    # The IntegrityError was contained in a savepoint: the connection still works (PostgreSQL would refuse).
    assert not connection.needs_rollback
    assert ReminderLog.objects.count() == 1
