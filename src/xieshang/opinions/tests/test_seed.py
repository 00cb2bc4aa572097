"""The bulk seed (``xieshang seed --opinions N``): its rows have the shapes the actions write.

The seed bypasses the actions for speed, so these tests check the invariants the actions would keep: every
copy's state reached through the transition table, chains that follow the committee tree, versions numbered
without gaps, serials matching the counters, one statistics event per submission, adoption and instruction,
follow-up due dates on the working-day calendar, and ids that leave room for the real actions afterwards.
"""

import collections

import pytest
from django.core.management import CommandError, call_command

from xieshang.core import calendar as workcal
from xieshang.core.models import AuditEvent
from xieshang.opinions import actions, seed
from xieshang.opinions.models import (
    Adoption,
    CopyStatus,
    Counter,
    Dispatch,
    FollowUp,
    FollowUpStatus,
    Instruction,
    Report,
    ReportCopy,
    ReportEvent,
    ReportStatus,
    ReportVersion,
)
from xieshang.opinions.testing import BODY, add_chain_staff
from xieshang.opinions.transitions import COPY_MOVES, FOLLOW_UP_MOVES, REPORT_MOVES
from xieshang.org.models import Committee

pytestmark = pytest.mark.django_db

N = 600


@pytest.fixture
def seeded(personas, today):
    p = add_chain_staff(personas)
    totals = seed.seed_opinions(N, committees=[p.province, p.city, p.district, p.other], chunk=250)
    return p, totals


def paths(verbs, model_label):
    """{target id: [(from, to), ...]} of the seeded status moves of one model, in time order."""
    out = collections.defaultdict(list)
    for event in AuditEvent.objects.filter(target_type__model=model_label, verb__in=verbs).order_by("created_at", "id"):
        if "status" in event.changes:
            out[int(event.target_id)].append(tuple(event.changes["status"]))
    return out


def test_it_writes_every_kind_of_row_in_realistic_proportions(seeded):
    p, totals = seeded
    assert totals["reports"] == Report.objects.count() == N
    for key, model in (("versions", ReportVersion), ("copies", ReportCopy), ("dispatches", Dispatch),
                       ("adoptions", Adoption), ("instructions", Instruction), ("follow_ups", FollowUp),
                       ("events", ReportEvent)):
        assert totals[key] == model.objects.count() > 0, key
    # Only the district has authors here; some reports went to the city and a few on to the province.
    assert set(Report.objects.values_list("committee_id", flat=True)) == {p.district.pk}
    levels = collections.Counter(ReportCopy.objects.values_list("level", flat=True))
    assert levels["city"] > levels["provincial"] > 0
    assert 0.1 < levels["city"] / N < 0.35
    adopted = Report.objects.filter(copies__status=CopyStatus.ADOPTED).distinct().count()
    assert 0.2 < adopted / N < 0.45
    assert Report.objects.filter(status=ReportStatus.DRAFT).exists()
    assert ReportCopy.objects.filter(status__in=[CopyStatus.PENDING, CopyStatus.EDITED]).exists()


def test_states_are_reached_through_the_transition_tables(seeded):
    copy_verbs = set(seed.COPY_VERBS.values())
    for copy_id, moves in paths(copy_verbs, "reportcopy").items():
        state = CopyStatus.PENDING
        for from_state, to_state in moves:
            assert from_state == state and to_state in COPY_MOVES[state], (copy_id, moves)
            state = to_state
        assert ReportCopy.objects.get(pk=copy_id).status == state
    for report_id, moves in paths(set(seed.REPORT_VERBS.values()), "report").items():
        state = ReportStatus.DRAFT
        for from_state, to_state in moves:
            assert from_state == state and to_state in REPORT_MOVES[state], (report_id, moves)
            state = to_state
        assert Report.objects.get(pk=report_id).status == state
    for follow_up_id, moves in paths(set(seed.FOLLOW_UP_VERBS.values()), "followup").items():
        state = FollowUpStatus.OPEN
        for from_state, to_state in moves:
            assert to_state in FOLLOW_UP_MOVES[state]
            state = to_state
        assert FollowUp.objects.get(pk=follow_up_id).status == state


def test_copies_follow_the_committee_tree_and_share_the_version_they_were_sent(seeded):
    p, _totals = seeded
    for copy in ReportCopy.objects.select_related("committee", "received_from__committee", "version", "report"):
        assert copy.level == copy.committee.level
        assert copy.version.report_id == copy.report_id
        if copy.received_from is None:
            assert copy.committee_id == copy.report.committee_id
            continue
        below = copy.received_from
        assert copy.committee_id == below.committee.parent_id
        assert below.status in (CopyStatus.SIGNED, CopyStatus.ADOPTED)
        dispatch = Dispatch.objects.get(copy=below, kind=Dispatch.Kind.PARENT)
        assert dispatch.parent_copy_id == copy.pk
        # The city keeps the district's text unless it rewrote it itself.
        if copy.version.kind == ReportVersion.Kind.EDIT and copy.version.committee_id == copy.committee_id:
            assert copy.version.number > below.version.number
        else:
            assert copy.version_id == below.version_id
    # Departments only of the copy's committee or below it, never of another district.
    assert not Dispatch.objects.filter(department__committee=p.other).exists()
    assert not FollowUp.objects.filter(department__committee=p.other).exists()


def test_versions_serials_and_events_match_what_the_actions_record(seeded):
    p, _totals = seeded
    for report in Report.objects.prefetch_related("versions", "copies"):
        numbers = [v.number for v in report.versions.all()]
        assert numbers == list(range(1, len(numbers) + 1))
        if report.serial is None:
            assert report.status in (ReportStatus.DRAFT, ReportStatus.WITHDRAWN) and not numbers
            assert not report.copies.all()
        else:
            assert report.versions.all()[0].kind == ReportVersion.Kind.AUTHOR
    for counter in Counter.objects.filter(series=Counter.Series.REPORT):
        serials = list(Report.objects.filter(committee=counter.committee, year=counter.year)
                       .exclude(serial=None).values_list("serial", flat=True))
        assert sorted(serials) == list(range(1, counter.last + 1))
    submitted = Report.objects.exclude(serial=None).count()
    assert ReportEvent.objects.filter(kind="submitted").count() == submitted
    assert ReportEvent.objects.filter(kind="adopted").count() == Adoption.objects.count()
    assert ReportEvent.objects.filter(kind="instructed").count() == Instruction.objects.count()
    assert not ReportEvent.objects.exclude(committee=p.district).exists()
    for adoption in Adoption.objects.select_related("copy"):
        if not adoption.external:
            assert adoption.copy.status == CopyStatus.ADOPTED and adoption.level == adoption.copy.level
    cal = workcal.load()
    for follow_up in FollowUp.objects.all()[:50]:
        assert follow_up.due_on == workcal.add_working_days(follow_up.assigned_on, seed.FOLLOW_UP_WORKING_DAYS, cal)
        assert (follow_up.responded_at is None) == (follow_up.status == FollowUpStatus.OPEN)


def test_the_real_actions_continue_after_the_seed(seeded):
    p, _totals = seeded
    last = Counter.objects.get(committee=p.district, year=2026, series=Counter.Series.REPORT).last  # pinned today
    report = actions.do_create_report(p.district, BODY, actor=p.member)
    actions.do_submit_report(report, actor=p.member)
    report.refresh_from_db()
    assert report.serial == last + 1
    copy = report.copies.get()
    actions.do_edit_copy(copy, data={"title": "关于加快老旧小区加装电梯的几点建议"}, actor=p.info_editor)
    assert copy.version.number == 2 and ReportVersion.objects.filter(report=report).count() == 2


def test_the_seed_command_refuses_a_count_out_of_range(db):
    with pytest.raises(CommandError):
        call_command("seed", "--opinions", "-5")
    assert not Report.objects.exists() and not Committee.objects.exists()  # refused before loading anything


def test_benchmark_authors_get_login_accounts_once(personas):
    from xieshang.org.models import Informant, Member

    bare = Member.objects.create(committee=personas.district, name="赵无号", member_no="X-001")
    spare = Informant.objects.create(committee=personas.district, name="钱无号")
    assert seed.ensure_accounts([personas.district]) == 2
    bare.refresh_from_db()
    spare.refresh_from_db()
    assert bare.user.first_name == "赵无号" and not bare.user.has_usable_password()
    assert spare.user is not None and spare.user != bare.user
    assert Member.objects.get(pk=personas.member_row.pk).user == personas.member  # existing links untouched
    assert seed.ensure_accounts([personas.district]) == 0
