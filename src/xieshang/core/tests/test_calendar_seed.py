"""Seeding the holiday table from chinese-calendar: the data migration and ``xieshang calendar_seed``."""

import datetime
import importlib

import chinese_calendar
import pytest
from django.apps import apps as global_apps
from django.core.management import call_command

from xieshang.core import calendar as workcal
from xieshang.core.actions import do_seed_calendar, do_set_calendar_day
from xieshang.core.calendar_import import HOLIDAY_NAMES, package_schedule
from xieshang.core.models import AuditEvent, CalendarDay, CalendarYear

D = datetime.date
SOURCE = "chinese-calendar 1.11.0"


def _span(start, end):
    return {start + datetime.timedelta(days=i) for i in range((end - start).days + 1)}


# domain.md §12: the 2026 schedule.
HOLIDAYS_2026 = (
    _span(D(2026, 1, 1), D(2026, 1, 3)) | _span(D(2026, 2, 15), D(2026, 2, 23))
    | _span(D(2026, 4, 4), D(2026, 4, 6)) | _span(D(2026, 5, 1), D(2026, 5, 5))
    | _span(D(2026, 6, 19), D(2026, 6, 21)) | _span(D(2026, 9, 25), D(2026, 9, 27))
    | _span(D(2026, 10, 1), D(2026, 10, 7))
)
WORKDAYS_2026 = {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workcal.invalidate()
    yield
    workcal.invalidate()


def test_the_installed_package_is_the_pinned_version():
    assert chinese_calendar.__version__ == "1.11.0"


@pytest.mark.django_db
def test_a_fresh_database_has_every_year_the_package_covers():
    covered = {d.year for d in chinese_calendar.holidays}
    assert covered == set(range(2004, 2027))
    years = dict(CalendarYear.objects.values_list("year", "source"))
    assert set(years) == covered
    assert set(years.values()) == {SOURCE}


@pytest.mark.django_db
def test_2026_holds_exactly_the_published_schedule():
    rows = CalendarDay.objects.filter(date__year=2026)
    assert {r.date for r in rows if r.kind == CalendarDay.Kind.HOLIDAY} == HOLIDAYS_2026
    assert {r.date for r in rows if r.kind == CalendarDay.Kind.WORKDAY} == WORKDAYS_2026
    assert all(r.date.weekday() >= 5 for r in rows if r.kind == CalendarDay.Kind.WORKDAY)


@pytest.mark.django_db
def test_seeded_days_carry_the_chinese_holiday_names():
    names = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "name"))
    assert names[D(2026, 10, 1)] == "国庆节"
    assert names[D(2026, 9, 25)] == "中秋节"
    assert names[D(2026, 2, 17)] == "春节"
    assert names[D(2026, 2, 14)] == "春节"
    assert names[D(2026, 1, 1)] == "元旦"
    assert names[D(2026, 4, 5)] == "清明节"
    assert names[D(2026, 5, 1)] == "劳动节"
    assert names[D(2026, 6, 19)] == "端午节"
    assert CalendarDay.objects.get(date=D(2015, 9, 3)).name == "抗战胜利70周年纪念日"
    assert not CalendarDay.objects.filter(name__regex=r"[A-Za-z]").exists()


def test_every_holiday_the_package_names_has_a_chinese_name():
    assert {h.value for h in chinese_calendar.Holiday} <= set(HOLIDAY_NAMES)
    assert package_schedule()  # raises KeyError on an unmapped name


@pytest.mark.django_db
def test_the_database_calendar_gives_the_national_day_answer():
    cal = workcal.load()
    assert workcal.add_working_days(D(2026, 9, 30), 5, cal) == D(2026, 10, 13)
    with pytest.raises(workcal.BeyondCalendar):
        workcal.add_working_days(D(2026, 12, 30), 5, cal)


@pytest.mark.django_db
def test_the_seed_command_is_idempotent(capsys):
    before = list(CalendarDay.objects.values_list("date", "kind", "name"))
    call_command("calendar_seed")
    call_command("calendar_seed")
    assert list(CalendarDay.objects.values_list("date", "kind", "name")) == before
    assert CalendarYear.objects.count() == 23
    assert not AuditEvent.objects.filter(verb__startswith="core.calendar").exists()
    assert "没有需要载入的年份" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_seed_fills_a_year_that_is_not_loaded_and_audits_it():
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    assert do_seed_calendar(actor=None) == [2026]
    assert CalendarDay.objects.filter(date__year=2026).count() == len(HOLIDAYS_2026) + len(WORKDAYS_2026)
    event = AuditEvent.objects.get(verb="core.calendar_year_seeded")
    assert event.actor is None and event.committee_id is None
    assert event.changes["source"] == [None, SOURCE]
    assert CalendarYear.objects.get(year=2026).source == SOURCE


@pytest.mark.django_db
def test_the_seed_never_overwrites_a_loaded_year_edited_by_hand():
    do_set_calendar_day(D(2026, 10, 1), CalendarDay.Kind.HOLIDAY, "国庆节（本地）", actor=None)
    CalendarDay.objects.filter(date=D(2026, 10, 7)).delete()
    call_command("calendar_seed")
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节（本地）"
    assert not CalendarDay.objects.filter(date=D(2026, 10, 7)).exists()


@pytest.mark.django_db
def test_the_seed_keeps_rows_staff_typed_into_a_year_not_yet_loaded():
    CalendarYear.objects.filter(year=2026).delete()
    CalendarDay.objects.filter(date=D(2026, 10, 10)).update(name="手工录入")
    CalendarDay.objects.filter(date=D(2026, 10, 2)).delete()
    do_seed_calendar(actor=None)
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).name == "手工录入"
    assert CalendarDay.objects.get(date=D(2026, 10, 2)).name == "国庆节"
    assert CalendarYear.objects.filter(year=2026).exists()


@pytest.mark.django_db
def test_the_data_migration_runs_the_same_seed_on_historical_models():
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    migration = importlib.import_module("xieshang.core.migrations.0002_seed_calendar")
    migration.seed(global_apps, None)
    assert CalendarYear.objects.count() == 23
    assert {r.date for r in CalendarDay.objects.filter(date__year=2026, kind="workday")} == WORKDAYS_2026
    # A second run changes nothing.
    count = CalendarDay.objects.count()
    migration.seed(global_apps, None)
    assert CalendarDay.objects.count() == count
