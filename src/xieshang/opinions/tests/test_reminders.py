"""Follow-up (跟踪问效) reminders: working-day reminders, overdue notices, escalation to the editors, never twice."""

import datetime

import pytest

from xieshang.core import periodic
from xieshang.core.models import Notification, ReminderLog
from xieshang.opinions import actions, reminders
from xieshang.opinions.models import FollowUp, FollowUpStatus
from xieshang.opinions.testing import signed_copy
from xieshang.org.models import CommitteeSetting, DepartmentStaff

D = datetime.date.fromisoformat


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job as of ``day``; return the notifications it created."""

    def _run(day):
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            reminders.send_follow_up_reminders(D(day), actor=None)
        return list(Notification.objects.exclude(pk__in=before).select_related("recipient"))

    return _run


@pytest.fixture
def follow_up(chain, django_capture_on_commit_callbacks):
    """A district leader's instruction on a signed district copy: one task for dept_a, due Fri 9 Oct 2026."""
    copy = signed_copy(chain)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_record_instruction(copy, leader_name="刘区长", text="请区生态环境局研究办理。",
                                      instructed_on=D("2026-06-01"), departments=[chain.dept_a],
                                      actor=chain.info_editor)
    task = FollowUp.objects.get()
    FollowUp.objects.filter(pk=task.pk).update(due_on=D("2026-10-09"))
    task.refresh_from_db()
    return task


def days(start, end):
    day = D(start)
    while day <= D(end):
        yield day.isoformat()
        day += datetime.timedelta(days=1)


def who(notes):
    return {(n.recipient.username, n.kind) for n in notes}


def test_reminders_come_five_and_one_working_days_before_across_the_national_day(follow_up, run):
    sent = {}
    for day in days("2026-09-15", "2026-10-09"):
        notes = run(day)
        if notes:
            sent[day] = who(notes)
    # 5 working days before Fri 9 Oct: 8 Oct, 30, 29, 28 Sep, then 24 Sep (25–27 Sep and 1–7 Oct are off).
    reminded = {("dept_leader", "opinions.reminder"), ("dept_handler", "opinions.reminder")}
    assert sent == {"2026-09-24": reminded, "2026-10-08": reminded}
    note = Notification.objects.filter(kind="opinions.reminder").first()
    assert "关于加快老旧小区加装电梯的建议" in note.title and "2026-10-09" in note.title


def test_overdue_goes_to_the_department_leader_then_escalates_to_the_info_editors(follow_up, run):
    # Sat 10 Oct is a make-up working day: the first overdue working day.
    assert who(run("2026-10-10")) == {("dept_leader", "opinions.overdue")}
    assert run("2026-10-11") == [] and run("2026-10-12") == []
    # Three working days overdue (10, 12, 13 Oct; the default escalate_after_days): the district's editor.
    escalated = run("2026-10-13")
    assert who(escalated) == {("info_editor", "opinions.overdue")}
    assert "逾期上报" in escalated[0].title and "区生态环境局" in escalated[0].title
    assert run("2026-10-14") == [] and run("2026-10-30") == []
    assert set(ReminderLog.objects.values_list("item", "stage")) == {
        (f"opinions.follow_up:{follow_up.pk}", "overdue"), (f"opinions.follow_up:{follow_up.pk}", "escalate")}


def test_running_twice_the_same_day_sends_nothing_twice(follow_up, run):
    assert len(run("2026-10-08")) == 2
    logs = ReminderLog.objects.count()
    assert run("2026-10-08") == []
    assert ReminderLog.objects.count() == logs == 1
    # The same holds for the overdue and the escalation stages.
    assert len(run("2026-10-13")) == 2  # leader (overdue, never sent) and editor (escalation) at once
    assert run("2026-10-13") == []
    assert ReminderLog.objects.count() == 3


def test_a_missed_run_sends_only_the_latest_reminder(follow_up, run):
    notes = run("2026-10-08")
    assert who(notes) == {("dept_leader", "opinions.reminder"), ("dept_handler", "opinions.reminder")}
    assert list(ReminderLog.objects.values_list("stage", flat=True)) == ["before:1"]


def test_escalation_follows_the_committee_setting(follow_up, run, chain):
    CommitteeSetting.objects.create(committee=chain.district, key="notifications.escalate_after_days", value=1)
    assert who(run("2026-10-10")) == {("dept_leader", "opinions.overdue"), ("info_editor", "opinions.overdue")}


def test_a_department_without_a_leader_account_tells_its_staff_when_overdue(follow_up, run, chain):
    DepartmentStaff.objects.filter(department=chain.dept_a, tier="leader").delete()
    assert who(run("2026-10-10")) == {("dept_handler", "opinions.overdue")}


def test_a_reported_or_closed_task_is_not_reminded(follow_up, run, chain):
    actions.do_report_follow_up(follow_up, response="已完成整改。", actor=chain.dept_handler)
    assert FollowUp.objects.get().status == FollowUpStatus.REPORTED
    assert run("2026-10-08") == [] and run("2026-10-13") == []
    assert not ReminderLog.objects.exists()


def test_a_reopened_task_with_a_new_due_date_starts_afresh(follow_up, run):
    assert len(run("2026-10-08")) == 2
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=D("2026-10-16"))
    assert who(run("2026-10-15")) == {("dept_leader", "opinions.reminder"), ("dept_handler", "opinions.reminder")}


def test_due_dates_in_2027_are_skipped_not_guessed(follow_up, run):
    FollowUp.objects.filter(pk=follow_up.pk).update(due_on=D("2027-01-15"))
    summary = reminders.send_follow_up_reminders(D("2026-12-31"), actor=None)
    assert summary.skipped == 1 and summary.total == 0
    assert not ReminderLog.objects.exists()
    assert not Notification.objects.filter(kind__in=["opinions.reminder", "opinions.overdue"]).exists()


def test_no_notice_without_recipients_is_logged(follow_up, run, chain):
    DepartmentStaff.objects.filter(department=chain.dept_a).delete()
    assert run("2026-10-08") == [] and run("2026-10-10") == []
    assert not ReminderLog.objects.exists()


def test_the_job_runs_once_a_day_with_the_other_periodic_jobs(follow_up, monkeypatch):
    from xieshang.opinions import dates

    job = periodic.get("opinions.reminders")
    assert job.interval == datetime.timedelta(days=1)
    monkeypatch.setattr(dates, "today", lambda: D("2026-10-08"))
    first = periodic.run_due(only="opinions.reminders")
    assert first[0].status == "ran" and first[0].result["reminders"] == 1
    assert periodic.run_due(only="opinions.reminders")[0].status == "skipped"
    assert ReminderLog.objects.count() == 1
