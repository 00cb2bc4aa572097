"""The register export: every filter applies, cells never become formulas, and only the office may download."""

import io

import pytest
from openpyxl import load_workbook

from xieshang.proposals import actions
from xieshang.proposals.models import Proposal
from xieshang.testing import PERSONA_NAMES

URL = "/c/district/proposals/files/register.xlsx"
REGISTER_READERS = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "sysadmin"}


def rows_of(data):
    ws = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


def titles(data):
    rows = rows_of(data)
    return sorted(row[rows[0].index("案由")] for row in rows[1:])


@pytest.fixture
def register(world):
    p = world
    a = p.flow.assigned(title="关于甲的建议", co=True)
    actions.do_select_key_proposal(a, leader_name="张主席", actor=p.proposal_staff)
    p.flow.in_review(title="关于乙的建议", category="经济")
    p.clock.set("2026-01-05")  # inside the plenary window
    p.flow.submitted(title="关于丙的建议")
    p.clock.set("2026-03-02")
    p.flow.draft(title="关于草稿的建议")
    return p


def test_the_export_has_a_chinese_header_and_one_row_per_visible_proposal(client, login, register):
    login(client, register.proposal_staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows = rows_of(response.content)
    assert rows[0][:5] == ["会次", "流水号", "案号", "案由", "提案者"]
    assert "主办单位" in rows[0] and "办理结果" in rows[0]
    assert titles(response.content) == ["关于丙的建议", "关于乙的建议", "关于甲的建议"]  # never a draft
    row = next(r for r in rows if r[3] == "关于甲的建议")
    header = rows[0]
    assert row[header.index("案号")] == 1
    assert row[header.index("主办单位")] == "区生态环境局" and row[header.index("会办单位")] == "区教育局"
    assert row[header.index("重点提案")] == "是" and row[header.index("状态")] == "已交办"
    assert row[header.index("会次")] == "第10届第5次会议"


@pytest.mark.parametrize("query,expected", [
    ("status=review", ["关于乙的建议"]),
    ("category=经济", ["关于乙的建议"]),
    ("timing=plenary", ["关于丙的建议"]),
    ("key=on", ["关于甲的建议"]),
    ("q=乙", ["关于乙的建议"]),
    ("proposer=王建国", ["关于丙的建议", "关于乙的建议", "关于甲的建议"]),
    ("proposer=李秀英", []),
    ("department=DEPT_B", ["关于甲的建议"]),
    ("session=SESSION&status=assigned", ["关于甲的建议"]),
    ("session=999999", []),
    ("session=abc", ["关于丙的建议", "关于乙的建议", "关于甲的建议"]),  # not understood: not applied
])
def test_every_register_filter_applies_to_the_export(client, login, register, query, expected):
    query = query.replace("DEPT_B", str(register.dept_b.pk)).replace("SESSION", str(register.session.pk))
    login(client, register.proposal_staff)
    response = client.get(f"{URL}?{query}")
    assert titles(response.content) == sorted(expected)


def test_cells_that_look_like_formulas_stay_text(client, login, world):
    p = world
    for i, title in enumerate(["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)"]):
        p.flow.submitted(title=title)
    login(client, p.proposal_staff)
    data = client.get(URL).content
    ws = load_workbook(io.BytesIO(data)).active
    cells = [ws.cell(row=r, column=4) for r in range(2, ws.max_row + 1)]
    assert sorted(c.value for c in cells) == sorted(["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2", "'@SUM(A1)"])
    assert all(c.data_type == "s" for c in cells)
    assert b"<f>" not in data  # no formula element anywhere in the workbook


def test_safe_cell_leaves_ordinary_values_alone():
    from xieshang.core.spreadsheets import safe_cell, safe_text

    assert safe_cell("关于=的建议") == "关于=的建议"
    assert safe_cell(5) == 5 and safe_cell(None) == ""
    assert safe_cell("\t=1") == "'\t=1" and safe_cell("-1+2") == "'-1+2"
    assert safe_text(5) == "5" and safe_text(None) == ""


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_committee_office_may_export_the_register(client, login, register, persona):
    login(client, getattr(register, persona))
    response = client.get(URL)
    assert response.status_code == (200 if persona in REGISTER_READERS else 403)
    if response.status_code == 200:
        assert titles(response.content)


def test_the_export_costs_the_same_queries_for_more_rows(client, login, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, world.proposal_staff)
    world.flow.assigned(title="关于一的建议")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(4):
        world.flow.assigned(title=f"关于多{i}的建议")
    assert count() == few
    assert Proposal.objects.count() == 5
