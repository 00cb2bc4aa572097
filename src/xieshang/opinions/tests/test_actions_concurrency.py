"""Serials, bulletin numbers and forwarding under concurrent requests: unique, gap-free, one copy per level."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.query import QuerySet

from xieshang.opinions import actions
from xieshang.opinions.models import Counter, Report, ReportCopy
from xieshang.opinions.testing import make_report, signed_copy
from xieshang.opinions.transitions import InvalidTransition

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="threads acting at once need a server database (run with XS_DATABASE_URL)")


def test_submission_locks_the_report_then_the_counter_inside_the_transaction(chain, monkeypatch):
    p = chain
    report = make_report(p)
    locks = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locks.append((self.model, connection.in_atomic_block))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    actions.do_submit_report(report, actor=p.member)
    assert locks.index((Report, True)) < locks.index((Counter, True))
    assert Counter.objects.get(committee=p.district, year=2026, series="report").last == report.serial == 1


def test_the_database_refuses_a_duplicate_serial_and_a_second_copy_per_committee(chain):
    p = chain
    first = signed_copy(p)
    second = make_report(p)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=second.pk).update(serial=first.report.serial, year=first.report.year)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportCopy.objects.create(report=first.report, committee=p.district, level="county", version=first.version,
                                  received_at=first.received_at)


def _race(calls):
    """Run each callable in its own thread, released together; return results (value or exception)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_authors_submitting_at_once_get_a_gap_free_series(chain):
    p = chain
    pks = [make_report(p, data={"title": f"信息{i}"}).pk for i in range(6)]

    def submit(pk):
        report = Report.objects.get(pk=pk)
        actions.do_submit_report(report, actor=p.member)
        return report.serial

    results = _race([lambda pk=pk: submit(pk) for pk in pks])
    assert sorted(results) == [1, 2, 3, 4, 5, 6], results
    assert Counter.objects.get(committee=p.district, series="report").last == 6


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_submitting_the_same_report_twice_at_once_gives_one_serial_and_one_copy(chain):
    p = chain
    pk = make_report(p).pk

    def submit():
        report = Report.objects.get(pk=pk)
        actions.do_submit_report(report, actor=p.member)
        return report.serial

    results = _race([submit, submit])
    assert sorted(r for r in results if isinstance(r, int)) == [1], results
    assert sum(isinstance(r, InvalidTransition) for r in results) == 1, results
    assert ReportCopy.objects.filter(report_id=pk).count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_forwarding_the_same_copy_at_once_make_one_parent_copy(chain):
    p = chain
    copy_pk = signed_copy(p).pk

    def forward(user):
        return actions.do_forward_to_parent(ReportCopy.objects.get(pk=copy_pk), actor=user).pk

    results = _race([lambda: forward(p.info_editor), lambda: forward(p.office_admin)])
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert ReportCopy.objects.filter(committee=p.city).count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_bulletins_published_at_once_are_numbered_without_gaps(chain):
    p = chain
    issues = []
    for _ in range(4):
        issue = actions.do_create_bulletin(p.district, actor=p.info_editor)
        actions.do_add_bulletin_entry(issue, [signed_copy(p)], kind="single", actor=p.info_editor)
        issues.append(issue.pk)

    def publish(pk):
        from xieshang.opinions.models import BulletinIssue

        issue = BulletinIssue.objects.get(pk=pk)
        actions.do_publish_bulletin(issue, signer_name="李主席", actor=p.info_signer)
        return issue.number

    results = _race([lambda pk=pk: publish(pk) for pk in issues])
    assert sorted(results) == [1, 2, 3, 4], results
