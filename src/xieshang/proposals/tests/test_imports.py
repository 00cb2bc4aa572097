"""Historical proposals from Excel: all rows or none, each failure reported with its row number."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from xieshang.core.models import AuditEvent
from xieshang.proposals import actions, imports
from xieshang.proposals.models import Assignment, CaseCounter, Proposal, Reply
from xieshang.proposals.transitions import InvalidTransition

HEADER = ["会次", "案号", "案由", "提案者", "类别", "状态", "主办单位", "会办单位", "办理结果", "立案日期"]


def xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


GOOD = [
    ["十届五次", 1, "关于历史甲的建议", "王建国、李秀英", "社会", "已归档", "区生态环境局", "区教育局", "B", "2026-02-10"],
    ["10-5", "第2号", "关于历史乙的建议", "张三", "经济", "", "区教育局", "", "A", ""],
    ["第10届第5次会议", None, "关于历史丙的建议", "王建国", "社会", "不予立案", "", "", "", ""],
]


def run(world, rows, header=HEADER, actor=None):
    return imports.import_historical(world.district, xlsx(rows, header), "历史.xlsx", actor=actor or world.proposal_staff)


def test_a_good_file_imports_every_row_in_its_final_state(world):
    result = run(world, GOOD)
    assert result.ok and result.created == 3 and result.errors == []
    first = Proposal.objects.get(title="关于历史甲的建议")
    assert (first.status, first.case_number, first.kind, first.session_id) == ("archived", 1, "joint", world.session.pk)
    assert [(r.name, r.member_id) for r in first.proposers.all()] == [
        ("王建国", world.member_row.pk), ("李秀英", world.cosigner_row.pk)]
    assert first.proposers.first().user == world.member  # linked: the member sees it among their own
    lead = first.assignments.get(role="lead")
    assert lead.department == world.dept_a and lead.status == "done"
    assert first.assignments.get(role="co").department == world.dept_b
    assert Reply.objects.get(assignment=lead).final_outcome == "B"
    second = Proposal.objects.get(title="关于历史乙的建议")
    assert second.case_number == 2 and second.status == "archived" and second.kind == "individual"
    assert second.proposers.get().member is None  # no member called 张三
    declined = Proposal.objects.get(title="关于历史丙的建议")
    assert declined.status == "declined" and declined.case_number is None


def test_an_import_is_one_audited_action_and_later_filings_continue_the_numbers(world):
    run(world, GOOD)
    events = AuditEvent.objects.filter(verb="proposals.imported")
    assert events.count() == 3 and events.values("group_id").distinct().count() == 1
    assert CaseCounter.objects.get(session=world.session).last_case_number == 2
    filed = world.flow.filed(title="关于新立案的建议")
    assert filed.case_number == 3


@pytest.mark.parametrize("row,message", [
    (["九届一次", 5, "关于甲的建议", "王建国", "", "", "", "", "", ""], "会次“九届一次”在本会不存在"),
    (["十届五次", "abc", "关于甲的建议", "王建国", "", "", "", "", "", ""], "案号“abc”无效"),
    (["十届五次", None, "关于甲的建议", "王建国", "", "已归档", "", "", "", ""], "已归档的提案必须填写案号"),
    (["十届五次", 7, "", "王建国", "", "", "", "", "", ""], "“案由”不能为空"),
    (["十届五次", 7, "关于甲的建议", "", "", "", "", "", "", ""], "“提案者”不能为空"),
    (["十届五次", 7, "关于甲的建议", "王建国", "", "已办结", "", "", "", ""], "状态“已办结”无效"),
    (["十届五次", 7, "关于甲的建议", "王建国", "", "", "区不存在局", "", "", ""], "承办单位“区不存在局”在本会不存在"),
    (["十届五次", 7, "关于甲的建议", "王建国", "", "", "区生态环境局", "", "E", ""], "办理结果“E”无效"),
    (["十届五次", 7, "关于甲的建议", "王建国", "", "", "", "", "A", ""], "填写办理结果时须同时填写主办单位"),
    (["十届五次", 7, "关于甲的建议", "王建国", "", "", "", "", "", "2026-13-45"], "立案日期“2026-13-45”无效"),
    (["十届五次", 7, "关于甲的建议", "王建国", "", "已撤案", "", "", "", ""], "只有已归档"),
    (["十届五次", None, "关于甲的建议", "王建国", "", "不予立案", "区生态环境局", "", "", ""], "只有已归档的提案可以填写承办单位"),
])
def test_each_bad_row_is_reported_with_its_row_number_and_nothing_is_written(world, row, message):
    result = run(world, [GOOD[0], row])
    assert not result.ok and result.created == 0
    assert [e["row"] for e in result.errors] == [3]
    assert message in result.errors[0]["message"]
    assert not Proposal.objects.exists() and not AuditEvent.objects.filter(verb="proposals.imported").exists()


def test_case_numbers_must_be_new_in_the_session_and_in_the_file(world):
    world.flow.filed(title="关于已立案的建议")  # takes case number 1
    result = run(world, [GOOD[0], GOOD[1], ["十届五次", 2, "关于重复的建议", "王建国", "", "", "", "", "", ""]])
    assert {e["row"] for e in result.errors} == {2, 4}
    assert "已有第1号提案" in result.errors[0]["message"] and "与第 3 行重复" in result.errors[1]["message"]
    assert Proposal.objects.count() == 1


def test_a_wrong_header_is_refused_naming_the_columns(world):
    result = run(world, [GOOD[0]], header=["会次", "编号", "案由"])
    assert not result.ok and result.errors[0]["row"] is None
    assert "提案者" in result.errors[0]["message"] and "编号" in result.errors[0]["message"]
    assert not Proposal.objects.exists()


def test_an_empty_workbook_and_a_header_only_workbook_are_refused(world):
    assert "空" in run(world, [], header=None).errors[0]["message"]
    result = run(world, [])
    assert not result.ok and "没有数据行" in result.errors[0]["message"]
    assert not Proposal.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(world):
    for data in (b"", b"title,proposer\n", b"PK\x03\x04 broken zip"):
        result = imports.import_historical(world.district, io.BytesIO(data), "x.csv", actor=world.proposal_staff)
        assert not result.ok and result.errors[0]["row"] is None
    assert not Proposal.objects.exists()


def test_only_the_proposal_office_may_import(world):
    for persona in ("member", "dept_handler", "auditor", "other_staff", "outsider"):
        with pytest.raises(PermissionDenied):
            run(world, GOOD, actor=getattr(world, persona))
    assert not Proposal.objects.exists()


def test_imported_proposals_are_final_and_refuse_further_moves(world):
    run(world, GOOD)
    archived = Proposal.objects.get(title="关于历史甲的建议")
    with pytest.raises(InvalidTransition):
        actions.do_assign_proposal(archived, leads=[world.dept_a], actor=world.proposal_staff)
    assert Assignment.objects.filter(proposal=archived).count() == 2


def test_the_template_has_the_header_row(world):
    ws = load_workbook(io.BytesIO(imports.template_workbook())).active
    assert [c.value for c in ws[1]] == [c.header for c in imports.COLUMNS]


# The import page --------------------------------------------------------------------------------------------

URL = "/c/district/proposals/files/import/"


def test_the_import_page_imports_and_reports(client, login, world):
    login(client, world.proposal_staff)
    page = client.get(URL)
    assert page.status_code == 200 and "从 Excel 导入历史提案" in page.content.decode()
    assert client.get(URL + "template.xlsx").content.startswith(b"PK")
    bad = client.post(URL, {"file": SimpleUploadedFile("h.xlsx", xlsx([GOOD[0], ["九届一次"]]).getvalue())})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "第 3 行" in body and "未导入任何数据" in body
    ok = client.post(URL, {"file": SimpleUploadedFile("h.xlsx", xlsx(GOOD).getvalue())})
    assert ok.status_code == 200 and "已导入 3 件历史提案" in ok.content.decode()
    assert Proposal.objects.count() == 3


@pytest.mark.parametrize("persona", ["member", "dept_handler", "auditor", "other_staff", "outsider"])
def test_the_import_page_refuses_others(client, login, world, persona):
    login(client, getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": SimpleUploadedFile("h.xlsx", xlsx(GOOD).getvalue())}).status_code == 403
    assert client.get(URL + "template.xlsx").status_code == 403
    assert not Proposal.objects.exists()
