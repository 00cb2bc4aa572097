"""Excel import of members and departments: all rows applied in one action, or nothing but a failed ImportJob."""

import io
import zipfile

import pytest

from xieshang.core import workbench
from xieshang.core.models import AuditEvent
from xieshang.org import actions, imports
from xieshang.org.models import Department, ImportJob, LiaisonGroup, Member, Sector, SpecialCommittee, Term

from .xlsx import DEPARTMENT_HEADER, MEMBER_HEADER, make_xlsx, upload


@pytest.fixture
def org(personas):
    p = personas
    p.education = Sector.objects.create(committee=p.district, name="教育界", order=2)
    p.economy_committee = SpecialCommittee.objects.create(committee=p.district, name="经济委员会", short_name="经济委")
    p.group = LiaisonGroup.objects.create(committee=p.district, name="东华门街道联络组")
    p.term = Term.objects.create(committee=p.district, number=15, start_date="2022-01-01", is_current=True)
    # A sector of another committee with a name this committee does not use.
    Sector.objects.create(committee=p.other, name="农业界")
    return p


def snapshot():
    """What an import may write: counts of members, departments, jobs and audit rows."""
    return (Member.objects.count(), Department.objects.count(), ImportJob.objects.count(), AuditEvent.objects.count())


def assert_only_failed_job_written(before, result):
    members, departments, jobs, events = before
    assert not result.ok
    assert result.created == 0
    assert Member.objects.count() == members
    assert Department.objects.count() == departments
    assert ImportJob.objects.count() == jobs + 1
    assert result.job.status == ImportJob.Status.FAILED
    assert result.job.errors == result.errors
    new_events = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - events]
    assert [e.verb for e in new_events] == ["org.import_failed"]


def member_rows(*rows):
    return [MEMBER_HEADER, *rows]


GOOD_MEMBERS = member_rows(
    ["张伟", "男", "经济界", "D001", "经济委员会", "东华门街道联络组", "是", "1970-03-05", "东城区某公司", "总经理",
     13900000001, "zw@example.cn", "在任"],
    ["刘芳", "女", "教育界", "D002", "经济委", "", "否", None, "东城区第一中学", "校长", "13900000002", "", ""],
    ["陈静", "女", "教育界", "", "", "", "", "", "", "", "", "", "暂停履职"],
)


def test_it_imports_valid_members_in_one_audit_group(org):
    before_events = AuditEvent.objects.count()
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(GOOD_MEMBERS)), "委员.xlsx",
                                    actor=org.office_admin)

    assert result.ok, result.errors
    assert result.created == 3
    assert result.errors == []
    assert result.job.status == ImportJob.Status.APPLIED and result.job.row_count == 3
    zhang = Member.objects.get(committee=org.district, member_no="D001")
    assert zhang.sector == org.sector and zhang.special_committee == org.economy_committee
    assert zhang.liaison_group == org.group and zhang.is_standing and zhang.term == org.term
    assert zhang.gender == "m" and str(zhang.birth_date) == "1970-03-05" and zhang.mobile == "13900000001"
    liu = Member.objects.get(member_no="D002")
    assert liu.special_committee == org.economy_committee  # matched by short name
    assert Member.objects.get(name="陈静").status == Member.Status.SUSPENDED
    new_events = AuditEvent.objects.filter(pk__gt=0).order_by("id")[before_events:]
    assert len({e.group_id for e in new_events}) == 1
    assert sorted(e.verb for e in new_events) == ["org.import_applied"] + ["org.member_created"] * 3


def test_it_reports_every_bad_member_row_with_its_number_and_writes_nothing(org):
    rows = member_rows(
        ["张伟", "男", "经济界", "D001", "", "", "", "", "", "", "", "", ""],  # row 2: fine
        ["", "男", "经济界", "", "", "", "", "", "", "", "", "", ""],  # row 3: no name
        ["刘芳", "F", "经济界", "", "", "", "", "", "", "", "", "", ""],  # row 4: bad gender
        ["陈静", "女", "农业界", "", "", "", "", "", "", "", "", "", ""],  # row 5: sector of another committee
        ["王强", "男", "经济界", "", "不存在委员会", "无名联络组", "也许", "1970-13-45", "", "", "", "not-an-email",
         "退休"],  # row 6: five problems
    )
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(rows)), "bad.xlsx", actor=org.office_admin)

    assert_only_failed_job_written(before, result)
    assert sorted({e["row"] for e in result.errors}) == [3, 4, 5, 6]
    by_row = {}
    for e in result.errors:
        by_row.setdefault(e["row"], []).append(e["message"])
    assert any("姓名" in m for m in by_row[3])
    assert any("性别“F”" in m for m in by_row[4])
    assert any("界别“农业界”在本会不存在" in m for m in by_row[5])
    row6 = " ".join(by_row[6])
    for needle in ("专委会“不存在委员会”", "联络组“无名联络组”", "常委“也许”", "出生日期“1970-13-45”", "电子邮箱", "状态“退休”"):
        assert needle in row6


def test_it_refuses_a_wrong_member_header_naming_missing_and_unknown_columns(org):
    rows = [["名字", "性别", "籍贯"], ["张伟", "男", "北京"]]
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(rows)), "x.xlsx", actor=org.office_admin)

    assert_only_failed_job_written(before, result)
    [error] = result.errors
    assert error["row"] is None
    assert "缺少必需的列：姓名、界别" in error["message"]
    assert "无法识别的列：名字、籍贯" in error["message"]


def test_it_refuses_a_repeated_column(org):
    rows = [["姓名", "性别", "界别", "界别"], ["张伟", "男", "经济界", "经济界"]]
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(rows)), "x.xlsx", actor=org.office_admin)
    assert_only_failed_job_written(before, result)
    assert "重复的列：界别" in result.errors[0]["message"]


@pytest.mark.parametrize(
    "data, needle",
    [
        (b"", "文件是空的"),
        (make_xlsx([]), "文件是空的"),
        (make_xlsx([[None, "  "], []]), "文件是空的"),
        (make_xlsx([MEMBER_HEADER]), "没有数据行"),
    ],
    ids=["zero-bytes", "empty-workbook", "blank-cells-only", "header-only"],
)
def test_it_refuses_an_empty_file(org, data, needle):
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(data), "empty.xlsx", actor=org.office_admin)
    assert_only_failed_job_written(before, result)
    assert needle in result.errors[0]["message"]


def _zip_without_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    "data, filename, needle",
    [
        ("姓名,性别,界别\n张伟,男,经济界\n".encode(), "renamed.xlsx", ".xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "old.xls", ".xlsx"),
        (_zip_without_workbook(), "archive.xlsx", "无法读取"),
        (b"PK\x03\x04 truncated", "broken.xlsx", ".xlsx"),
    ],
    ids=["renamed-text", "xls", "zip-not-workbook", "truncated-zip"],
)
def test_it_refuses_a_file_that_is_not_xlsx(org, data, filename, needle):
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(data), filename, actor=org.office_admin)
    assert_only_failed_job_written(before, result)
    assert needle in result.errors[0]["message"]
    assert result.job.filename == filename


def test_it_refuses_a_file_over_the_size_limit(org, settings):
    data = make_xlsx(GOOD_MEMBERS)
    settings.XS_IMPORT_MAX_BYTES = len(data) - 1
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(data), "big.xlsx", actor=org.office_admin)
    assert_only_failed_job_written(before, result)
    assert "文件过大" in result.errors[0]["message"]


def test_it_refuses_member_duplicates_within_the_file_and_against_the_database(org):
    Member.objects.create(committee=org.district, term=org.term, name="老委员", member_no="D900", sector=org.sector,
                          unit="区政府")
    rows = member_rows(
        ["张伟", "男", "经济界", "D001", "", "", "", "", "某公司", "", "", "", ""],  # 2
        ["张伟", "男", "经济界", "", "", "", "", "", "某公司", "", "", "", ""],  # 3: same person as row 2
        ["刘芳", "女", "教育界", "D001", "", "", "", "", "", "", "", "", ""],  # 4: number of row 2
        ["赵六", "男", "教育界", "D900", "", "", "", "", "", "", "", "", ""],  # 5: number already in the database
        ["老委员", "男", "经济界", "", "", "", "", "", "区政府", "", "", "", ""],  # 6: person already in this term
    )
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(rows)), "dup.xlsx", actor=org.office_admin)

    assert_only_failed_job_written(before, result)
    messages = {e["row"]: e["message"] for e in result.errors}
    assert sorted(messages) == [3, 4, 5, 6]
    assert "第 2 行" in messages[3]
    assert "委员编号“D001”与第 2 行重复" in messages[4]
    assert "委员编号“D900”已存在" in messages[5]
    assert "老委员" in messages[6]


def test_it_never_stores_formulas_and_keeps_text_starting_with_equals_as_text(org):
    rows = member_rows(
        ["张伟", "男", "经济界", "", "", "", "", "", "=HYPERLINK(\"http://x\",\"点我\")", "=cmd|' /C calc'!A0", "",
         "", ""],
    )
    data = make_xlsx(rows, text_cells=[(2, 10)])  # the post is a text cell that merely starts with "="
    result = imports.import_members(org.district, io.BytesIO(data), "f.xlsx", actor=org.office_admin)

    assert result.ok, result.errors
    member = Member.objects.get(name="张伟")
    assert member.unit == ""  # a formula cell without a cached value reads as empty, never as the formula
    assert member.post == "=cmd|' /C calc'!A0"


def test_a_formula_in_a_required_cell_is_an_empty_value(org):
    rows = member_rows(["=B2", "男", "经济界", "", "", "", "", "", "", "", "", "", ""])
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(rows)), "f.xlsx", actor=org.office_admin)
    assert not result.ok
    assert result.errors[0]["row"] == 2 and "姓名" in result.errors[0]["message"]


def test_it_rolls_back_every_row_when_one_fails_while_applying(org, monkeypatch):
    """A row that passes the checks but fails in the action (e.g. a race) still leaves nothing written."""
    calls = []
    real = actions.do_create_member.__wrapped__

    def flaky(committee, data, *, actor):
        calls.append(data["name"])
        if len(calls) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError("与已有记录重复。")
        return real(committee, data, actor=actor)

    monkeypatch.setitem(actions._IMPORT_CREATORS, ImportJob.Kind.MEMBERS,
                        lambda committee, data, actor: flaky(committee, data, actor=actor))
    before = snapshot()
    result = imports.import_members(org.district, io.BytesIO(make_xlsx(GOOD_MEMBERS)), "x.xlsx",
                                    actor=org.office_admin)

    assert_only_failed_job_written(before, result)
    assert result.errors == [{"row": 3, "message": "与已有记录重复。"}]


GOOD_DEPARTMENTS = [
    DEPARTMENT_HEADER,
    ["区公安分局", "政法机关", "公安分局", "吴警官", "010-1", "东城区某路1号"],
    ["区人民检察院", "政法", "", "", "", ""],
    ["区人民法院", "政法机关", "", "", "", ""],
    ["区妇联", "人民团体", "", "", "", ""],
]


def test_it_imports_valid_departments(org):
    result = imports.import_departments(org.district, io.BytesIO(make_xlsx(GOOD_DEPARTMENTS)), "承办单位.xlsx",
                                        actor=org.proposal_staff)
    assert result.ok, result.errors
    assert result.created == 4
    police = Department.objects.get(committee=org.district, name="区公安分局")
    assert police.kind == Department.Kind.LEGAL and police.contact_name == "吴警官"
    assert Department.objects.get(name="区人民检察院").kind == Department.Kind.LEGAL
    assert Department.objects.get(name="区妇联").kind == Department.Kind.ORGANISATION


def test_it_refuses_bad_and_duplicate_department_rows(org):
    rows = [
        DEPARTMENT_HEADER,
        ["区生态环境局", "政府部门", "", "", "", ""],  # 2: already exists (personas' dept_a)
        ["区卫生局", "卫生", "", "", "", ""],  # 3: unknown kind
        ["区卫健委", "政府部门", "", "", "", ""],  # 4: fine on its own
        ["区卫健委", "政府部门", "", "", "", ""],  # 5: duplicate of row 4
        ["", "", "", "", "", ""],  # blank row: skipped, not an error
        ["", "政府部门", "", "", "", "x" * 201],  # 7: no name, address too long
    ]
    before = snapshot()
    result = imports.import_departments(org.district, io.BytesIO(make_xlsx(rows)), "d.xlsx", actor=org.proposal_staff)

    assert_only_failed_job_written(before, result)
    rows_with_errors = sorted({e["row"] for e in result.errors})
    assert rows_with_errors == [2, 3, 5, 7]
    text = " ".join(e["message"] for e in result.errors)
    assert "“区生态环境局”已存在" in text and "类型“卫生”无效" in text and "与第 4 行重复" in text
    assert "“名称”不能为空" in text and "“地址”过长" in text


def test_a_department_of_another_committee_with_the_same_name_is_no_duplicate(org):
    rows = [DEPARTMENT_HEADER, ["西城区公安分局", "政法机关", "", "", "", ""]]
    result = imports.import_departments(org.district, io.BytesIO(make_xlsx(rows)), "d.xlsx", actor=org.proposal_staff)
    assert result.ok, result.errors


def test_a_failed_import_waits_on_the_uploaders_workbench_until_resolved(org):
    result = imports.import_members(org.district, io.BytesIO(b"nonsense"), "bad.xlsx", actor=org.office_admin)
    kinds = [i.kind for i in workbench.items_for(org.office_admin)]
    assert "org.import_failed" in kinds
    assert "org.import_failed" not in [i.kind for i in workbench.items_for(org.proposal_staff)]

    actions.do_resolve_import(result.job, actor=org.office_admin)
    assert "org.import_failed" not in [i.kind for i in workbench.items_for(org.office_admin)]


def test_the_template_has_the_expected_header_and_imports_cleanly_once_filled(org):
    from openpyxl import load_workbook

    data = imports.template_workbook(ImportJob.Kind.MEMBERS)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [c.header for c in imports.MEMBER_COLUMNS]
    ws.append(["张伟", "男", "经济界"])
    out = io.BytesIO()
    ws.parent.save(out)
    result = imports.import_members(org.district, upload(out.getvalue()), "t.xlsx", actor=org.office_admin)
    assert result.ok, result.errors
