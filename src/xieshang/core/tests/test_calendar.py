"""The pure working-day arithmetic, on the 2025–2026 schedule as published (built without the database)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xieshang.core.calendar import (
    BeyondCalendar,
    WorkCalendar,
    add_months,
    add_working_days,
    due_after_months,
    next_working_day,
    working_days_between,
)
from xieshang.core.calendar_import import HOLIDAY, WORKDAY, package_schedule

D = datetime.date


def _calendar(years):
    schedule = package_schedule()
    days = [d for y in years for d in schedule[y]]
    return WorkCalendar(
        holidays=frozenset(d.date for d in days if d.kind == HOLIDAY),
        workdays=frozenset(d.date for d in days if d.kind == WORKDAY),
        years=frozenset(years),
    )


CAL = _calendar([2025, 2026])


# National Day 2026: 10-01..07 off, Sunday 09-20 and Saturday 10-10 are make-up workdays.

def test_it_skips_the_national_day_holiday_and_counts_the_make_up_saturday():
    assert add_working_days(D(2026, 9, 30), 5, CAL) == D(2026, 10, 13)


def test_the_make_up_saturday_is_the_next_working_day_after_the_holiday():
    assert add_working_days(D(2026, 10, 9), 1, CAL) == D(2026, 10, 10)
    assert add_working_days(D(2026, 10, 8), 1, CAL) == D(2026, 10, 9)
    assert add_working_days(D(2026, 10, 10), 1, CAL) == D(2026, 10, 12)


def test_the_make_up_sunday_before_the_holiday_is_a_working_day():
    assert CAL.is_working_day(D(2026, 9, 20))
    assert add_working_days(D(2026, 9, 19), 1, CAL) == D(2026, 9, 20)


def test_holiday_weekdays_are_not_working_days():
    for day in range(1, 8):
        assert not CAL.is_working_day(D(2026, 10, day))
    assert not CAL.is_working_day(D(2026, 9, 25))  # Mid-Autumn, a Friday
    assert CAL.is_working_day(D(2026, 9, 30))


def test_it_counts_working_days_across_the_national_day_holiday():
    # (09-30, 10-13]: 10-08, 10-09, 10-10 (make-up), 10-12, 10-13.
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 13), CAL) == 5
    # 09-28 .. 10-09: 09-29, 09-30, 10-08, 10-09.
    assert working_days_between(D(2026, 9, 28), D(2026, 10, 9), CAL) == 4
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 7), CAL) == 0
    assert working_days_between(D(2026, 10, 5), D(2026, 10, 5), CAL) == 0


def test_it_counts_backwards_as_a_negative_number():
    assert working_days_between(D(2026, 10, 13), D(2026, 9, 30), CAL) == -5
    assert working_days_between(D(2026, 10, 8), D(2026, 9, 30), CAL) == -1


def test_it_walks_backwards_over_the_holiday_with_negative_n():
    assert add_working_days(D(2026, 10, 13), -5, CAL) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 8), -1, CAL) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 12), -1, CAL) == D(2026, 10, 10)
    # From a Sunday, one working day back is the Friday (the start never counts).
    assert add_working_days(D(2026, 11, 29), -1, CAL) == D(2026, 11, 27)


def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(D(2026, 9, 30), 0, CAL) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 3), 0, CAL) == D(2026, 10, 8)
    assert next_working_day(D(2026, 10, 1), CAL) == D(2026, 10, 8)
    assert next_working_day(D(2026, 10, 10), CAL) == D(2026, 10, 10)


def test_a_weekend_start_does_not_count_as_a_day():
    # Received on Saturday 2026-11-28: five working days are Mon 11-30 .. Fri 12-04.
    assert add_working_days(D(2026, 11, 28), 5, CAL) == D(2026, 12, 4)


# Spring Festival 2026: 02-15..23 off; Saturdays 02-14 and 02-28 are make-up workdays.

def test_spring_festival_2026_is_off_and_its_make_up_saturdays_are_working_days():
    for day in range(15, 24):
        assert not CAL.is_working_day(D(2026, 2, day)), day
    assert CAL.is_working_day(D(2026, 2, 14))
    assert CAL.is_working_day(D(2026, 2, 28))
    assert not CAL.is_working_day(D(2026, 3, 1))  # an ordinary Sunday


def test_it_adds_working_days_across_spring_festival():
    assert add_working_days(D(2026, 2, 13), 1, CAL) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1, CAL) == D(2026, 2, 24)
    # 02-24..27 (4) + 02-28 (make-up) = 5
    assert add_working_days(D(2026, 2, 23), 5, CAL) == D(2026, 2, 28)
    assert working_days_between(D(2026, 2, 13), D(2026, 3, 2), CAL) == 7


# Beyond the table.

def test_a_date_in_a_year_not_loaded_raises_beyond_calendar():
    with pytest.raises(BeyondCalendar) as err:
        CAL.is_working_day(D(2027, 1, 4))  # a Monday: a weekday guess would say "working"
    assert err.value.year == 2027


def test_walking_out_of_the_loaded_years_raises_instead_of_guessing():
    with pytest.raises(BeyondCalendar):
        add_working_days(D(2026, 12, 28), 5, CAL)
    with pytest.raises(BeyondCalendar):
        add_working_days(D(2025, 1, 3), -5, CAL)
    with pytest.raises(BeyondCalendar):
        working_days_between(D(2026, 12, 1), D(2027, 1, 5), CAL)
    with pytest.raises(BeyondCalendar):
        due_after_months(D(2026, 11, 30), 2, CAL)


def test_a_start_in_a_year_not_loaded_raises_even_if_the_result_would_be_loaded():
    with pytest.raises(BeyondCalendar) as err:
        add_working_days(D(2024, 12, 31), 1, CAL)
    assert err.value.year == 2024
    with pytest.raises(BeyondCalendar):
        working_days_between(D(2024, 12, 31), D(2025, 1, 6), CAL)


def test_an_empty_calendar_refuses_every_date():
    with pytest.raises(BeyondCalendar):
        add_working_days(D(2026, 6, 1), 1, WorkCalendar())


# Calendar months.

@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2026, 5, 20), 0, D(2026, 5, 20)),
        (D(2026, 10, 15), 14, D(2027, 12, 15)),
    ],
)
def test_add_months_clips_to_the_end_of_the_month(start, n, expected):
    assert add_months(start, n) == expected


def test_a_months_deadline_on_a_holiday_moves_to_the_next_working_day():
    # 2026-07-01 + 3 months = 10-01 (National Day) -> 10-08.
    assert due_after_months(D(2026, 7, 1), 3, CAL) == D(2026, 10, 8)
    # 2026-08-03 + 2 months = 10-03 (a Saturday inside the holiday) -> 10-08.
    assert due_after_months(D(2026, 8, 3), 2, CAL) == D(2026, 10, 8)
    # 2026-07-10 + 3 months = 10-10, a make-up Saturday: it stays.
    assert due_after_months(D(2026, 7, 10), 3, CAL) == D(2026, 10, 10)
    # An ordinary weekday stays.
    assert due_after_months(D(2026, 3, 16), 1, CAL) == D(2026, 4, 16)


# Properties over 2025–2026.

dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=-40, max_value=40).filter(bool))
def test_counting_the_days_between_gives_back_the_number_added(start, n):
    try:
        end = add_working_days(start, n, CAL)
    except BeyondCalendar:
        return
    assert CAL.is_working_day(end)
    assert working_days_between(start, end, CAL) == n


@settings(max_examples=200, deadline=None)
@given(a=dates, b=dates)
def test_counting_is_antisymmetric_around_working_days(a, b):
    forward = working_days_between(a, b, CAL)
    assert (forward > 0) == (b > a and any(
        CAL.is_working_day(a + datetime.timedelta(days=i)) for i in range(1, (b - a).days + 1)
    ))
    if CAL.is_working_day(a) and CAL.is_working_day(b):
        assert working_days_between(b, a, CAL) == -forward


@settings(max_examples=200, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=30))
def test_adding_working_days_never_lands_on_a_day_off_and_moves_forward(start, n):
    try:
        end = add_working_days(start, n, CAL)
    except BeyondCalendar:
        return
    assert end > start
    assert CAL.is_working_day(end)
