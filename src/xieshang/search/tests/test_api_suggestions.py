"""Department suggestions in the API: GET …/department-suggestions and POST …/department-suggestions/decision."""

import re

import pytest
from django.urls import reverse

from xieshang.api.tests.helpers import call
from xieshang.core.models import AuditEvent
from xieshang.org.models import Department
from xieshang.proposals.models import Proposal
from xieshang.search.models import SuggestionRecord
from xieshang.testing import PERSONA_NAMES


PROPOSAL_OFFICE = {"proposal_staff", "office_admin", "sysadmin"}


def suggestions_url(proposal, code="district"):
    return f"/api/v1/committees/{code}/proposals/{proposal.pk}/department-suggestions"


def decision_url(proposal, code="district"):
    return suggestions_url(proposal, code) + "/decision"


def expected_refusal(user, proposal):
    """404 when the persona cannot see the proposal (or its committee), 403 when it can but may not decide."""
    return 403 if Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists() else 404


def test_the_suggestion_names_the_department_and_the_neighbours_behind_it(client, history):
    response = call(client, "GET", suggestions_url(history.new_river), history.proposal_staff)
    assert response.status_code == 200, response.json()
    first = response.json()[0]
    assert first["department"] == {"id": history.dept_a.pk, "name": "区生态环境局", "kind": "government",
                                   "kind_label": str(history.dept_a.get_kind_display())}
    assert first["score"] > 0
    reason = first["reasons"][0]
    assert (reason["proposal_id"], reason["title"], reason["year"]) == (history.river.pk, history.river.title, 2025)
    assert reason["case_number"] == history.river.case_number
    assert reason["url"] == reverse("proposals:detail", args=["district", history.river.pk])
    assert 25 <= reason["percent"] <= 100


def test_the_suggestions_are_the_panels(client, login, history):
    response = call(client, "GET", suggestions_url(history.new_river), history.proposal_staff)
    names = [s["department"]["name"] for s in response.json()]
    login(client, history.proposal_staff)
    panel = client.get(reverse("search:proposal_panel", args=["district", history.new_river.pk])).content.decode()
    section = panel[panel.index("suggestion-panel"):]
    assert re.findall(r"<li><strong>([^<]*)</strong>", section) == names != []


def test_no_neighbour_handled_by_a_department_gives_no_suggestion(client, history):
    from xieshang.search import index

    for past in (history.lift, history.river):
        past.suggested_departments.clear()
        index.reindex("proposal", past.pk)
    response = call(client, "GET", suggestions_url(history.new_river), history.proposal_staff)
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_proposal_office_gets_suggestions(client, history, persona):
    user = getattr(history, persona)
    response = call(client, "GET", suggestions_url(history.new_river), user)
    if persona in PROPOSAL_OFFICE:
        assert response.status_code == 200
    else:
        assert response.status_code == expected_refusal(user, history.new_river)
        assert set(response.json()) == {"detail"}
        assert "区生态环境局" not in response.content.decode()


def test_a_proposal_the_office_cannot_see_is_a_404(client, history):
    draft = history.add("关于典农河排污口的建议", "沿岸排污口整治。", status="draft")
    assert call(client, "GET", suggestions_url(draft), history.proposal_staff).status_code == 404
    assert call(client, "POST", decision_url(draft), history.proposal_staff,
                {"suggested": [], "chosen": [history.dept_a.pk]}).status_code == 404
    assert call(client, "GET", suggestions_url(history.new_river, "other"), history.proposal_staff).status_code == 404
    assert not SuggestionRecord.objects.exists()


def test_an_accepted_suggestion_is_recorded_with_its_order(client, history):
    a, b = history.dept_a, history.dept_b
    response = call(client, "POST", decision_url(history.new_river), history.proposal_staff,
                    {"suggested": [b.pk, a.pk], "chosen": [a.pk]})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["decision"], data["suggested"], data["chosen"], data["proposal_id"]) == (
        "accepted", [b.pk, a.pk], [a.pk], history.new_river.pk)
    record = SuggestionRecord.objects.get(pk=data["id"])
    assert record.suggested_order == [b.pk, a.pk]
    assert set(record.suggested.all()) == {a, b} and list(record.chosen.all()) == [a]
    assert record.decided_by == history.proposal_staff and record.committee == history.district
    event = AuditEvent.objects.get(verb="search.suggestion_decided")
    assert event.via == "api" and event.changes["suggested"] == [b.pk, a.pk]


def test_choosing_outside_the_suggestion_is_an_override(client, history):
    a, b = history.dept_a, history.dept_b
    response = call(client, "POST", decision_url(history.new_river), history.proposal_staff,
                    {"suggested": [a.pk], "chosen": [a.pk, b.pk]})
    assert response.json()["decision"] == "overridden"
    response = call(client, "POST", decision_url(history.new_river), history.proposal_staff,
                    {"chosen": [b.pk]})
    assert (response.json()["decision"], response.json()["suggested"]) == ("overridden", [])


@pytest.mark.parametrize("body, field", [
    ({"suggested": [1], "chosen": []}, "chosen"),
    ({"suggested": []}, "chosen"),
    ({"chosen": ["x"]}, "chosen.0"),
    ({"chosen": "a"}, "chosen"),
    ({"chosen": [1], "reasons": []}, "reasons"),
])
def test_malformed_decisions_are_a_422(client, history, body, field):
    response = call(client, "POST", decision_url(history.new_river), history.proposal_staff, body)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert not SuggestionRecord.objects.exists()


@pytest.mark.parametrize("which", ["foreign_chosen", "foreign_suggested", "unknown_chosen", "inactive_chosen"])
def test_foreign_unknown_or_inactive_departments_are_a_422_and_nothing_is_written(client, history, which):
    a, other = history.dept_a, history.dept_other
    inactive = Department.objects.create(committee=history.district, name="已撤销的局", kind="government",
                                         is_active=False)
    body = {
        "foreign_chosen": {"suggested": [a.pk], "chosen": [a.pk, other.pk]},
        "foreign_suggested": {"suggested": [a.pk, other.pk], "chosen": [a.pk]},
        "unknown_chosen": {"suggested": [a.pk], "chosen": [999999]},
        "inactive_chosen": {"suggested": [a.pk], "chosen": [inactive.pk]},
    }[which]
    response = call(client, "POST", decision_url(history.new_river), history.proposal_staff, body)
    assert response.status_code == 422
    field = "suggested" if which == "foreign_suggested" else "chosen"
    assert list(response.json()["errors"]) == [field]
    assert "西城区" not in response.content.decode()
    assert not SuggestionRecord.objects.exists()
    assert not AuditEvent.objects.filter(verb="search.suggestion_decided").exists()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_proposal_office_records_decisions(client, history, persona):
    user = getattr(history, persona)
    response = call(client, "POST", decision_url(history.new_river), user, {"chosen": [history.dept_a.pk]})
    if persona in PROPOSAL_OFFICE:
        assert response.status_code == 201
        assert SuggestionRecord.objects.count() == 1
    else:
        assert response.status_code == expected_refusal(user, history.new_river)
        assert not SuggestionRecord.objects.exists()
