import datetime

import pytest

from xieshang.core import calendar as workdays
from xieshang.core.models import CalendarDay, CalendarYear
from xieshang.org.models import Session, Term
from xieshang.proposals import actions, dates

# The 2026 schedule published by the State Council (domain.md §12).
HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
]
WORKDAYS_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]

D = datetime.date.fromisoformat


def load_2026():
    for start, end in HOLIDAYS_2026:
        day = D(start)
        while day <= D(end):
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": CalendarDay.Kind.HOLIDAY})
            day += datetime.timedelta(days=1)
    for day in WORKDAYS_2026:
        CalendarDay.objects.update_or_create(date=D(day), defaults={"kind": CalendarDay.Kind.WORKDAY})
    CalendarYear.objects.get_or_create(year=2026)
    workdays.invalidate()


class Clock:
    """The date the proposal actions see as today; tests move it."""

    def __init__(self, day):
        self.day = day

    def __call__(self):
        return self.day

    def set(self, day):
        self.day = D(day) if isinstance(day, str) else day


@pytest.fixture
def clock(monkeypatch):
    c = Clock(D("2026-03-02"))
    monkeypatch.setattr(dates, "today", c)
    return c


@pytest.fixture
def cal2026(db):
    load_2026()
    yield
    workdays.invalidate()


@pytest.fixture
def world(personas, cal2026, clock):
    """The personas plus a term and a session whose plenary window is January–February 2026."""
    p = personas
    term = Term.objects.create(committee=p.district, number=10, start_date=D("2022-01-01"), is_current=True)
    p.session = Session.objects.create(term=term, number=5, year=2026, plenary_start=D("2026-01-20"),
                                       plenary_end=D("2026-01-23"), proposal_window_start=D("2025-11-01"),
                                       proposal_window_end=D("2026-01-22"))
    other_term = Term.objects.create(committee=p.other, number=10, start_date=D("2022-01-01"), is_current=True)
    p.other_session = Session.objects.create(term=other_term, number=5, year=2026, plenary_start=D("2026-01-20"),
                                             plenary_end=D("2026-01-23"))
    p.clock = clock
    p.flow = Flow(p)
    return p


BODY = {"situation": "本区老旧小区加装电梯进展缓慢。", "analysis": "资金分摊与意见协调难。",
        "suggestion": "建议设立专项补贴并建立协调机制。"}


class Flow:
    """Short-hands that walk a proposal through the workflow with the right persona for each step."""

    def __init__(self, p):
        self.p = p

    def draft(self, title="关于加快老旧小区加装电梯的建议", *, joint=False, **data):
        p = self.p
        return actions.do_create_proposal(
            p.district, p.session, {"title": title, "category": "社会", **BODY, **data},
            cosigners=[p.cosigner_row] if joint else (), actor=p.member)

    def submitted(self, **kw):
        proposal = self.draft(**kw)
        if kw.get("joint"):
            actions.do_respond_cosign(proposal, accept=True, actor=self.p.cosigner)
        return actions.do_submit_proposal(proposal, actor=self.p.member)

    def in_review(self, **kw):
        proposal = self.submitted(**kw)
        return actions.do_pass_pre_review(proposal, actor=self.p.proposal_staff)

    def filed(self, **kw):
        proposal = self.in_review(**kw)
        return actions.do_file_proposal(proposal, actor=self.p.proposal_staff)

    def assigned(self, *, co=True, **kw):
        proposal = self.filed(**kw)
        actions.do_assign_proposal(proposal, leads=[self.p.dept_a], co=[self.p.dept_b] if co else [],
                                   actor=self.p.proposal_staff)
        proposal.refresh_from_db()
        return proposal

    def lead(self, proposal):
        return proposal.assignments.get(department=self.p.dept_a, status__in=["assigned", "handling", "done",
                                                                              "objected"])

    def co(self, proposal):
        return proposal.assignments.get(department=self.p.dept_b)

    def reply(self, proposal, outcome="A"):
        return actions.do_draft_reply(self.lead(proposal), {
            "outcome": outcome, "body": "经研究，已列入年度民生实事项目。", "signer": "赵局长", "doc_number": "东环函〔2026〕5号",
            "contact_name": "钱经办", "contact_phone": "010-12345678"}, actor=self.p.dept_handler)

    def replied(self, *, co=True, **kw):
        p = self.p
        proposal = self.assigned(co=co, **kw)
        reply = self.reply(proposal)
        if co:
            actions.do_cosign_reply(reply, actor=p.other_dept_handler)
        actions.do_review_reply(reply, approve=True, actor=p.proposal_staff)
        actions.do_send_reply(reply, actor=p.dept_handler)
        proposal.refresh_from_db()
        return proposal
