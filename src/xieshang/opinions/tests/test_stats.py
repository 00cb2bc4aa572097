"""社情民意 statistics: figures from ReportEvent, the page (charts, tables, links), the xlsx export, who sees them."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from xieshang.opinions import actions, stats, stats_views
from xieshang.opinions.models import ReportEvent
from xieshang.opinions.testing import BODY, editor_of, forward, sign, signed_copy, submitted_copy
from xieshang.org.models import LiaisonGroup
from xieshang.testing import PERSONA_NAMES

D = datetime.date.fromisoformat
TODAY = D("2026-06-01")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Primary keys repeat between tests (rolled back): never read another test's cached aggregates."""
    cache.clear()
    yield
    cache.clear()


def adopt(copy, chain, by="东城区政协"):
    return actions.do_adopt_copy(copy, kind="single", adopted_by=by, adopted_on=TODAY,
                                 actor=editor_of(chain, copy.committee))


@pytest.fixture
def world(chain):
    """2026 at the district:

    - the member (经济界, 联络组 第一联络组): report A adopted at the district, forwarded, adopted at the city, and
      instructed by a city leader; report B submitted only;
    - the cosigner (经济界, no group): report C submitted and adopted at the district;
    - the informant: report D submitted only;
    - the collective body 民建东城区委 (entered by the editor): report E adopted at the district;
    - one 2025 submission by the member (another year) and one submission at the other district.
    """
    group = LiaisonGroup.objects.create(committee=chain.district, name="第一联络组")
    chain.member_row.liaison_group = group
    chain.member_row.save()
    chain.group = group
    a = signed_copy(chain)
    adopt(a, chain)
    city = sign(chain, forward(chain, a))
    adopt(city, chain, by="示范市政协")
    actions.do_record_instruction(city, leader_name="张市长", leader_title="副市长", text="请市住建局研究。",
                                  instructed_on=TODAY, actor=chain.city_editor)
    submitted_copy(chain, data={"title": "关于增设公交线路的建议"})
    adopt(signed_copy(chain, actor=chain.cosigner, data={"title": "关于校园周边交通的建议"}), chain)
    submitted_copy(chain, actor=chain.informant, data={"title": "关于菜市场改造的建议"})
    collective = actions.do_create_report(chain.district, {**BODY, "title": "关于民营企业融资的建议"},
                                          collective_type="party", collective_name="民建东城区委",
                                          actor=chain.info_editor)
    actions.do_submit_report(collective, actor=chain.info_editor)
    adopt(sign(chain, collective.copies.get()), chain)
    # Another year and another committee: never counted in the district's 2026 figures.
    event = ReportEvent.objects.filter(kind="submitted", member=chain.member_row).first()
    ReportEvent.objects.create(kind="submitted", level="county", report=event.report, committee=chain.district,
                               year=2025, occurred_on=D("2025-05-01"), author_kind="member",
                               member=chain.member_row, sector=chain.sector)
    ReportEvent.objects.create(kind="submitted", level="county", report=event.report, committee=chain.other,
                               year=2026, occurred_on=TODAY, author_kind="member")
    chain.scope = stats.Scope(chain.district, 2026)
    return chain


def by_key(rows):
    return {r["key"]: r for r in rows}


def test_totals_count_submissions_and_adoptions_and_instructions_per_level(world):
    counts = stats.totals(world.scope)
    assert counts["submitted"] == 5
    assert counts["adopted"] == 4 and counts["adopted_reports"] == 3  # A twice (district, city), C, E
    assert counts["instructed"] == 1 and counts["instructed_reports"] == 1
    assert (counts["adopted_county"], counts["adopted_city"], counts["adopted_provincial"],
            counts["adopted_national"]) == (3, 1, 0, 0)
    assert (counts["instructed_county"], counts["instructed_city"]) == (0, 1)


def test_levels_are_the_committees_own_and_every_level_above(world):
    assert stats.levels_from(world.district) == ("county", "city", "provincial", "national")
    assert stats.levels_from(world.city) == ("city", "provincial", "national")
    assert stats.levels_from(world.province) == ("provincial", "national")


def test_figures_by_author_member_sector_group_collective_and_informant(world):
    figures = stats.figures(world.scope)
    kinds = by_key(figures.author_kinds)
    assert [(k, kinds[k]["submitted"], kinds[k]["adopted"]) for k in ("member", "informant", "collective")] == [
        ("member", 3, 3), ("informant", 1, 0), ("collective", 1, 1)]
    members = figures.members
    assert [(r["label"], r["submitted"], r["adopted"], r["instructed"]) for r in members] == [
        ("王建国", 2, 2, 1), ("李秀英", 1, 1, 0)]  # ranked by adoptions
    assert members[0]["sector"] == "经济界"
    assert [(c["level"], c["adopted"], c["instructed"]) for c in members[0]["levels"]] == [
        ("county", 1, 0), ("city", 1, 1), ("provincial", 0, 0), ("national", 0, 0)]
    assert [(r["label"], r["submitted"], r["adopted"]) for r in figures.sectors] == [("经济界", 3, 3)]
    assert [(r["label"], r["submitted"], r["adopted"]) for r in figures.liaison_groups] == [("第一联络组", 2, 2)]
    assert [(r["label"], r["submitted"], r["adopted"]) for r in figures.collectives] == [("民建东城区委", 1, 1)]
    assert [(r["label"], r["submitted"], r["adopted"], r["unit"]) for r in figures.informants] == [
        ("陈信息", 1, 0, "东城区融媒体中心")]


def test_another_year_has_its_own_figures(world):
    counts = stats.totals(stats.Scope(world.district, 2025))
    assert (counts["submitted"], counts["adopted"]) == (1, 0)
    assert stats.years_with_events(world.district) == [2026, 2025]


def test_the_city_counts_its_own_authors_not_the_districts(world):
    assert stats.totals(stats.Scope(world.city, 2026))["submitted"] == 0


def test_the_figures_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        stats.figures(world.scope)
    with django_assert_max_num_queries(5):  # cached aggregates: the fingerprint and the names
        stats.figures(stats.Scope(world.district, 2026))


def test_cached_figures_change_as_soon_as_an_event_is_added_or_removed(world):
    assert stats.figures(world.scope).counts["submitted"] == 5
    copy = submitted_copy(world, data={"title": "关于停车难的建议"})
    assert stats.figures(stats.Scope(world.district, 2026)).counts["submitted"] == 6
    ReportEvent.objects.filter(report=copy.report).delete()
    assert stats.figures(stats.Scope(world.district, 2026)).counts["submitted"] == 5


def test_without_the_reports_list_only_what_the_queue_selects_exactly_links_there(world, monkeypatch):
    monkeypatch.setattr(stats, "LIST_URL_NAME", "opinions:no_such_list")
    figures = stats.figures(world.scope)
    queue = "/c/district/opinions/queue/?status=all&year=2026"
    assert figures.summary[0]["url"] == queue
    assert by_key(figures.author_kinds)["informant"]["submitted_url"] == queue + "&author_kind=informant"
    assert figures.summary[1]["url"] == "" and figures.members[0]["adopted_url"] == ""
    assert figures.members[0]["submitted_url"] == "" and figures.levels[0]["adopted_url"] == ""
    # The city's queue also holds the districts' reports: no link there.
    assert stats.figures(stats.Scope(world.city, 2026)).summary[0]["url"] == ""
    monkeypatch.setattr(stats, "QUEUE_URL_NAME", "opinions:no_such_queue")
    assert stats.figures(stats.Scope(world.district, 2026)).summary[0]["url"] == ""


def test_the_queue_link_lists_the_submitted_reports_counted(client, login, world, monkeypatch):
    monkeypatch.setattr(stats, "LIST_URL_NAME", "opinions:no_such_list")
    figures = stats.figures(world.scope)
    login(client, world.info_editor)
    for row in [figures.summary[0], *figures.author_kinds]:
        url = row.get("url") or row["submitted_url"]
        response = client.get(url)
        assert response.status_code == 200
        count = row.get("count", row.get("submitted"))
        assert response.context["page_obj"].paginator.count == count, url


def test_the_reports_list_shows_the_reports_behind_a_figure(client, login, world):
    figures = stats.figures(world.scope)
    login(client, world.info_editor)
    member = figures.members[0]  # 王建国: 2 submitted, adopted once at the district and once at the city
    checks = [(member["submitted_url"], 2), (member["levels"][1]["adopted_url"], 1),
              (member["levels"][1]["instructed_url"], 1), (figures.collectives[0]["adopted_url"], 1),
              (by_key(figures.author_kinds)["informant"]["submitted_url"], 1), (figures.summary[0]["url"], 5)]
    for url, expected in checks:
        assert url.startswith("/c/district/opinions/reports/?year=2026&event="), url
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == expected, url


def test_each_figure_links_to_the_reports_behind_it(world, monkeypatch):
    monkeypatch.setattr(stats, "LIST_URL_NAME", "opinions_stats:index")  # any URL taking the committee code
    figures = stats.figures(world.scope)
    member = figures.members[0]
    assert member["adopted_url"] == f"/c/district/opinions/stats/?year=2026&event=adopted&member={member['key']}"
    assert member["levels"][1]["instructed_url"].endswith(f"event=instructed&level=city&member={member['key']}")
    collective = figures.collectives[0]["submitted_url"]
    assert "collective=%E6%B0%91%E5%BB%BA" in collective and "event=submitted" in collective


# The page ------------------------------------------------------------------------------------------------

STATS_READERS = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor",
                 "sysadmin"}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_page_is_for_the_committees_office_roles(client, login, world, persona):
    login(client, getattr(world, persona))
    response = client.get("/c/district/opinions/stats/?year=2026")
    assert response.status_code == (200 if persona in STATS_READERS else 403)
    export = client.get("/c/district/opinions/stats/export.xlsx?year=2026")
    assert export.status_code == (200 if persona in STATS_READERS else 403)


def test_another_committees_staff_and_anonymous_users_see_nothing(client, login, world):
    assert client.get("/c/district/opinions/stats/").status_code == 302  # to the sign-in page
    login(client, world.city_editor)
    assert client.get("/c/district/opinions/stats/").status_code == 403
    assert client.get("/c/no-such-committee/opinions/stats/").status_code == 404


def test_the_page_shows_the_figures_charts_data_and_no_inline_script(client, login, world):
    login(client, world.info_editor)
    response = client.get("/c/district/opinions/stats/?year=2026")
    html = response.content.decode()
    assert 'data-figure="submitted">5<' in html and 'data-figure="adopted_reports">3<' in html
    assert "王建国" in html and "民建东城区委" in html and "第一联络组" in html and "陈信息" in html
    assert 'id="stats-data"' in html and "js/charts.js" in html and "echarts.min.js" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "style=" not in html and "<style" not in html
    data = response.context["chart_data"]
    assert data["summary"]["values"] == [5, 4, 1]
    assert data["levels"]["adopted"] == [3, 1, 0, 0]
    assert "/c/district/opinions/files/notice/2026.docx" in html


def test_long_rankings_show_the_top_rows_and_point_to_the_export(client, login, world, monkeypatch):
    monkeypatch.setattr(stats_views, "PAGE_ROWS", 1)
    login(client, world.info_editor)
    html = client.get("/c/district/opinions/stats/?year=2026").content.decode()
    assert "<td>王建国</td>" in html and "<td>李秀英</td>" not in html
    assert "仅显示前 1 名（共 2 名），完整名单请导出 Excel。" in html


def test_the_year_comes_from_the_query_string(client, login, world):
    login(client, world.info_editor)
    response = client.get("/c/district/opinions/stats/?year=2025")
    assert response.context["figures"].counts["submitted"] == 1
    assert client.get("/c/district/opinions/stats/").context["scope"].year == datetime.date.today().year
    for bad in ("abc", "20261", "1900", "-1"):
        assert client.get(f"/c/district/opinions/stats/?year={bad}").status_code == 404


def test_the_page_works_for_a_year_without_events(client, login, world):
    login(client, world.info_editor)
    response = client.get("/c/district/opinions/stats/?year=2010")
    assert response.status_code == 200 and response.context["figures"].counts["submitted"] == 0
    assert "暂无数据" in response.content.decode()


# The export ----------------------------------------------------------------------------------------------

def test_the_export_has_one_sheet_per_table_with_the_figures(client, login, world):
    login(client, world.info_editor)
    response = client.get("/c/district/opinions/stats/export.xlsx?year=2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "opinion-stats-district-2026.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["总体", "按层级", "按报送人类型", "按委员", "按特邀信息员", "按界别", "按联络组",
                               "按集体"]
    members = list(book["按委员"].values)
    assert members[0][:5] == ("委员", "界别", "报送", "采用", "批示")
    assert members[1][:5] == ("王建国", "经济界", 2, 2, 1)
    assert list(book["按层级"].values)[1:] == [("县（区）级", 3, 0), ("市级", 1, 1), ("省级", 0, 0), ("全国", 0, 0)]


def test_export_cells_can_never_be_formulas(world):
    ReportEvent.objects.filter(author_kind="collective").update(collective_name="=HYPERLINK(\"x\")")
    book = stats_views.build_workbook(stats.figures(world.scope, use_cache=False))
    values = [row[0] for row in book["按集体"].values]
    assert values[1] == "'=HYPERLINK(\"x\")"
    assert all(not (isinstance(c, str) and c.startswith("=")) for sheet in book for row in sheet.values for c in row)
