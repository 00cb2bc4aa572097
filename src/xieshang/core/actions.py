"""Every write to the working-day calendar goes through these functions (pages, commands, migration alike).

Each is an action (:func:`xieshang.core.audit.action`): one transaction, one audit group, values recorded,
and ``committee`` None because the calendar serves the whole deployment. Invalid input raises
``django.core.exceptions.ValidationError`` before anything is written. Each action invalidates the cached
calendar (:func:`xieshang.core.calendar.invalidate`) at once, for the process that made the change, and
again on commit, so no process can keep a calendar rebuilt from the state before the commit.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from . import calendar as workcal
from .audit import action
from .calendar_import import NAME_MAX, fill_missing_years, package_schedule, package_source
from .models import CalendarDay, CalendarYear

DAY_FIELDS = ["date", "kind", "name"]
YEAR_MIN, YEAR_MAX = 2000, 2100


def _calendar_changed():
    workcal.invalidate()
    transaction.on_commit(workcal.invalidate)


def validate_day(date, kind, name):
    """Raise ValidationError unless (date, kind, name) can be stored; returns the cleaned name.

    A make-up workday must fall on a Saturday or Sunday (a weekday is already a working day); the name is
    required and at most 50 characters; the year must lie within 2000–2100.
    """
    errors = {}
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        errors["date"] = _("请填写日期。")
    elif not YEAR_MIN <= date.year <= YEAR_MAX:
        errors["date"] = _("日期须在 %(min)d 年至 %(max)d 年之间。") % {"min": YEAR_MIN, "max": YEAR_MAX}
    if kind not in CalendarDay.Kind.values:
        errors["kind"] = _("类型应为“节假日”或“调休上班”。")
    elif kind == CalendarDay.Kind.WORKDAY and "date" not in errors and date.weekday() < 5:
        errors["kind"] = _("%(date)s 是工作日，不能登记为调休上班。") % {"date": date.isoformat()}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写名称，例如“国庆节”。")
    elif len(name) > NAME_MAX:
        errors["name"] = _("名称不能超过 %(max)d 个字。") % {"max": NAME_MAX}
    if errors:
        raise ValidationError(errors)
    return name


@action
def do_set_calendar_day(date, kind, name, *, actor):
    """Make ``date`` a holiday or a make-up workday named ``name``, adding or changing its row.

    Returns the CalendarDay. Writes no audit row when nothing changes. Raises ValidationError (see
    :func:`validate_day`).
    """
    name = validate_day(date, kind, name)
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    old = audit.snapshot(day, DAY_FIELDS) if day else {}
    if day is None:
        day = CalendarDay(date=date)
    day.kind, day.name = kind, name
    new = audit.snapshot(day, DAY_FIELDS)
    changes = audit.diff(old, new)
    if not changes:
        return day
    day.save()
    audit.record("core.calendar_day_set", day, changes=changes, committee=None)
    _calendar_changed()
    return day


@action
def do_delete_calendar_day(day, *, actor):
    """Remove ``day`` from the table: its date follows the weekday rule again."""
    old = audit.snapshot(day, DAY_FIELDS)
    audit.record("core.calendar_day_deleted", day, changes=audit.diff(old, {}), committee=None)
    day.delete()
    _calendar_changed()


@action
def do_mark_year_loaded(year, *, actor, source=""):
    """Declare ``year``'s schedule complete, so deadlines may be computed in it. Returns the CalendarYear.

    Raises ValidationError when the year is out of range or already loaded.
    """
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            {"year": _("年份须在 %(min)d 至 %(max)d 之间。") % {"min": YEAR_MIN, "max": YEAR_MAX}}
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("%(year)d 年已标记为已载入。") % {"year": year}})
    loaded = CalendarYear.objects.create(year=year, source=(source or "手工录入")[:100])
    audit.record(
        "core.calendar_year_loaded", loaded, changes={"year": [None, year], "source": [None, loaded.source]},
        committee=None,
    )
    _calendar_changed()
    return loaded


@action
def do_import_calendar(year, days, *, actor, filename="", mark_loaded=False):
    """Store ``days`` ([ScheduleDay], already checked by calendar_import.parse_schedule) for ``year``.

    All or nothing: any invalid day raises ValidationError and nothing is written. Existing rows for the
    same dates are changed; other rows of the year stay. With ``mark_loaded`` the year is then marked loaded
    unless it already is. Returns {"added": n, "changed": n, "unchanged": n, "marked_loaded": bool}.
    """
    if not days:
        raise ValidationError(_("没有可导入的日期。"))
    counts = {"added": 0, "changed": 0, "unchanged": 0, "marked_loaded": False}
    existing = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(date__year=year)}
    for item in days:
        if item.date.year != year:
            raise ValidationError(
                _("日期 %(date)s 不在 %(year)d 年内。") % {"date": item.date.isoformat(), "year": year}
            )
        before = existing.get(item.date)
        do_set_calendar_day(item.date, item.kind, item.name, actor=actor)
        if before is None:
            counts["added"] += 1
        elif before == (item.kind, item.name.strip()):
            counts["unchanged"] += 1
        else:
            counts["changed"] += 1
    audit.record(
        "core.calendar_imported",
        None,
        changes={"year": [None, year], "file": [None, filename], "rows": [None, len(days)]},
        committee=None,
    )
    if mark_loaded and not CalendarYear.objects.filter(year=year).exists():
        do_mark_year_loaded(year, actor=actor, source=f"导入 {filename}".strip())
        counts["marked_loaded"] = True
    _calendar_changed()
    return counts


@action
def do_seed_calendar(*, actor=None):
    """Fill every year the installed chinese-calendar covers that is not loaded yet; returns those years.

    Idempotent: a loaded year (seeded before, or entered by hand) is never touched, so staff corrections
    survive; in a year not yet loaded, a date staff already entered keeps their row.
    """
    source = package_source()
    filled = fill_missing_years(CalendarDay, CalendarYear, package_schedule(), source)
    for loaded in CalendarYear.objects.filter(year__in=filled):
        count = CalendarDay.objects.filter(date__year=loaded.year).count()
        audit.record(
            "core.calendar_year_seeded", loaded, changes={"source": [None, source], "days": [None, count]},
            committee=None,
        )
    if filled:
        _calendar_changed()
    return filled
