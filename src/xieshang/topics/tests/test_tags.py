"""Tagging proposals and reports: who may, what is refused, the suggestions, and the widget on the page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.topics import actions, queries
from xieshang.topics.models import Topic, TopicTag

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lift(world):
    return world.add("关于加快老旧小区加装电梯的建议", "老旧小区加装电梯进展缓慢，社区协调困难。")


def tag_names(p, proposal):
    return [t.name for t in queries.tags_of(p.district, "proposal", proposal)]


def test_proposal_staff_tag_a_proposal_and_it_is_audited(world, lift):
    p = world
    result = actions.do_set_tags("proposal", lift, [p.topic["民生"], p.topic["基层治理"].pk],
                                 actor=p.proposal_staff)
    assert [t.name for t in result] == ["民生", "基层治理"]
    tag = TopicTag.objects.get(topic=p.topic["民生"])
    assert tag.kind == "proposal" and tag.object_id == lift.pk and tag.tagged_by == p.proposal_staff
    actions.do_set_tags("proposal", lift, [p.topic["民生"], p.topic["生态环保"]], actor=p.proposal_staff)
    assert tag_names(p, lift) == ["生态环保", "民生"]
    events = list(AuditEvent.objects.filter(verb="topics.tags_set").order_by("id"))
    assert events[0].changes == {"kind": "proposal", "added": ["民生", "基层治理"], "removed": []}
    assert events[1].changes == {"kind": "proposal", "added": ["生态环保"], "removed": ["基层治理"]}
    assert events[1].target_id == str(lift.pk) and events[1].committee_id == p.district.pk


def test_setting_the_same_tags_again_writes_nothing(world, lift):
    p = world
    actions.do_set_tags("proposal", lift, [p.topic["民生"]], actor=p.proposal_staff)
    actions.do_set_tags("proposal", lift, [p.topic["民生"]], actor=p.proposal_staff)
    assert AuditEvent.objects.filter(verb="topics.tags_set").count() == 1
    assert TopicTag.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "cosigner", "auditor", "committee_leader", "info_editor",
                                     "dept_handler", "other_staff", "outsider"])
def test_only_the_proposal_office_tags_proposals(world, lift, persona):
    with pytest.raises(PermissionDenied):
        actions.do_set_tags("proposal", lift, [world.topic["民生"]], actor=getattr(world, persona))
    assert not TopicTag.objects.exists()


def test_another_committees_topic_is_refused_and_nothing_is_written(world, lift):
    p = world
    actions.do_set_tags("proposal", lift, [p.topic["民生"]], actor=p.proposal_staff)
    for bad in ([p.other_topic], [p.topic["民生"], 999999], ["abc"]):
        with pytest.raises(ValidationError) as exc:
            actions.do_set_tags("proposal", lift, bad, actor=p.proposal_staff)
        assert "topics" in exc.value.message_dict
    assert tag_names(p, lift) == ["民生"]
    assert AuditEvent.objects.filter(verb="topics.tags_set").count() == 1


def test_an_unknown_kind_is_refused(world, lift):
    with pytest.raises(ValidationError):
        actions.do_set_tags("member", lift, [world.topic["民生"]], actor=None)
    assert not TopicTag.objects.exists()


def test_a_deactivated_topic_cannot_be_added_but_its_tags_are_kept(world, lift):
    p = world
    actions.do_set_tags("proposal", lift, [p.topic["开放"]], actor=p.proposal_staff)
    actions.do_update_topic(p.topic["开放"], {"is_active": False}, actor=p.office_admin)
    # Posting only the active topics (as the widget does) keeps the deactivated tag.
    actions.do_set_tags("proposal", lift, [p.topic["民生"]], actor=p.proposal_staff)
    assert tag_names(p, lift) == ["民生", "开放"]
    other = p.add("关于扩大对外开放的建议")
    with pytest.raises(ValidationError) as exc:
        actions.do_set_tags("proposal", other, [p.topic["开放"]], actor=p.proposal_staff)
    assert "已停用" in " ".join(exc.value.messages)
    assert tag_names(p, other) == []


def test_suggestions_come_from_keywords_in_simplified_or_traditional_text(world):
    p = world
    names = [s.topic.name for s in queries.suggest(p.district, "關於加強典農河水質污染治理的建議")]
    assert names[0] == "生态环保"
    hit = queries.suggest(p.district, "關於加強典農河水質污染治理的建議")[0]
    assert "污染" in hit.matched and "水质" in hit.matched
    assert queries.suggest(p.district, "关于发展夜间经济的建议") == []
    # Already tagged or deactivated topics are not suggested.
    assert queries.suggest(p.district, "河道污染", exclude=[p.topic["生态环保"]]) == []
    actions.do_update_topic(p.topic["生态环保"], {"is_active": False}, actor=p.office_admin)
    assert queries.suggest(p.district, "河道污染") == []


def test_full_width_text_matches_keywords():
    from xieshang.topics.queries import normalize

    assert normalize("ＡＢＣ一带一路") == "abc一带一路"


# ----------------------------------------------------------------------------------------------- the widget

def widget_url(proposal, kind="proposal", committee="district"):
    return reverse("topics:tags", args=[committee, kind, proposal.pk])


def test_the_detail_page_loads_the_widget(world, lift, client, login):
    login(client, world.proposal_staff)
    body = client.get(reverse("proposals:detail", args=["district", lift.pk])).content.decode()
    assert f'hx-get="{widget_url(lift)}"' in body


def test_staff_see_the_form_and_one_click_suggestions(world, lift, client, login):
    login(client, world.proposal_staff)
    body = client.get(widget_url(lift)).content.decode()
    assert 'data-testid="tag-form"' in body
    assert 'data-testid="topic-suggestions"' in body and "+ 民生" in body
    assert f'name="topics" value="{world.topic["民生"].pk}"' in body


def test_a_one_click_suggestion_sets_the_tags_over_htmx(world, lift, client, login):
    p = world
    actions.do_set_tags("proposal", lift, [p.topic["基层治理"]], actor=p.proposal_staff)
    login(client, p.proposal_staff)
    response = client.post(widget_url(lift), {"topics": [p.topic["基层治理"].pk, p.topic["民生"].pk]}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "专题标签已保存" in body and '<span class="tag">民生</span>' in body
    assert tag_names(p, lift) == ["民生", "基层治理"]


def test_a_plain_post_redirects_to_the_proposal(world, lift, client, login):
    login(client, world.proposal_staff)
    response = client.post(widget_url(lift), {"topics": [world.topic["民生"].pk]})
    assert response.status_code == 302
    assert response.url == reverse("proposals:detail", args=["district", lift.pk])


def test_a_refused_topic_is_shown_in_the_widget_and_nothing_written(world, lift, client, login):
    login(client, world.proposal_staff)
    response = client.post(widget_url(lift), {"topics": [world.other_topic.pk]}, **HTMX)
    assert response.status_code == 200
    assert "所选专题不存在或不属于本政协组织" in response.content.decode()
    assert not TopicTag.objects.exists()


def test_the_author_sees_the_tags_but_cannot_change_them(world, lift, client, login):
    p = world
    actions.do_set_tags("proposal", lift, [p.topic["民生"]], actor=p.proposal_staff)
    login(client, p.member)
    body = client.get(widget_url(lift)).content.decode()
    assert '<span class="tag">民生</span>' in body and "tag-form" not in body and "topic-suggestions" not in body
    assert client.post(widget_url(lift), {"topics": []}).status_code == 403
    assert tag_names(p, lift) == ["民生"]


def test_an_invisible_or_foreign_proposal_is_not_found(world, client, login):
    p = world
    draft = p.add("草稿中的提案", status="draft")
    login(client, p.proposal_staff)
    assert client.get(widget_url(draft)).status_code == 404           # a member's draft
    assert client.post(widget_url(draft), {"topics": [p.topic["民生"].pk]}).status_code == 404
    lift = p.add("关于加装电梯的建议")
    assert client.get(widget_url(lift, kind="bogus")).status_code == 404
    login(client, p.other_staff)
    assert client.get(widget_url(lift)).status_code == 403             # not their committee at all
    assert not TopicTag.objects.exists()


# ---------------------------------------------------------------------------------------------- reports

@pytest.fixture
def report(world, monkeypatch):
    from xieshang.opinions import testing as opinion_testing

    opinion_testing.pin_today(monkeypatch, "2026-06-01")
    copy = opinion_testing.submitted_copy(world, data={"title": "关于治理河道污染的信息",
                                                      "situation": "河道污染严重。"})
    return copy.report


def test_information_editors_tag_a_report(world, report):
    p = world
    actions.do_set_tags("opinion", report, [p.topic["生态环保"]], committee=p.district, actor=p.info_editor)
    assert [t.name for t in queries.tags_of(p.district, "opinion", report)] == ["生态环保"]
    assert AuditEvent.objects.get(verb="topics.tags_set").changes["kind"] == "opinion"


@pytest.mark.parametrize("persona", ["member", "proposal_staff", "auditor", "other_staff", "outsider"])
def test_others_cannot_tag_a_report(world, report, persona):
    with pytest.raises(PermissionDenied):
        actions.do_set_tags("opinion", report, [world.topic["生态环保"]], committee=world.district,
                            actor=getattr(world, persona))
    assert not TopicTag.objects.exists()


def test_a_report_without_a_copy_at_the_committee_cannot_be_tagged_there(world, report):
    p = world
    actions.ensure_defaults(p.city)
    with pytest.raises(PermissionDenied):
        actions.do_set_tags("opinion", report, [Topic.objects.filter(committee=p.city).first()],
                            committee=p.city, actor=p.sysadmin)
    assert not TopicTag.objects.exists()


def test_the_report_widget(world, report, client, login):
    p = world
    login(client, p.info_editor)
    url = widget_url(report, kind="opinion")
    body = client.get(url).content.decode()
    assert "tag-form" in body and "+ 生态环保" in body
    assert client.post(url, {"topics": [p.topic["生态环保"].pk]}, **HTMX).status_code == 200
    login(client, p.outsider)
    assert client.get(url).status_code == 403
    login(client, p.dept_handler)  # in the committee, but the report was never sent to the department
    assert client.get(url).status_code == 404
