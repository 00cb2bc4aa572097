"""Case numbers: one per filing, unique per session, no gaps, even when two staff file at the same moment."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.query import QuerySet

from xieshang.org.models import Session
from xieshang.proposals import actions
from xieshang.proposals.models import CaseCounter, Proposal
from xieshang.proposals.transitions import InvalidTransition

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="threads filing at once need a server database (run with XS_DATABASE_URL)")


def test_filing_reads_and_bumps_a_locked_counter_inside_the_actions_transaction(world, monkeypatch):
    proposal = world.flow.in_review()
    locks = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locks.append((self.model, connection.in_atomic_block))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    actions.do_file_proposal(proposal, actor=world.proposal_staff)
    assert (Proposal, True) in locks
    assert (CaseCounter, True) in locks
    assert locks.index((Proposal, True)) < locks.index((CaseCounter, True))  # the proposal first, then the number
    assert CaseCounter.objects.get(session=world.session).last_case_number == proposal.case_number == 1


def test_a_failed_filing_gives_its_number_back(world):
    p = world
    first, second = p.flow.in_review(title="甲"), p.flow.in_review(title="乙")
    blocked = p.flow.submitted(title="未预审")
    with pytest.raises(Exception):
        actions.do_review_batch([first, second, blocked], "file", actor=p.proposal_staff)
    assert CaseCounter.objects.filter(session=p.session).values_list("last_case_number", flat=True).first() in (None, 0)
    actions.do_file_proposal(second, actor=p.proposal_staff)
    assert second.case_number == 1


def test_filing_the_same_proposal_twice_keeps_one_number(world):
    p = world
    proposal = p.flow.filed()
    with pytest.raises(InvalidTransition):
        actions.do_file_proposal(proposal, actor=p.office_admin)
    proposal.refresh_from_db()
    assert proposal.case_number == 1
    assert CaseCounter.objects.get(session=p.session).last_case_number == 1


def test_case_numbers_are_a_series_per_session(world):
    p = world
    p.flow.filed(title="甲")
    p.flow.filed(title="乙")
    next_session = Session.objects.create(term=p.session.term, number=6, year=2027,
                                          plenary_start=p.session.plenary_start, plenary_end=p.session.plenary_end)
    p.session = next_session
    third = p.flow.filed(title="丙")
    assert third.case_number == 1
    assert sorted(Proposal.objects.filter(session__number=5).values_list("case_number", flat=True)) == [1, 2]


def test_the_database_refuses_a_duplicate_case_number(world):
    proposal = world.flow.filed()
    other = world.flow.in_review(title="乙")
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=other.pk).update(case_number=proposal.case_number)


def _race(targets, user):
    """Call do_file_proposal on each target from its own thread, released together; return results."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(i, pk):
        try:
            proposal = Proposal.objects.get(pk=pk)
            barrier.wait(timeout=10)
            actions.do_file_proposal(proposal, actor=user)
            results[i] = proposal.case_number
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, pk)) for i, pk in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_filing_the_same_proposal_at_once_produce_one_number(world):
    proposal = world.flow.in_review()
    results = _race([proposal.pk, proposal.pk], world.proposal_staff)
    numbers = [r for r in results if isinstance(r, int)]
    refusals = [r for r in results if isinstance(r, InvalidTransition)]
    assert numbers == [1] and len(refusals) == 1, results
    proposal.refresh_from_db()
    assert proposal.case_number == 1
    assert CaseCounter.objects.get(session=world.session).last_case_number == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_staff_filing_different_proposals_at_once_get_a_gap_free_series(world):
    targets = [world.flow.in_review(title=f"提案{i}").pk for i in range(6)]
    results = _race(targets, world.proposal_staff)
    assert sorted(results) == [1, 2, 3, 4, 5, 6], results
    assert sorted(Proposal.objects.values_list("case_number", flat=True)) == [1, 2, 3, 4, 5, 6]
