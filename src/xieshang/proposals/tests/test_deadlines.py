"""Due dates come from the committee's settings and the working-day calendar, 调休 included."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from xieshang.core import calendar as workdays
from xieshang.core.models import AuditEvent, CalendarYear
from xieshang.org import actions as org_actions
from xieshang.proposals import actions
from xieshang.proposals.models import Assignment

D = datetime.date.fromisoformat


def assign_on(world, day, **kw):
    proposal = world.flow.filed(**kw)
    world.clock.set(day)
    actions.do_assign_proposal(proposal, leads=[world.dept_a], co=[world.dept_b], actor=world.proposal_staff)
    return world.flow.lead(proposal), world.flow.co(proposal)


def test_due_dates_across_the_2026_national_day_holiday(world):
    lead, co = assign_on(world, "2026-09-28")
    # 9-29, 9-30, (10-1..10-7 off), 10-8, 10-9, 10-10 (a make-up Saturday): five working days.
    assert lead.objection_due == D("2026-10-10")
    assert lead.first_contact_due == D("2026-10-23")
    assert lead.reply_due == D("2026-12-28")
    assert co.opinion_due == D("2026-10-28")
    assert co.first_contact_due is None and co.reply_due is None


def test_the_issue_example_holds_for_the_objection_window(world):
    lead, _co = assign_on(world, "2026-09-30")
    assert lead.objection_due == D("2026-10-13")


def test_a_months_deadline_that_lands_on_a_holiday_moves_to_the_next_working_day(world):
    lead, _co = assign_on(world, "2026-07-01")
    assert lead.reply_due == D("2026-10-08")  # 10-01 is National Day


def test_working_day_settings_change_the_windows(world):
    org_actions.do_change_setting(world.district, "proposals.objection_working_days", 3, actor=world.office_admin)
    org_actions.do_change_setting(world.district, "proposals.co_opinion_unit", "working_days", actor=world.office_admin)
    org_actions.do_change_setting(world.district, "proposals.co_opinion_length", 10, actor=world.office_admin)
    org_actions.do_change_setting(world.district, "proposals.reply_months", 2, actor=world.office_admin)
    lead, co = assign_on(world, "2026-09-28")
    assert lead.objection_due == D("2026-10-08")
    assert co.opinion_due == D("2026-10-16")
    assert lead.reply_due == D("2026-11-30")  # 11-28 is a Saturday


def test_the_objection_window_closes_at_the_end_of_its_last_day(world):
    lead, _co = assign_on(world, "2026-09-28")
    world.clock.set("2026-10-10")
    actions.do_object_assignment(lead, reason="职责不符", actor=world.dept_handler)
    assert lead.status == "objected"


def test_a_deadline_beyond_the_loaded_calendar_is_refused_not_guessed(world):
    proposal = world.flow.filed()
    world.clock.set("2026-11-20")  # a three-month reply would fall in 2027, which is not loaded
    before = (AuditEvent.objects.count(), Assignment.objects.count())
    with pytest.raises(ValidationError, match="2027"):
        actions.do_assign_proposal(proposal, leads=[world.dept_a], actor=world.proposal_staff)
    assert (AuditEvent.objects.count(), Assignment.objects.count()) == before
    proposal.refresh_from_db()
    assert proposal.status == "filed"
    CalendarYear.objects.create(year=2027)
    workdays.invalidate()
    (lead,) = actions.do_assign_proposal(proposal, leads=[world.dept_a], actor=world.proposal_staff)
    assert lead.reply_due == D("2027-02-22")  # 2-20 is a Saturday in a year loaded with no holidays


def test_the_cosign_deadline_counts_working_days(world):
    world.clock.set("2026-09-30")
    proposal = world.flow.draft(joint=True)
    assert proposal.proposers.get(role="cosigner").sign_due == D("2026-10-13")
