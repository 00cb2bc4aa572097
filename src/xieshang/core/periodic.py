"""Periodic work: a registry of idempotent jobs that cron (``xieshang run_periodic``) or the worker runs.

A job is a callable with no arguments, run at most once per *period*: its interval counted in local wall-clock
time from 2000-01-01 00:00 (plus an optional offset), so a daily job with ``offset=timedelta(hours=8)`` runs
once per local day, at the first opportunity after 08:00. Register jobs from a module your AppConfig.ready
imports::

    from datetime import timedelta
    from xieshang.core import periodic

    @periodic.register("proposals.remind_due", interval=timedelta(days=1), offset=timedelta(hours=8))
    def remind_due():
        ...

**Claiming a period.** Nothing here has a table of its own, so the marker that a job ran in a period is an
audit row (verb ``core.periodic_ran``, committee none, so only the system administrator sees it) written by
a system action. The check-and-insert runs in one transaction under a lock that serialises claimants: on
PostgreSQL a transaction-level advisory lock keyed by the job's name, on SQLite the database write lock
that ``BEGIN IMMEDIATE`` (see settings) takes at the start of every write transaction, elsewhere a cache lock.
Two processes started at once therefore run a job once per period. The claim commits before the job runs,
so a job that fails is not retried until its next period (it is logged and audited as
``core.periodic_failed``); jobs must be idempotent and catch up on what earlier runs missed.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import audit

logger = logging.getLogger("xieshang.periodic")

_EPOCH = datetime.datetime(2000, 1, 1)
_JOBS = {}


@dataclass(frozen=True)
class Job:
    name: str
    func: object
    interval: datetime.timedelta
    offset: datetime.timedelta = datetime.timedelta(0)
    description: str = ""

    def period(self, now):
        """The number of the period ``now`` falls in (local wall-clock time)."""
        local = timezone.localtime(now).replace(tzinfo=None)
        return int((local - _EPOCH - self.offset) // self.interval)


@dataclass
class JobRun:
    name: str
    status: str  # "ran", "skipped" (already ran this period) or "failed"
    period: int
    result: object = None
    error: str = ""
    extra: dict = field(default_factory=dict)


def register(name, *, interval, offset=datetime.timedelta(0), description=""):
    """Decorator: make the function a periodic job called ``name`` run once every ``interval``.

    ``name`` is namespaced ("app.job"). ``interval`` is at least one minute. Registering a name again
    replaces the job (module reloads in development).
    """
    if "." not in name:
        raise ValueError(f"periodic job names are namespaced as 'app.job', got {name!r}")
    if interval < datetime.timedelta(minutes=1):
        raise ValueError("a periodic job's interval is at least one minute")

    def decorator(func):
        _JOBS[name] = Job(name=name, func=func, interval=interval, offset=offset, description=description)
        return func

    return decorator


def unregister(name):
    _JOBS.pop(name, None)


def jobs():
    """Every registered job, by name."""
    return [_JOBS[name] for name in sorted(_JOBS)]


def get(name):
    """The job called ``name``; KeyError if none is registered."""
    return _JOBS[name]


def _marker(job, period):
    return f"{job.name}@{period}"


def _lock(name):
    """Serialise claimants of ``name`` until the current transaction ends; False if the lock is busy."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        return True
    if connection.vendor == "sqlite":
        return True  # BEGIN IMMEDIATE already holds the database's write lock.
    from django.core.cache import cache

    return cache.add(f"xs:periodic-lock:{name}", 1, timeout=60)


@audit.action
def _claim(job, period, *, actor):
    from .models import AuditEvent

    if not _lock(job.name):
        return False
    marker = _marker(job, period)
    # The index on verb keeps this cheap; the marker text makes it exact.
    if AuditEvent.objects.filter(verb="core.periodic_ran", committee_id=None, note=marker).exists():
        return False
    audit.record(
        "core.periodic_ran",
        note=marker,
        changes={"job": [None, job.name], "period": [None, period]},
    )
    return True


@audit.action
def _record_failure(job, period, error, *, actor):
    audit.record("core.periodic_failed", note=_marker(job, period), changes={"error": [None, error[:500]]})


def claim(job, now=None):
    """Claim ``job``'s current period; True if this caller should run it, False if it already ran."""
    return _claim(job, job.period(now or timezone.now()), actor=None)


def run_due(now=None, *, only=None):
    """Run each job (or only the one named ``only``) whose current period has not run yet; returns JobRuns.

    A job's exception is logged and audited, and the other jobs still run.
    """
    now = now or timezone.now()
    selected = [get(only)] if only else jobs()
    runs = []
    for job in selected:
        period = job.period(now)
        if not _claim(job, period, actor=None):
            runs.append(JobRun(job.name, "skipped", period))
            continue
        try:
            result = job.func()
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"
            _record_failure(job, period, error, actor=None)
            runs.append(JobRun(job.name, "failed", period, error=error))
        else:
            runs.append(JobRun(job.name, "ran", period, result=result))
    return runs


@register(
    "core.retry_deliveries",
    interval=datetime.timedelta(minutes=10),
    description="Queue failed or stranded notification deliveries again, up to XS_DELIVERY_MAX_ATTEMPTS.",
)
def retry_deliveries():
    from .notifications import retry_failed_deliveries

    return retry_failed_deliveries()
