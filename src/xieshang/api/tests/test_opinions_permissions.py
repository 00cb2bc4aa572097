"""The 社情民意 API's permission matrix: every persona against the main read and write endpoints.

200/201 when the rule allows; 403 when the persona sees the object but may not act on it; 404 when it cannot
see it (or its committee) at all, with nothing of the object in the answer. Writes go through the real actions,
and a refused call leaves the database as it was.
"""

import pytest

from xieshang.opinions.models import BulletinIssue, FollowUp, Report, ReportVersion
from xieshang.testing import PERSONA_NAMES

from .helpers import call
from .opinions_fixtures import opinion_world  # noqa: F401  (the ``ow`` fixture)

# The committee's office roles read its copies (the rule's READER_ROLES); the sysadmin counts everywhere.
READERS = {"proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor", "sysadmin"}
EDITORS = {"info_editor", "office_admin", "sysadmin"}
SIGNERS = {"info_signer"}
DEPT_A = {"dept_leader", "dept_handler"}
# Everyone with some role in the district (so the committee itself is visible to them).
IN_DISTRICT = set(PERSONA_NAMES) - {"other_staff", "outsider"}


def expected(persona, allowed, visible, ok=200):
    if persona in allowed:
        return ok
    return 403 if persona in visible else 404


def assert_no_data(response, *secrets):
    assert set(response.json()) == {"detail"}, response.json()
    for secret in secrets:
        assert secret not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_draft_is_seen_only_by_its_author(client, ow, persona):
    report = ow.flow.draft("关于草稿保密的建议")
    response = call(client, "GET", f"/api/v1/opinions/reports/{report.pk}", getattr(ow, persona))
    assert response.status_code == (200 if persona == "member" else 404)
    if response.status_code == 404:
        assert_no_data(response, "关于草稿保密的建议")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_submitted_report_is_seen_by_its_author_and_the_office(client, ow, persona):
    report = ow.flow.submitted("关于已报送信息的建议")
    response = call(client, "GET", f"/api/v1/opinions/reports/{report.pk}", getattr(ow, persona))
    visible = {"member"} | READERS
    assert response.status_code == (200 if persona in visible else 404)
    if response.status_code == 200:
        data = response.json()
        assert data["number"] == "2026-0001"
        # Contacts only for the author and the originating committee's editors.
        assert (data["contact_name"] is not None) == (persona in {"member"} | EDITORS)
    else:
        assert_no_data(response, "关于已报送信息的建议")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_copy_is_seen_by_the_author_and_the_office_only(client, ow, persona):
    copy = ow.flow.pending("关于待核稿信息的建议")
    response = call(client, "GET", f"/api/v1/opinions/copies/{copy.pk}", getattr(ow, persona))
    assert response.status_code == (200 if persona in {"member"} | READERS else 404)
    if response.status_code == 404:
        assert_no_data(response, "关于待核稿信息的建议")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_dispatched_copy_is_seen_by_the_receiving_department_too(client, ow, persona):
    copy = ow.flow.dispatched("关于报送部门信息的建议")
    response = call(client, "GET", f"/api/v1/opinions/copies/{copy.pk}", getattr(ow, persona))
    assert response.status_code == (200 if persona in {"member"} | READERS | DEPT_A else 404)
    if response.status_code == 404:
        assert_no_data(response, "关于报送部门信息的建议")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_author_changes_a_draft(client, ow, persona):
    report = ow.flow.draft()
    response = call(client, "PATCH", f"/api/v1/opinions/reports/{report.pk}", getattr(ow, persona),
                    {"title": "关于改过标题的建议"})
    assert response.status_code == (200 if persona == "member" else 404), response.content
    report.refresh_from_db()
    assert (report.title == "关于改过标题的建议") == (persona == "member")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_author_changes_a_returned_report(client, ow, persona):
    copy = ow.flow.returned()
    response = call(client, "PATCH", f"/api/v1/opinions/reports/{copy.report_id}", getattr(ow, persona),
                    {"suggestion": "建议先行试点。"})
    assert response.status_code == expected(persona, {"member"}, READERS), response.content
    report = Report.objects.get(pk=copy.report_id)
    assert (report.suggestion == "建议先行试点。") == (persona == "member")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_members_and_informants_start_reports_and_editors_must_name_the_author(client, ow, persona):
    body = {"title": "关于接口起草信息的建议", "situation": "情况。"}
    response = call(client, "POST", "/api/v1/committees/district/opinions/reports", getattr(ow, persona), body)
    if persona in {"other_staff", "outsider"}:
        assert response.status_code == 404
    elif persona in {"member", "cosigner", "informant"}:
        assert response.status_code == 201, response.content
        assert response.json()["author_kind"] == ("informant" if persona == "informant" else "member")
    elif persona in EDITORS:
        # Allowed to enter reports, but on someone's behalf only: without an author it is a 422.
        assert response.status_code == 422, response.content
    else:
        assert response.status_code == 403, response.content
    assert Report.objects.filter(title="关于接口起草信息的建议").count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_editing_is_for_the_committees_editors(client, ow, persona):
    copy = ow.flow.pending()
    response = call(client, "POST", f"/api/v1/opinions/copies/{copy.pk}/edit", getattr(ow, persona),
                    {"title": "关于规范二次供水管护的建议"})
    assert response.status_code == expected(persona, EDITORS, {"member"} | READERS), response.content
    copy.refresh_from_db()
    assert copy.status == ("edited" if response.status_code == 200 else "pending")
    assert ReportVersion.objects.filter(report_id=copy.report_id).count() == (2 if response.status_code == 200 else 1)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_signing_is_for_the_signer(client, ow, persona):
    copy = ow.flow.edited()
    response = call(client, "POST", f"/api/v1/opinions/copies/{copy.pk}/sign", getattr(ow, persona))
    assert response.status_code == expected(persona, SIGNERS, {"member"} | READERS), response.content
    copy.refresh_from_db()
    assert copy.status == ("signed" if response.status_code == 200 else "edited")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_forwarding_up_is_for_the_committees_editors(client, ow, persona):
    copy = ow.flow.signed()
    response = call(client, "POST", f"/api/v1/opinions/copies/{copy.pk}/forward", getattr(ow, persona))
    assert response.status_code == expected(persona, EDITORS, {"member"} | READERS, ok=201), response.content
    assert copy.report.copies.count() == (2 if response.status_code == 201 else 1)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_queue_is_for_the_office(client, ow, persona):
    ow.flow.pending("关于队列中信息的建议")
    response = call(client, "GET", "/api/v1/committees/district/opinions/copies", getattr(ow, persona))
    assert response.status_code == expected(persona, READERS, IN_DISTRICT), response.content
    if response.status_code == 200:
        assert [c["title"] for c in response.json()["items"]] == ["关于队列中信息的建议"]
    else:
        assert_no_data(response, "关于队列中信息的建议")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_tasked_department_reports_on_a_follow_up(client, ow, persona):
    copy, instruction = ow.flow.instructed()
    task = FollowUp.objects.get(instruction=instruction)
    response = call(client, "POST", f"/api/v1/opinions/follow-ups/{task.pk}/report", getattr(ow, persona),
                    {"response": "已完成二次供水设施排查。"})
    assert response.status_code == expected(persona, DEPT_A, {"member"} | READERS), response.content
    task.refresh_from_db()
    assert task.status == ("reported" if response.status_code == 200 else "open")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_follow_up_lists_hold_only_the_callers_departments(client, ow, persona):
    ow.flow.instructed()
    response = call(client, "GET", "/api/v1/opinions/follow-ups", getattr(ow, persona))
    assert response.status_code == 200
    assert response.json()["count"] == (1 if persona in DEPT_A else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_bulletin_issue_is_started_by_the_editors(client, ow, persona):
    response = call(client, "POST", "/api/v1/committees/district/opinions/bulletins", getattr(ow, persona), {})
    assert response.status_code == expected(persona, EDITORS, IN_DISTRICT, ok=201), response.content
    assert BulletinIssue.objects.count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_bulletin_issue_is_published_by_the_signer(client, ow, persona):
    from xieshang.opinions import actions

    copy = ow.flow.signed()
    issue = actions.do_create_bulletin(ow.district, actor=ow.info_editor)
    actions.do_add_bulletin_entry(issue, [copy], kind="single", actor=ow.info_editor)
    response = call(client, "POST", f"/api/v1/opinions/bulletins/{issue.pk}/publish", getattr(ow, persona),
                    {"signer_name": "李主席"})
    # Editors compile the issue (they see it) but may not publish it; others do not see it at all.
    assert response.status_code == expected(persona, SIGNERS, EDITORS), response.content
    issue.refresh_from_db()
    assert issue.number == (1 if response.status_code == 200 else None)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_an_informants_chain_is_seen_by_the_informant_and_the_office(client, ow, persona):
    copy = ow.flow.signed("关于信息员所报问题的建议", author=ow.informant)
    response = call(client, "GET", f"/api/v1/opinions/reports/{copy.report_id}/chain", getattr(ow, persona))
    assert response.status_code == (200 if persona in {"informant"} | READERS else 404), response.content
    if response.status_code == 200:
        assert [level["status"] for level in response.json()["levels"]] == ["signed"]
    else:
        assert_no_data(response, "关于信息员所报问题的建议")
