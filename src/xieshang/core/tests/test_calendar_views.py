"""The calendar page: who may read and edit it, editing, import, the calculator, and cache invalidation."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xieshang.core import calendar as workcal
from xieshang.core import calendar_views
from xieshang.core.actions import do_set_calendar_day
from xieshang.core.models import AuditEvent, CalendarDay, CalendarYear

D = datetime.date
EDITORS = ["office_admin", "sysadmin", "other_staff"]
NON_EDITORS = [
    "member", "cosigner", "proposal_staff", "info_editor", "committee_leader", "auditor", "dept_leader",
    "dept_handler", "other_dept_handler", "outsider",
]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Tests edit the table inside a rolled-back transaction; no process-local snapshot may outlive them."""
    workcal.invalidate()
    yield
    workcal.invalidate()


@pytest.fixture
def today(monkeypatch):
    def set_today(day):
        monkeypatch.setattr(calendar_views, "_today", lambda: day)

    set_today(D(2026, 11, 29))
    return set_today


def _state():
    """Everything the calendar actions could write."""
    return (
        list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name")),
        list(CalendarYear.objects.values_list("year", "source")),
        AuditEvent.objects.filter(verb__startswith="core.calendar").count(),
    )


def _xlsx(rows, name="2027.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


GOOD_2027 = [
    ["日期", "类型", "名称"],
    [D(2027, 1, 1), "节假日", "元旦"],
    ["2027-02-06", "节假日", "春节"],
    ["2027/2/7", "调休上班", "春节"],  # a Sunday
    ["2027年10月1日", "节假日", "国庆节"],
]


def _import(client, upload, year=2027, mark_loaded=True):
    data = {"year": year, "file": upload}
    if mark_loaded:
        data["mark_loaded"] = "on"
    return client.post(reverse("core:calendar_import"), data)


# Reading.

def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("core:calendar"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", "member", "dept_handler", "office_admin"])
def test_any_signed_in_user_can_read_the_year(client, personas, login, persona, today):
    login(client, getattr(personas, persona))
    response = client.get(reverse("core:calendar"), {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2026-10-10" in body and "国庆节" in body
    assert "2026-02-14" in body
    assert "chinese-calendar 1.11.0" in body


def test_the_outsider_sees_no_editing_controls(client, personas, login, today):
    login(client, personas.outsider)
    body = client.get(reverse("core:calendar"), {"year": 2026}).content.decode()
    assert reverse("core:calendar_day_add") not in body
    assert reverse("core:calendar_import") not in body
    assert "/delete/" not in body


def test_an_editor_sees_the_editing_controls(client, personas, login, today):
    login(client, personas.office_admin)
    body = client.get(reverse("core:calendar"), {"year": 2026}).content.decode()
    assert reverse("core:calendar_day_add") in body
    assert reverse("core:calendar_import") in body
    assert "/delete/" in body


def test_it_warns_when_next_year_is_not_loaded(client, personas, login, today):
    login(client, personas.outsider)
    body = client.get(reverse("core:calendar")).content.decode()
    assert "2027 年的节假日与调休安排尚未载入" in body
    assert "2026 年的节假日与调休安排尚未载入" not in body


def test_it_warns_for_both_the_current_and_the_next_year_when_neither_is_loaded(client, personas, login, today):
    today(D(2027, 3, 1))
    login(client, personas.member)
    body = client.get(reverse("core:calendar")).content.decode()
    assert "2027 年的节假日与调休安排尚未载入" in body
    assert "2028 年的节假日与调休安排尚未载入" in body


def test_no_warning_once_next_year_is_loaded(client, personas, login, today):
    CalendarYear.objects.create(year=2027, source="test")
    login(client, personas.member)
    body = client.get(reverse("core:calendar")).content.decode()
    assert "尚未载入：" not in body


def test_a_nonsense_year_parameter_shows_the_current_year(client, personas, login, today):
    login(client, personas.member)
    response = client.get(reverse("core:calendar"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["year"] == 2026


# Editing permissions.

def _edit_requests(personas):
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    return [
        ("post", reverse("core:calendar_day_add"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}),
        ("get", reverse("core:calendar_day_change", args=[day.pk]), None),
        ("post", reverse("core:calendar_day_change", args=[day.pk]), {"kind": "holiday", "name": "x"}),
        ("post", reverse("core:calendar_day_delete", args=[day.pk]), {}),
        ("post", reverse("core:calendar_year_mark_loaded"), {"year": 2027}),
        ("get", reverse("core:calendar_import"), None),
        ("post", reverse("core:calendar_import"), {"year": 2027, "file": _xlsx(GOOD_2027)}),
        ("get", reverse("core:calendar_import_template"), None),
    ]


@pytest.mark.parametrize("persona", NON_EDITORS)
def test_it_refuses_every_calendar_edit_to_roles_without_manage_calendar(client, personas, login, persona):
    login(client, getattr(personas, persona))
    before = _state()
    for method, url, data in _edit_requests(personas):
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 403, (persona, url)
    assert _state() == before


@pytest.mark.parametrize("persona", EDITORS)
def test_office_admins_of_any_committee_and_the_sysadmin_may_edit(client, personas, login, persona):
    login(client, getattr(personas, persona))
    response = client.post(reverse("core:calendar_day_add"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).name == "元旦"
    assert client.get(reverse("core:calendar_import")).status_code == 200


# Editing.

def test_adding_a_day_is_audited_with_its_values(client, personas, login):
    login(client, personas.office_admin)
    response = client.post(reverse("core:calendar_day_add"), {"date": "2027-02-06", "kind": "holiday", "name": "春节"})
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    event = AuditEvent.objects.get(verb="core.calendar_day_set")
    assert event.actor == personas.office_admin
    assert event.committee_id is None
    assert event.changes == {"date": [None, "2027-02-06"], "kind": [None, "holiday"], "name": [None, "春节"]}


def test_adding_an_existing_date_changes_it(client, personas, login):
    login(client, personas.sysadmin)
    client.post(reverse("core:calendar_day_add"), {"date": "2026-10-10", "kind": "workday", "name": "国庆节调休"})
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert day.name == "国庆节调休"
    event = AuditEvent.objects.get(verb="core.calendar_day_set")
    assert event.changes == {"name": ["国庆节", "国庆节调休"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2027-01-04", "kind": "workday", "name": "春节"}, "是工作日，不能登记为调休上班"),
        ({"date": "2027-01-01", "kind": "holiday", "name": ""}, "必填"),
        ({"date": "2027-01-01", "kind": "holiday", "name": "   "}, ""),
        ({"date": "2027-13-01", "kind": "holiday", "name": "元旦"}, ""),
        ({"date": "", "kind": "holiday", "name": "元旦"}, ""),
        ({"date": "2027-01-01", "kind": "vacation", "name": "元旦"}, ""),
        ({"date": "2027-01-01", "kind": "holiday", "name": "长" * 51}, ""),
        ({"date": "1999-01-01", "kind": "holiday", "name": "元旦"}, "2000"),
    ],
)
def test_bad_day_input_gives_a_message_and_writes_nothing(client, personas, login, data, message):
    login(client, personas.office_admin)
    before = _state()
    response = client.post(reverse("core:calendar_day_add"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "fielderror" in body or "errorbox" in body
    assert message in body
    assert _state() == before


def test_changing_a_day_keeps_its_date_and_audits_the_change(client, personas, login):
    login(client, personas.office_admin)
    day = CalendarDay.objects.get(date=D(2026, 9, 25))
    url = reverse("core:calendar_day_change", args=[day.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "holiday", "name": "中秋节假期"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.date, day.name) == (D(2026, 9, 25), "中秋节假期")
    assert AuditEvent.objects.get(verb="core.calendar_day_set").changes == {"name": ["中秋节", "中秋节假期"]}


def test_changing_a_weekday_holiday_into_a_make_up_workday_is_refused(client, personas, login):
    login(client, personas.office_admin)
    day = CalendarDay.objects.get(date=D(2026, 10, 2))  # a Friday inside the National Day holiday
    before = _state()
    response = client.post(reverse("core:calendar_day_change", args=[day.pk]), {"kind": "workday", "name": "x"})
    assert response.status_code == 400
    assert "不能登记为调休上班" in response.content.decode()
    assert _state() == before


def test_deleting_a_day_is_audited_and_the_date_follows_the_weekday_rule_again(
    client, personas, login, django_capture_on_commit_callbacks
):
    login(client, personas.office_admin)
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert workcal.load().is_working_day(D(2026, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:calendar_day_delete", args=[day.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2026, 10, 10)).exists()
    event = AuditEvent.objects.get(verb="core.calendar_day_deleted")
    assert event.changes == {"date": ["2026-10-10", None], "kind": ["workday", None], "name": ["国庆节", None]}
    assert event.target_repr.startswith("2026-10-10")
    assert not workcal.load().is_working_day(D(2026, 10, 10))


def test_deleting_a_missing_day_is_404(client, personas, login):
    login(client, personas.office_admin)
    assert client.post(reverse("core:calendar_day_delete", args=[999999])).status_code == 404


def test_marking_a_year_loaded_enables_deadlines_in_it(client, personas, login, django_capture_on_commit_callbacks):
    login(client, personas.office_admin)
    with pytest.raises(workcal.BeyondCalendar):
        workcal.add_working_days(D(2026, 12, 30), 5, workcal.load())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:calendar_year_mark_loaded"), {"year": 2027})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).source == "手工录入"
    event = AuditEvent.objects.get(verb="core.calendar_year_loaded")
    assert event.actor == personas.office_admin and event.committee_id is None
    # No 2027 rows were entered, so 2027-01-01 (a Friday) counts: 12-31, 01-01, 01-04, 01-05, 01-06.
    assert workcal.add_working_days(D(2026, 12, 30), 5, workcal.load()) == D(2027, 1, 6)


def test_marking_a_loaded_year_again_is_refused_with_a_message(client, personas, login):
    login(client, personas.office_admin)
    before = _state()
    response = client.post(reverse("core:calendar_year_mark_loaded"), {"year": 2026})
    assert response.status_code == 400
    assert "已标记为已载入" in response.content.decode()
    assert _state() == before


# Import.

def test_importing_a_good_xlsx_applies_every_row_in_one_audited_group(client, personas, login):
    login(client, personas.office_admin)
    response = _import(client, _xlsx(GOOD_2027))
    assert response.status_code == 302, response.content.decode()
    rows = list(CalendarDay.objects.filter(date__year=2027).values_list("date", "kind", "name"))
    assert rows == [
        (D(2027, 1, 1), "holiday", "元旦"), (D(2027, 2, 6), "holiday", "春节"),
        (D(2027, 2, 7), "workday", "春节"), (D(2027, 10, 1), "holiday", "国庆节"),
    ]
    assert CalendarYear.objects.get(year=2027).source == "导入 2027.xlsx"
    events = AuditEvent.objects.filter(verb__startswith="core.calendar")
    assert {e.verb for e in events} == {"core.calendar_day_set", "core.calendar_imported", "core.calendar_year_loaded"}
    assert len({e.group_id for e in events}) == 1
    assert events.filter(verb="core.calendar_day_set").count() == 4


def test_importing_without_marking_leaves_the_year_unloaded(client, personas, login):
    login(client, personas.office_admin)
    response = _import(client, _xlsx(GOOD_2027), mark_loaded=False)
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 4
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_importing_a_utf8_csv_works(client, personas, login):
    login(client, personas.office_admin)
    text = "日期,类型,名称\n2027-01-01,节假日,元旦\n2027-02-07,调休上班,春节\n\n"
    response = _import(client, SimpleUploadedFile("2027.csv", text.encode("utf-8-sig")))
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 2


def test_importing_a_gbk_csv_saved_by_chinese_excel_works(client, personas, login):
    login(client, personas.office_admin)
    text = "日期,类型,名称\r\n2027/1/1,节假日,元旦\r\n"
    response = _import(client, SimpleUploadedFile("2027.csv", text.encode("gbk")))
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).name == "元旦"


def test_reimporting_changes_existing_dates_and_counts_them(client, personas, login):
    login(client, personas.office_admin)
    do_set_calendar_day(D(2027, 1, 1), "holiday", "新年", actor=None)
    response = _import(client, _xlsx(GOOD_2027), mark_loaded=False)
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=D(2027, 1, 1)).name == "元旦"
    page = client.get(response["Location"]).content.decode()
    assert "新增 3 天，修改 1 天，未变 0 天" in page


def test_a_file_with_bad_rows_reports_each_row_and_writes_nothing(client, personas, login):
    login(client, personas.office_admin)
    rows = [
        ["日期", "类型", "名称"],
        [D(2027, 1, 1), "节假日", "元旦"],     # 2: fine
        ["2027-02-30", "节假日", "春节"],      # 3: no such date
        ["明天", "节假日", "春节"],            # 4: not a date
        [D(2027, 1, 4), "调休上班", "元旦"],   # 5: a Monday
        [D(2027, 2, 6), "放假", "春节"],       # 6: bad type
        [D(2027, 2, 8), "节假日", None],       # 7: no name
        [D(2026, 12, 31), "节假日", "元旦"],   # 8: other year
        [D(2027, 1, 1), "节假日", "元旦"],     # 9: repeats row 2
        [None, None, None],                    # 10: blank, skipped
        [None, "节假日", "春节"],              # 11: no date
        [D(2027, 2, 9), "节假日", "春节", "x"],  # 12: extra column
        [D(2027, 2, 10), "节假日", "长" * 51],  # 13: name too long
    ]
    before = _state()
    response = _import(client, _xlsx(rows))
    assert response.status_code == 400
    errors = {e.row: e.reason for e in response.context["row_errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 11, 12, 13]
    assert "无法识别" in errors[3] and "无法识别" in errors[4]
    assert "不能登记为调休上班" in errors[5]
    assert "类型“放假”无效" in errors[6]
    assert "名称为空" in errors[7]
    assert "不在 2027 年内" in errors[8]
    assert "与第 2 行重复" in errors[9]
    assert "日期为空" in errors[11]
    assert "多出的列" in errors[12]
    assert "超过 50 个字" in errors[13]
    body = response.content.decode()
    assert "未写入任何数据" in body
    assert _state() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _xlsx([["date", "kind", "name"], [D(2027, 1, 1), "节假日", "元旦"]]), "表头应为"),
        (lambda: _xlsx([["日期", "名称", "类型"], [D(2027, 1, 1), "元旦", "节假日"]]), "表头应为"),
        (lambda: _xlsx([["日期", "类型"], [D(2027, 1, 1), "节假日"]]), "表头应为"),
        (lambda: SimpleUploadedFile("2027.xlsx", b""), "文件为空"),
        (lambda: _xlsx([]), "没有任何内容"),
        (lambda: _xlsx([["日期", "类型", "名称"]]), "只有表头"),
        (lambda: SimpleUploadedFile("2027.xlsx", "日期,类型,名称\n2027-01-01,节假日,元旦\n".encode()), "不是有效的 Excel"),
        (lambda: SimpleUploadedFile("2027.xlsx", b"PK\x03\x04 broken zip"), "不是有效的 Excel"),
        (lambda: SimpleUploadedFile("2027.xls", b"\xd0\xcf\x11\xe0 old excel"), ".xls"),
        (lambda: SimpleUploadedFile("2027.pdf", b"%PDF-1.4"), "只能导入 .xlsx 或 .csv"),
        (lambda: SimpleUploadedFile("2027.csv", b"\x00\x01\x02\x03"), "CSV"),
        (lambda: SimpleUploadedFile("2027.csv", "名称\n".encode()), "表头应为"),
    ],
)
def test_a_broken_file_gets_a_clear_message_and_writes_nothing(client, personas, login, upload, message):
    login(client, personas.office_admin)
    before = _state()
    response = _import(client, upload())
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body, body
    assert "未写入任何数据" in body or "fielderror" in body
    assert _state() == before


def test_an_import_without_a_file_or_year_is_refused(client, personas, login):
    login(client, personas.office_admin)
    before = _state()
    response = client.post(reverse("core:calendar_import"), {"year": ""})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"year", "file"}
    assert _state() == before


def test_the_downloaded_template_has_the_header_and_imports_cleanly(client, personas, login):
    login(client, personas.office_admin)
    response = client.get(reverse("core:calendar_import_template"), {"year": 2027})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "calendar-2027.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["日期", "类型", "名称"]
    imported = _import(client, SimpleUploadedFile("calendar-2027.xlsx", response.content), mark_loaded=False)
    assert imported.status_code == 302
    assert CalendarDay.objects.filter(date__year=2027).count() == 2


# The calculator.

def test_the_calculator_adds_working_days_over_national_day(client, personas, login, today):
    login(client, personas.outsider)
    url = reverse("core:calendar_calculate")
    response = client.get(url, {"start": "2026-09-30", "n": 5, "unit": "working_days"})
    assert response.status_code == 200
    assert "<strong>2026-10-13</strong>" in response.content.decode()
    partial = client.get(url, {"start": "2026-09-30", "n": 5, "unit": "working_days"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<strong>2026-10-13</strong>" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_the_calculator_moves_a_months_deadline_off_a_holiday(client, personas, login, today):
    login(client, personas.member)
    response = client.get(
        reverse("core:calendar_calculate"), {"start": "2026-07-01", "n": 3, "unit": "months"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "2026-10-01" in body and "<strong>2026-10-08</strong>" in body


def test_the_calculator_warns_beyond_the_loaded_calendar(client, personas, login, today):
    login(client, personas.member)
    response = client.get(
        reverse("core:calendar_calculate"), {"start": "2026-12-28", "n": 10, "unit": "working_days"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "2027 年的节假日与调休安排尚未载入" in body
    assert "<strong>" not in body


def test_the_calculator_rejects_bad_input(client, personas, login, today):
    login(client, personas.member)
    response = client.get(
        reverse("core:calendar_calculate"), {"start": "not-a-date", "n": "x", "unit": "weeks"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "errorbox" in response.content.decode()


# The cached calendar.

def test_load_is_served_from_memory_until_the_calendar_changes(django_assert_num_queries, db):
    workcal.load()
    with django_assert_num_queries(0):
        cal = workcal.load()
    assert cal.is_working_day(D(2026, 10, 10))
    do_set_calendar_day(D(2026, 10, 10), "holiday", "国庆节", actor=None)
    with django_assert_num_queries(2):
        assert not workcal.load().is_working_day(D(2026, 10, 10))


def test_another_process_drops_its_snapshot_when_an_action_bumps_the_shared_version(db):
    stale = workcal.load()
    other_process_memo = workcal._memo
    do_set_calendar_day(D(2026, 10, 10), "holiday", "国庆节", actor=None)
    # The process that did not make the edit still holds its old snapshot under the old version.
    workcal._memo = other_process_memo
    fresh = workcal.load()
    assert fresh is not stale
    assert not fresh.is_working_day(D(2026, 10, 10))


def test_the_version_is_bumped_again_on_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_set_calendar_day(D(2027, 1, 1), "holiday", "元旦", actor=None)
    assert workcal.invalidate in callbacks


def test_a_refused_edit_leaves_the_cached_calendar_valid(db, django_assert_num_queries):
    workcal.load()
    with pytest.raises(ValidationError):
        do_set_calendar_day(D(2027, 1, 4), "workday", "x", actor=None)
    with django_assert_num_queries(0):
        workcal.load()
