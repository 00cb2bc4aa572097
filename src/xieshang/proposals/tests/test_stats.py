"""Statistics: exact figures on a small constructed data set, the xlsx export, and who may see them."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.proposals import actions, stats
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.settings import NATIONAL_DECLINE_GROUNDS
from xieshang.proposals.stats_views import build_workbook
from xieshang.testing import login

pytestmark = pytest.mark.django_db

AWARE = datetime.timezone(datetime.timedelta(hours=8))


def _send(flow, proposal, *, outcome="A", reviewed=None, sent_on):
    p = flow.p
    reply = flow.reply(proposal, outcome=outcome)
    if proposal.assignments.filter(role="co").exists():
        actions.do_cosign_reply(reply, actor=p.other_dept_handler)
    actions.do_review_reply(reply, approve=True, outcome=reviewed, actor=p.proposal_staff)
    actions.do_send_reply(reply, actor=p.dept_handler)
    # The action stamps the real time; pin it so that "on time" does not depend on the day the test runs.
    Reply.objects.filter(pk=reply.pk).update(sent_at=datetime.datetime.combine(sent_on, datetime.time(10), AWARE))
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def data(world):
    """Eight received proposals in the session, one draft, and one proposal of another committee.

    a: filed, dept_a lead + dept_b co, reply A on time, rated 满意 (archived)
    b: filed, dept_a lead, reply drafted A but reviewed to B, sent late, rated 基本满意 (archived)
    c: filed (经济), dept_a lead, not replied yet
    d: declined (经济); e: merged into c; f: converted; g: withdrawn after submission; h: joint, in review
    """
    p, flow = world, world.flow
    a = flow.assigned(title="关于a的建议")
    _send(flow, a, sent_on=datetime.date(2026, 4, 1))
    actions.do_rate_proposal(a, result="satisfied", actor=p.member)
    b = flow.assigned(title="关于b的建议", co=False)
    _send(flow, b, outcome="A", reviewed="B", sent_on=datetime.date(2026, 12, 31))
    actions.do_rate_proposal(b, result="basically", actor=p.member)
    c = flow.assigned(title="关于c的建议", co=False, category="经济")
    d = flow.in_review(title="关于d的建议", category="经济")
    actions.do_decline_proposal(d, ground=NATIONAL_DECLINE_GROUNDS[0], actor=p.proposal_staff)
    e = flow.in_review(title="关于e的建议")
    actions.do_merge_proposal(e, into=c, actor=p.proposal_staff)
    f = flow.in_review(title="关于f的建议")
    actions.do_convert_proposal(f, target="opinion", consent=True, actor=p.proposal_staff)
    g = flow.submitted(title="关于g的建议")
    actions.do_withdraw_proposal(g, reason="已解决", actor=p.member)
    h = flow.in_review(title="关于h的建议", joint=True)
    flow.draft(title="关于草稿的建议")
    Proposal.objects.create(committee=p.other, session=p.other_session, title="外区提案", status="filed",
                            case_number=1)
    p.cases = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}
    return p


def test_summary_counts_each_outcome_of_the_session(data):
    counts = stats.summary(stats.Scope(data.district, session=data.session))
    assert {k: counts[k] for k in stats.SUMMARY_LABELS} == {
        "received": 8, "filed": 3, "pending": 1, "merged": 1, "converted": 1, "declined": 1, "withdrawn": 1}


def test_year_scope_gives_the_same_figures_as_its_only_session(data):
    by_year = stats.summary(stats.Scope(data.district, year=2026))
    assert by_year == stats.summary(stats.Scope(data.district, session=data.session))
    assert stats.summary(stats.Scope(data.district, year=2025))["received"] == 0


def test_other_committees_proposals_are_not_counted(data):
    assert stats.summary(stats.Scope(data.other, session=data.other_session))["filed"] == 1
    assert stats.summary(stats.Scope(data.district, year=2026))["filed"] == 3


def test_figures_by_proposer_type_category_and_sector(data):
    scope = stats.Scope(data.district, session=data.session)
    kinds = {r["key"]: (r["received"], r["filed"]) for r in stats.by_proposer_type(scope)}
    assert kinds == {"individual": (7, 3), "joint": (1, 0), "collective": (0, 0)}
    categories = [(r["label"], r["received"], r["filed"]) for r in stats.by_category(scope)]
    assert categories == [("社会", 6, 2), ("经济", 2, 1)]
    sectors = [(r["label"], r["received"], r["filed"]) for r in stats.by_sector(scope)]
    assert sectors == [("经济界", 8, 3)]


def test_department_figures_on_time_rate_outcome_and_rating_shares(data):
    rows = {r["label"]: r for r in stats.by_department(stats.Scope(data.district, session=data.session))}
    a = rows["区生态环境局"]
    assert (a["assignments"], a["leads"], a["co"], a["replied"], a["on_time"]) == (3, 3, 0, 2, 1)
    assert a["on_time_rate"] == 50.0
    # b was drafted as A and reviewed to B: the reviewed class counts.
    assert a["outcomes"] == {"A": 1, "B": 1, "C": 0}
    assert a["outcome_shares"] == {"A": 50.0, "B": 50.0, "C": 0.0}
    assert a["ratings"] == {"satisfied": 1, "basically": 1, "dissatisfied": 0}
    assert a["rating_shares"]["satisfied"] == 50.0
    b = rows["区教育局"]
    assert (b["assignments"], b["leads"], b["co"], b["replied"], b["rated"]) == (1, 0, 1, 0, 0)
    assert b["on_time_rate"] is None


def test_only_the_latest_rating_of_a_proposer_counts(data):
    p, flow = data, data.flow
    x = flow.assigned(title="关于x的建议", co=False)
    _send(flow, x, sent_on=datetime.date(2026, 4, 1))
    actions.do_rate_proposal(x, result="dissatisfied", actor=p.member)
    x.refresh_from_db()
    assert x.status == "rehandle"
    rows = {r["label"]: r for r in stats.by_department(stats.Scope(p.district, session=p.session))}
    assert rows["区生态环境局"]["ratings"]["dissatisfied"] == 1
    reply = actions.do_draft_reply(flow.lead(x), {"outcome": "A", "body": "再次答复。", "signer": "赵局长"},
                                   actor=p.dept_handler)
    actions.do_review_reply(reply, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply, actor=p.dept_handler)
    actions.do_rate_proposal(x, result="satisfied", actor=p.member)
    rows = {r["label"]: r for r in stats.by_department(stats.Scope(p.district, session=p.session))}
    assert rows["区生态环境局"]["ratings"] == {"satisfied": 2, "basically": 1, "dissatisfied": 0}
    # Only the latest sent reply of each assignment counts: a, b and x's second reply.
    assert rows["区生态环境局"]["replied"] == 3


def test_links_carry_the_register_filters(data, monkeypatch):
    monkeypatch.setattr(stats, "reverse", lambda name, args: f"/c/{args[0]}/proposals/")
    scope = stats.Scope(data.district, session=data.session)
    report = stats.report(scope)
    filed = next(r for r in report.summary if r["key"] == "filed")
    sid = data.session.pk
    assert filed["url"] == (f"/c/district/proposals/?session={sid}&status=archived&status=assigned"
                            "&status=filed&status=in_progress&status=rehandle&status=replied")
    dept = report.departments[0]
    assert dept["outcome_urls"]["B"] == f"/c/district/proposals/?session={sid}&department={dept['department_id']}&outcome=B"
    assert report.kinds[1]["url"] == f"/c/district/proposals/?session={sid}&proposer_type=joint"
    year_scope = stats.Scope(data.district, year=2026)
    assert stats.register_url(year_scope, rating="satisfied") == "/c/district/proposals/?year=2026&rating=satisfied"


def test_query_count_does_not_grow_with_the_data(data):
    scope = stats.Scope(data.district, session=data.session)
    with CaptureQueriesContext(connection) as before:
        stats.report(scope)
    flow = data.flow
    for n, category in enumerate(["文化", "政治", "生态文明"]):
        proposal = flow.assigned(title=f"关于更多{n}的建议", category=category)
        _send(flow, proposal, sent_on=datetime.date(2026, 4, 1))
    with CaptureQueriesContext(connection) as after:
        stats.report(scope)
    assert len(after.captured_queries) == len(before.captured_queries) <= 12


def test_xlsx_export_reopens_with_the_same_plain_values(data):
    report = stats.report(stats.Scope(data.district, session=data.session))
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == ["总体", "按提案类型", "按类别", "按界别", "承办单位"]
    summary = {row[1]: row[2] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert summary["收到提案"] == 8 and summary["立案"] == 3 and summary["不予立案"] == 1
    departments = list(book["承办单位"].iter_rows(values_only=True))
    assert departments[0][:7] == ("承办单位", "交办件数", "主办", "会办", "已答复", "按期答复", "按期答复率（%）")
    assert departments[1][:7] == ("区生态环境局", 3, 3, 0, 2, 1, 50)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_text_that_looks_like_a_formula_is_stored_as_text(data):
    Proposal.objects.filter(pk=data.cases["c"].pk).update(category="=HYPERLINK(\"x\")")
    report = stats.report(stats.Scope(data.district, session=data.session))
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    values = [row[0] for row in book["按类别"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(\"x\")" in values
    assert all(cell.data_type != "f" for row in book["按类别"].iter_rows() for cell in row)


def test_the_page_shows_figures_and_chart_data_to_office_roles(data, client):
    for name in ("proposal_staff", "committee_leader", "auditor", "office_admin", "sysadmin"):
        client.logout()
        login(client, getattr(data, name))
        response = client.get(reverse("proposal_stats:index", args=["district"]))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'id="stats-data" type="application/json"' in html
        assert "区生态环境局" in html
        assert "<script>" not in html and " onclick" not in html and "style=" not in html


def test_the_export_downloads_an_xlsx(data, client):
    login(client, data.proposal_staff)
    response = client.get(reverse("proposal_stats:export", args=["district"]), {"year": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book["总体"]["A2"].value == "2026 年度"


@pytest.mark.parametrize("name", ["member", "cosigner", "dept_leader", "dept_handler", "other_dept_handler",
                                  "other_staff", "outsider"])
def test_it_refuses_the_page_and_the_export_to_everyone_else(data, client, name):
    login(client, getattr(data, name))
    for url_name in ("proposal_stats:index", "proposal_stats:export"):
        response = client.get(reverse(url_name, args=["district"]))
        assert response.status_code == 403, (name, url_name)
        assert "区生态环境局" not in response.content.decode()


def test_it_sends_the_anonymous_visitor_to_sign_in(data, client):
    response = client.get(reverse("proposal_stats:index", args=["district"]))
    assert response.status_code in (302, 403)
    assert b"stats-data" not in response.content


def test_it_refuses_another_committees_session_and_a_bad_year(data, client):
    login(client, data.proposal_staff)
    url = reverse("proposal_stats:index", args=["district"])
    assert client.get(url, {"session": data.other_session.pk}).status_code == 404
    assert client.get(url, {"session": "x"}).status_code == 404
    assert client.get(url, {"year": "20x6"}).status_code == 404
    assert client.get(reverse("proposal_stats:index", args=["nosuch"])).status_code == 404


def test_other_committees_staff_cannot_read_this_committee_even_with_its_own_session(data, client):
    login(client, data.other_staff)
    response = client.get(reverse("proposal_stats:index", args=["district"]), {"session": data.session.pk})
    assert response.status_code == 403


def test_the_page_reads_a_fresh_snapshot_and_recomputes_a_stale_one(data):
    from xieshang.proposals.models import StatsSnapshot

    scope = stats.Scope(data.district, session=data.session)
    first = stats.get_report(scope)
    assert first.counts["received"] == 8
    snapshot = StatsSnapshot.objects.get(committee=data.district, scope=f"session:{data.session.pk}")
    data.flow.submitted(title="关于新来的建议")
    with CaptureQueriesContext(connection) as ctx:
        cached = stats.get_report(scope)
    assert cached.counts["received"] == 8 and len(ctx.captured_queries) <= 2
    assert [r["label"] for r in cached.kinds] == ["个人提案", "联名提案", "集体提案"]
    assert cached.departments == first.departments
    later = snapshot.computed_at + stats.SNAPSHOT_MAX_AGE + datetime.timedelta(seconds=1)
    assert stats.get_report(scope, now=later).counts["received"] == 9


def test_the_refresh_job_recomputes_viewed_scopes_and_the_latest_session(data):
    from xieshang.core import periodic
    from xieshang.proposals.models import StatsSnapshot

    assert "proposals.refresh_stats" in {job.name for job in periodic.jobs()}
    stats.get_report(stats.Scope(data.district, year=2026))
    data.flow.submitted(title="关于新来的建议")
    written = stats.refresh_stats()
    assert written >= 3  # the viewed year, and the latest session of both committees
    year = StatsSnapshot.objects.get(committee=data.district, scope="year:2026")
    assert year.data["counts"]["received"] == 9
    assert StatsSnapshot.objects.filter(committee=data.district, scope=f"session:{data.session.pk}").exists()
