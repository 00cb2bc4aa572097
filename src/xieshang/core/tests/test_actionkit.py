"""The helpers the apps' actions share (core.actionkit) and the export sheet writer (core.spreadsheets.add_sheet)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from xieshang.core import actionkit
from xieshang.core.spreadsheets import add_sheet
from xieshang.org.models import Committee

pytestmark = pytest.mark.django_db


def test_require_lets_the_system_and_holders_through_and_refuses_others(personas):
    p = personas
    actionkit.require(None, "org.change_committee", p.district)
    actionkit.require(p.sysadmin, "org.change_committee", p.district)
    with pytest.raises(PermissionDenied):
        actionkit.require(p.outsider, "org.change_committee", p.district)


def test_lock_reloads_the_object_in_place(personas):
    committee = personas.district
    Committee.objects.filter(pk=committee.pk).update(name="改过的名称")
    assert actionkit.lock(committee) is committee
    assert committee.name == "改过的名称"


def test_working_day_deadlines_beyond_the_calendar_are_a_validation_error():
    assert actionkit.add_working_days(datetime.date(2026, 3, 2), 5) == datetime.date(2026, 3, 9)
    with pytest.raises(ValidationError, match="2027"):
        actionkit.add_working_days(datetime.date(2026, 12, 1), 60)
    with pytest.raises(ValidationError, match="2027"):
        actionkit.due_after_months(datetime.date(2026, 11, 1), 3)


def test_department_users_are_its_staff(personas):
    p = personas
    users = actionkit.department_users(p.dept_a.pk)
    assert p.dept_handler in users and p.dept_leader in users and p.member not in users


@pytest.mark.parametrize("freeze", [False, True])
def test_add_sheet_bold_header_safe_cells_and_optional_frozen_header(freeze):
    book = Workbook()
    sheet = add_sheet(book, "表", ["名称", "数量"], [["=1+1", 3], [None, 4]], freeze_header=freeze)
    assert book["表"] is sheet
    assert [c.value for c in sheet[1]] == ["名称", "数量"] and sheet["A1"].font.bold
    assert sheet["A2"].value == "'=1+1" and sheet["B2"].value == 3 and sheet["A3"].value == ""
    assert sheet.freeze_panes == ("A2" if freeze else None)
    assert 10 <= sheet.column_dimensions["A"].width <= 40
