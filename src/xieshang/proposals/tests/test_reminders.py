"""The daily reminder job: working-day reminders, overdue notices and escalation, never twice, across 国庆 2026."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from xieshang.core import periodic
from xieshang.core.models import Notification, ReminderLog
from xieshang.org import actions as org_actions
from xieshang.proposals import actions, reminders
from xieshang.proposals.models import Assignment, Proposer, Reply

D = datetime.date.fromisoformat


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job as of ``day`` and return the notifications it created."""

    def _run(day):
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            reminders.send_due_reminders(D(day), actor=None)
        return list(Notification.objects.exclude(pk__in=before).select_related("recipient"))

    return _run


def days(start, end):
    day = D(start)
    while day <= D(end):
        yield day.isoformat()
        day += datetime.timedelta(days=1)


@pytest.fixture
def reply_due_after_national_day(world):
    """A lead assignment (no co-department) made on 9 July 2026 whose reply is due on Friday 9 October 2026,
    first contact done."""
    proposal = world.flow.assigned(co=False)
    Assignment.objects.filter(proposal=proposal).update(assigned_at=D("2026-07-09"), reply_due=D("2026-10-09"),
                                                        first_contact_on=D("2026-07-10"))
    return proposal


def test_reminders_come_five_and_one_working_days_before_across_the_national_day(world, run,
                                                                                 reply_due_after_national_day):
    sent = {}
    for day in days("2026-09-15", "2026-10-09"):
        for note in run(day):
            sent.setdefault(day, set()).add((note.recipient.username, note.kind))
    # 5 working days before Fri 9 Oct: 8 Oct, 30, 29, 28 Sep, then 24 Sep (25–27 Sep and 1–7 Oct are off).
    assert sent == {
        "2026-09-24": {("dept_leader", "proposals.reminder"), ("dept_handler", "proposals.reminder")},
        "2026-10-08": {("dept_leader", "proposals.reminder"), ("dept_handler", "proposals.reminder")},
    }


def test_overdue_goes_to_the_department_leader_then_escalates_to_proposal_staff(world, run,
                                                                                reply_due_after_national_day):
    # Sat 10 Oct is a make-up working day: the first overdue working day.
    assert {(n.recipient.username, n.kind) for n in run("2026-10-10")} == {("dept_leader", "proposals.overdue")}
    assert run("2026-10-11") == [] and run("2026-10-12") == []
    # Three working days overdue (10, 12, 13 Oct): the committee's proposal staff are told.
    escalated = run("2026-10-13")
    assert {n.recipient.username for n in escalated} == {"proposal_staff"}
    assert "逾期上报" in escalated[0].title
    assert run("2026-10-14") == []


def test_running_twice_the_same_day_sends_nothing_twice(world, run, reply_due_after_national_day):
    first = run("2026-10-08")
    assert len(first) == 2
    logs = ReminderLog.objects.count()
    assert run("2026-10-08") == []
    assert ReminderLog.objects.count() == logs == 1


def test_a_missed_run_sends_only_the_latest_reminder(world, run, reply_due_after_national_day):
    notes = run("2026-10-08")
    assert {n.title for n in notes} == {"提醒：提案《关于加快老旧小区加装电梯的建议》的书面答复将于 2026-10-09 到期"}
    assert list(ReminderLog.objects.values_list("stage", flat=True)) == ["before:1"]
    assert run("2026-10-09") == []


def test_an_approved_extension_starts_the_reminders_afresh(world, run, reply_due_after_national_day):
    proposal = reply_due_after_national_day
    assert len(run("2026-10-08")) == 2
    world.clock.set("2026-10-08")
    lead = world.flow.lead(proposal)
    actions.do_request_extension(lead, new_due=D("2026-10-30"), reason="需要现场调研", actor=world.dept_handler)
    actions.do_decide_extension(lead, approve=True, actor=world.proposal_staff)
    assert run("2026-10-10") == []  # no longer overdue
    assert len(run("2026-10-29")) == 2


def test_the_committees_reminder_days_are_honoured(world, run, reply_due_after_national_day):
    org_actions.do_change_settings(world.district, {"notifications.reminder_days": [3]}, actor=world.office_admin)
    assert run("2026-09-24") == []
    # 3 working days before 9 Oct: 8 Oct, 30 Sep, 29 Sep.
    assert len(run("2026-09-29")) == 2


def test_first_contact_and_co_opinion_due_dates_are_reminded(world, run):
    proposal = world.flow.assigned(co=True)  # assigned 2026-03-02
    lead, co = world.flow.lead(proposal), world.flow.co(proposal)
    notes = run(str(reminders.workdays.add_working_days(lead.first_contact_due, -1, reminders.workdays.load())))
    assert {n.recipient.username for n in notes} == {"dept_leader", "dept_handler"}
    assert all("办前沟通" in n.title for n in notes)
    day_before_opinion = reminders.workdays.add_working_days(co.opinion_due, -1, reminders.workdays.load())
    notes = [n for n in run(str(day_before_opinion)) if "会办意见" in n.title]
    assert {(n.recipient.username, n.kind) for n in notes} == {("other_dept_handler", "proposals.reminder")}


def test_recorded_first_contact_and_sent_replies_stop_the_reminders(world, run):
    proposal = world.flow.replied(co=False)
    lead = world.flow.lead(proposal)
    assert lead.status == "done"
    notes = run(str(lead.reply_due))
    assert all("书面答复" not in n.title and "办前沟通" not in n.title for n in notes)


def test_cosigners_are_reminded_to_confirm(world, run):
    org_actions.do_change_settings(world.district, {"notifications.reminder_days": [1]}, actor=world.office_admin)
    proposal = world.flow.draft(joint=True)  # invited 2026-03-02, due 2026-03-09
    assert proposal.proposers.get(role=Proposer.Role.COSIGNER).sign_due == D("2026-03-09")
    notes = run("2026-03-06")
    assert [(n.recipient.username, "联名确认" in n.title) for n in notes] == [("cosigner", True)]
    actions.do_respond_cosign(proposal, accept=True, actor=world.cosigner)
    assert run("2026-03-09") == [] and run("2026-03-10") == []


def test_proposers_owing_a_rating_are_reminded_and_staff_told_when_late(world, run):
    world.flow.replied(co=False)
    # Sent on 2 March 2026: the rating is due 15 working days later, on 23 March.
    Reply.objects.update(sent_at=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.timezone.utc))
    notes = run("2026-03-20")
    assert [(n.recipient.username, "满意度测评" in n.title) for n in notes] == [("member", True)]
    late = run("2026-03-24")
    assert [n.recipient.username for n in late] == ["proposal_staff"]


def test_a_due_date_beyond_the_loaded_calendar_is_skipped_not_guessed(world, run, reply_due_after_national_day):
    Assignment.objects.update(reply_due=D("2027-01-08"))
    assert run("2026-12-31") == []
    summary = reminders.send_due_reminders(D("2026-12-31"), actor=None)
    assert summary.skipped == 1


def test_the_job_is_registered_daily_and_the_command_takes_a_date(world, reply_due_after_national_day, capsys):
    job = periodic.get("proposals.reminders")
    assert job.interval == datetime.timedelta(days=1)
    call_command("proposal_reminders", "--date", "2026-10-08")
    assert "reminders: 1" in capsys.readouterr().out
    call_command("proposal_reminders", "--date", "2026-10-08")
    assert "reminders: 0" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("proposal_reminders", "--date", "8.10.2026")
