"""Search intelligence on 社情民意 pages (issue 5): the similar-items panel on the report form and on an editor's
copy page, filtered by what each reader may see; topic tags on the copy page; the ``topic`` filter of the
office's queue and reports list."""

import datetime

import pytest
from django.urls import reverse

from xieshang.opinions import actions
from xieshang.opinions import testing as ot
from xieshang.opinions.models import Dispatch, ReportCopy
from xieshang.org.models import Session, Term
from xieshang.proposals import actions as proposal_actions
from xieshang.proposals.models import Proposal
from xieshang.search import index
from xieshang.topics import actions as topic_actions
from xieshang.topics.models import Topic

ELEVATOR = {"title": "关于加快老旧小区加装电梯的建议",
            "situation": "本区老旧小区加装电梯进展缓慢，老年居民上下楼困难。",
            "analysis": "资金分摊难、低层住户意见难统一。",
            "suggestion": "建议设立专项补贴，建立街道协调机制。"}
RIVER = {"title": "关于治理典农河水体污染的建议", "situation": "典农河沿岸排污口较多，水质下降。",
         "analysis": "", "suggestion": "建议开展排污口整治。"}
TYPED = {"title": "关于老旧小区加装电梯补贴的建议", "situation": "老旧小区加装电梯难，老年居民上下楼不便。",
         "analysis": "", "suggestion": "建议财政补贴加装电梯。"}


def _reindex_copies():
    for pk in ReportCopy.objects.values_list("pk", flat=True):
        index.reindex("opinion", pk)


@pytest.fixture
def world(chain):
    """An earlier elevator report by the member (signed at the district and forwarded to the city), a river
    report by the informant, an elevator proposal filed in the district, all in the index."""
    p = chain
    term = Term.objects.create(committee=p.district, number=10, start_date=datetime.date(2022, 1, 1),
                               is_current=True)
    session = Session.objects.create(term=term, number=5, year=2026, plenary_start=datetime.date(2026, 1, 20),
                                     plenary_end=datetime.date(2026, 1, 23))
    p.proposal = proposal_actions.do_create_proposal(
        p.district, session, {"title": "关于老旧小区加装电梯的提案", "situation": ELEVATOR["situation"]},
        actor=p.cosigner)
    Proposal.objects.filter(pk=p.proposal.pk).update(status="filed")
    index.reindex("proposal", p.proposal.pk)
    p.elevator = ot.signed_copy(p, data=ELEVATOR)
    p.city_elevator = ot.forward(p, p.elevator)
    p.river = ot.submitted_copy(p, actor=p.informant, data=RIVER)
    _reindex_copies()
    return p


def similar_url(code="district"):
    return reverse("search:similar", args=[code])


def panel(client, params, code="district"):
    response = client.get(similar_url(code), params, HTTP_HX_REQUEST="true")
    return response, response.content.decode()


# ------------------------------------------------------------------------------- the report form

@pytest.mark.parametrize("name", ["new", "edit"])
def test_the_report_form_loads_the_similar_panel_while_typing(world, client, login, name):
    p = world
    login(client, p.member)
    if name == "new":
        url = reverse("opinions:new", args=["district"])
    else:
        draft = ot.make_report(p, data=RIVER)
        url = reverse("opinions:edit", args=["district", draft.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="similar-panel"' in page
    assert similar_url() + "?subject=opinion" in page
    assert 'hx-trigger="load, input changed delay:600ms from:#report-form"' in page
    assert 'id="report-form"' in page
    assert 'hx-include="#id_title, #id_situation, #id_analysis, #id_suggestion"' in page


def test_the_author_sees_their_earlier_report_and_visible_proposals_while_typing(world, client, login):
    p = world
    login(client, p.member)
    response, body = panel(client, {"subject": "opinion", **TYPED})
    assert response.status_code == 200
    assert ELEVATOR["title"] in body  # the member's own earlier report (its district copy)
    assert reverse("opinions:copy", args=["district", p.elevator.pk]) in body
    assert "本篇信息相似" in body and "并案" not in body
    assert RIVER["title"] not in body


def test_an_informant_may_use_the_panel_and_sees_only_their_own_reports(world, client, login):
    p = world
    login(client, p.informant)
    response, body = panel(client, {"subject": "opinion", **RIVER, "title": "典农河水体污染治理"})
    assert response.status_code == 200
    assert RIVER["title"] in body
    response, body = panel(client, {"subject": "opinion", **TYPED})
    assert response.status_code == 200
    assert ELEVATOR["title"] not in body  # another author's report: not a title, not a count
    assert 'data-testid="similar-none"' in body


def test_a_report_being_changed_does_not_find_itself(world, client, login):
    p = world
    p.elevator.report.refresh_from_db()
    login(client, p.member)
    _, body = panel(client, {"subject": "opinion", "report": p.elevator.report_id, **ELEVATOR})
    assert reverse("opinions:copy", args=["district", p.elevator.pk]) not in body
    # ``report`` only leaves out the user's own reports: someone else's id excludes nothing.
    login(client, p.info_editor)
    _, body = panel(client, {"subject": "opinion", "report": p.elevator.report_id, **ELEVATOR})
    assert reverse("opinions:copy", args=["district", p.elevator.pk]) in body


def test_exclude_accepts_kind_and_id(world, client, login):
    p = world
    login(client, p.info_editor)
    _, body = panel(client, {"subject": "opinion", "exclude": f"opinion:{p.elevator.pk}", **ELEVATOR})
    assert reverse("opinions:copy", args=["district", p.elevator.pk]) not in body
    _, body = panel(client, {"subject": "opinion", "exclude": "bogus:x", **ELEVATOR})
    assert reverse("opinions:copy", args=["district", p.elevator.pk]) in body


@pytest.mark.parametrize("persona", ["outsider", "other_staff", "city_editor"])
def test_the_typing_panel_is_refused_outside_the_committee(world, client, login, persona):
    login(client, getattr(world, persona))
    response, body = panel(client, {"subject": "opinion", **TYPED})
    assert response.status_code == 403
    assert ELEVATOR["title"] not in body


# ------------------------------------------------------------------------------- the copy page

def copy_url(copy, code=None):
    return reverse("opinions:copy", args=[code or copy.committee.code, copy.pk])


def test_the_copy_page_loads_the_panel_for_its_editors(world, client, login):
    p = world
    login(client, p.info_editor)
    page = client.get(copy_url(p.river)).content.decode()
    assert 'data-testid="copy-similar-panel"' in page
    assert f"{similar_url()}?copy={p.river.pk}" in page


@pytest.mark.parametrize("persona", ["info_signer", "committee_leader", "informant", "city_editor"])
def test_the_copy_page_has_no_panel_for_those_who_do_not_edit_it(world, client, login, persona):
    p = world
    login(client, getattr(p, persona))
    response = client.get(copy_url(p.river))
    if persona == "city_editor":
        assert response.status_code == 404  # below the city: not seen at all
        return
    assert response.status_code == 200
    assert 'data-testid="copy-similar-panel"' not in response.content.decode()


def test_the_editor_sees_earlier_reports_and_proposals_on_the_same_issue(world, client, login):
    p = world
    new = ot.submitted_copy(p, actor=p.member, data=TYPED)
    _reindex_copies()
    login(client, p.info_editor)
    response, body = panel(client, {"copy": new.pk})
    assert response.status_code == 200
    assert ELEVATOR["title"] in body and "关于老旧小区加装电梯的提案" in body
    assert reverse("proposals:detail", args=["district", p.proposal.pk]) in body
    assert copy_url(new) not in body  # the copy itself is left out
    assert RIVER["title"] not in body  # unrelated
    assert "供核稿时参考" in body and 'data-testid="merge-candidate"' not in body


def test_the_city_editor_sees_only_the_citys_copies(world, client, login):
    p = world
    city_new = ot.forward(p, ot.signed_copy(p, data=TYPED))
    _reindex_copies()
    login(client, p.city_editor)
    response, body = panel(client, {"copy": city_new.pk}, code="city")
    assert response.status_code == 200
    assert copy_url(p.city_elevator) in body
    assert copy_url(p.elevator) not in body and "/c/district/" not in body  # nothing of the district's


@pytest.mark.parametrize("persona,status", [
    ("info_signer", 403), ("committee_leader", 403), ("member", 403),  # see the copy, do not edit it
    ("cosigner", 404), ("dept_handler", 404),                          # do not see it
    ("outsider", 403), ("other_staff", 403),                            # not in the committee at all
])
def test_the_copy_panel_endpoint_answers_only_the_copys_editors(world, client, login, persona, status):
    p = world
    login(client, getattr(p, persona))
    response, body = panel(client, {"copy": p.elevator.pk})
    assert response.status_code == status
    assert ELEVATOR["title"] not in body and "加装电梯" not in body


def test_a_copy_of_another_committee_is_a_404(world, client, login):
    p = world
    login(client, p.info_editor)
    response, _ = panel(client, {"copy": p.city_elevator.pk})  # the city's copy, asked at the district
    assert response.status_code == 404
    response, _ = panel(client, {"copy": "x"})
    assert response.status_code == 404


def test_a_department_never_sees_reports_in_the_panel(world, client, login):
    """Even a copy sent to the department (which it may open) is not offered: reports are for the office."""
    p = world
    actions.do_dispatch_copy(p.elevator, [{"kind": Dispatch.Kind.DEPARTMENT, "name": p.dept_a.name,
                                           "department": p.dept_a}], actor=p.info_editor)
    _reindex_copies()
    assert p.dept_handler.has_perm("opinions.view_copy", p.elevator)
    login(client, p.dept_handler)
    response, body = panel(client, {"subject": "opinion", **TYPED})
    assert response.status_code == 200
    assert ELEVATOR["title"] not in body and RIVER["title"] not in body
    response, body = panel(client, {"copy": p.elevator.pk})
    assert response.status_code == 403 and ELEVATOR["title"] not in body


# ------------------------------------------------------------------------------- topic tags on the copy page

def test_the_tags_widget_is_on_the_copy_page_for_the_office(world, client, login):
    p = world
    for persona in ("info_editor", "info_signer", "committee_leader"):
        login(client, getattr(p, persona))
        page = client.get(copy_url(p.river)).content.decode()
        assert 'data-testid="topic-tags"' in page, persona
        assert reverse("topics:tags", args=["district", "opinion", p.river.report_id]) in page, persona


@pytest.mark.parametrize("persona", ["informant", "member"])
def test_the_tags_widget_is_not_shown_to_authors(world, client, login, persona):
    p = world
    copy = p.river if persona == "informant" else p.elevator
    login(client, getattr(p, persona))
    response = client.get(copy_url(copy))
    assert response.status_code == 200
    assert 'data-testid="topic-tags"' not in response.content.decode()


def test_the_city_copy_page_tags_with_the_citys_topics(world, client, login):
    p = world
    login(client, p.city_editor)
    page = client.get(copy_url(p.city_elevator)).content.decode()
    assert reverse("topics:tags", args=["city", "opinion", p.elevator.report_id]) in page
    # the district's editor reads the city copy (how far it went) but does not get the city's tags
    login(client, p.info_editor)
    page = client.get(copy_url(p.city_elevator)).content.decode()
    assert 'data-testid="topic-tags"' not in page


def test_editors_change_the_tags_readers_only_read_them(world, client, login):
    p = world
    topic_actions.ensure_defaults(p.district)
    topic = Topic.objects.get(committee=p.district, name="民生")
    url = reverse("topics:tags", args=["district", "opinion", p.river.report_id])
    login(client, p.info_editor)
    body = client.get(url).content.decode()
    assert 'data-testid="tag-form"' in body
    assert client.post(url, {"topics": [topic.pk]}, HTTP_HX_REQUEST="true").status_code == 200
    login(client, p.committee_leader)
    body = client.get(url).content.decode()
    assert "民生" in body and 'data-testid="tag-form"' not in body
    assert client.post(url, {"topics": []}).status_code == 403


# ------------------------------------------------------------------------------- the topic filter

@pytest.fixture
def tagged(world):
    p = world
    topic_actions.ensure_defaults(p.district)
    topic_actions.ensure_defaults(p.city)
    p.topic = {t.name: t for t in Topic.objects.filter(committee=p.district)}
    p.city_topic = {t.name: t for t in Topic.objects.filter(committee=p.city)}
    topic_actions.do_set_tags("opinion", p.elevator.report, [p.topic["民生"]], committee=p.district,
                              actor=p.info_editor)
    topic_actions.do_set_tags("opinion", p.river.report, [p.topic["生态环保"]], committee=p.district,
                              actor=p.info_editor)
    # The city tags the forwarded report with its own topic of the same name: never counted at the district.
    topic_actions.do_set_tags("opinion", p.elevator.report, [p.city_topic["生态环保"]], committee=p.city,
                              actor=p.city_editor)
    return p


def test_the_queue_filters_by_topic(tagged, client, login):
    p = tagged
    login(client, p.info_editor)
    url = reverse("opinions:queue", args=["district"])
    body = client.get(url, {"status": "all", "topic": p.topic["生态环保"].pk}).content.decode()
    assert RIVER["title"] in body and ELEVATOR["title"] not in body
    body = client.get(url, {"status": "all", "topic": p.topic["民生"].pk}).content.decode()
    assert ELEVATOR["title"] in body and RIVER["title"] not in body
    body = client.get(url, {"status": "all", "topic": p.topic["开放"].pk}).content.decode()
    assert RIVER["title"] not in body and ELEVATOR["title"] not in body
    assert 'name="topic"' in body and "民生" in body


def test_the_queue_ignores_another_committees_topic(tagged, client, login):
    p = tagged
    login(client, p.info_editor)
    url = reverse("opinions:queue", args=["district"])
    response = client.get(url, {"status": "all", "topic": p.city_topic["生态环保"].pk})
    body = response.content.decode()
    # not a choice here: the filter is dropped (as every invalid filter value) rather than matching city tags
    assert RIVER["title"] in body and ELEVATOR["title"] in body
    city = client.get(reverse("opinions:queue", args=["city"]), {"status": "all"})
    assert city.status_code == 403


def test_the_city_queue_filters_by_the_citys_tags(tagged, client, login):
    p = tagged
    login(client, p.city_editor)
    url = reverse("opinions:queue", args=["city"])
    body = client.get(url, {"status": "all", "topic": p.city_topic["生态环保"].pk}).content.decode()
    assert ELEVATOR["title"] in body
    body = client.get(url, {"status": "all", "topic": p.city_topic["民生"].pk}).content.decode()
    assert ELEVATOR["title"] not in body


def test_the_htmx_queue_keeps_the_topic_filter(tagged, client, login):
    p = tagged
    login(client, p.info_editor)
    response = client.get(reverse("opinions:queue", args=["district"]),
                          {"status": "all", "topic": p.topic["民生"].pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="queue-count"' in body and "<html" not in body
    assert ELEVATOR["title"] in body and RIVER["title"] not in body


def test_the_reports_list_filters_by_topic(tagged, client, login):
    p = tagged
    login(client, p.info_editor)
    url = reverse("opinions:list", args=["district"])
    body = client.get(url, {"topic": p.topic["民生"].pk}).content.decode()
    assert ELEVATOR["title"] in body and RIVER["title"] not in body
    body = client.get(url, {"topic": p.topic["生态环保"].pk, "year": 2026}).content.decode()
    assert RIVER["title"] in body and ELEVATOR["title"] not in body
    body = client.get(url, {"topic": "nonsense"}).content.decode()
    assert RIVER["title"] in body and ELEVATOR["title"] in body


def test_the_topic_filter_is_not_a_way_around_the_list_permission(tagged, client, login):
    p = tagged
    for persona in ("member", "informant", "dept_handler"):
        login(client, getattr(p, persona))
        response = client.get(reverse("opinions:list", args=["district"]), {"topic": p.topic["民生"].pk})
        assert response.status_code == 403, persona
        assert ELEVATOR["title"] not in response.content.decode()
