"""The register's pages: cursor links for next/previous, page numbers read from the nearer end, the total shown."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.proposals.models import Proposal, Proposer, Status
from xieshang.proposals.paging import KeysetPage

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<a href="/c/district/proposals/(\d+)/">')
PAGER_LINK = re.compile(r'<a href="\?([^"]*)"[^>]*data-testid="page-(\w+)"')


@pytest.fixture
def listed(world):
    """23 received proposals of the district (plus a draft and another committee's proposal, never listed)."""
    p = world
    p.listed = []
    for i in range(23):
        proposal = Proposal.objects.create(committee=p.district, session=p.session, title=f"关于第{i}件事的建议",
                                           status=Status.SUBMITTED if i % 2 else Status.FILED, serial=i + 1,
                                           created_by=p.member)
        Proposer.objects.create(proposal=proposal, member=p.member_row, user=p.member, name=f"提案人{i}",
                                role="first")
        p.listed.append(proposal.pk)
    p.flow.draft(title="草稿不列")
    Proposal.objects.create(committee=p.other, session=p.other_session, title="别的政协", status=Status.SUBMITTED)
    p.newest_first = sorted(p.listed, reverse=True)
    return p


def register(client, p, query=""):
    response = client.get(f"/c/{p.district.code}/proposals/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index('data-testid="register"'):]
    links = {kind: query.replace("&amp;", "&") for query, kind in PAGER_LINK.findall(body)}
    return [int(pk) for pk in ROW_LINK.findall(table)], links, body


def test_next_and_previous_links_walk_every_row_once_in_order(listed, client, login):
    p = listed
    login(client, p.proposal_staff)
    seen, links = [], {}
    rows, links, body = register(client, p, "per=10")
    assert "共 23 件" in body and "第 1 / 3 页" in body and "page-previous" not in body
    seen += rows
    for number in (2, 3):
        assert f"page={number}" in links["next"] and "after=" in links["next"] and "per=10" in links["next"]
        rows, links, body = register(client, p, links["next"])
        assert f"第 {number} / 3 页" in body
        seen += rows
    assert seen == p.newest_first and "page-next" not in body
    # ...and back: page 2 through its "before" cursor, page 1 by number.
    assert "before=" in links["previous"]
    rows, links, body = register(client, p, links["previous"])
    assert rows == p.newest_first[10:20] and "第 2 / 3 页" in body
    assert "before=" not in links["previous"]
    rows, links, body = register(client, p, links["previous"])
    assert rows == p.newest_first[:10]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_reached_by_its_number_alone_shows_the_same_rows_as_by_cursor(listed, client, login, number):
    p = listed
    login(client, p.proposal_staff)
    rows, _links, body = register(client, p, f"per=10&page={number}")
    assert rows == p.newest_first[(number - 1) * 10:number * 10]  # page 3 is read from the end: 3 rows
    assert f"第 {number} / 3 页" in body


def test_first_and_last_links_and_filters_kept(listed, client, login):
    p = listed
    login(client, p.proposal_staff)
    rows, links, body = register(client, p, "q=件事&per=10&page=2")
    assert rows == p.newest_first[10:20] and "共 23 件" in body
    assert set(links) == {"previous", "next"}  # page 1 and page 3 are the neighbours: no first/last link
    rows, links, _body = register(client, p, "q=件事&per=10&page=1")
    assert set(links) == {"next", "last"}
    assert all("q=" in link and "per=10" in link for link in links.values())
    rows, links, _body = register(client, p, links["last"])
    assert rows == p.newest_first[20:]
    assert set(links) == {"first", "previous"}
    rows, _links, _body = register(client, p, links["first"])
    assert rows == p.newest_first[:10]
    rows, _links, body = register(client, p, "q=第2&per=10")  # 第2件, 第20件, 第21件, 第22件
    assert len(rows) == 4 and "page-next" not in body and "共 4 件" in body


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-3", "page=99", "page=2&after=xyz",
                                   "page=2&after=1", "page=2&before=999999999", "page=1&before=5"])
def test_bad_page_positions_fall_back_to_a_real_page(listed, client, login, query):
    p = listed
    login(client, p.proposal_staff)
    rows, _links, body = register(client, p, f"per=10&{query}")
    pages = [p.newest_first[:10], p.newest_first[10:20], p.newest_first[20:]]
    assert rows in pages
    number = pages.index(rows) + 1
    assert f"第 {number} / 3 页" in body
    if query == "page=99":
        assert number == 3
    if query in ("page=abc", "page=0", "page=-3", "page=1&before=5"):
        assert number == 1


def test_a_cursor_keeps_the_order_when_proposals_arrive_meanwhile(listed, client, login):
    p = listed
    login(client, p.proposal_staff)
    _rows, links, _body = register(client, p, "per=10")
    assert "total=23" in links["next"]
    newer = Proposal.objects.create(committee=p.district, session=p.session, title="新来的", status=Status.SUBMITTED)
    rows, _links, body = register(client, p, links["next"])
    assert rows == p.newest_first[10:20]  # nothing repeated from page 1
    assert "共 23 件" in body  # the total the link carried: counted when the list was opened
    rows, _links, body = register(client, p, "per=10")
    assert rows[0] == newer.pk and "共 24 件" in body  # opening the list again counts afresh


@pytest.mark.parametrize("total", ["abc", "", "-5", "3", "²"])
def test_a_missing_or_impossible_carried_total_is_counted_afresh(listed, client, login, total):
    p = listed
    login(client, p.proposal_staff)
    rows, _links, body = register(client, p, f"per=10&page=3&after={p.newest_first[19]}&total={total}")
    assert rows == p.newest_first[20:] and "共 23 件" in body and "第 3 / 3 页" in body


def test_the_export_link_carries_the_filters_but_not_the_page_position(listed, client, login):
    p = listed
    login(client, p.proposal_staff)
    _rows, links, _body = register(client, p, "status=filed&per=10")
    _rows, _links, body = register(client, p, links["next"])
    export = re.search(r'href="([^"]*register\.xlsx[^"]*)"', body).group(1).replace("&amp;", "&")
    assert "status=filed" in export and "after=" not in export and "page=" not in export


def test_pages_deep_or_shallow_cost_the_same_queries(listed):
    p = listed
    ids = Proposal.objects.filter(committee=p.district).exclude(status=Status.DRAFT).values_list("id", flat=True)

    def page(params):
        with CaptureQueriesContext(connection) as ctx:
            page = KeysetPage(ids, 10, params)
        assert list(page) == p.newest_first[(page.number - 1) * 10:page.number * 10]
        assert page.paginator.count == 23
        return len(ctx.captured_queries)

    # By number: the count and the page's ids.
    assert [page({}), page({"page": "3"}), page({"page": "2"})] == [2, 2, 2]
    # By a link's cursor and total: the page's ids only.
    assert page({"page": "2", "after": str(p.newest_first[9]), "total": "23"}) == 1
    assert page({"page": "2", "before": str(p.newest_first[20]), "total": "23"}) == 1
    # A cursor without a total counts.
    assert page({"page": "2", "after": str(p.newest_first[9])}) == 2


def test_an_empty_register_has_one_empty_page(world, client, login):
    login(client, world.proposal_staff)
    rows, links, body = register(client, world, "page=4&after=17")
    assert rows == [] and links == {} and "共 0 件" in body and "没有符合条件的提案。" in body
