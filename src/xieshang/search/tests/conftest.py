import datetime

import pytest

from xieshang.org.models import Session, Term
from xieshang.proposals import actions as proposal_actions
from xieshang.proposals.models import Proposal
from xieshang.search import index

D = datetime.date.fromisoformat


def make_session(committee, year=2026, number=5):
    term, _ = Term.objects.get_or_create(committee=committee, number=10,
                                         defaults={"start_date": D("2022-01-01"), "is_current": True})
    return Session.objects.create(term=term, number=number, year=year, plenary_start=D(f"{year}-01-20"),
                                  plenary_end=D(f"{year}-01-23"))


def add_proposal(p, title, body="", *, status="filed", session=None, actor=None, committee=None,
                 category=""):
    """A proposal written by ``actor`` (default: the member) through the action, then put in ``status``."""
    committee = committee or p.district
    session = session or p.session
    proposal = proposal_actions.do_create_proposal(
        committee, session, {"title": title, "situation": body, "category": category}, actor=actor or p.member)
    if status != "draft":
        Proposal.objects.filter(pk=proposal.pk).update(status=status)
    index.reindex("proposal", proposal.pk)
    return Proposal.objects.get(pk=proposal.pk)


@pytest.fixture
def world(personas):
    p = personas
    p.session = make_session(p.district)
    p.old_session = make_session(p.district, year=2025, number=4)
    p.other_session = make_session(p.other)
    p.add = lambda *a, **kw: add_proposal(p, *a, **kw)
    return p



@pytest.fixture(params=["index", "walk", "committees"])
def match_path(request, monkeypatch):
    """On PostgreSQL, run the test once for each way the newest matches are found (``index.walk_plan``): the GIN
    index, the primary key walked newest first, and each in-scope committee walked newest first (the walks are
    chosen for common tokens on a large index). SQLite has one path."""
    if request.param != "index":
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL only: SQLite has one path")
        monkeypatch.setattr(index, "walk_plan", lambda *args, **kwargs: request.param)
    return request.param


def add_handled_last_year(w):
    """Last year's filed proposals, each handled by a department: lifts in old housing (dept_b), the river
    (dept_a)."""
    w.lift = w.add("关于加快老旧小区加装电梯的建议", "本区老旧小区加装电梯进展缓慢,资金分摊和居民意见协调困难。",
                   session=w.old_session)
    w.river = w.add("关于典农河水质综合治理的建议", "典农河水质长期为劣五类,沿岸排污口需要整治。",
                    session=w.old_session)
    w.lift.suggested_departments.add(w.dept_b)
    w.river.suggested_departments.add(w.dept_a)
    index.reindex("proposal", w.lift.pk)
    index.reindex("proposal", w.river.pk)
    return w


@pytest.fixture
def history(world):
    """Last year's handled proposals and a new one on the river (no department yet)."""
    w = add_handled_last_year(world)
    w.new_river = w.add("关于治理典农河污染的建议", "沿岸排污口整治。")
    return w
