"""Periodic jobs (run once per period, failures recorded) and the worker command."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from xieshang.core import periodic
from xieshang.core.models import AuditEvent, Delivery, Notification

NOON = timezone.make_aware(datetime.datetime(2026, 6, 10, 12, 0))


@pytest.fixture
def job():
    """A counting job every 15 minutes, removed after the test."""
    calls = []

    @periodic.register("lab.count", interval=datetime.timedelta(minutes=15))
    def count():
        calls.append(timezone.now())
        return len(calls)

    yield calls
    periodic.unregister("lab.count")


@pytest.mark.django_db
def test_a_job_runs_once_per_period(job):
    assert [r.status for r in periodic.run_due(NOON, only="lab.count")] == ["ran"]
    assert [r.status for r in periodic.run_due(NOON + datetime.timedelta(minutes=14), only="lab.count")] == ["skipped"]
    assert len(job) == 1
    assert [r.status for r in periodic.run_due(NOON + datetime.timedelta(minutes=15), only="lab.count")] == ["ran"]
    assert len(job) == 2


@pytest.mark.django_db
def test_a_second_claim_for_the_same_period_loses(job):
    lab = periodic.get("lab.count")
    assert periodic.claim(lab, NOON) is True
    assert periodic.claim(lab, NOON + datetime.timedelta(minutes=1)) is False
    marker = AuditEvent.objects.get(verb="core.periodic_ran")
    assert marker.actor is None and marker.committee_id is None and marker.via == "system"
    assert marker.note == f"lab.count@{lab.period(NOON)}"


def test_periods_follow_local_wall_clock_time_and_the_offset():
    daily = periodic.Job("lab.daily", None, datetime.timedelta(days=1), offset=datetime.timedelta(hours=8))
    before_eight = timezone.make_aware(datetime.datetime(2026, 6, 10, 7, 59))
    after_eight = timezone.make_aware(datetime.datetime(2026, 6, 10, 8, 0))
    assert daily.period(after_eight) == daily.period(before_eight) + 1
    next_morning = timezone.make_aware(datetime.datetime(2026, 6, 11, 7, 0))
    assert daily.period(next_morning) == daily.period(after_eight)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(job):
    @periodic.register("lab.broken", interval=datetime.timedelta(hours=1))
    def broken():
        raise RuntimeError("no gateway")

    try:
        runs = {r.name: r for r in periodic.run_due(NOON)}
    finally:
        periodic.unregister("lab.broken")
    assert runs["lab.broken"].status == "failed" and "no gateway" in runs["lab.broken"].error
    assert runs["lab.count"].status == "ran"
    failure = AuditEvent.objects.get(verb="core.periodic_failed")
    assert "no gateway" in failure.changes["error"][1]


def test_bad_registrations_are_refused():
    with pytest.raises(ValueError):
        periodic.register("nonamespace", interval=datetime.timedelta(hours=1))
    with pytest.raises(ValueError):
        periodic.register("lab.too_often", interval=datetime.timedelta(seconds=5))


@pytest.mark.django_db
def test_run_periodic_runs_due_jobs_once(job):
    out = io.StringIO()
    call_command("run_periodic", "--job", "lab.count", stdout=out)
    assert "lab.count: ran" in out.getvalue()
    out = io.StringIO()
    call_command("run_periodic", "--job", "lab.count", stdout=out)
    assert "lab.count: skipped" in out.getvalue()
    assert len(job) == 1


@pytest.mark.django_db
def test_run_periodic_refuses_an_unknown_job():
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_periodic", "--job", "lab.nothing")


def test_run_periodic_lists_the_jobs():
    out = io.StringIO()
    call_command("run_periodic", "--list", stdout=out)
    assert "core.retry_deliveries" in out.getvalue()


@pytest.fixture
def keep_test_connection(monkeypatch):
    """The database worker closes "old" connections between tasks, which would end the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.mark.django_db
def test_the_worker_runs_queued_tasks_and_due_jobs_in_one_round(job, personas, settings, keep_test_connection):
    from django_tasks_db.models import DBTaskResult

    from xieshang.core.tasks import deliver

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    note = Notification.objects.create(recipient=personas.member, kind="lab.x", title="排队的通知")
    delivery = Delivery.objects.create(notification=note, channel="sms")
    deliver.enqueue([delivery.pk])
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    out = io.StringIO()
    call_command("worker", "--once", stdout=out)

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(job) == 1
    assert "Worker stopped." in out.getvalue()


@pytest.mark.django_db
def test_the_worker_runs_jobs_only_when_tasks_run_inline(job):
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "not the database backend" in out.getvalue()
    assert len(job) == 1


def test_the_worker_stops_on_sigterm():
    import signal

    from xieshang.core.management.commands.worker import Command

    command = Command()
    command.stop = __import__("threading").Event()

    class FakeWorker:
        running = True

    command.current = FakeWorker()
    command._on_signal(signal.SIGTERM, None)
    assert command.stop.is_set() and command.current.running is False
    with pytest.raises(SystemExit):
        command._on_signal(signal.SIGTERM, None)  # a second signal exits at once


@pytest.mark.django_db(transaction=True)
def test_two_processes_claiming_the_same_period_run_it_once(job, monkeypatch):
    """Two claimants at the same instant, each on its own database connection: exactly one wins."""
    import threading
    import time

    from xieshang.core import audit

    real_record = audit.record

    def slow_record(*args, **kwargs):
        time.sleep(0.3)  # widen the gap between "not run yet?" and writing the marker
        return real_record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", slow_record)

    from django.db import connection, connections

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database has no file lock to contend for")
    lab = periodic.get("lab.count")
    barrier = threading.Barrier(2)
    results = []

    def claimant():
        try:
            barrier.wait()
            results.append(periodic.claim(lab, NOON))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claimant) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert AuditEvent.objects.filter(verb="core.periodic_ran").count() == 1
