"""Oversight of key proposals (督办): the activities (visits, meetings) recorded on a task, by action, page and API.

Who may record or remove an activity: the proposal office (as for the oversight report) and the committee leader
in charge of the task. Others who see the proposal are refused (403); those who do not see it get 404.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xieshang.api.tests.helpers import call
from xieshang.core.models import AuditEvent
from xieshang.proposals import actions
from xieshang.proposals.models import SupervisionEvent
from xieshang.testing import PERSONA_NAMES

pytestmark = pytest.mark.django_db

PROPOSAL_OFFICE = {"proposal_staff", "office_admin", "sysadmin"}
RECORDERS = PROPOSAL_OFFICE | {"committee_leader"}
# Those who see an assigned proposal (lead dept_a only) of the member without being allowed to record.
SEE_ONLY = {"member", "info_editor", "info_signer", "auditor", "dept_leader", "dept_handler"}
BLIND = {"cosigner", "other_dept_handler", "other_staff", "informant", "outsider"}

VISIT = {"kind": "visit", "date": datetime.date(2026, 2, 27), "place": "东城区幸福里社区",
         "participants": "提案委员会委员 5 人", "leaders_present": "张副主席", "summary": "实地察看加装电梯进展。"}


@pytest.fixture
def key(world):
    """An assigned proposal selected as key, overseen by the committee leader persona."""
    p = world
    p.proposal = p.flow.assigned(co=False)
    p.task = actions.do_select_key_proposal(p.proposal, leader_name="张副主席", leader=p.committee_leader,
                                            actor=p.proposal_staff)
    p.proposal.refresh_from_db()
    return p


def event_verbs(proposal):
    return list(AuditEvent.objects.filter(target_id=str(proposal.pk), verb__startswith="proposals.supervision_event")
                .order_by("id").values_list("verb", flat=True))


# --------------------------------------------------------------------------------------------------- actions


def test_staff_and_the_leader_record_events_kept_in_date_order_and_audited(key):
    p = key
    meeting = actions.do_record_supervision_event(
        p.task, {"kind": "meeting", "date": datetime.date(2026, 3, 2), "summary": "召开督办座谈会。"},
        actor=p.committee_leader)
    visit = actions.do_record_supervision_event(p.task, VISIT, actor=p.proposal_staff)
    assert list(p.task.events.all()) == [visit, meeting]
    visit.refresh_from_db()
    assert (visit.kind, visit.place, visit.leaders_present, visit.recorded_by) == (
        "visit", "东城区幸福里社区", "张副主席", p.proposal_staff)
    assert meeting.recorded_by == p.committee_leader and meeting.recorded_at is not None
    assert event_verbs(p.proposal) == ["proposals.supervision_event_recorded"] * 2
    actions.do_remove_supervision_event(meeting, actor=p.committee_leader)
    assert list(p.task.events.all()) == [visit]
    assert event_verbs(p.proposal)[-1] == "proposals.supervision_event_removed"


def test_the_permission_matrix(key):
    p = key
    holders = {name for name in PERSONA_NAMES
               if getattr(p, name).has_perm("proposals.record_supervision_event", p.task)}
    assert holders == RECORDERS
    assert {name for name in PERSONA_NAMES
            if getattr(p, name).has_perm("proposals.record_supervision_event", p.proposal)} == RECORDERS


def test_without_a_leader_user_only_the_office_may_record_and_nobody_on_a_proposal_that_is_not_key(world):
    p = world
    proposal = p.flow.filed()
    assert not any(getattr(p, n).has_perm("proposals.record_supervision_event", proposal) for n in PERSONA_NAMES)
    task = actions.do_select_key_proposal(proposal, leader_name="张副主席", actor=p.proposal_staff)
    assert {n for n in PERSONA_NAMES if getattr(p, n).has_perm("proposals.record_supervision_event", task)} == (
        PROPOSAL_OFFICE)


@pytest.mark.parametrize("persona", sorted(SEE_ONLY | BLIND))
def test_others_are_refused_and_nothing_is_written(key, persona):
    p = key
    event = actions.do_record_supervision_event(p.task, VISIT, actor=p.proposal_staff)
    with pytest.raises(PermissionDenied):
        actions.do_record_supervision_event(p.task, VISIT, actor=getattr(p, persona))
    with pytest.raises(PermissionDenied):
        actions.do_remove_supervision_event(event, actor=getattr(p, persona))
    assert list(SupervisionEvent.objects.all()) == [event]
    assert event_verbs(p.proposal) == ["proposals.supervision_event_recorded"]


@pytest.mark.parametrize("change,field", [
    ({"date": datetime.date(2026, 3, 3)}, "date"),  # tomorrow (the clock stands at 2026-03-02)
    ({"date": None}, "date"),
    ({"date": "2026-02-30"}, "date"),
    ({"kind": ""}, "kind"),
    ({"kind": "party"}, "kind"),
    ({"summary": "   "}, "summary"),
    ({"place": "地" * 201}, "place"),
])
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_written(key, change, field):
    p = key
    with pytest.raises(ValidationError) as caught:
        actions.do_record_supervision_event(p.task, {**VISIT, **change}, actor=p.proposal_staff)
    assert field in caught.value.message_dict
    assert caught.value.message_dict[field][0]
    assert not SupervisionEvent.objects.exists()
    assert event_verbs(p.proposal) == []


def test_today_is_accepted(key):
    p = key
    event = actions.do_record_supervision_event(p.task, {**VISIT, "date": p.clock()}, actor=p.proposal_staff)
    assert event.date == datetime.date(2026, 3, 2)


# --------------------------------------------------------------------------------------------------- page


def detail_url(p):
    return reverse("proposals:detail", args=[p.district.code, p.proposal.pk])


def op_url(p, op):
    return reverse("proposals:op", args=[p.district.code, p.proposal.pk, op])


def form_data(p, data):
    return {f"supervision_event-{p.proposal.pk}-{k}": ("" if v is None else str(v)) for k, v in data.items()}


def test_the_page_lists_events_and_offers_the_form_to_recorders_only(key, client, login):
    p = key
    actions.do_record_supervision_event(p.task, VISIT, actor=p.proposal_staff)
    login(client, p.committee_leader)
    page = client.get(detail_url(p)).content.decode()
    start = page.index('data-testid="oversight"')
    section = page[start:page.index("</section>", start)]
    assert "实地察看加装电梯进展。" in section and "东城区幸福里社区" in section and "2026-02-27" in section
    assert 'data-op="supervision_event"' in section
    assert "remove_supervision_event" in section
    assert "记录了督办活动" in page  # the timeline
    client.logout()
    login(client, p.dept_handler)
    page = client.get(detail_url(p)).content.decode()
    assert "实地察看加装电梯进展。" in page
    assert 'data-op="supervision_event"' not in page and "remove_supervision_event" not in page


@pytest.mark.parametrize("persona", sorted(RECORDERS | SEE_ONLY | BLIND))
def test_the_page_operations_answer_by_persona(key, client, login, persona):
    p = key
    existing = actions.do_record_supervision_event(p.task, VISIT, actor=p.proposal_staff)
    login(client, getattr(p, persona))
    added = client.post(op_url(p, "supervision_event"), form_data(p, {**VISIT, "summary": "第二次视察。"}))
    removed = client.post(op_url(p, "remove_supervision_event"),
                          {f"remove_supervision_event-{p.proposal.pk}-event": existing.pk})
    expected = 302 if persona in RECORDERS else 403 if persona in SEE_ONLY else 404
    assert (added.status_code, removed.status_code) == (expected, expected)
    summaries = set(SupervisionEvent.objects.values_list("summary", flat=True))
    assert summaries == ({"第二次视察。"} if persona in RECORDERS else {VISIT["summary"]})


def test_the_page_shows_errors_and_writes_nothing_on_bad_input(key, client, login):
    p = key
    login(client, p.proposal_staff)
    response = client.post(op_url(p, "supervision_event"), form_data(p, {**VISIT, "date": "2026-03-03"}))
    assert response.status_code == 400
    assert "活动日期不能晚于今天" in response.content.decode()
    response = client.post(op_url(p, "supervision_event"), form_data(p, {**VISIT, "kind": "", "summary": ""}))
    assert response.status_code == 400
    assert not SupervisionEvent.objects.exists()


def test_an_event_of_another_proposal_cannot_be_removed_through_this_one(key, client, login):
    p = key
    other = p.flow.filed(title="关于另一件的建议")
    task = actions.do_select_key_proposal(other, leader_name="李主席", actor=p.proposal_staff)
    foreign = actions.do_record_supervision_event(task, VISIT, actor=p.proposal_staff)
    login(client, p.proposal_staff)
    response = client.post(op_url(p, "remove_supervision_event"),
                           {f"remove_supervision_event-{p.proposal.pk}-event": foreign.pk})
    assert response.status_code == 400
    assert SupervisionEvent.objects.filter(pk=foreign.pk).exists()


# --------------------------------------------------------------------------------------------------- API


def api(p, suffix=""):
    return f"/api/v1/proposals/{p.proposal.pk}/oversight/events{suffix}"


def api_body(data):
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}


def test_the_api_lists_adds_and_removes_events(key, client):
    p = key
    r = call(client, "POST", api(p), p.committee_leader, api_body(VISIT))
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["date"], body["place"], body["summary"]) == (
        "visit", "2026-02-27", "东城区幸福里社区", "实地察看加装电梯进展。")
    r = call(client, "GET", api(p), p.dept_handler)
    assert r.status_code == 200 and [e["id"] for e in r.json()] == [body["id"]]
    assert call(client, "DELETE", api(p, f"/{body['id']}"), p.proposal_staff).status_code == 204
    assert call(client, "GET", api(p), p.proposal_staff).json() == []
    assert event_verbs(p.proposal) == ["proposals.supervision_event_recorded", "proposals.supervision_event_removed"]


@pytest.mark.parametrize("persona", sorted(RECORDERS | SEE_ONLY | BLIND))
def test_the_api_answers_by_persona(key, client, persona):
    p = key
    existing = actions.do_record_supervision_event(p.task, VISIT, actor=p.proposal_staff)
    user = getattr(p, persona)
    added = call(client, "POST", api(p), user, api_body({**VISIT, "summary": "第二次视察。"}))
    removed = call(client, "DELETE", api(p, f"/{existing.pk}"), user)
    listed = call(client, "GET", api(p), user)
    expected = 201 if persona in RECORDERS else 403 if persona in SEE_ONLY else 404
    assert added.status_code == expected, added.content
    assert removed.status_code == (204 if persona in RECORDERS else expected)
    assert listed.status_code == (404 if persona in BLIND else 200)
    summaries = set(SupervisionEvent.objects.values_list("summary", flat=True))
    assert summaries == ({"第二次视察。"} if persona in RECORDERS else {VISIT["summary"]})


@pytest.mark.parametrize("change", [{"date": "2026-03-03"}, {"date": "yesterday"}, {"kind": "party"},
                                    {"summary": " "}, {"unknown": 1}])
def test_the_api_refuses_bad_input_and_writes_nothing(key, client, change):
    p = key
    r = call(client, "POST", api(p), p.proposal_staff, {**api_body(VISIT), **change})
    assert r.status_code == 422, r.content
    assert not SupervisionEvent.objects.exists()


def test_the_api_answers_404_for_a_proposal_that_is_not_key_and_an_unknown_event(key, client):
    p = key
    plain = p.flow.filed(title="关于普通提案的建议")
    assert call(client, "GET", f"/api/v1/proposals/{plain.pk}/oversight/events", p.proposal_staff).status_code == 404
    assert call(client, "POST", f"/api/v1/proposals/{plain.pk}/oversight/events", p.proposal_staff,
                api_body(VISIT)).status_code == 404
    assert call(client, "DELETE", api(p, "/999999"), p.proposal_staff).status_code == 404
