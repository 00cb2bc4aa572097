"""Fixtures for the topic tests: the personas, two sessions, the default topics and a proposal factory."""

import datetime

import pytest

from xieshang.org.models import Session, Term
from xieshang.proposals import actions as proposal_actions
from xieshang.proposals.models import Proposal
from xieshang.topics import actions
from xieshang.topics.models import Topic

D = datetime.date.fromisoformat


def make_session(committee, year, number):
    term, _ = Term.objects.get_or_create(committee=committee, number=10,
                                         defaults={"start_date": D("2022-01-01"), "is_current": True})
    return Session.objects.create(term=term, number=number, year=year, plenary_start=D(f"{year}-01-20"),
                                  plenary_end=D(f"{year}-01-23"))


@pytest.fixture
def world(personas):
    """The personas with two sessions (2026, 2025), the district's default topics and a few proposals."""
    p = personas
    p.session = make_session(p.district, 2026, 5)
    p.old_session = make_session(p.district, 2025, 4)
    p.other_session = make_session(p.other, 2026, 5)
    actions.ensure_defaults(p.district)
    actions.ensure_defaults(p.other)
    p.topic = {t.name: t for t in Topic.objects.filter(committee=p.district)}
    p.other_topic = Topic.objects.filter(committee=p.other).first()

    def add(title, body="", *, status="filed", session=None, committee=None, actor=None):
        proposal = proposal_actions.do_create_proposal(
            committee or p.district, session or p.session, {"title": title, "situation": body},
            actor=actor or p.member)
        if status != "draft":
            Proposal.objects.filter(pk=proposal.pk).update(status=status)
        return Proposal.objects.get(pk=proposal.pk)

    p.add = add
    return p
