"""The topics API: list, create and update topics, an object's tags, setting them, and counts."""

import pytest

from xieshang.api.tests.helpers import call
from xieshang.core.models import AuditEvent
from xieshang.topics import queries
from xieshang.topics.models import Topic, TopicTag

BASE = "/api/v1/committees/district"


@pytest.fixture
def lift(world):
    return world.add("关于加快老旧小区加装电梯的建议", "老旧小区加装电梯，社区协调困难。")


def test_list_topics(world, client):
    response = call(client, "GET", f"{BASE}/topics", world.member)
    assert response.status_code == 200
    assert [t["name"] for t in response.json()][:5] == ["生态环保", "民生", "产业转型", "开放", "基层治理"]
    assert call(client, "GET", f"{BASE}/topics", world.outsider).status_code == 404
    assert call(client, "GET", f"{BASE}/topics", world.other_staff).status_code == 404


def test_create_and_update_a_topic(world, client):
    p = world
    response = call(client, "POST", f"{BASE}/topics", p.office_admin, {"name": "科技创新", "keywords": ["科技"]})
    assert response.status_code == 201
    topic_id = response.json()["id"]
    assert AuditEvent.objects.get(verb="topics.topic_created").via == "api"
    response = call(client, "PATCH", f"{BASE}/topics/{topic_id}", p.office_admin, {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert call(client, "POST", f"{BASE}/topics", p.office_admin, {"name": "民生"}).status_code == 422
    assert call(client, "POST", f"{BASE}/topics", p.office_admin, {"name": "甲", "colour": "red"}).status_code == 422
    assert call(client, "POST", f"{BASE}/topics", p.member, {"name": "乙"}).status_code == 403
    assert call(client, "PATCH", f"{BASE}/topics/{topic_id}", p.member, {"name": "丙"}).status_code == 403
    assert call(client, "PATCH", f"{BASE}/topics/{p.other_topic.pk}", p.office_admin,
                {"name": "丁"}).status_code == 404
    assert not Topic.objects.filter(name__in=["乙", "丙", "丁", "甲"]).exists()


def test_get_and_set_the_tags_of_a_proposal(world, lift, client):
    p = world
    url = f"{BASE}/tags/proposal/{lift.pk}"
    response = call(client, "GET", url, p.proposal_staff)
    assert response.status_code == 200
    data = response.json()
    assert data["topics"] == [] and data["can_tag"] is True
    assert data["suggestions"][0]["topic"]["name"] == "民生"
    response = call(client, "PUT", url, p.proposal_staff, {"topics": [p.topic["民生"].pk, p.topic["基层治理"].pk]})
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["topics"]] == ["民生", "基层治理"]
    assert AuditEvent.objects.get(verb="topics.tags_set").via == "api"
    # The author reads the tags, cannot change them.
    response = call(client, "GET", url, p.member)
    assert response.status_code == 200 and response.json()["can_tag"] is False
    assert response.json()["suggestions"] == []
    assert call(client, "PUT", url, p.member, {"topics": []}).status_code == 403
    # A foreign topic is a 422; an unknown kind, another committee or an invisible object a 404.
    assert call(client, "PUT", url, p.proposal_staff, {"topics": [p.other_topic.pk]}).status_code == 422
    assert call(client, "GET", f"{BASE}/tags/member/{lift.pk}", p.proposal_staff).status_code == 422
    assert call(client, "GET", url, p.other_staff).status_code == 404
    draft = p.add("草稿", status="draft")
    assert call(client, "PUT", f"{BASE}/tags/proposal/{draft.pk}", p.proposal_staff,
                {"topics": [p.topic["民生"].pk]}).status_code == 404
    assert [t.name for t in queries.tags_of(p.district, "proposal", lift)] == ["民生", "基层治理"]
    assert TopicTag.objects.count() == 2


def test_counts(world, lift, client):
    p = world
    call(client, "PUT", f"{BASE}/tags/proposal/{lift.pk}", p.proposal_staff, {"topics": [p.topic["民生"].pk]})
    response = call(client, "GET", f"{BASE}/topics/counts?year=2026", p.auditor)
    assert response.status_code == 200
    items = {i["topic"]["name"]: (i["proposals"], i["reports"]) for i in response.json()["items"]}
    assert items["民生"] == (1, 0) and items["开放"] == (0, 0)
    assert call(client, "GET", f"{BASE}/topics/counts?year=99", p.auditor).status_code == 422
    assert call(client, "GET", f"{BASE}/topics/counts", p.member).status_code == 403
