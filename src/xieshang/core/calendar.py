"""Working days and deadlines: pure functions over a table of holidays and make-up workdays (调休).

China moves weekends around holidays, so "Monday to Friday" is wrong several times a year. Every function
takes a :class:`WorkCalendar` (built from the database by :func:`load`, or directly in tests) and refuses
dates in years whose schedule is not loaded, rather than guessing with weekday rules.
"""

import calendar as _stdlib_calendar
import datetime
from dataclasses import dataclass, field


class BeyondCalendar(ValueError):
    """A date falls in a year whose holidays are not loaded; the result would be a guess."""

    def __init__(self, year):
        self.year = year
        super().__init__(f"the holiday calendar for {year} is not loaded")


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset = field(default_factory=frozenset)
    workdays: frozenset = field(default_factory=frozenset)  # make-up workdays on weekends
    years: frozenset = field(default_factory=frozenset)  # years whose schedule is loaded

    def check(self, day):
        if day.year not in self.years:
            raise BeyondCalendar(day.year)

    def is_working_day(self, day):
        self.check(day)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def load():
    """The calendar as stored in the database (CalendarDay and CalendarYear)."""
    from .models import CalendarDay, CalendarYear

    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), years)


def add_working_days(start, n, cal):
    """The date ``n`` working days after ``start`` (``start`` itself never counts; n may be negative).

    ``n == 0`` returns ``start`` when it is a working day, else the next working day.
    Raises BeyondCalendar when the walk leaves the loaded years.
    """
    step = 1 if n >= 0 else -1
    day = start
    if n == 0:
        while not cal.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if cal.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end, cal):
    """Working days in (start, end]: how many working days from ``start`` until ``end``; negative if end < start."""
    if end < start:
        return -working_days_between(end, start, cal)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count


def add_months(start, n):
    """The same day ``n`` calendar months later, clipped to the month's end (1-31 + 1 month = 2-28)."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _stdlib_calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def next_working_day(day, cal):
    """``day`` if it is a working day, else the first working day after it (a deadline on a holiday moves)."""
    return add_working_days(day, 0, cal)


def due_after_months(start, n, cal):
    """A "within N months" deadline: N calendar months on, moved to a working day if it lands on a day off."""
    return next_working_day(add_months(start, n), cal)
