"""Counts by topic for a year, the register's ``topic`` filter they link to, and the dashboard page."""

import json
import re

import pytest
from django.urls import reverse

from xieshang.proposals.exports import RegisterFilters, filter_register
from xieshang.proposals.models import Proposal
from xieshang.topics import actions, queries


@pytest.fixture
def tagged(world):
    p = world
    staff = p.proposal_staff
    p.a = p.add("关于治理河道污染的建议")
    p.b = p.add("关于加装电梯的建议", status="review")
    p.c = p.add("关于社区治理的建议")
    p.old = p.add("去年的环保提案", session=p.old_session)
    p.draft = p.add("草稿", status="draft")
    actions.do_set_tags("proposal", p.a, [p.topic["生态环保"], p.topic["民生"]], actor=staff)
    actions.do_set_tags("proposal", p.b, [p.topic["民生"]], actor=staff)
    actions.do_set_tags("proposal", p.c, [p.topic["基层治理"]], actor=staff)
    actions.do_set_tags("proposal", p.old, [p.topic["生态环保"]], actor=staff)
    # A draft is never counted, even if it carries a tag (written directly: staff cannot see drafts).
    from xieshang.topics.models import TopicTag

    TopicTag.objects.create(topic=p.topic["民生"], kind="proposal", object_id=p.draft.pk)
    return p


def test_counts_per_topic_for_a_year(tagged):
    p = tagged
    counts = queries.counts(p.district, 2026)
    by_name = {name: counts[t.pk]["proposal"] for name, t in p.topic.items()}
    assert by_name == {"生态环保": 1, "民生": 2, "产业转型": 0, "开放": 0, "基层治理": 1, "乡村振兴": 0, "文化旅游": 0}
    assert queries.counts(p.district, 2025)[p.topic["生态环保"].pk]["proposal"] == 1
    assert all(c["opinion"] == 0 for c in counts.values())


def test_the_register_filter_lists_exactly_the_counted_proposals(tagged):
    p = tagged
    base = Proposal.objects.filter(committee=p.district).exclude(status="draft")
    for name, topic in p.topic.items():
        listed = filter_register(base, RegisterFilters.from_mapping({"topic": str(topic.pk), "year": "2026"}))
        assert listed.count() == queries.counts(p.district, 2026)[topic.pk]["proposal"], name
    listed = filter_register(base, RegisterFilters.from_mapping({"topic": str(p.topic["民生"].pk)}))
    assert set(listed) == {p.a, p.b}
    assert ("topic", str(p.topic["民生"].pk)) in RegisterFilters(topic=p.topic["民生"].pk).as_query()


def test_the_register_page_filters_by_topic(tagged, client, login):
    p = tagged
    login(client, p.proposal_staff)
    url = reverse("proposals:register", args=["district"])
    body = client.get(url, {"topic": p.topic["民生"].pk}).content.decode()
    assert "关于治理河道污染的建议" in body and "关于加装电梯的建议" in body
    assert "关于社区治理的建议" not in body
    assert f'<option value="{p.topic["民生"].pk}" selected>民生</option>' in body
    # Another committee's topic is an error on the field and filters nothing.
    body = client.get(url, {"topic": p.other_topic.pk}).content.decode()
    assert "关于社区治理的建议" in body and "关于治理河道污染的建议" in body


def test_the_register_export_and_api_use_the_topic_filter(tagged, client, login):
    import io

    from openpyxl import load_workbook

    p = tagged
    login(client, p.proposal_staff)
    response = client.get(reverse("proposal_files:register_export", args=["district"]),
                          {"topic": p.topic["基层治理"].pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[3] for r in rows[1:]] == ["关于社区治理的建议"]
    response = client.get("/api/v1/committees/district/proposals", {"topic": p.topic["基层治理"].pk})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["关于社区治理的建议"]


def test_the_dashboard_page_shows_counts_links_and_chart_data(tagged, client, login):
    p = tagged
    login(client, p.auditor)
    response = client.get(reverse("topics:index", args=["district"]), {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    register = reverse("proposals:register", args=["district"])
    assert f'href="{register}?topic={p.topic["民生"].pk}&amp;year=2026">2</a>' in body
    data = json.loads(re.search(r'<script id="topic-chart-data" type="application/json">(.*?)</script>', body,
                                re.S).group(1))
    assert data["labels"][:2] == ["生态环保", "民生"]
    assert data["series"][0]["values"][:2] == [1, 2]
    assert data["series"][0]["urls"][1].endswith(f"topic={p.topic['民生'].pk}&year=2026")
    assert "js/topics.js" in body and "<script>" not in body and "style=" not in body
    body = client.get(reverse("topics:index", args=["district"]), {"year": 2025}).content.decode()
    assert f'href="{register}?topic={p.topic["生态环保"].pk}&amp;year=2025">1</a>' in body


@pytest.mark.parametrize("persona,status", [("member", 403), ("dept_handler", 403), ("other_staff", 403),
                                            ("outsider", 403), ("committee_leader", 200), ("info_editor", 200)])
def test_the_dashboard_is_for_the_office(tagged, client, login, persona, status):
    login(client, getattr(tagged, persona))
    assert client.get(reverse("topics:index", args=["district"])).status_code == status


def test_reports_are_counted_by_their_year_at_the_committee(world, monkeypatch):
    from xieshang.opinions import testing as opinion_testing

    p = world
    opinion_testing.pin_today(monkeypatch, "2026-06-01")
    report = opinion_testing.submitted_copy(p).report
    draft = opinion_testing.make_report(p)
    actions.do_set_tags("opinion", report, [p.topic["民生"]], committee=p.district, actor=p.info_editor)
    from xieshang.topics.models import TopicTag

    TopicTag.objects.create(topic=p.topic["民生"], kind="opinion", object_id=draft.pk)
    assert queries.counts(p.district, 2026)[p.topic["民生"].pk]["opinion"] == 1
    assert queries.counts(p.district, 2025)[p.topic["民生"].pk]["opinion"] == 0
