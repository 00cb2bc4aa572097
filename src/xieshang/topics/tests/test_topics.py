"""The committee's list of topics: default seed, create and update, permissions and bad input."""

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.org.models import Committee
from xieshang.topics import actions
from xieshang.topics.defaults import DEFAULT_TOPICS
from xieshang.topics.models import Topic

DEFAULT_NAMES = [name for name, _k in DEFAULT_TOPICS]


def test_the_defaults_include_the_issue_topics():
    assert {"生态环保", "民生", "产业转型", "开放", "基层治理"} <= set(DEFAULT_NAMES)


def test_the_migration_seeds_every_existing_committee_once(personas):
    from importlib import import_module

    seed = import_module("xieshang.topics.migrations.0002_seed_defaults").seed
    assert not Topic.objects.exists()
    seed(django_apps, None)
    for committee in Committee.objects.all():
        assert list(Topic.objects.filter(committee=committee).values_list("name", flat=True)) == DEFAULT_NAMES
    seed(django_apps, None)
    assert Topic.objects.count() == len(DEFAULT_NAMES) * Committee.objects.count()


def test_a_later_committee_is_seeded_on_first_use_once_and_audited(personas, client, login):
    assert not Topic.objects.filter(committee=personas.district).exists()
    login(client, personas.office_admin)
    assert client.get(reverse("topics:index", args=["district"])).status_code == 200
    assert client.get(reverse("topics:index", args=["district"])).status_code == 200
    names = list(Topic.objects.filter(committee=personas.district).values_list("name", flat=True))
    assert names == DEFAULT_NAMES
    event = AuditEvent.objects.get(verb="topics.seeded")
    assert event.committee_id == personas.district.pk and event.actor is None
    # Only the committee that was used.
    assert not Topic.objects.filter(committee=personas.other).exists()


def test_a_manager_adds_a_topic_with_keywords_and_it_is_audited(personas):
    topic = actions.do_create_topic(personas.district, {"name": "科技创新", "keywords": "科技、研发, 专利 创新"},
                                    actor=personas.proposal_staff)
    assert topic.keywords == ["科技", "研发", "专利", "创新"]
    assert topic.is_active and topic.order > max(o for o in Topic.objects.exclude(pk=topic.pk).filter(
        committee=personas.district).values_list("order", flat=True))
    event = AuditEvent.objects.get(verb="topics.topic_created")
    assert event.actor == personas.proposal_staff and event.changes["name"] == [None, "科技创新"]


def test_an_update_records_old_and_new_values_and_deactivates(personas):
    actions.ensure_defaults(personas.district)
    topic = Topic.objects.get(committee=personas.district, name="开放")
    actions.do_update_topic(topic, {"name": "对外开放", "is_active": False}, actor=personas.info_editor)
    topic.refresh_from_db()
    assert topic.name == "对外开放" and topic.is_active is False
    event = AuditEvent.objects.get(verb="topics.topic_updated")
    assert event.changes == {"name": ["开放", "对外开放"], "is_active": [True, False]}
    # Saving the same values again writes nothing.
    actions.do_update_topic(topic, {"name": "对外开放"}, actor=personas.info_editor)
    assert AuditEvent.objects.filter(verb="topics.topic_updated").count() == 1


@pytest.mark.parametrize("data,field", [
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "一" * 21}, "name"),
    ({"name": "生態環保"}, "name"),                       # the same name in Traditional characters
    ({"name": "新专题", "keywords": [f"词{i}" for i in range(51)]}, "keywords"),
    ({"name": "新专题", "keywords": ["一" * 21]}, "keywords"),
    ({"name": "新专题", "order": 1000}, "order"),
    ({"name": "新专题", "order": "abc"}, "order"),
    ({"name": "新专题", "is_active": "yes"}, "is_active"),
])
def test_bad_topic_input_is_refused_and_nothing_is_written(personas, data, field):
    actions.ensure_defaults(personas.district)
    before = Topic.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.do_create_topic(personas.district, data, actor=personas.office_admin)
    assert field in exc.value.message_dict
    assert Topic.objects.count() == before
    assert not AuditEvent.objects.filter(verb="topics.topic_created").exists()


def test_renaming_onto_another_topic_is_refused(personas):
    actions.ensure_defaults(personas.district)
    topic = Topic.objects.get(committee=personas.district, name="开放")
    with pytest.raises(ValidationError):
        actions.do_update_topic(topic, {"name": "民生"}, actor=personas.office_admin)
    topic.refresh_from_db()
    assert topic.name == "开放"


@pytest.mark.parametrize("persona", ["member", "auditor", "committee_leader", "dept_handler", "other_staff",
                                     "informant", "outsider"])
def test_only_the_working_office_manages_the_list(personas, persona):
    actions.ensure_defaults(personas.district)
    user = getattr(personas, persona)
    with pytest.raises(PermissionDenied):
        actions.do_create_topic(personas.district, {"name": "新专题"}, actor=user)
    topic = Topic.objects.filter(committee=personas.district).first()
    with pytest.raises(PermissionDenied):
        actions.do_update_topic(topic, {"name": "改名"}, actor=user)
    assert not Topic.objects.filter(name__in=["新专题", "改名"]).exists()


@pytest.mark.parametrize("persona", ["office_admin", "proposal_staff", "info_editor", "sysadmin"])
def test_the_working_office_may_manage(personas, persona):
    assert actions.do_create_topic(personas.district, {"name": "新专题"}, actor=getattr(personas, persona)).pk


def test_the_manage_pages(personas, client, login):
    login(client, personas.office_admin)
    url = reverse("topics:manage", args=["district"])
    body = client.get(url).content.decode()
    assert "生态环保" in body and "基层治理" in body
    response = client.post(url, {"name": "科技创新", "keywords": "科技 研发", "order": "", "is_active": "on"})
    assert response.status_code == 302
    topic = Topic.objects.get(committee=personas.district, name="科技创新")
    response = client.post(url, {"name": "科技创新", "keywords": ""})
    assert response.status_code == 422 and "本会已有同名专题" in response.content.decode()
    edit = reverse("topics:edit", args=["district", topic.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"name": "科技创新", "keywords": "科技、研发、专利", "order": "5"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.keywords == ["科技", "研发", "专利"] and topic.order == 5 and topic.is_active is False


@pytest.mark.parametrize("persona", ["member", "auditor", "other_staff"])
def test_the_manage_pages_are_refused_to_others(personas, client, login, persona):
    actions.ensure_defaults(personas.district)
    topic = Topic.objects.filter(committee=personas.district).first()
    login(client, getattr(personas, persona))
    assert client.get(reverse("topics:manage", args=["district"])).status_code == 403
    assert client.post(reverse("topics:edit", args=["district", topic.pk]), {"name": "改名"}).status_code == 403
    topic.refresh_from_db()
    assert topic.name != "改名"


def test_another_committees_topic_is_not_found_from_this_committee(personas, client, login):
    actions.ensure_defaults(personas.other)
    foreign = Topic.objects.filter(committee=personas.other).first()
    login(client, personas.office_admin)
    assert client.get(reverse("topics:edit", args=["district", foreign.pk])).status_code == 404
