"""Working days and deadlines: pure functions over a table of holidays and make-up workdays (调休).

China moves weekends around holidays, so "Monday to Friday" is wrong several times a year. Every function
takes a :class:`WorkCalendar` (built from the database by :func:`load`, or directly in tests) and refuses
dates in years whose schedule is not loaded, rather than guessing with weekday rules.

Counting convention ("walk" semantics): walking from ``start`` towards a target, the days *arrived at* are the
ones counted; ``start`` itself never counts. So ``add_working_days(d, n)`` is the n-th working day arrived at,
and ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n != 0``, forwards and backwards.

:func:`load` is the only function here that touches the database or the cache; it is memoised per process and
keyed by a version stored in Django's cache, which the calendar actions bump (:func:`invalidate`), so every
app process sharing that cache sees an edit on its next call.
"""

import calendar as _stdlib_calendar
import datetime
import threading
import time
import uuid
from dataclasses import dataclass, field

ONE_DAY = datetime.timedelta(days=1)


class BeyondCalendar(ValueError):
    """A date falls in a year whose holidays are not loaded; the result would be a guess.

    ``year`` is the first year found missing. Views show a translated message built from it.
    """

    def __init__(self, year):
        self.year = year
        super().__init__(f"the holiday calendar for {year} is not loaded")


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable snapshot of the schedule.

    ``holidays``: dates off (a weekday holiday, or a weekend day inside a published holiday period).
    ``workdays``: make-up workdays (调休上班) falling on a weekend.
    ``years``: the years whose schedule is complete; any other year raises :class:`BeyondCalendar`.
    """

    holidays: frozenset = field(default_factory=frozenset)
    workdays: frozenset = field(default_factory=frozenset)
    years: frozenset = field(default_factory=frozenset)

    def check(self, day):
        """Raise :class:`BeyondCalendar` unless ``day``'s year is loaded."""
        if day.year not in self.years:
            raise BeyondCalendar(day.year)

    def is_working_day(self, day):
        """True on an ordinary weekday that is not a holiday, and on a make-up workday."""
        self.check(day)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def add_working_days(start, n, cal):
    """The date ``n`` working days after ``start`` (before it when ``n`` is negative).

    ``start`` itself never counts, whether or not it is a working day: Saturday + 1 is the next working day,
    Monday - 1 is the previous working day. ``n == 0`` returns ``start`` when it is a working day, else the
    next working day (see :func:`next_working_day`). Raises BeyondCalendar when ``start`` or any date walked
    over lies in a year that is not loaded.
    """
    cal.check(start)
    if n == 0:
        day = start
        while not cal.is_working_day(day):
            day += ONE_DAY
        return day
    step = ONE_DAY if n > 0 else -ONE_DAY
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if cal.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end, cal):
    """How many working days are arrived at walking from ``start`` to ``end``; negative when ``end < start``.

    Forwards that is the working days in (start, end]; backwards, minus the working days in [end, start).
    This is the inverse of :func:`add_working_days` for every ``n != 0``. Raises BeyondCalendar when either
    end or any date in between lies in a year that is not loaded.
    """
    cal.check(start)
    cal.check(end)
    if end < start:
        count, day = 0, start
        while day > end:
            day -= ONE_DAY
            if cal.is_working_day(day):
                count += 1
        return -count
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if cal.is_working_day(day):
            count += 1
    return count


def add_months(start, n):
    """The same day ``n`` calendar months later (earlier if negative), clipped to the month's end.

    2026-01-31 + 1 month = 2026-02-28; 2028-01-31 + 1 month = 2028-02-29. Needs no calendar: calendar months
    do not depend on holidays.
    """
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _stdlib_calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def next_working_day(day, cal):
    """``day`` if it is a working day, else the first working day after it (a deadline on a holiday moves)."""
    return add_working_days(day, 0, cal)


def due_after_months(start, n, cal):
    """A "within N months" deadline: N calendar months on, moved to the next working day if it is a day off."""
    return next_working_day(add_months(start, n), cal)


# ---------------------------------------------------------------------------------------------------------
# Loading from the database, memoised per process and invalidated through the shared cache.

VERSION_KEY = "xieshang:calendar:version"
# Even without a shared cache, no process keeps a calendar longer than this many seconds.
MAX_AGE_SECONDS = 60
_memo = (None, None, 0.0)  # (version, WorkCalendar, loaded at); replaced whole so readers never see half an update
_memo_lock = threading.Lock()


def load_uncached():
    """The calendar as stored now in the database (CalendarDay and CalendarYear), without any cache."""
    from .models import CalendarDay, CalendarYear

    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), years)


def _current_version():
    from django.core.cache import cache

    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the cache was cleared: start a new version; a concurrent process may win the add.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def load():
    """The stored calendar, rebuilt from the database only when the cached version key has changed.

    Costs one cache read per call. With a shared cache (XS_REDIS_URL) every process sees an edit on its next
    call; with a process-local one (locmem) the other processes see it within MAX_AGE_SECONDS.
    """
    global _memo
    version = _current_version()
    memo_version, memo_calendar, loaded_at = _memo
    if version is not None and version == memo_version and time.monotonic() - loaded_at < MAX_AGE_SECONDS:
        return memo_calendar
    calendar = load_uncached()
    with _memo_lock:
        _memo = (version, calendar, time.monotonic())
    return calendar


def invalidate():
    """Make every process rebuild on its next :func:`load`. Called by the calendar actions."""
    global _memo
    from django.core.cache import cache

    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    with _memo_lock:
        _memo = (None, None, 0.0)
