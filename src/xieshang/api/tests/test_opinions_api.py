"""The 社情民意 API end to end: each endpoint's happy path and its bad input (a clear 422 and nothing written),
three-level forwarding district → city → province, and the editor's queue at a fixed number of queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.core import calendar as workdays
from xieshang.opinions import actions
from xieshang.opinions.models import (
    Adoption,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    Dispatch,
    FollowUp,
    Instruction,
    Report,
    ReportCopy,
    ReportEvent,
    ReportVersion,
)

from .helpers import bearer, call
from .opinions_fixtures import BODY, TODAY, opinion_world  # noqa: F401  (the ``ow`` fixture)

API = "/api/v1"


def post(client, path, user, body=None):
    return call(client, "POST", API + path, user, body if body is not None else {})


def get(client, path, user):
    return call(client, "GET", API + path, user)


def assert_422(response, field=None):
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["detail"]
    if field is not None:
        # Query parameters are named after their group (``filters.status.0``), body fields by themselves.
        keys = [k for k in data["errors"] if k == field or k.endswith("." + field)]
        assert keys, data
        assert all(message for k in keys for message in data["errors"][k])
    return data


# ------------------------------------------------------------------------------------------------ author side

def test_a_member_drafts_updates_submits_and_lists_a_report(client, ow):
    created = post(client, "/committees/district/opinions/reports", ow.member,
                   {"title": "关于增设社区充电桩的建议", "situation": "充电难。", "is_urgent": True,
                    "contact_phone": "13800000001"})
    assert created.status_code == 201, created.content
    report_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["number"] == ""
    patched = call(client, "PATCH", f"{API}/opinions/reports/{report_id}", ow.member, {"suggestion": "建议统筹规划。"})
    assert patched.status_code == 200 and patched.json()["suggestion"] == "建议统筹规划。"
    submitted = post(client, f"/opinions/reports/{report_id}/submit", ow.member)
    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert data["status"] == "submitted" and data["number"] == "2026-0001"
    assert data["origin_copy"]["status"] == "pending"
    ow.flow.submitted("关于信息员报送的建议", author=ow.informant)
    mine = get(client, "/opinions/reports", ow.member).json()
    assert [r["title"] for r in mine["items"]] == ["关于增设社区充电桩的建议"]
    theirs = get(client, "/opinions/reports?status=submitted", ow.informant).json()
    assert [r["author_kind"] for r in theirs["items"]] == ["informant"]
    assert get(client, "/opinions/reports?status=draft", ow.informant).json()["count"] == 0


@pytest.mark.parametrize("body, field", [
    ({"situation": "没有标题。"}, "title"),
    ({"title": "关于多余字段的建议", "colour": "red"}, "colour"),
    ({"title": "关于错误类型的建议", "is_urgent": "很急"}, "is_urgent"),
    ({"title": "关于集体类型的建议", "collective_type": "club", "collective_name": "某俱乐部"}, "collective_type"),
    ({"title": "", "situation": "标题为空。"}, "title"),
])
def test_a_bad_draft_is_refused_and_nothing_is_written(client, ow, body, field):
    response = post(client, "/committees/district/opinions/reports", ow.member, body)
    assert_422(response, field)
    assert Report.objects.count() == 0


def test_an_editor_enters_a_report_on_behalf_of_a_member_of_the_committee_only(client, ow):
    from xieshang.org.models import Member

    foreign = Member.objects.create(committee=ow.other, name="外区委员")
    refused = post(client, "/committees/district/opinions/reports", ow.info_editor,
                   {"title": "关于代为报送的建议", "member": foreign.pk})
    assert_422(refused, "member")
    assert "外区委员" not in refused.content.decode()
    assert Report.objects.count() == 0
    response = post(client, "/committees/district/opinions/reports", ow.info_editor,
                    {"title": "关于代为报送的建议", "member": ow.member_row.pk})
    assert response.status_code == 201, response.content
    assert response.json()["on_behalf"] is True and response.json()["author_name"] == "王建国"
    # The member owns it and finds it in their own list.
    assert [r["id"] for r in get(client, "/opinions/reports", ow.member).json()["items"]] == [response.json()["id"]]


def test_a_text_over_the_length_limit_is_refused(client, ow):
    report = ow.flow.draft()
    response = call(client, "PATCH", f"{API}/opinions/reports/{report.pk}", ow.member, {"situation": "长" * 1600})
    assert_422(response)
    report.refresh_from_db()
    assert report.situation == BODY["situation"]


def test_a_report_without_situation_or_suggestion_is_not_submitted(client, ow):
    report = ow.flow.draft(situation="", suggestion="")
    response = post(client, f"/opinions/reports/{report.pk}/submit", ow.member)
    assert_422(response)
    report.refresh_from_db()
    assert report.status == "draft" and report.serial is None
    assert not ReportCopy.objects.exists() and not ReportVersion.objects.exists()
    assert not ReportEvent.objects.exists()


def test_withdrawing_a_draft_and_refusing_to_withdraw_a_submitted_report(client, ow):
    draft = ow.flow.draft()
    response = post(client, f"/opinions/reports/{draft.pk}/withdraw", ow.member, {"reason": "重复报送"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    submitted = ow.flow.submitted("关于已经报送的建议")
    # Once submitted the report is the committee's: the author may no longer change or withdraw it, and is
    # told so with the state named.
    refused = post(client, f"/opinions/reports/{submitted.pk}/withdraw", ow.member, {})
    assert refused.status_code == 422, refused.content
    assert "已提交" in str(refused.json()["errors"])
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_attachments_are_uploaded_listed_downloaded_and_removed(client, ow):
    report = ow.flow.draft()
    headers = bearer(ow.member)
    upload = SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(f"{API}/opinions/reports/{report.pk}/attachments", {"file": upload}, headers=headers)
    assert response.status_code == 201, response.content
    attachment_id = response.json()["id"]
    listed = get(client, f"/opinions/reports/{report.pk}/attachments", ow.member).json()
    assert [a["name"] for a in listed] == ["现场照片.pdf"]
    download = client.get(f"{API}/opinions/reports/{report.pk}/attachments/{attachment_id}", headers=headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    # Someone who cannot see the report cannot fetch the file either.
    assert get(client, f"/opinions/reports/{report.pk}/attachments/{attachment_id}", ow.outsider).status_code == 404
    assert get(client, f"/opinions/reports/{report.pk}/attachments/{attachment_id}",
               ow.info_editor).status_code == 404
    removed = call(client, "DELETE", f"{API}/opinions/reports/{report.pk}/attachments/{attachment_id}", ow.member)
    assert removed.status_code == 204
    assert not Attachment.objects.exists()


def test_a_forbidden_file_type_is_refused(client, ow):
    report = ow.flow.draft()
    upload = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(f"{API}/opinions/reports/{report.pk}/attachments", {"file": upload},
                           headers=bearer(ow.member))
    assert_422(response, "file")
    assert not Attachment.objects.exists()


# ------------------------------------------------------------------------------------------------ editing

def test_an_editor_rewrites_a_copy_and_every_version_stays(client, ow):
    copy = ow.flow.pending()
    response = post(client, f"/opinions/copies/{copy.pk}/edit", ow.info_editor,
                    {"title": "关于规范老旧小区二次供水管护的建议", "note": "精简标题"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "edited" and data["version"]["number"] == 2 and data["version"]["kind"] == "edit"
    assert [v["number"] for v in data["versions"]] == [1, 2]
    original = get(client, f"/opinions/copies/{copy.pk}/versions/1", ow.member).json()
    assert original["title"] == "关于改善老旧小区二次供水的建议" and original["situation"] == BODY["situation"]
    diff = get(client, f"/opinions/copies/{copy.pk}/compare", ow.info_editor).json()
    assert (diff["a"], diff["b"]) == (1, 2)
    assert "-标题：关于改善老旧小区二次供水的建议" in diff["diff"]
    assert "+标题：关于规范老旧小区二次供水管护的建议" in diff["diff"]
    assert get(client, f"/opinions/copies/{copy.pk}/versions/9", ow.info_editor).status_code == 404
    assert_422(get(client, f"/opinions/copies/{copy.pk}/compare?a=9", ow.info_editor), "a")


def test_checking_without_changes_keeps_the_authors_text(client, ow):
    copy = ow.flow.pending()
    response = post(client, f"/opinions/copies/{copy.pk}/edit", ow.info_editor, {})
    assert response.status_code == 200 and response.json()["version"]["number"] == 1
    assert response.json()["status"] == "edited"


@pytest.mark.parametrize("body, field", [
    ({"title": ""}, "title"),
    ({"situation": "", "suggestion": ""}, None),
    ({"situation": "长" * 1600}, None),
    ({"headline": "未知字段"}, "headline"),
])
def test_a_bad_rewrite_writes_nothing(client, ow, body, field):
    copy = ow.flow.pending()
    assert_422(post(client, f"/opinions/copies/{copy.pk}/edit", ow.info_editor, body), field)
    copy.refresh_from_db()
    assert copy.status == "pending" and copy.version.number == 1
    assert ReportVersion.objects.count() == 1


def test_returning_to_the_author_with_a_reason(client, ow):
    copy = ow.flow.pending()
    assert_422(post(client, f"/opinions/copies/{copy.pk}/return", ow.info_editor, {}), "reason")
    assert_422(post(client, f"/opinions/copies/{copy.pk}/return", ow.info_editor, {"reason": "  "}), "reason")
    copy.refresh_from_db()
    assert copy.status == "pending"
    response = post(client, f"/opinions/copies/{copy.pk}/return", ow.info_editor, {"reason": "请补充数据。"})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    seen = get(client, f"/opinions/reports/{copy.report_id}", ow.member).json()
    assert seen["status"] == "returned" and seen["origin_copy"]["return_reason"] == "请补充数据。"
    # The author fixes it and submits again: the same copy is pending again with the new text.
    call(client, "PATCH", f"{API}/opinions/reports/{copy.report_id}", ow.member, {"analysis": "涉及 12 个小区。"})
    again = post(client, f"/opinions/reports/{copy.report_id}/submit", ow.member)
    assert again.status_code == 200 and again.json()["origin_copy"]["status"] == "pending"


def test_keeping_and_reopening(client, ow):
    copy = ow.flow.pending()
    refused = post(client, f"/opinions/copies/{copy.pk}/reopen", ow.info_editor)
    data = assert_422(refused)
    # The message names both states.
    assert "待核稿" in str(data["errors"]) and "待核稿" in data["errors"]["__all__"][0]
    kept = post(client, f"/opinions/copies/{copy.pk}/keep", ow.info_editor, {"reason": "暂不采用"})
    assert kept.status_code == 200 and kept.json()["status"] == "kept"
    assert kept.json()["kept_reason"] == "暂不采用"
    reopened = post(client, f"/opinions/copies/{copy.pk}/reopen", ow.info_editor)
    assert reopened.status_code == 200 and reopened.json()["status"] == "pending"


def test_an_adopted_copy_cannot_be_kept(client, ow):
    copy = ow.flow.signed()
    actions.do_adopt_copy(copy, kind="single", adopted_by="区政协", adopted_on=TODAY, actor=ow.info_editor)
    assert_422(post(client, f"/opinions/copies/{copy.pk}/keep", ow.info_editor, {"reason": "留存"}))
    copy.refresh_from_db()
    assert copy.status == "adopted" and copy.kept_reason == ""


def test_signing_and_sending_back(client, ow):
    pending = ow.flow.pending()
    assert_422(post(client, f"/opinions/copies/{pending.pk}/sign", ow.info_signer))
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.signed_at is None
    edited = ow.flow.edited("关于另一篇信息的建议")
    assert_422(post(client, f"/opinions/copies/{edited.pk}/send-back", ow.info_signer, {"reason": ""}), "reason")
    sent_back = post(client, f"/opinions/copies/{edited.pk}/send-back", ow.info_signer, {"reason": "数据需核实"})
    assert sent_back.status_code == 200 and sent_back.json()["status"] == "pending"
    post(client, f"/opinions/copies/{edited.pk}/edit", ow.info_editor, {"analysis": "数据已核实。"})
    signed = post(client, f"/opinions/copies/{edited.pk}/sign", ow.info_signer)
    assert signed.status_code == 200 and signed.json()["status"] == "signed" and signed.json()["signed_at"]


# ------------------------------------------------------------------------------------------------ forwarding

def test_dispatching_to_leaders_and_a_department(client, ow):
    copy = ow.flow.signed()
    response = post(client, f"/opinions/copies/{copy.pk}/dispatch", ow.info_editor, {"recipients": [
        {"kind": "government_leader", "name": "李区长"},
        {"kind": "department", "department": ow.dept_a.pk},
    ]})
    assert response.status_code == 201, response.content
    assert [(d["kind"], d["recipient_name"]) for d in response.json()] == [
        ("government_leader", "李区长"), ("department", "区生态环境局")]
    # The department now sees the copy; the other department does not.
    assert get(client, f"/opinions/copies/{copy.pk}", ow.dept_handler).status_code == 200
    assert get(client, f"/opinions/copies/{copy.pk}", ow.other_dept_handler).status_code == 404


@pytest.mark.parametrize("recipients, field", [
    ([], "recipients"),
    ([{"kind": "parent", "name": "市政协"}], "recipients.0.kind"),
    ([{"kind": "department"}], "recipients"),
    ([{"kind": "party_leader", "name": ""}], "recipients"),
    ([{"kind": "government_leader", "name": "李区长"}, {"kind": "department", "department": 10 ** 6}],
     "recipients"),
])
def test_a_bad_dispatch_writes_nothing(client, ow, recipients, field):
    copy = ow.flow.signed()
    assert_422(post(client, f"/opinions/copies/{copy.pk}/dispatch", ow.info_editor, {"recipients": recipients}),
               field)
    assert not Dispatch.objects.exists()


def test_another_committees_department_is_refused_without_naming_it(client, ow):
    copy = ow.flow.signed()
    response = post(client, f"/opinions/copies/{copy.pk}/dispatch", ow.info_editor,
                    {"recipients": [{"kind": "department", "department": ow.dept_other.pk}]})
    assert_422(response, "recipients")
    assert "西城区公安分局" not in response.content.decode()
    assert not Dispatch.objects.exists()


def test_an_unsigned_copy_is_neither_dispatched_nor_forwarded(client, ow):
    copy = ow.flow.edited()
    assert_422(post(client, f"/opinions/copies/{copy.pk}/dispatch", ow.info_editor,
                    {"recipients": [{"kind": "committee_leader", "name": "王主席"}]}))
    assert_422(post(client, f"/opinions/copies/{copy.pk}/forward", ow.info_editor))
    assert ReportCopy.objects.count() == 1 and not Dispatch.objects.exists()


def test_forwarding_twice_is_refused(client, ow):
    copy = ow.flow.signed()
    first = post(client, f"/opinions/copies/{copy.pk}/forward", ow.info_editor)
    assert first.status_code == 201 and first.json()["committee"] == "city"
    assert first.json()["received_from"] == "district" and first.json()["status"] == "pending"
    assert_422(post(client, f"/opinions/copies/{copy.pk}/forward", ow.info_editor))
    assert ReportCopy.objects.count() == 2


# ---------------------------------------------------------------------------------------------- adoption, instructions

def test_adoption_at_the_copys_level(client, ow):
    copy = ow.flow.signed()
    response = post(client, f"/opinions/copies/{copy.pk}/adopt", ow.info_editor,
                    {"kind": "single", "adopted_by": "区委办公室", "adopted_on": "2026-03-02"})
    assert response.status_code == 201, response.content
    assert response.json()["level"] == "county" and response.json()["external"] is False
    copy.refresh_from_db()
    assert copy.status == "adopted"
    assert ReportEvent.objects.filter(kind="adopted", level="county").count() == 1


@pytest.mark.parametrize("body, field", [
    ({"kind": "single", "adopted_by": "区委办公室", "adopted_on": "2026-13-01"}, "adopted_on"),
    ({"kind": "single", "adopted_by": "区委办公室", "adopted_on": "2026-03-03"}, "adopted_on"),
    ({"kind": "partial", "adopted_by": "区委办公室", "adopted_on": "2026-03-02"}, "kind"),
    ({"kind": "single", "adopted_by": " ", "adopted_on": "2026-03-02"}, "adopted_by"),
    ({"kind": "single", "adopted_by": "全国政协", "adopted_on": "2026-03-02", "external_level": "county"},
     "external_level"),
])
def test_a_bad_adoption_writes_nothing(client, ow, body, field):
    copy = ow.flow.signed()
    assert_422(post(client, f"/opinions/copies/{copy.pk}/adopt", ow.info_editor, body), field)
    copy.refresh_from_db()
    assert copy.status == "signed"
    assert not Adoption.objects.exists() and not ReportEvent.objects.filter(kind="adopted").exists()


def test_an_instruction_creates_a_follow_up_due_in_working_days(client, ow):
    copy = ow.flow.signed()
    response = post(client, f"/opinions/copies/{copy.pk}/instruct", ow.info_editor, {
        "leader_name": "张区长", "leader_title": "区长", "text": "请区生态环境局研究解决。",
        "instructed_on": "2026-03-02", "departments": [ow.dept_a.pk]})
    assert response.status_code == 201, response.content
    data = response.json()
    expected_due = workdays.add_working_days(TODAY, 15, workdays.load())
    assert [(f["department"]["name"], f["due_on"]) for f in data["follow_ups"]] == [
        ("区生态环境局", expected_due.isoformat())]
    assert expected_due.year == 2026 and (expected_due - TODAY).days > 15


@pytest.mark.parametrize("body, field", [
    ({"leader_name": "张区长", "text": "", "instructed_on": "2026-03-02"}, "text"),
    ({"leader_name": "", "text": "请研究。", "instructed_on": "2026-03-02"}, "leader_name"),
    ({"leader_name": "张区长", "text": "请研究。", "instructed_on": "03/02/2026"}, "instructed_on"),
    ({"leader_name": "张区长", "text": "请研究。", "instructed_on": "2026-03-02", "departments": ["甲局"]},
     "departments.0"),
])
def test_a_bad_instruction_writes_nothing(client, ow, body, field):
    copy = ow.flow.signed()
    assert_422(post(client, f"/opinions/copies/{copy.pk}/instruct", ow.info_editor, body), field)
    assert not Instruction.objects.exists() and not FollowUp.objects.exists()


def test_an_instruction_for_another_committees_department_writes_nothing(client, ow):
    copy = ow.flow.signed()
    response = post(client, f"/opinions/copies/{copy.pk}/instruct", ow.info_editor, {
        "leader_name": "张区长", "text": "请研究。", "instructed_on": "2026-03-02",
        "departments": [ow.dept_a.pk, ow.dept_other.pk]})
    assert_422(response, "departments")
    assert not Instruction.objects.exists() and not FollowUp.objects.exists()


def test_a_follow_up_is_reported_reopened_and_closed(client, ow):
    copy, instruction = ow.flow.instructed()
    listed = get(client, "/opinions/follow-ups", ow.dept_handler).json()
    assert listed["count"] == 1 and listed["items"][0]["status"] == "open"
    task_id = listed["items"][0]["id"]
    # Nothing to close before the department has reported.
    assert_422(post(client, f"/opinions/follow-ups/{task_id}/close", ow.info_editor, {"note": "办结"}))
    assert FollowUp.objects.get(pk=task_id).closed_at is None
    assert_422(post(client, f"/opinions/follow-ups/{task_id}/report", ow.dept_handler, {"response": " "}),
               "response")
    assert FollowUp.objects.get(pk=task_id).status == "open"
    reported = post(client, f"/opinions/follow-ups/{task_id}/report", ow.dept_handler,
                    {"response": "已完成排查，年内改造。"})
    assert reported.status_code == 200 and reported.json()["status"] == "reported"
    assert_422(post(client, f"/opinions/follow-ups/{task_id}/reopen", ow.info_editor, {"note": ""}), "note")
    reopened = post(client, f"/opinions/follow-ups/{task_id}/reopen", ow.info_editor, {"note": "请补充时间表。"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    assert reopened.json()["review_note"] == "请补充时间表。"
    post(client, f"/opinions/follow-ups/{task_id}/report", ow.dept_handler, {"response": "6 月底前完成。"})
    # The department may not close its own task; the editors do.
    assert post(client, f"/opinions/follow-ups/{task_id}/close", ow.dept_handler, {}).status_code == 403
    closed = post(client, f"/opinions/follow-ups/{task_id}/close", ow.info_editor, {"note": "办结"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # The author reads the department's answer in the chain.
    chain = get(client, f"/opinions/reports/{copy.report_id}/chain", ow.member).json()
    task = chain["levels"][0]["instructions"][0]["follow_ups"][0]
    assert task["status"] == "closed"
    detail = get(client, f"/opinions/follow-ups/{task_id}", ow.member).json()
    assert detail["response"] == "6 月底前完成。" and detail["instruction"]["leader_name"] == "张区长"


# ------------------------------------------------------------------------------------------------ bulletins

def test_a_bulletin_issue_is_compiled_and_published(client, ow):
    first = ow.flow.signed("关于第一篇的建议")
    second = ow.flow.signed("关于第二篇的建议")
    third = ow.flow.signed("关于第三篇的建议")
    issue = post(client, "/committees/district/opinions/bulletins", ow.info_editor, {}).json()
    assert issue["status"] == "draft" and issue["number"] is None and issue["year"] == 2026
    single = post(client, f"/opinions/bulletins/{issue['id']}/entries", ow.info_editor,
                  {"copies": [first.pk], "kind": "single"})
    assert single.status_code == 201, single.content
    combined = post(client, f"/opinions/bulletins/{issue['id']}/entries", ow.info_editor, {
        "copies": [second.pk, third.pk], "kind": "comprehensive", "title": "关于供水问题的综合报告",
        "body": "综合两篇信息。"})
    assert combined.status_code == 201 and combined.json()["copies"] == sorted([second.pk, third.pk])
    removed = call(client, "DELETE", f"{API}/opinions/bulletins/{issue['id']}/entries/{single.json()['id']}",
                   ow.info_editor)
    assert removed.status_code == 204
    published = post(client, f"/opinions/bulletins/{issue['id']}/publish", ow.info_signer,
                     {"signer_name": "李主席"})
    assert published.status_code == 200, published.content
    assert published.json()["number"] == 1 and published.json()["status"] == "published"
    assert [e["kind"] for e in published.json()["entries"]] == ["comprehensive"]
    for copy, status in ((first, "signed"), (second, "adopted"), (third, "adopted")):
        copy.refresh_from_db()
        assert copy.status == status
    listed = get(client, "/committees/district/opinions/bulletins", ow.info_signer).json()
    assert [i["number"] for i in listed["items"]] == [1]
    assert_422(post(client, f"/opinions/bulletins/{issue['id']}/publish", ow.info_signer, {"signer_name": "李主席"}))


@pytest.mark.parametrize("entry, field", [
    ({"kind": "comprehensive", "title": "综合", "body": "正文"}, "copies"),
    ({"kind": "single", "pair": True}, "copies"),
    ({"kind": "single", "pending": True}, "copies"),
    ({"kind": "single", "foreign": True}, "copies"),
    ({"kind": "mixed"}, "kind"),
])
def test_a_bad_bulletin_entry_writes_nothing(client, ow, entry, field):
    signed = ow.flow.signed("关于已签发的建议")
    pending = ow.flow.pending("关于待核稿的建议")
    other = ow.flow.signed("关于又一篇已签发的建议")
    foreign = ow.flow.forwarded("关于已报市政协的建议")
    copies = [signed.pk]
    if entry.pop("pair", False):
        copies = [signed.pk, other.pk]
    if entry.pop("pending", False):
        copies = [pending.pk]
    if entry.pop("foreign", False):
        copies = [foreign.pk]
    issue = actions.do_create_bulletin(ow.district, actor=ow.info_editor)
    response = post(client, f"/opinions/bulletins/{issue.pk}/entries", ow.info_editor, {"copies": copies, **entry})
    assert_422(response, field)
    assert not BulletinEntry.objects.exists()


@pytest.mark.parametrize("year", [1900, 1990, "二〇二六"])
def test_a_bulletin_issue_for_a_bad_year_is_refused(client, ow, year):
    assert_422(post(client, "/committees/district/opinions/bulletins", ow.info_editor, {"year": year}), "year")
    assert not BulletinIssue.objects.exists()


def test_a_published_issue_keeps_its_entries(client, ow):
    issue = actions.do_create_bulletin(ow.district, actor=ow.info_editor)
    entry = actions.do_add_bulletin_entry(issue, [ow.flow.signed()], kind="single", actor=ow.info_editor)
    actions.do_publish_bulletin(issue, signer_name="李主席", actor=ow.info_signer)
    response = call(client, "DELETE", f"{API}/opinions/bulletins/{issue.pk}/entries/{entry.pk}", ow.info_editor)
    assert_422(response)
    assert BulletinEntry.objects.filter(pk=entry.pk).exists()
    other = actions.do_create_bulletin(ow.district, actor=ow.info_editor)
    # An entry of another issue is not found through this one.
    assert call(client, "DELETE", f"{API}/opinions/bulletins/{other.pk}/entries/{entry.pk}",
                ow.info_editor).status_code == 404


def test_publishing_an_empty_issue_or_without_a_signer_name_is_refused(client, ow):
    issue = actions.do_create_bulletin(ow.district, actor=ow.info_editor)
    assert_422(post(client, f"/opinions/bulletins/{issue.pk}/publish", ow.info_signer, {"signer_name": "李主席"}))
    actions.do_add_bulletin_entry(issue, [ow.flow.signed()], kind="single", actor=ow.info_editor)
    assert_422(post(client, f"/opinions/bulletins/{issue.pk}/publish", ow.info_signer, {"signer_name": " "}),
               "signer_name")
    issue.refresh_from_db()
    assert issue.status == "draft" and issue.number is None


# ------------------------------------------------------------------------------------------------ three levels

def test_forwarding_across_three_levels_through_the_api(client, ow):
    district_copy = ow.flow.signed("关于跨区河道联合治理的建议", author=ow.informant)
    city = post(client, f"/opinions/copies/{district_copy.pk}/forward", ow.info_editor).json()

    # The city's editor sees the city's copy only, and finds it in the city queue.
    assert get(client, f"/opinions/copies/{district_copy.pk}", ow.city_editor).status_code == 404
    assert get(client, f"/opinions/copies/{city['id']}", ow.city_editor).status_code == 200
    queue = get(client, "/committees/city/opinions/copies", ow.city_editor).json()
    assert [c["id"] for c in queue["items"]] == [city["id"]]
    assert get(client, "/committees/district/opinions/copies", ow.city_editor).status_code == 404
    # A district editor may not act on the city's copy (it sees it: how far its report went).
    assert post(client, f"/opinions/copies/{city['id']}/edit", ow.info_editor, {}).status_code == 403

    edited = post(client, f"/opinions/copies/{city['id']}/edit", ow.city_editor,
                  {"title": "关于建立跨区河道联合治理机制的建议"})
    assert edited.status_code == 200 and edited.json()["version"]["committee"] == "city"
    assert post(client, f"/opinions/copies/{city['id']}/sign", ow.info_signer).status_code == 403
    assert post(client, f"/opinions/copies/{city['id']}/sign", ow.city_signer).status_code == 200
    city_instruction = post(client, f"/opinions/copies/{city['id']}/instruct", ow.city_editor, {
        "leader_name": "赵市长", "text": "请东城区生态环境局落实。", "instructed_on": "2026-03-02",
        "departments": [ow.dept_a.pk]})
    assert city_instruction.status_code == 201, city_instruction.content
    province = post(client, f"/opinions/copies/{city['id']}/forward", ow.city_editor)
    assert province.status_code == 201 and province.json()["committee"] == "province"
    province_id = province.json()["id"]

    # The province sees its own copy only; the city does not see the district's rewrite history beyond its own.
    assert get(client, f"/opinions/copies/{city['id']}", ow.province_editor).status_code == 404
    assert get(client, f"/opinions/copies/{district_copy.pk}", ow.province_editor).status_code == 404
    post(client, f"/opinions/copies/{province_id}/edit", ow.province_editor, {})
    post(client, f"/opinions/copies/{province_id}/sign", ow.province_signer)
    adopted = post(client, f"/opinions/copies/{province_id}/adopt", ow.province_editor,
                   {"kind": "single", "adopted_by": "省委办公厅", "adopted_on": "2026-03-02"})
    assert adopted.status_code == 201 and adopted.json()["level"] == "provincial"
    national = post(client, f"/opinions/copies/{province_id}/adopt", ow.province_editor, {
        "kind": "comprehensive", "adopted_by": "全国政协办公厅", "adopted_on": "2026-03-02",
        "external_level": "national"})
    assert national.status_code == 201 and national.json()["external"] is True
    instructed = post(client, f"/opinions/copies/{province_id}/instruct", ow.province_editor, {
        "leader_name": "钱省长", "text": "请认真研究。", "instructed_on": "2026-03-02"})
    assert instructed.status_code == 201 and instructed.json()["level"] == "provincial"

    # The district department reports on the city leader's instruction.
    task = get(client, "/opinions/follow-ups", ow.dept_handler).json()["items"][0]
    assert post(client, f"/opinions/follow-ups/{task['id']}/report", ow.dept_handler,
                {"response": "已建立联合巡河机制。"}).status_code == 200

    # The informant at the bottom sees the whole chain.
    chain = get(client, f"/opinions/reports/{district_copy.report_id}/chain", ow.informant).json()
    assert [level["level"] for level in chain["levels"]] == ["county", "city", "provincial"]
    assert [level["committee_code"] for level in chain["levels"]] == ["district", "city", "province"]
    assert chain["highest_level"] == "provincial"
    assert chain["adopted_levels"] == ["provincial", "national"]
    assert chain["instructed_levels"] == ["city", "provincial"]
    city_level = chain["levels"][1]
    assert city_level["instructions"][0]["follow_ups"][0]["status"] == "reported"
    assert chain["levels"][0]["dispatches"][0]["kind"] == "parent"
    # Each office sees its own level and those above, never below.
    city_chain = get(client, f"/opinions/reports/{district_copy.report_id}/chain", ow.city_editor).json()
    assert [level["level"] for level in city_chain["levels"]] == ["city", "provincial"]
    province_chain = get(client, f"/opinions/reports/{district_copy.report_id}/chain", ow.province_editor).json()
    assert [level["level"] for level in province_chain["levels"]] == ["provincial"]
    district_chain = get(client, f"/opinions/reports/{district_copy.report_id}/chain", ow.info_editor).json()
    assert len(district_chain["levels"]) == 3
    assert get(client, f"/opinions/reports/{district_copy.report_id}/chain", ow.other_staff).status_code == 404
    # Versions: the province sees the author's text and the rewrites below it, the author's original intact.
    versions = get(client, f"/opinions/copies/{province_id}/versions", ow.province_editor).json()
    assert [(v["kind"], v["committee"]) for v in versions][0] == ("author", None)
    assert versions[-1]["committee"] == "city"
    original = get(client, f"/opinions/copies/{province_id}/versions/1", ow.province_editor).json()
    assert original["title"] == "关于跨区河道联合治理的建议"


def test_no_level_acts_on_another_levels_copy(client, ow):
    city_copy = ow.flow.forwarded()
    district_copy = city_copy.received_from
    for path, body in (("keep", {"reason": "留存"}), ("reopen", None), ("adopt", {
            "kind": "single", "adopted_by": "区委", "adopted_on": "2026-03-02"})):
        # The district sees the city's copy but may not change it; the city cannot even see the district's.
        assert post(client, f"/opinions/copies/{city_copy.pk}/{path}", ow.info_editor, body).status_code == 403
        assert post(client, f"/opinions/copies/{district_copy.pk}/{path}", ow.city_editor, body).status_code == 404
    city_copy.refresh_from_db()
    district_copy.refresh_from_db()
    assert (city_copy.status, district_copy.status) == ("pending", "signed")
    assert not Adoption.objects.exists()


# ------------------------------------------------------------------------------------------------ the queue

def test_the_queue_puts_urgent_reports_first_and_filters(client, ow):
    calm = ow.flow.pending("关于一般事项的建议")
    urgent = ow.flow.pending("关于紧急事项的建议", is_urgent=True)
    signed = ow.flow.signed("关于已签发事项的建议")
    queue = get(client, "/committees/district/opinions/copies", ow.info_editor).json()
    assert [c["id"] for c in queue["items"]] == [urgent.pk, calm.pk]
    assert [c["id"] for c in get(client, "/committees/district/opinions/copies?urgent=false",
                                 ow.info_editor).json()["items"]] == [calm.pk]
    assert [c["id"] for c in get(client, "/committees/district/opinions/copies?status=signed",
                                 ow.info_editor).json()["items"]] == [signed.pk]
    assert get(client, "/committees/district/opinions/copies?year=2025", ow.info_editor).json()["count"] == 0
    assert_422(get(client, "/committees/district/opinions/copies?status=lost", ow.info_editor), "status.0")
    assert_422(get(client, "/committees/district/opinions/copies?limit=0", ow.info_editor), "limit")


def _queries(client, path, headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(API + path, headers=headers)
    assert response.status_code == 200
    return len(ctx), response.json()


@pytest.mark.parametrize("path", [
    "/committees/district/opinions/copies?limit=100",
    "/opinions/reports?limit=100",
])
def test_a_page_costs_the_same_queries_whatever_its_size(client, ow, path):
    user = ow.member if path.startswith("/opinions/reports") else ow.info_editor
    headers = bearer(user)
    ow.flow.pending("关于第一篇的建议", author=ow.member)
    _queries(client, path, headers)  # warm caches
    small, first = _queries(client, path, headers)
    for i in range(12):
        ow.flow.edited(f"关于第{i}篇补充的建议", author=ow.member, is_urgent=bool(i % 2))
    large, second = _queries(client, path, headers)
    assert second["count"] == first["count"] + 12
    assert large == small


def test_session_auth_works_and_writes_need_the_csrf_token(ow, login):
    from django.test import Client

    copy = ow.flow.pending()
    browser = login(Client(enforce_csrf_checks=True), ow.info_editor)
    assert browser.get(f"{API}/opinions/copies/{copy.pk}").status_code == 200
    refused = browser.post(f"{API}/opinions/copies/{copy.pk}/keep", "{}", content_type="application/json")
    assert refused.status_code == 403
    copy.refresh_from_db()
    assert copy.status == "pending"


def test_unauthenticated_calls_are_401(client, ow):
    copy = ow.flow.pending()
    assert client.get(f"{API}/opinions/copies/{copy.pk}").status_code == 401
    assert client.get(f"{API}/committees/district/opinions/copies").status_code == 401

