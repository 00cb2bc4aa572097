"""POST /api/v1/committees/{code}/similar: the similar-items panel's answer, as JSON."""

import re

import pytest
from django.urls import reverse

from xieshang.api.tests.helpers import call
from xieshang.org import actions as org_actions
from xieshang.testing import PERSONA_NAMES


URL = "/api/v1/committees/district/similar"
LIFT = {"title": "關於老舊社區增設電梯的提案", "body": "老舊小區加裝電梯難,主要是費用分攤和鄰里協調。"}
# Who may check similar items of the district (its members and staff, and informants who report there).
CHECKERS = set(PERSONA_NAMES) - {"other_staff", "outsider"}


def titles(response):
    return [item["title"] for item in response.json()["items"]]


def panel_titles(client, login, user, data):
    """The titles the similar-items panel (the page) shows for the same text."""
    login(client, user)
    response = client.get(reverse("search:similar", args=["district"]),
                          {"title": data["title"], "situation": data.get("body", "")})
    assert response.status_code == 200
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', response.content.decode())


def test_a_near_duplicate_comes_first_with_its_scores_and_link(client, history):
    response = call(client, "POST", URL, history.member, LIFT)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["threshold"] == 25
    first = data["items"][0]
    assert (first["kind"], first["object_id"], first["committee"], first["year"]) == (
        "proposal", history.lift.pk, "district", 2025)
    assert first["title"] == history.lift.title
    assert first["url"] == reverse("proposals:detail", args=["district", history.lift.pk])
    assert first["percent"] >= 25 and first["percent"] == round(first["score"] * 100)
    assert 0 < first["title_score"] <= 1 and 0 < first["body_score"] <= 1
    assert "电梯" in first["shared_terms"]
    assert history.river.title not in titles(response)


def test_the_answer_is_the_panels(client, login, history):
    response = call(client, "POST", URL, history.member, LIFT)
    assert titles(response) == panel_titles(client, login, history.member, LIFT) != []


@pytest.mark.parametrize("threshold", [5, 95])
def test_the_committees_threshold_applies_as_on_the_page(client, login, history, threshold):
    org_actions.do_change_setting(history.district, "search.similar_threshold", str(threshold), actor=None)
    response = call(client, "POST", URL, history.member, LIFT)
    assert response.json()["threshold"] == threshold
    assert all(item["percent"] >= threshold for item in response.json()["items"])
    assert titles(response) == panel_titles(client, login, history.member, LIFT)
    if threshold == 95:
        assert titles(response) == []
    else:
        assert history.lift.title in titles(response)


def test_the_item_itself_is_left_out(client, history):
    body = {**LIFT, "exclude_id": history.lift.pk}
    assert history.lift.title not in titles(call(client, "POST", URL, history.member, body))
    body = {**LIFT, "exclude_kind": "proposal", "exclude_id": history.lift.pk}
    assert history.lift.title not in titles(call(client, "POST", URL, history.member, body))
    body = {**LIFT, "exclude_kind": "opinion", "exclude_id": history.lift.pk}
    assert history.lift.title in titles(call(client, "POST", URL, history.member, body))


def test_kinds_and_limit_narrow_the_answer(client, history):
    assert titles(call(client, "POST", URL, history.member, {**LIFT, "kinds": ["opinion"]})) == []
    assert history.lift.title in titles(call(client, "POST", URL, history.member, {**LIFT, "kinds": ["proposal"]}))
    text = {"title": "关于典农河和老旧小区电梯的建议", "body": "典农河水质,老旧小区加装电梯。"}
    org_actions.do_change_setting(history.district, "search.similar_threshold", "5", actor=None)
    assert len(titles(call(client, "POST", URL, history.member, text))) >= 2
    assert len(titles(call(client, "POST", URL, history.member, {**text, "limit": 1}))) == 1


@pytest.mark.parametrize("body, field", [
    ({"title": "", "body": "  "}, "title"),
    ({"body": "加装电梯"}, "title"),
    ({**LIFT, "kinds": []}, "kinds"),
    ({**LIFT, "kinds": ["member"]}, "kinds.0"),
    ({**LIFT, "limit": 21}, "limit"),
    ({**LIFT, "limit": 0}, "limit"),
    ({**LIFT, "exclude_kind": "proposal"}, "exclude_id"),
    ({**LIFT, "exclude_kind": "reply", "exclude_id": 1}, "exclude_kind"),
    ({**LIFT, "title": "长" * 201}, "title"),
    ({**LIFT, "threshold": 0}, "threshold"),
])
def test_bad_input_is_a_422_naming_the_field(client, history, body, field):
    response = call(client, "POST", URL, history.member, body)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_who_may_check_and_what_they_see(client, history, persona):
    response = call(client, "POST", URL, getattr(history, persona), LIFT)
    if persona not in CHECKERS:
        assert response.status_code == 404
        assert set(response.json()) == {"detail"}
        assert history.lift.title not in response.content.decode()
    else:
        assert response.status_code == 200


def test_results_are_only_what_the_caller_may_see(client, history):
    draft = history.add("关于老旧小区加装电梯补贴的建议", "老旧小区加装电梯资金分摊困难。", status="draft",
                        actor=history.cosigner)
    text = {"title": "关于老旧小区加装电梯补贴的建议", "body": "老旧小区加装电梯资金分摊困难。"}
    assert draft.title in titles(call(client, "POST", URL, history.cosigner, text))
    assert draft.title not in titles(call(client, "POST", URL, history.member, text))
    assert draft.title not in titles(call(client, "POST", URL, history.proposal_staff, text))


def test_another_committee_finds_nothing_of_the_district(client, history):
    from xieshang.org.models import RoleGrant

    RoleGrant.objects.create(user=history.other_staff, committee=history.other, role=RoleGrant.Role.PROPOSAL_STAFF)
    response = call(client, "POST", "/api/v1/committees/other/similar", history.other_staff, LIFT)
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_an_unknown_committee_is_a_404_and_no_login_a_401(client, history):
    assert call(client, "POST", "/api/v1/committees/nowhere/similar", history.sysadmin, LIFT).status_code == 404
    assert call(client, "POST", URL, None, LIFT).status_code == 401
