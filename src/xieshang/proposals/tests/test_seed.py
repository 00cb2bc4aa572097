"""The bulk seed: row shapes, numbering and states as the actions would leave them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max

from xieshang.core.models import AuditEvent
from xieshang.org.models import Member
from xieshang.proposals import seed, stats
from xieshang.proposals.models import (
    FILED_STATES, Assignment, CaseCounter, Proposal, Proposer, Rating, Reply, Status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world):
    for i in range(6):
        Member.objects.create(committee=world.district, name=f"委员{i}", sector=world.sector)
    world.flow.filed()  # one real filing first: the seed must continue its numbering
    world.totals = seed.seed_proposals(world.district, 400, chunk=150)
    return world


def test_it_writes_the_requested_number_with_related_rows(seeded):
    totals = seeded.totals
    assert totals["proposals"] == 400
    assert Proposal.objects.filter(committee=seeded.district).count() == 401
    assert Proposer.objects.filter(proposal__committee=seeded.district).count() == totals["proposers"] + 1
    assert totals["assignments"] > 0 and totals["replies"] > 0 and totals["ratings"] > 0
    assert AuditEvent.objects.filter(via="seed").count() == totals["audit_events"]


def test_every_proposal_has_exactly_one_first_proposer(seeded):
    counts = set(Proposer.objects.filter(role="first").values("proposal").annotate(n=Count("pk"))
                 .values_list("n", flat=True))
    assert counts == {1}
    assert Proposal.objects.exclude(proposers__role="first").count() == 0


def test_case_numbers_continue_the_series_without_gaps(seeded):
    numbers = sorted(Proposal.objects.filter(session=seeded.session).exclude(case_number=None)
                     .values_list("case_number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    counter = CaseCounter.objects.get(session=seeded.session)
    assert counter.last_case_number == numbers[-1]
    assert counter.last_serial == Proposal.objects.filter(session=seeded.session).aggregate(m=Max("serial"))["m"]
    filed = Proposal.objects.filter(session=seeded.session, status__in=FILED_STATES).count()
    assert filed == len(numbers)


def test_states_are_consistent_with_the_rows_around_them(seeded):
    proposals = Proposal.objects.filter(committee=seeded.district)
    assert not proposals.filter(status__in=["filed", "review", "submitted", "declined"]).filter(
        assignments__isnull=False).exists()
    assert not proposals.filter(status__in=["assigned", "in_progress", "replied", "archived"]).filter(
        assignments__isnull=True).exists()
    # A replied or archived proposal has a sent reply from each lead; archived ones are rated.
    for status in ("replied", "archived"):
        leads = Assignment.objects.filter(proposal__status=status, role__in=["lead", "split"])
        assert not leads.exclude(replies__status="sent").exists()
    assert not proposals.filter(status="archived").filter(ratings__isnull=True).exists()
    assert Rating.objects.filter(proposal__status="rehandle", result="dissatisfied").exists() or not proposals.filter(
        status="rehandle").exists()
    assert set(proposals.values_list("status", flat=True)) >= {"in_progress", "archived", "declined"}


def test_audit_rows_feed_the_timeline(seeded):
    proposal = Proposal.objects.filter(committee=seeded.district, status="archived").first()
    ct = ContentType.objects.get_for_model(Proposal)
    verbs = set(AuditEvent.objects.filter(target_type=ct, target_id=str(proposal.pk)).values_list("verb", flat=True))
    assert {"proposals.submitted", "proposals.filed", "proposals.assigned", "proposals.archived",
            "proposals.rated"} <= verbs
    reply = Reply.objects.filter(assignment__proposal=proposal, status="sent").first()
    assert AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(Reply),
                                     target_id=str(reply.pk), verb="proposals.reply_sent").exists()
    # Timestamps are the seeded ones, not the moment of seeding.
    assert proposal.created_at < proposal.submitted_at


def test_statistics_read_the_seeded_rows(seeded):
    report = stats.report(stats.Scope(seeded.district, session=seeded.session))
    assert report.counts["received"] == Proposal.objects.filter(session=seeded.session).exclude(
        status=Status.DRAFT).count()
    assert sum(r["assignments"] for r in report.departments) == Assignment.objects.filter(
        proposal__session=seeded.session).count()


def test_it_refuses_a_committee_without_members(world):
    Member.objects.filter(committee=world.district).delete()
    with pytest.raises(ValueError):
        seed.seed_proposals(world.district, 10)


def test_demo_proposals_walk_the_real_actions_once(world):
    made = seed.load_demo_proposals(world.district, count=16)
    assert made == 16
    states = set(Proposal.objects.filter(session=world.session).values_list("status", flat=True))
    assert {"draft", "submitted", "review", "declined", "merged", "converted", "withdrawn", "filed", "assigned",
            "in_progress", "replied", "archived"} <= states
    # Real actions leave their audit trail; the bulk seed's marker is absent.
    assert AuditEvent.objects.filter(verb="proposals.filed").exists()
    assert not AuditEvent.objects.filter(via="seed").exists()
    assert seed.load_demo_proposals(world.district, count=16) == 0
