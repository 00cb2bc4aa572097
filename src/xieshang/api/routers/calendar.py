"""The working-day calendar: the holidays of a year, and deadlines computed from it."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router

from xieshang.core import calendar
from xieshang.core.models import CalendarDay, CalendarYear

from .. import schemas as s

router = Router(tags=["工作日历"])

ERRORS = {401: s.Error, 409: s.Error, 422: s.Error}


@router.get("/calendar/deadline", response={200: s.DeadlineOut, **ERRORS}, summary="计算期限")
def deadline(request, start: datetime.date, working_days: int | None = None, months: int | None = None):
    """``start`` plus N working days, or N calendar months moved to a working day. 409 beyond the loaded years."""
    if (working_days is None) == (months is None):
        raise ValidationError({"__all__": [_("请只提供 working_days 或 months 其中之一。")]})
    if working_days is not None and not -3650 <= working_days <= 3650:
        raise ValidationError({"working_days": [_("工作日数超出范围。")]})
    if months is not None and not -1200 <= months <= 1200:
        raise ValidationError({"months": [_("月数超出范围。")]})
    cal = calendar.load()
    if working_days is not None:
        due = calendar.add_working_days(start, working_days, cal)
        return {"start": start, "due": due, "working_days": working_days}
    return {"start": start, "due": calendar.due_after_months(start, months, cal), "months": months}


@router.get("/calendar/{year}", response={200: s.CalendarYearOut, **ERRORS}, summary="某年的节假日与调休")
def year_days(request, year: int):
    if not 1900 <= year <= 2999:
        raise ValidationError({"year": [_("年份超出范围。")]})
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    return {"year": year, "loaded": CalendarYear.objects.filter(year=year).exists(), "days": list(days)}
