"""The topic dashboard's report counts link to the office's 社情民意 queue filtered by that topic and year, and the
queue lists exactly the reports counted."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from xieshang.opinions import testing as ot
from xieshang.opinions.models import Report
from xieshang.topics import actions, queries
from xieshang.topics.models import Topic


@pytest.fixture
def reports(world, monkeypatch):
    """Three district reports (one forwarded to the city, one moved to 2025) and one city report, tagged."""
    p = world
    ot.pin_today(monkeypatch, "2026-06-01")
    ot.add_chain_staff(p)
    actions.ensure_defaults(p.city)
    p.city_topic = {t.name: t for t in Topic.objects.filter(committee=p.city)}
    p.water = ot.signed_copy(p, data={"title": "关于农村饮水安全的建议"})
    p.city_water = ot.forward(p, p.water)
    p.lift = ot.submitted_copy(p, data={"title": "关于加装电梯的建议"})
    p.old = ot.submitted_copy(p, data={"title": "去年的河道信息"})
    Report.objects.filter(pk=p.old.report_id).update(year=2025)
    p.draft = ot.make_report(p, data={"title": "草稿信息"})
    tag = actions.do_set_tags
    tag("opinion", p.water.report, [p.topic["生态环保"], p.topic["民生"]], committee=p.district, actor=p.info_editor)
    tag("opinion", p.lift.report, [p.topic["民生"]], committee=p.district, actor=p.info_editor)
    tag("opinion", p.old.report, [p.topic["生态环保"]], committee=p.district, actor=p.info_editor)
    tag("opinion", p.water.report, [p.city_topic["开放"]], committee=p.city, actor=p.city_editor)
    return p


def dashboard(client, code="district", **params):
    response = client.get(reverse("topics:index", args=[code]), params)
    assert response.status_code == 200
    return response.content.decode()


def report_links(body):
    """{topic id: (count shown, href)} of the report column."""
    out = {}
    for m in re.finditer(r'<tr data-topic="(\d+)">.*?</tr>', body, re.DOTALL):
        link = re.search(r'<a href="([^"]+)" data-testid="report-count">(\d+)</a>', m.group(0))
        if link:
            out[int(m.group(1))] = (int(link.group(2)), link.group(1).replace("&amp;", "&"))
    return out


def test_each_report_count_links_to_the_filtered_queue(reports, client, login):
    p = reports
    login(client, p.info_editor)
    links = report_links(dashboard(client, year=2026))
    assert set(links) == {t.pk for t in p.topic.values()}
    count, href = links[p.topic["民生"].pk]
    assert count == 2
    url = urlsplit(href)
    assert url.path == reverse("opinions:queue", args=["district"])
    assert parse_qs(url.query) == {"status": ["all"], "year": ["2026"], "topic": [str(p.topic["民生"].pk)]}


@pytest.mark.parametrize("year", [2026, 2025])
def test_the_linked_queue_lists_exactly_the_counted_reports(reports, client, login, year):
    p = reports
    login(client, p.info_editor)
    counts = queries.counts(p.district, year)
    links = report_links(dashboard(client, year=year))
    assert any(n for n, _ in links.values())  # the comparison is not between zeros only
    for topic_id, (shown, href) in links.items():
        assert shown == counts[topic_id]["opinion"]
        page = client.get(href).content.decode()
        listed = int(re.search(r'data-testid="queue-count">共 (\d+) 篇', page).group(1))
        assert listed == shown, Topic.objects.get(pk=topic_id).name


def test_the_city_dashboard_counts_and_links_the_citys_own_tags(reports, client, login):
    p = reports
    login(client, p.city_editor)
    links = report_links(dashboard(client, code="city", year=2026))
    shown, href = links[p.city_topic["开放"].pk]
    assert shown == 1 and href.startswith(reverse("opinions:queue", args=["city"]))
    page = client.get(href).content.decode()
    assert "关于农村饮水安全的建议" in page
    assert links[p.city_topic["民生"].pk][0] == 0  # the district's tags are the district's


def test_the_chart_links_report_bars_too(reports, client, login):
    p = reports
    login(client, p.info_editor)
    body = dashboard(client, year=2026)
    data = json.loads(re.search(r'<script id="topic-chart-data" type="application/json">(.*?)</script>',
                                body, re.DOTALL).group(1))
    _proposals, opinions = data["series"]
    assert len(opinions["urls"]) == len(data["labels"]) == len(opinions["values"])
    i = data["labels"].index("民生")
    assert opinions["values"][i] == 2
    assert f"topic={p.topic['民生'].pk}" in opinions["urls"][i] and "status=all" in opinions["urls"][i]
    assert reverse("opinions:queue", args=["district"]) in opinions["urls"][i]


@pytest.mark.parametrize("persona", ["member", "informant", "dept_handler", "outsider"])
def test_the_dashboard_and_its_links_stay_closed_to_others(reports, client, login, persona):
    p = reports
    login(client, getattr(p, persona))
    assert client.get(reverse("topics:index", args=["district"])).status_code == 403
    href = f'{reverse("opinions:queue", args=["district"])}?status=all&topic={p.topic["民生"].pk}'
    response = client.get(href)
    assert response.status_code == 403
    assert "关于加装电梯的建议" not in response.content.decode()


def test_no_report_link_without_the_queue_permission(reports, client, login, monkeypatch):
    """The link is shown only to those who may open the queue (today the same office roles as the counts)."""
    p = reports
    login(client, p.info_editor)
    real = type(p.info_editor).has_perm

    def has_perm(user, perm, obj=None):
        return False if perm == "opinions.view_queue" else real(user, perm, obj)

    monkeypatch.setattr(type(p.info_editor), "has_perm", has_perm)
    body = dashboard(client, year=2026)
    assert 'data-testid="report-count"' not in body
    assert re.search(rf'<tr data-topic="{p.topic["民生"].pk}">.*?<td>2</td>', body, re.DOTALL)
