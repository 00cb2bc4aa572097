"""The 社情民意 pages: who may open each page (404 for what one may not see, 403 for what one may not do), every
form's happy path and bad input through the real actions (nothing written on error), versions and their diff,
and the chain across levels."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.opinions import actions
from xieshang.opinions.models import (
    Adoption,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    CopyStatus,
    Dispatch,
    FollowUp,
    FollowUpStatus,
    Instruction,
    Report,
    ReportCopy,
    ReportStatus,
    ReportVersion,
)
from xieshang.opinions.testing import BODY, add_chain_staff, forward, pin_today, sign, signed_copy, submitted_copy

pytestmark = pytest.mark.django_db

TODAY = "2026-06-01"
DAY = datetime.date(2026, 5, 30)  # a past date for adoptions and instructions
# The personas of the matrix, by name on the personas object.
MATRIX = ["member", "informant", "info_editor", "info_signer", "dept_handler", "committee_leader", "other_staff",
          "outsider"]


@pytest.fixture
def p(personas, monkeypatch):
    pin_today(monkeypatch, TODAY)
    return add_chain_staff(personas)


def url(name, *args, committee="district"):
    return reverse(f"opinions:{name}", args=[committee, *args])


def as_user(client, login, user):
    client.logout()
    login(client, user)
    return client


def audit_count():
    return AuditEvent.objects.count()


def text(response):
    return response.content.decode()


def instructed(p, copy=None):
    """A district copy signed, with an instruction giving dept_a a follow-up task."""
    copy = copy or signed_copy(p)
    actions.do_record_instruction(copy, leader_name="张书记", leader_title="区委书记", text="请区生态环境局研究办理。",
                                  instructed_on=DAY,
                                  departments=[p.dept_a], actor=p.info_editor)
    return copy, FollowUp.objects.get(instruction__copy=copy)


def check_matrix(client, login, p, target, expected):
    """GET ``target`` as every persona of the matrix; ``expected`` maps persona name to status code."""
    got = {}
    for name in MATRIX:
        as_user(client, login, getattr(p, name))
        got[name] = client.get(target).status_code
    assert got == expected


# ------------------------------------------------------------------------------------------------ access matrix


def test_report_detail_matrix(client, login, p):
    copy, _fu = instructed(p)
    check_matrix(client, login, p, url("detail", copy.report.pk), {
        "member": 200, "informant": 404, "info_editor": 200, "info_signer": 200, "dept_handler": 200,
        "committee_leader": 200, "other_staff": 404, "outsider": 404})


def test_copy_page_and_versions_matrix(client, login, p):
    copy, _fu = instructed(p)
    expected = {"member": 200, "informant": 404, "info_editor": 200, "info_signer": 200, "dept_handler": 200,
                "committee_leader": 200, "other_staff": 404, "outsider": 404}
    check_matrix(client, login, p, url("copy", copy.pk), expected)
    check_matrix(client, login, p, url("versions", copy.pk), expected)
    check_matrix(client, login, p, url("compare", copy.pk, copy.version.number), expected)


def test_queue_and_sign_queue_matrix(client, login, p):
    submitted_copy(p)
    expected = {"member": 403, "informant": 403, "info_editor": 200, "info_signer": 200, "dept_handler": 403,
                "committee_leader": 200, "other_staff": 403, "outsider": 403}
    check_matrix(client, login, p, url("queue"), expected)
    check_matrix(client, login, p, url("sign_queue"), expected)


def test_mine_and_new_matrix(client, login, p):
    expected = {"member": 200, "informant": 200, "info_editor": 200, "info_signer": 403, "dept_handler": 403,
                "committee_leader": 403, "other_staff": 403, "outsider": 403}
    check_matrix(client, login, p, url("new"), expected)
    check_matrix(client, login, p, url("mine"), expected)


def test_follow_up_pages_matrix(client, login, p):
    _copy, fu = instructed(p)
    check_matrix(client, login, p, url("follow_ups"), {
        "member": 403, "informant": 403, "info_editor": 200, "info_signer": 200, "dept_handler": 200,
        "committee_leader": 200, "other_staff": 403, "outsider": 403})
    check_matrix(client, login, p, url("follow_up", fu.pk), {
        "member": 200, "informant": 404, "info_editor": 200, "info_signer": 200, "dept_handler": 200,
        "committee_leader": 200, "other_staff": 404, "outsider": 404})


def test_bulletin_pages_matrix(client, login, p):
    issue = actions.do_create_bulletin(p.district, actor=p.info_editor)
    expected = {"member": 403, "informant": 403, "info_editor": 200, "info_signer": 200, "dept_handler": 403,
                "committee_leader": 403, "other_staff": 403, "outsider": 403}
    check_matrix(client, login, p, url("bulletins"), expected)
    check_matrix(client, login, p, url("bulletin", issue.pk), {**expected, **{
        k: 404 for k, v in expected.items() if v == 403}})


def test_the_informants_own_report_is_theirs_alone(client, login, p):
    copy = submitted_copy(p, actor=p.informant)
    check_matrix(client, login, p, url("detail", copy.report.pk), {
        "member": 404, "informant": 200, "info_editor": 200, "info_signer": 200, "dept_handler": 404,
        "committee_leader": 200, "other_staff": 404, "outsider": 404})
    as_user(client, login, p.informant)
    response = client.get(url("mine"))
    assert response.status_code == 200 and BODY["title"] in text(response)


def test_a_report_under_another_committees_url_is_404(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    assert client.get(url("detail", copy.report.pk, committee="other")).status_code == 404
    assert client.get(url("copy", copy.pk, committee="city")).status_code == 404
    assert client.get(url("detail", copy.report.pk, committee="nowhere")).status_code == 404


def test_home_sends_each_user_to_their_list(client, login, p):
    for user, target in ((p.info_editor, url("queue")), (p.info_signer, url("sign_queue")),
                         (p.member, url("mine")), (p.informant, url("mine")), (p.dept_handler, url("follow_ups"))):
        as_user(client, login, user)
        response = client.get(url("home"))
        assert response.status_code == 302 and response["Location"] == target
    as_user(client, login, p.outsider)
    assert client.get(url("home")).status_code == 403


def test_the_header_links_to_the_section_by_role(client, login, p):
    as_user(client, login, p.informant)
    assert url("home") in text(client.get(url("mine")))
    as_user(client, login, p.proposal_staff)
    page = client.get(reverse("workbench"))
    assert url("home") not in text(page)


# ------------------------------------------------------------------------------------------------ writing a report


def form_data(**over):
    return {**BODY, "contact_name": "王建国", "contact_phone": "13800000001", **over}


def test_a_member_saves_a_draft_then_submits_it(client, login, p):
    as_user(client, login, p.member)
    response = client.post(url("new"), form_data(draft="1"))
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", report.pk)
    assert report.status == ReportStatus.DRAFT and report.member == p.member_row and not report.on_behalf
    response = client.post(url("report_op", report.pk, "submit"))
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == ReportStatus.SUBMITTED and report.serial == 1
    assert report.copies.get().status == CopyStatus.PENDING


def test_an_informant_submits_with_attachments_in_one_click(client, login, p):
    as_user(client, login, p.informant)
    files = [SimpleUploadedFile("现场照片.jpg", b"\xff\xd8jpegdata", content_type="image/jpeg"),
             SimpleUploadedFile("说明.pdf", b"%PDF-1.4 data", content_type="application/pdf")]
    response = client.post(url("new"), {**form_data(is_urgent="on"), "attachments": files, "submit": "1"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.author_kind == Report.AuthorKind.INFORMANT and report.informant == p.informant_row
    assert report.status == ReportStatus.SUBMITTED and report.is_urgent
    assert sorted(a.name for a in report.attachments.all()) == ["现场照片.jpg", "说明.pdf"]
    download = client.get(url("attachment", report.pk, report.attachments.first().pk))
    assert download.status_code == 200
    as_user(client, login, p.outsider)
    assert client.get(url("attachment", report.pk, report.attachments.first().pk)).status_code == 404


def test_a_too_long_report_is_refused_on_submit_and_nothing_is_written(client, login, p):
    as_user(client, login, p.member)
    before = audit_count()
    response = client.post(url("new"), form_data(situation="长" * 1600, submit="1"))
    assert response.status_code == 400 and "超过本会规定的 1500 字上限" in text(response)
    assert not Report.objects.exists() and audit_count() == before


def test_a_bad_attachment_type_is_shown_on_the_field_and_nothing_is_written(client, login, p):
    as_user(client, login, p.member)
    before = audit_count()
    bad = SimpleUploadedFile("病毒.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(url("new"), {**form_data(submit="1"), "attachments": [bad]})
    assert response.status_code == 400 and "exe" in text(response)
    assert not Report.objects.exists() and not Attachment.objects.exists() and audit_count() == before


def test_a_missing_title_is_a_form_error(client, login, p):
    as_user(client, login, p.member)
    response = client.post(url("new"), form_data(title="", submit="1"))
    assert response.status_code == 400 and not Report.objects.exists()


def test_the_editor_reports_on_behalf_of_a_member_an_informant_and_a_collective(client, login, p):
    as_user(client, login, p.info_editor)
    page = client.get(url("new"))
    assert 'name="author"' in text(page) and "data-body-limit" in text(page)
    client.post(url("new"), form_data(author="member", member=p.member_row.pk, submit="1"))
    client.post(url("new"), form_data(author="informant", informant=p.informant_row.pk, title="关于二"))
    client.post(url("new"), form_data(author="collective", collective_type="party", collective_name="民盟区委",
                                      title="关于三"))
    by_kind = {r.author_kind: r for r in Report.objects.all()}
    assert by_kind["member"].on_behalf and by_kind["member"].author_user == p.member
    assert by_kind["member"].status == ReportStatus.SUBMITTED
    assert by_kind["informant"].informant == p.informant_row and by_kind["informant"].status == ReportStatus.DRAFT
    assert by_kind["collective"].collective_name == "民盟区委" and by_kind["collective"].created_by == p.info_editor


def test_on_behalf_needs_the_chosen_author(client, login, p):
    as_user(client, login, p.info_editor)
    response = client.post(url("new"), form_data(author="member", submit="1"))
    assert response.status_code == 400 and not Report.objects.exists()
    response = client.post(url("new"), form_data(author="collective", collective_type="", collective_name=""))
    assert response.status_code == 400 and not Report.objects.exists()


def test_a_member_cannot_report_on_behalf_of_someone_else(client, login, p):
    as_user(client, login, p.member)
    client.post(url("new"), form_data(author="informant", informant=p.informant_row.pk, submit="1"))
    report = Report.objects.get()  # the author fields are not offered to a member: the report is their own
    assert report.member == p.member_row and report.informant is None


def test_a_returned_report_is_edited_and_resubmitted(client, login, p):
    copy = submitted_copy(p)
    actions.do_return_copy(copy, reason="请补充具体数据。", actor=p.info_editor)
    as_user(client, login, p.member)
    page = client.get(url("edit", copy.report.pk))
    assert page.status_code == 200 and "请补充具体数据。" in text(page)
    response = client.post(url("edit", copy.report.pk), form_data(situation="补充：全区共 120 个小区。", submit="1"))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING and copy.report.status == ReportStatus.SUBMITTED
    assert copy.version.situation == "补充：全区共 120 个小区。"


def test_only_the_author_edits_and_only_while_editable(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    assert client.get(url("edit", copy.report.pk)).status_code == 403
    as_user(client, login, p.member)
    assert client.get(url("edit", copy.report.pk)).status_code == 403  # submitted: no longer editable
    as_user(client, login, p.outsider)
    assert client.get(url("edit", copy.report.pk)).status_code == 404


def test_the_author_withdraws_a_draft_and_removes_an_attachment(client, login, p):
    report = actions.do_create_report(p.district, BODY, actor=p.member)
    attachment = actions.do_add_attachment(report, SimpleUploadedFile("a.pdf", b"%PDF"), actor=p.member)
    as_user(client, login, p.member)
    client.post(url("report_op", report.pk, "detach"), {"attachment": attachment.pk})
    assert not Attachment.objects.exists()
    client.post(url("report_op", report.pk, "withdraw"), {"withdraw-reason": "重复报送"})
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN


def test_submit_of_an_invalid_draft_shows_the_error_and_writes_nothing(client, login, p):
    report = actions.do_create_report(p.district, {"title": "只有标题"}, actor=p.member)
    as_user(client, login, p.member)
    before = audit_count()
    response = client.post(url("report_op", report.pk, "submit"))
    assert response.status_code == 400 and "errorbox" in text(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and audit_count() == before


def test_my_list_shows_how_far_each_report_went(client, login, p):
    copy = signed_copy(p)
    city = forward(p, copy)
    sign(p, city)
    actions.do_adopt_copy(city, kind="single", adopted_by="示范市政协", adopted_on=DAY,
                          actor=p.city_editor)
    as_user(client, login, p.member)
    page = text(client.get(url("mine")))
    assert copy.report.number in page and "市政协" in page and "已采用" in page and "2 级" in page


# ------------------------------------------------------------------------------------------------ one level


def test_the_editor_rewrites_and_the_diff_shows_the_authors_original(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    page = text(client.get(url("copy", copy.pk)))
    assert 'data-op="edit"' in page and BODY["situation"] in page  # prefilled with the current version
    response = client.post(url("copy_op", copy.pk, "edit"), {
        "edit-title": "关于加快推进老旧小区加装电梯的建议", "edit-situation": BODY["situation"] + "全区已有 30 部。",
        "edit-analysis": BODY["analysis"], "edit-suggestion": BODY["suggestion"], "edit-note": "标题规范"})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.status == CopyStatus.EDITED and copy.version.kind == ReportVersion.Kind.EDIT
    compare = client.get(url("compare", copy.pk, copy.version.number))
    body = text(compare)
    assert compare.status_code == 200
    assert '<ins class="diff-ins">全区已有 30 部。</ins>' in body and '<ins class="diff-ins">推进</ins>' in body
    original = ReportVersion.objects.get(report=copy.report, kind=ReportVersion.Kind.AUTHOR)
    assert ReportVersion.objects.filter(report=copy.report).count() == 2
    assert original.title == BODY["title"]
    page = text(client.get(url("copy", copy.pk)))
    assert f"?against={original.number}" in page
    # The author's original stays whole: its own page shows its title, and the rewrite marks what changed.
    assert BODY["title"] in text(client.get(url("compare", copy.pk, original.number)))
    against = text(client.get(url("compare", copy.pk, copy.version.number) + f"?against={original.number}"))
    assert '<ins class="diff-ins">推进</ins>' in against
    versions = text(client.get(url("versions", copy.pk)))
    assert "作者稿" in versions and "编辑改稿" in versions
    assert client.get(url("compare", copy.pk, 99)).status_code == 404
    assert client.get(url("compare", copy.pk, copy.version.number) + "?against=x").status_code == 404


def test_diff_marks_deletions():
    from xieshang.opinions.views import diff_segments

    assert diff_segments("甲乙丙", "甲丙丁") == [("equal", "甲"), ("delete", "乙"), ("equal", "丙"), ("insert", "丁")]


def test_an_escaped_diff_cannot_inject_markup(client, login, p):
    copy = submitted_copy(p)
    actions.do_edit_copy(copy, data={"situation": BODY["situation"] + "<script>x</script>"}, actor=p.info_editor)
    as_user(client, login, p.info_editor)
    body = text(client.get(url("compare", copy.pk, copy.version.number)))
    assert "&lt;script&gt;" in body and "<script>x" not in body


def test_the_edit_form_refuses_an_empty_title_and_writes_nothing(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    before = audit_count()
    response = client.post(url("copy_op", copy.pk, "edit"), {"edit-title": "", "edit-situation": "x"})
    assert response.status_code == 400 and audit_count() == before
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING


def test_the_editor_returns_with_a_reason_and_the_author_sees_it(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    response = client.post(url("copy_op", copy.pk, "return"), {"return-reason": ""})
    assert response.status_code == 400
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING
    client.post(url("copy_op", copy.pk, "return"), {"return-reason": "材料不实"})
    copy.refresh_from_db()
    assert copy.status == CopyStatus.RETURNED
    as_user(client, login, p.member)
    assert "材料不实" in text(client.get(url("detail", copy.report.pk)))


def test_keep_and_reopen(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    client.post(url("copy_op", copy.pk, "keep"), {"keep-reason": "暂不报送"})
    copy.refresh_from_db()
    assert copy.status == CopyStatus.KEPT
    client.post(url("copy_op", copy.pk, "reopen"))
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING


def test_the_signer_signs_or_sends_back_and_the_editor_may_not_sign(client, login, p):
    copy = submitted_copy(p)
    actions.do_edit_copy(copy, actor=p.info_editor)
    as_user(client, login, p.info_editor)
    assert client.post(url("copy_op", copy.pk, "sign")).status_code == 403
    as_user(client, login, p.info_signer)
    page = text(client.get(url("sign_queue")))
    assert BODY["title"] in page
    response = client.post(url("copy_op", copy.pk, "send_back"), {"send_back-reason": ""})
    assert response.status_code == 400
    client.post(url("copy_op", copy.pk, "send_back"), {"send_back-reason": "数据需核实"})
    copy.refresh_from_db()
    assert copy.status == CopyStatus.PENDING
    actions.do_edit_copy(copy, actor=p.info_editor)
    response = client.post(url("copy_op", copy.pk, "sign"), {"next": url("sign_queue")})
    assert response.status_code == 302 and response["Location"] == url("sign_queue")
    copy.refresh_from_db()
    assert copy.status == CopyStatus.SIGNED and copy.signed_by == p.info_signer


def test_an_operation_in_the_wrong_state_shows_the_transition_error(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_signer)
    before = audit_count()
    response = client.post(url("copy_op", copy.pk, "sign"))
    assert response.status_code == 400 and "errorbox" in text(response) and audit_count() == before


def test_unknown_operations_are_404_and_gets_are_refused(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.info_editor)
    assert client.post(url("copy_op", copy.pk, "explode")).status_code == 404
    assert client.get(url("copy_op", copy.pk, "edit")).status_code == 405


def test_the_member_sees_no_forms_on_the_copy_page(client, login, p):
    copy = submitted_copy(p)
    as_user(client, login, p.member)
    page = text(client.get(url("copy", copy.pk)))
    assert "copy-actions" not in page
    assert client.post(url("copy_op", copy.pk, "edit"), {"edit-title": "x"}).status_code == 403


def test_dispatch_to_leaders_and_departments(client, login, p):
    copy = signed_copy(p)
    as_user(client, login, p.info_editor)
    response = client.post(url("copy_op", copy.pk, "dispatch"), {})
    assert response.status_code == 400 and not Dispatch.objects.exists()
    client.post(url("copy_op", copy.pk, "dispatch"), {
        "dispatch-committee_leaders": "李主席、赵副主席", "dispatch-government_leaders": "孙区长",
        "dispatch-departments": [p.dept_a.pk]})
    rows = sorted((d.kind, d.recipient_name) for d in Dispatch.objects.filter(copy=copy))
    assert rows == [("committee_leader", "李主席"), ("committee_leader", "赵副主席"), ("department", "区生态环境局"),
                    ("government_leader", "孙区长")]
    # A department of another committee is not offered and is refused by the form.
    response = client.post(url("copy_op", copy.pk, "dispatch"), {"dispatch-departments": [p.dept_other.pk]})
    assert response.status_code == 400 and Dispatch.objects.count() == 4


def test_forward_names_the_parent_and_happens_once(client, login, p):
    copy = signed_copy(p)
    as_user(client, login, p.info_editor)
    page = text(client.get(url("copy", copy.pk)))
    assert "报送示范市政协" in page
    assert client.post(url("copy_op", copy.pk, "forward")).status_code == 302
    city = ReportCopy.objects.get(committee=p.city)
    assert city.received_from == copy and city.status == CopyStatus.PENDING
    before = audit_count()
    response = client.post(url("copy_op", copy.pk, "forward"))
    assert response.status_code == 400 and audit_count() == before
    assert 'data-op="forward"' not in text(client.get(url("copy", copy.pk)))


def test_adoption_form_and_bad_date(client, login, p):
    copy = signed_copy(p)
    as_user(client, login, p.info_editor)
    response = client.post(url("copy_op", copy.pk, "adopt"), {
        "adopt-kind": "single", "adopt-adopted_by": "东城区政协", "adopt-adopted_on": "2026-12-30"})
    assert response.status_code == 400 and not Adoption.objects.exists()
    client.post(url("copy_op", copy.pk, "adopt"), {
        "adopt-kind": "single", "adopt-adopted_by": "东城区政协", "adopt-adopted_on": "2026-05-30"})
    copy.refresh_from_db()
    assert copy.status == CopyStatus.ADOPTED and Adoption.objects.get().adopted_by == "东城区政协"


def test_external_level_is_offered_only_at_the_top(client, login, p):
    copy = signed_copy(p)
    as_user(client, login, p.info_editor)
    assert "adopt-external_level" not in text(client.get(url("copy", copy.pk)))
    province = forward(p, sign(p, forward(p, copy)))
    sign(p, province)
    as_user(client, login, p.province_editor)
    page = text(client.get(url("copy", province.pk, committee="province")))
    assert 'name="adopt-external_level"' in page and 'value="national"' in page
    client.post(url("copy_op", province.pk, "adopt", committee="province"), {
        "adopt-kind": "comprehensive", "adopt-adopted_by": "全国政协", "adopt-adopted_on": "2026-05-30",
        "adopt-external_level": "national"})
    adoption = Adoption.objects.get()
    assert adoption.external and adoption.level == "national"


def test_instruction_creates_follow_ups_and_bad_input_writes_nothing(client, login, p):
    copy = signed_copy(p)
    as_user(client, login, p.info_editor)
    before = audit_count()
    response = client.post(url("copy_op", copy.pk, "instruct"), {
        "instruct-leader_name": "", "instruct-text": "", "instruct-instructed_on": "2026-05-30"})
    assert response.status_code == 400 and not Instruction.objects.exists() and audit_count() == before
    client.post(url("copy_op", copy.pk, "instruct"), {
        "instruct-leader_name": "张书记", "instruct-leader_title": "区委书记", "instruct-text": "请研究办理。",
        "instruct-instructed_on": "2026-05-30", "instruct-departments": [p.dept_a.pk, p.dept_b.pk]})
    assert sorted(FollowUp.objects.values_list("department__name", flat=True)) == ["区教育局", "区生态环境局"]
    as_user(client, login, p.member)
    page = text(client.get(url("detail", copy.report.pk)))
    assert "张书记" in page and "区生态环境局" in page


# ------------------------------------------------------------------------------------------------ follow-ups


def test_the_department_reports_and_the_editor_reopens_then_closes(client, login, p):
    _copy, fu = instructed(p)
    as_user(client, login, p.dept_handler)
    listing = text(client.get(url("follow_ups")))
    assert fu.report.title in listing
    response = client.post(url("follow_up_op", fu.pk, "respond"), {"respond-response": ""})
    assert response.status_code == 400
    client.post(url("follow_up_op", fu.pk, "respond"), {"respond-response": "已完成整改。"})
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.REPORTED and fu.responded_by == p.dept_handler
    assert client.post(url("follow_up_op", fu.pk, "close")).status_code == 403
    as_user(client, login, p.info_editor)
    response = client.post(url("follow_up_op", fu.pk, "reopen"), {"reopen-note": ""})
    assert response.status_code == 400
    client.post(url("follow_up_op", fu.pk, "reopen"), {"reopen-note": "请补充资金落实情况"})
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.OPEN
    actions.do_report_follow_up(fu, response="资金已落实。", actor=p.dept_handler)
    client.post(url("follow_up_op", fu.pk, "close"), {"close-note": "同意办结"})
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.CLOSED
    as_user(client, login, p.member)
    assert "资金已落实。" in text(client.get(url("detail", fu.report.pk)))


def test_another_department_may_not_respond(client, login, p):
    _copy, fu = instructed(p)
    as_user(client, login, p.other_dept_handler)
    assert client.get(url("follow_up", fu.pk)).status_code == 404
    assert client.post(url("follow_up_op", fu.pk, "respond"), {"respond-response": "x"}).status_code == 404


# ------------------------------------------------------------------------------------------------ bulletin


def test_bulletin_single_and_comprehensive_entries_remove_and_publish(client, login, p):
    first, second, third = signed_copy(p), signed_copy(p, data={"title": "关于二"}), signed_copy(p, data={"title": "关于三"})
    as_user(client, login, p.info_editor)
    client.post(url("bulletins"), {"year": ""})
    issue = BulletinIssue.objects.get()
    target = url("bulletin_op", issue.pk, "add_entry")
    response = client.post(target, {"add_entry-kind": "single", "add_entry-copies": [first.pk, second.pk]})
    assert response.status_code == 400 and not BulletinEntry.objects.exists()
    client.post(target, {"add_entry-kind": "single", "add_entry-copies": [first.pk]})
    response = client.post(target, {"add_entry-kind": "comprehensive", "add_entry-copies": [second.pk, third.pk]})
    assert response.status_code == 400 and BulletinEntry.objects.count() == 1  # title and body missing
    client.post(target, {"add_entry-kind": "comprehensive", "add_entry-copies": [second.pk, third.pk],
                         "add_entry-title": "综合：城市更新", "add_entry-body": "综合正文"})
    assert BulletinEntry.objects.count() == 2
    single = BulletinEntry.objects.get(kind="single")
    client.post(url("bulletin_op", issue.pk, "remove_entry"), {"entry": single.pk})
    assert BulletinEntry.objects.count() == 1
    assert client.post(url("bulletin_op", issue.pk, "publish"), {"publish-signer_name": "李主席"}).status_code == 403
    as_user(client, login, p.info_signer)
    page = text(client.get(url("bulletin", issue.pk)))
    assert "综合：城市更新" in page and 'data-op="publish"' in page
    client.post(url("bulletin_op", issue.pk, "publish"), {"publish-signer_name": "李主席"})
    issue.refresh_from_db()
    assert issue.number == 1 and issue.status == "published"
    assert {c.status for c in ReportCopy.objects.filter(pk__in=[second.pk, third.pk])} == {CopyStatus.ADOPTED}


def test_publishing_an_empty_issue_shows_the_error(client, login, p):
    issue = actions.do_create_bulletin(p.district, actor=p.info_editor)
    as_user(client, login, p.info_signer)
    before = audit_count()
    response = client.post(url("bulletin_op", issue.pk, "publish"), {"publish-signer_name": "李主席"})
    assert response.status_code == 400 and audit_count() == before
    issue.refresh_from_db()
    assert issue.number is None


def test_a_signer_may_not_create_an_issue(client, login, p):
    as_user(client, login, p.info_signer)
    assert client.post(url("bulletins"), {"year": "2026"}).status_code == 403
    assert not BulletinIssue.objects.exists()


# ------------------------------------------------------------------------------------------------ across levels


def test_the_city_editor_works_the_forwarded_copy_and_the_district_cannot_open_it(client, login, p):
    copy = signed_copy(p)
    city = forward(p, copy)
    as_user(client, login, p.city_editor)
    queue = text(client.get(url("queue", committee="city")))
    assert BODY["title"] in queue and url("copy", city.pk, committee="city") in queue
    assert client.get(url("copy", city.pk, committee="city")).status_code == 200
    assert client.get(url("copy", city.pk)).status_code == 404  # the city's copy has no district address
    # A level below is never shown to the level above.
    assert client.get(url("copy", copy.pk)).status_code == 404
    assert client.get(url("copy", copy.pk, committee="city")).status_code == 404
    # The district's own staff see how far it went (the copy above), but other districts do not.
    as_user(client, login, p.info_editor)
    assert client.get(url("copy", city.pk, committee="city")).status_code == 200
    assert client.post(url("copy_op", city.pk, "edit", committee="city"), {"edit-title": "x"}).status_code == 403
    as_user(client, login, p.other_staff)
    assert client.get(url("copy", city.pk, committee="city")).status_code == 404
    # A city department with no dispatch sees nothing.
    as_user(client, login, p.city_dept_handler)
    assert client.get(url("copy", city.pk, committee="city")).status_code == 404


def test_a_city_rewrite_is_not_shown_to_the_district_but_the_author_sees_the_whole_chain(client, login, p):
    copy = signed_copy(p)
    city = forward(p, copy)
    actions.do_edit_copy(city, data={"title": "市级改稿标题"}, actor=p.city_editor)
    actions.do_sign_copy(city, actor=p.city_signer)
    actions.do_adopt_copy(city, kind="single", adopted_by="示范市政协", adopted_on=DAY,
                          actor=p.city_editor)
    actions.do_record_instruction(city, leader_name="钱市长", text="请东城区落实。",
                                  instructed_on=DAY, departments=[p.dept_a],
                                  actor=p.city_editor)
    fu = FollowUp.objects.get()
    as_user(client, login, p.member)
    page = text(client.get(url("detail", copy.report.pk)))
    assert "示范市政协" in page and "钱市长" in page and "区生态环境局" in page
    # The district department answers its task from its own list, without seeing the city's copy.
    as_user(client, login, p.dept_handler)
    assert fu.report.title in text(client.get(url("follow_ups")))
    assert client.get(url("follow_up", fu.pk)).status_code == 200
    assert client.get(url("copy", city.pk, committee="city")).status_code == 200  # the task's instruction copy
    client.post(url("follow_up_op", fu.pk, "respond"), {"respond-response": "已落实。"})
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.REPORTED
    # The city editors close it through the same page, addressed at the city.
    as_user(client, login, p.city_editor)
    client.post(url("follow_up_op", fu.pk, "close", committee="city"), {"close-note": ""})
    fu.refresh_from_db()
    assert fu.status == FollowUpStatus.CLOSED
    # The district's editors follow the city's task (the report came from them) but do not handle it.
    as_user(client, login, p.info_editor)
    assert client.post(url("follow_up_op", fu.pk, "reopen"), {"reopen-note": "x"}).status_code == 403
    assert client.post(url("follow_up_op", fu.pk, "reopen", committee="city"), {"reopen-note": "x"}).status_code == 403


# ------------------------------------------------------------------------------------------------ queue


def test_the_queue_puts_urgent_first_filters_and_keeps_a_fixed_number_of_queries(client, login, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = submitted_copy(p, data={"title": "一般信息"})
    submitted_copy(p, data={"title": "紧急信息", "is_urgent": True})
    as_user(client, login, p.info_editor)
    page = text(client.get(url("queue")))
    assert page.index("紧急信息") < page.index("一般信息")
    only_urgent = text(client.get(url("queue") + "?urgent=1"))
    assert "紧急信息" in only_urgent and "一般信息" not in only_urgent
    assert "一般信息" not in text(client.get(url("queue") + "?author_kind=informant"))
    assert "一般信息" not in text(client.get(url("queue") + "?year=2025"))
    assert "一般信息" in text(client.get(url("queue") + "?year=abc"))  # an invalid filter is dropped
    actions.do_keep_copy(plain, actor=p.info_editor)
    assert "一般信息" not in text(client.get(url("queue")))
    assert "一般信息" in text(client.get(url("queue") + "?status=kept"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("queue"))
    for i in range(15):
        submitted_copy(p, data={"title": f"批量{i}"})
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("queue"))
    assert response.status_code == 200 and len(many) == len(few)


def test_the_queue_filters_answer_htmx_with_the_results_only(client, login, p):
    submitted_copy(p)
    as_user(client, login, p.info_editor)
    response = client.get(url("queue") + "?urgent=0", HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200 and BODY["title"] in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_a_report_converted_from_a_proposal_links_its_source(client, login, p):
    from xieshang.org.models import Session, Term
    from xieshang.proposals import actions as proposal_actions

    term = Term.objects.create(committee=p.district, number=10, start_date=datetime.date(2022, 1, 1),
                               is_current=True)
    session = Session.objects.create(term=term, number=5, year=2026, plenary_start=datetime.date(2026, 1, 20),
                                     plenary_end=datetime.date(2026, 1, 23))
    proposal = proposal_actions.do_create_proposal(p.district, session, {"title": "关于社区养老的建议", **{
        k: BODY[k] for k in ("situation", "analysis", "suggestion")}}, actor=p.member)
    report = actions.do_convert_from_proposal(proposal, actor=None)
    as_user(client, login, p.member)
    page = text(client.get(url("detail", report.pk)))
    assert reverse("proposals:detail", args=["district", proposal.pk]) in page
    # The editor sees the report but may not open the (still draft) proposal: its title without a link.
    assert not p.info_editor.has_perm("proposals.view_proposal", proposal)
    as_user(client, login, p.info_editor)
    page = text(client.get(url("detail", report.pk)))
    assert "关于社区养老的建议" in page
    assert reverse("proposals:detail", args=["district", proposal.pk]) not in page


def test_the_timeline_of_the_detail_shows_the_chain(client, login, p):
    copy = signed_copy(p)
    forward(p, copy)
    as_user(client, login, p.member)
    page = text(client.get(url("detail", copy.report.pk)))
    assert page.count('data-testid="timeline-item"') >= 4 and "签发了信息" in page


def test_bulletin_links_to_documents_only_when_they_exist(client, login, p):
    from django.urls import NoReverseMatch

    issue = actions.do_create_bulletin(p.district, actor=p.info_editor)
    as_user(client, login, p.info_editor)
    page = text(client.get(url("bulletin", issue.pk)))
    try:
        docx = reverse("opinions_doc:bulletin_docx", args=["district", issue.pk])
    except NoReverseMatch:
        assert 'data-testid="docx"' not in page
    else:
        assert docx in page


def test_the_attach_form_on_the_detail_page(client, login, p):
    report = actions.do_create_report(p.district, BODY, actor=p.member)
    as_user(client, login, p.member)
    assert 'data-op="attach"' in text(client.get(url("detail", report.pk)))
    before = audit_count()
    response = client.post(url("report_op", report.pk, "attach"),
                           {"attach-file": SimpleUploadedFile("脚本.js", b"alert(1)")})
    assert response.status_code == 400 and "js" in text(response)
    assert not Attachment.objects.exists() and audit_count() == before
    response = client.post(url("report_op", report.pk, "attach"),
                           {"attach-file": SimpleUploadedFile("表格.xlsx", b"PK\x03\x04data")})
    assert response.status_code == 302 and report.attachments.get().name == "表格.xlsx"
    as_user(client, login, p.info_editor)  # a draft is not the office's to see
    assert client.post(url("report_op", report.pk, "attach"), {}).status_code == 404


def test_the_edit_page_refuses_an_empty_title_and_writes_nothing(client, login, p):
    report = actions.do_create_report(p.district, BODY, actor=p.member)
    as_user(client, login, p.member)
    before = audit_count()
    response = client.post(url("edit", report.pk), form_data(title=""))
    assert response.status_code == 400 and audit_count() == before
    report.refresh_from_db()
    assert report.title == BODY["title"]
    response = client.post(url("edit", report.pk), form_data(title="关于新标题的建议", draft="1"))
    report.refresh_from_db()
    assert response.status_code == 302 and report.title == "关于新标题的建议"
    assert report.status == ReportStatus.DRAFT


def test_state_errors_of_keep_reopen_and_close_are_shown(client, login, p):
    copy, fu = instructed(p)
    as_user(client, login, p.info_editor)
    before = audit_count()
    assert client.post(url("copy_op", copy.pk, "reopen")).status_code == 400
    assert client.post(url("follow_up_op", fu.pk, "close"), {"close-note": ""}).status_code == 400
    assert audit_count() == before
    client.post(url("copy_op", copy.pk, "keep"), {"keep-reason": ""})
    copy.refresh_from_db()
    assert copy.status == CopyStatus.KEPT
    before = audit_count()
    assert client.post(url("copy_op", copy.pk, "keep"), {"keep-reason": ""}).status_code == 400
    assert audit_count() == before


def test_a_bad_bulletin_year_is_refused(client, login, p):
    as_user(client, login, p.info_editor)
    response = client.post(url("bulletins"), {"year": "1900"})
    assert response.status_code == 400 and not BulletinIssue.objects.exists()


def test_my_list_keeps_a_fixed_number_of_queries(client, login, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_copy(p)
    as_user(client, login, p.member)
    with CaptureQueriesContext(connection) as few:
        client.get(url("mine"))
    for i in range(8):
        signed_copy(p, data={"title": f"批量{i}"})
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("mine"))
    assert response.status_code == 200 and "批量7" in text(response) and len(many) == len(few)


# ------------------------------------------------------------------------------------------------ reports list


def test_the_reports_list_matrix(client, login, p):
    submitted_copy(p)
    check_matrix(client, login, p, url("list"), {
        "member": 403, "informant": 403, "info_editor": 200, "info_signer": 200, "dept_handler": 403,
        "committee_leader": 200, "other_staff": 403, "outsider": 403})


def test_the_reports_list_takes_the_statistics_filters(client, login, p):
    from xieshang.opinions.stats import Scope, list_url

    adopted = signed_copy(p, data={"title": "市级采用的信息"})
    city = forward(p, adopted)
    sign(p, city)
    actions.do_adopt_copy(city, kind="single", adopted_by="示范市政协", adopted_on=DAY, actor=p.city_editor)
    submitted_copy(p, actor=p.informant, data={"title": "信息员的信息"})
    actions.do_create_report(p.district, {**BODY, "title": "仍是草稿"}, actor=p.member)
    as_user(client, login, p.info_editor)
    everything = text(client.get(url("list")))
    assert "市级采用的信息" in everything and "信息员的信息" in everything and "仍是草稿" not in everything
    link = list_url(Scope(p.district, 2026), event="adopted", level="city")
    assert link.startswith(url("list"))
    at_city = text(client.get(link))
    assert "市级采用的信息" in at_city and "信息员的信息" not in at_city and "已采用" in at_city
    by_informant = text(client.get(url("list") + f"?year=2026&informant={p.informant_row.pk}"))
    assert "信息员的信息" in by_informant and "市级采用的信息" not in by_informant
    by_member = text(client.get(url("list") + f"?event=submitted&member={p.member_row.pk}"))
    assert "市级采用的信息" in by_member and "信息员的信息" not in by_member
    assert "信息员的信息" in text(client.get(url("list") + "?level=bogus"))  # an invalid filter is dropped
    # The city sees its own authors' reports only: none here.
    as_user(client, login, p.city_editor)
    assert "市级采用的信息" not in text(client.get(url("list", committee="city")))
