"""Random walks through the 社情民意 actions (hypothesis), checking the invariants after every step.

Each example runs inside a savepoint rolled back afterwards. Each step calls a real action, usually as the
persona who would take it and sometimes as a wrong one; refusals (ValidationError, InvalidTransition,
PermissionDenied) are expected and must write nothing, anything else fails the test. Invariants:

- a state changes only along the transition table; new reports start as drafts, new copies pending;
- no version is ever changed or lost, so the author's original text stays retrievable;
- serials (and bulletin numbers) are unique per committee and year, without gaps, and match the counter;
- one origin copy per submitted report, none for a never-submitted one; one SUBMITTED event per report;
- the copy chain strictly follows Committee.parent, one copy per committee, each at its committee's level;
- a wrong persona is always refused.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from xieshang.opinions import actions
from xieshang.opinions.models import (
    Adoption,
    BulletinIssue,
    CopyStatus,
    Counter,
    Report,
    ReportCopy,
    ReportEvent,
    ReportStatus,
    ReportVersion,
)
from xieshang.opinions.testing import BODY, db_state, editor_of, signer_of
from xieshang.opinions.transitions import COPY_MOVES, REPORT_MOVES

TODAY = datetime.date(2026, 6, 1)
OPS = ["create", "submit", "update", "withdraw", "edit", "rewrite", "return", "keep", "reopen", "sign", "send_back",
       "forward", "adopt", "adopt_external", "instruct", "dispatch", "bulletin", "wrong_actor"]
# The natural next step for a copy in each state, so that walks get far up the chain often.
ADVANCE = {CopyStatus.PENDING: "edit", CopyStatus.EDITED: "sign", CopyStatus.SIGNED: "forward",
           CopyStatus.ADOPTED: "instruct", CopyStatus.RETURNED: "submit", CopyStatus.KEPT: "reopen",
           CopyStatus.WITHDRAWN: "create"}


class Rollback(Exception):
    pass


class Walker:
    def __init__(self, p):
        self.p = p
        self.versions = {}
        self.reports = {}
        self.copies = {}

    def pick(self, model, i):
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return model.objects.get(pk=pks[i % len(pks)]) if pks else None

    def author(self, report):
        return report.author_user

    def step(self, op, i, k):
        p = self.p
        report, copy = self.pick(Report, i), self.pick(ReportCopy, i)
        if op == "advance":
            # The newest copy of the picked report: the step moves the report up its chain.
            copy = report.copies.order_by("-pk").first() if report is not None else None
            if copy is None or (report is not None and report.status == ReportStatus.DRAFT and k % 2):
                op = "submit" if report is not None and report.status == ReportStatus.DRAFT else "create"
            else:
                op = ADVANCE[copy.status]
                if op == "forward" and copy.committee.parent_id is None:
                    op = "adopt"
                report = copy.report
        if op == "create" or (report is None and op in {"submit", "update", "withdraw"}):
            actor = [p.member, p.informant, p.cosigner][k % 3]
            actions.do_create_report(p.district, {**BODY, "title": f"{BODY['title']}{i}", "is_urgent": k == 0},
                                     actor=actor)
        elif op in {"submit", "update", "withdraw"}:
            actor = self.author(report)
            if op == "submit":
                actions.do_submit_report(report, actor=actor)
            elif op == "update":
                actions.do_update_report(report, {"situation": f"修改后的情况{k}"}, actor=actor)
            else:
                actions.do_withdraw_report(report, actor=actor)
        elif copy is None:
            return
        elif op in {"edit", "rewrite"}:
            data = {"title": f"改稿{k}", "suggestion": "改写的建议"} if op == "rewrite" else None
            actions.do_edit_copy(copy, data=data, actor=editor_of(p, copy.committee))
        elif op == "return":
            actions.do_return_copy(copy, reason="请补充", actor=editor_of(p, copy.committee))
        elif op == "keep":
            actions.do_keep_copy(copy, actor=editor_of(p, copy.committee))
        elif op == "reopen":
            actions.do_reopen_copy(copy, actor=editor_of(p, copy.committee))
        elif op == "sign":
            actions.do_sign_copy(copy, actor=signer_of(p, copy.committee))
        elif op == "send_back":
            actions.do_send_back_copy(copy, reason="再核", actor=signer_of(p, copy.committee))
        elif op == "forward":
            actions.do_forward_to_parent(copy, actor=editor_of(p, copy.committee))
        elif op == "adopt":
            actions.do_adopt_copy(copy, kind=["single", "comprehensive"][k % 2], adopted_by="采用单位",
                                  adopted_on=TODAY, actor=editor_of(p, copy.committee))
        elif op == "adopt_external":
            actions.do_adopt_copy(copy, kind="single", adopted_by="全国政协", adopted_on=TODAY,
                                  external_level="national", actor=editor_of(p, copy.committee))
        elif op == "instruct":
            actions.do_record_instruction(copy, leader_name="领导", text="批示", instructed_on=TODAY,
                                          departments=[p.dept_a] if k % 2 else [], actor=editor_of(p, copy.committee))
        elif op == "dispatch":
            actions.do_dispatch_copy(copy, [{"kind": "department", "department": p.dept_a}],
                                     actor=editor_of(p, copy.committee))
        elif op == "bulletin":
            editor = editor_of(p, copy.committee)
            with transaction.atomic():  # three actions, one step: all or nothing
                issue = actions.do_create_bulletin(copy.committee, actor=editor)
                actions.do_add_bulletin_entry(issue, [copy], kind="single", actor=editor)
                actions.do_publish_bulletin(issue, signer_name="签发人", actor=signer_of(p, copy.committee))
        elif op == "wrong_actor":
            self.wrong_actor(copy, report, k)

    def wrong_actor(self, copy, report, k):
        """Someone who must be refused: another level's editor or signer, the author, the outsider."""
        p = self.p
        others = [u for u in (p.info_editor, p.city_editor, p.province_editor) if u != editor_of(p, copy.committee)]
        intruder = [others[0], others[1], p.outsider, p.other_staff, p.informant, p.dept_handler][k % 6]
        calls = [
            lambda: actions.do_edit_copy(copy, data={"title": "越级改稿"}, actor=intruder),
            lambda: actions.do_keep_copy(copy, actor=intruder),
            lambda: actions.do_sign_copy(copy, actor=[p.info_signer, p.city_signer, p.province_signer][
                (k + 1) % 3] if copy.committee != [p.district, p.city, p.province][(k + 1) % 3] else p.outsider),
        ]
        before = db_state()
        try:
            calls[k % 3]()
        except PermissionDenied:
            assert db_state() == before
            return
        raise AssertionError(f"{intruder} was allowed on {copy.committee}'s copy")

    # ------------------------------------------------------------------------------------------ invariants

    def check(self):
        p = self.p
        for pk, status in Report.objects.values_list("pk", "status"):
            old = self.reports.get(pk, ReportStatus.DRAFT)
            assert status == old or status in REPORT_MOVES[old], (old, status)
            self.reports[pk] = status
        for pk, status in ReportCopy.objects.values_list("pk", "status"):
            old = self.copies.get(pk, CopyStatus.PENDING)
            assert status == old or status in COPY_MOVES[old], (old, status)
            self.copies[pk] = status
        # Versions are never changed or lost.
        now = {v[0]: v[1:] for v in ReportVersion.objects.values_list(
            "pk", "report_id", "number", "kind", "committee_id", "title", "situation", "analysis", "suggestion")}
        for pk, row in self.versions.items():
            assert now.get(pk) == row
        self.versions = now
        # The author's first text is there for every submitted report.
        for report in Report.objects.exclude(serial=None):
            first = report.versions.order_by("number").first()
            assert first is not None and first.kind == ReportVersion.Kind.AUTHOR and first.number == 1
        # Serials and bulletin numbers: gap-free, unique, equal to the counter.
        for series, rows in ((Counter.Series.REPORT, Report.objects.exclude(serial=None).values_list(
                "committee_id", "year", "serial")), (Counter.Series.BULLETIN, BulletinIssue.objects.exclude(
                    number=None).values_list("committee_id", "year", "number"))):
            by_key = {}
            for committee_id, year, n in rows:
                by_key.setdefault((committee_id, year), []).append(n)
            for key, numbers in by_key.items():
                assert sorted(numbers) == list(range(1, len(numbers) + 1)), (series, numbers)
                assert Counter.objects.get(committee_id=key[0], year=key[1], series=series).last == len(numbers)
        # One origin copy per submitted report; none before submission; one submission event.
        origins = dict(ReportCopy.objects.filter(received_from=None).values("report_id").annotate(n=Count("id"))
                       .values_list("report_id", "n"))
        submitted_events = dict(ReportEvent.objects.filter(kind=ReportEvent.Kind.SUBMITTED).values("report_id")
                                .annotate(n=Count("id")).values_list("report_id", "n"))
        for report in Report.objects.all():
            expected = 1 if report.serial is not None else 0
            assert origins.get(report.pk, 0) == expected and submitted_events.get(report.pk, 0) == expected
        # The chain follows Committee.parent, one copy per committee, at the committee's level.
        for copy in ReportCopy.objects.select_related("committee", "received_from__committee"):
            assert copy.level == copy.committee.level
            if copy.received_from is None:
                assert copy.committee_id == copy.report.committee_id
            else:
                assert copy.received_from.report_id == copy.report_id
                assert copy.committee_id == copy.received_from.committee.parent_id
                assert copy.received_from.status in {CopyStatus.SIGNED, CopyStatus.ADOPTED}
        # An adopted copy has an adoption at its own level.
        for copy in ReportCopy.objects.filter(status=CopyStatus.ADOPTED):
            assert Adoption.objects.filter(copy=copy, external=False, level=copy.level).exists()
        assert p.district.pk  # the fixture is alive


steps = st.lists(st.tuples(st.sampled_from(OPS + ["advance"] * 20), st.integers(0, 2), st.integers(0, 5)),
                 min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=steps)
def test_random_walks_keep_the_invariants(chain, steps):
    try:
        with transaction.atomic():
            walker = Walker(chain)
            for op, i, k in steps:
                before = db_state()
                try:
                    walker.step(op, i, k)
                except (ValidationError, PermissionDenied):
                    assert db_state() == before, op
                walker.check()
            levels = set(ReportCopy.objects.values_list("level", flat=True))
            event("reached " + ("province" if "provincial" in levels else "city" if "city" in levels else "district"))
            raise Rollback
    except Rollback:
        pass


def test_a_walk_can_reach_every_level_and_adoption(chain):
    """The walker's steps are able to drive a report to the top (guards against a walk that never gets far)."""
    script = [("create", 0, 0), ("submit", 0, 0), ("edit", 0, 0), ("sign", 0, 0), ("forward", 0, 0),
              ("rewrite", 1, 0), ("sign", 1, 0), ("forward", 1, 0), ("edit", 2, 0), ("sign", 2, 0),
              ("adopt", 2, 0), ("adopt_external", 2, 0), ("instruct", 2, 1), ("bulletin", 1, 0),
              ("wrong_actor", 0, 0), ("wrong_actor", 1, 1), ("wrong_actor", 2, 2)]
    walker = Walker(chain)
    for op, i, k in script:
        walker.step(op, i, k)
        walker.check()
    assert sorted(ReportCopy.objects.values_list("committee__code", "status")) == [
        ("city", "adopted"), ("district", "signed"), ("province", "adopted")]
    assert BulletinIssue.objects.get().number == 1
