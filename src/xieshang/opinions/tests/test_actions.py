"""The author's side of a report: drafting, attachments, submitting, withdrawing, conversion from a proposal.

Every refusal is checked to write nothing (``db_state()`` equal before and after).
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xieshang.core.models import AuditEvent, Notification
from xieshang.opinions import actions
from xieshang.opinions import settings as local
from xieshang.opinions.models import CopyStatus, Report, ReportCopy, ReportEvent, ReportStatus, ReportVersion
from xieshang.opinions.testing import BODY, db_state, make_report, submitted_copy
from xieshang.opinions.transitions import InvalidTransition
from xieshang.org.models import CommitteeSetting, Informant, Member

pytestmark = pytest.mark.django_db(transaction=False)


def refused(exc_type, func, *args, **kwargs):
    """Call ``func``, expect ``exc_type``, and check nothing was written; returns the exception."""
    before = db_state()
    with pytest.raises(exc_type) as info:
        func(*args, **kwargs)
    assert db_state() == before
    return info.value


# ---------------------------------------------------------------------------------------------- creating

def test_member_creates_a_draft_as_themself(chain):
    p = chain
    report = make_report(p)
    assert report.status == ReportStatus.DRAFT
    assert report.author_kind == Report.AuthorKind.MEMBER
    assert report.member == p.member_row and report.author_user == p.member and report.created_by == p.member
    assert report.author_name == "王建国" and not report.on_behalf
    assert report.serial is None and report.number == ""
    assert not report.copies.exists() and not report.versions.exists()
    assert AuditEvent.objects.filter(verb="opinions.drafted", target_id=str(report.pk)).count() == 1


def test_informant_creates_a_draft_from_their_informant_row(chain):
    p = chain
    report = make_report(p, actor=p.informant)
    assert report.author_kind == Report.AuthorKind.INFORMANT
    assert report.informant == p.informant_row and report.member is None
    assert report.author_user == p.informant and report.author_name == "陈信息"


def test_editor_creates_on_behalf_of_a_member_an_informant_and_a_collective(chain):
    p = chain
    for_member = make_report(p, actor=p.info_editor, member=p.cosigner_row)
    assert (for_member.on_behalf, for_member.author_user, for_member.created_by) == (True, p.cosigner, p.info_editor)
    for_informant = make_report(p, actor=p.info_editor, informant=p.informant_row)
    assert for_informant.on_behalf and for_informant.author_user == p.informant
    collective = make_report(p, actor=p.info_editor, collective_type="party", collective_name="民盟东城区委")
    assert collective.author_kind == Report.AuthorKind.COLLECTIVE
    assert collective.author_name == "民盟东城区委" and collective.author_user is None and collective.on_behalf


def test_member_may_report_for_a_collective_as_its_contact(chain):
    p = chain
    report = make_report(p, collective_type="sector", collective_name="经济界")
    assert report.author_kind == Report.AuthorKind.COLLECTIVE
    assert report.author_user == p.member and not report.on_behalf


@pytest.mark.parametrize("who", ["outsider", "other_staff", "dept_handler", "proposal_staff", "committee_leader"])
def test_people_without_a_reporting_role_cannot_create(chain, who):
    p = chain
    refused(PermissionDenied, make_report, p, actor=getattr(p, who))


def test_member_cannot_report_in_another_members_name(chain):
    p = chain
    refused(PermissionDenied, make_report, p, actor=p.member, member=p.cosigner_row)
    refused(PermissionDenied, make_report, p, actor=p.informant, informant=Informant.objects.create(
        committee=p.district, name="另一位信息员"))


def test_staff_without_an_author_is_told_to_name_one(chain):
    p = chain
    error = refused(ValidationError, make_report, p, actor=p.info_editor)
    assert "报送人" in " ".join(error.messages)


def test_author_from_another_committee_or_inactive_is_refused(chain):
    p = chain
    other_member = Member.objects.create(committee=p.other, name="外区委员")
    refused(ValidationError, make_report, p, actor=p.info_editor, member=other_member)
    left = Member.objects.create(committee=p.district, name="离任委员", status=Member.Status.LEFT)
    refused(ValidationError, make_report, p, actor=p.info_editor, member=left)
    gone = Informant.objects.create(committee=p.district, name="解聘信息员", is_active=False)
    refused(ValidationError, make_report, p, actor=p.info_editor, informant=gone)


def test_two_authors_at_once_are_refused(chain):
    p = chain
    refused(ValidationError, make_report, p, actor=p.info_editor, member=p.member_row, informant=p.informant_row)


@pytest.mark.parametrize("data, field", [
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "题" * 201}, "title"),
    ({"situation": "字" * 1501, "analysis": "", "suggestion": ""}, "situation"),
    ({"situation": "字" * 600, "analysis": "字" * 600, "suggestion": "字" * 301}, "situation"),
])
def test_bad_text_is_refused_with_the_field_named(chain, data, field):
    p = chain
    error = refused(ValidationError, make_report, p, data=data)
    assert field in error.message_dict


def test_length_limit_follows_the_committee_setting(chain):
    p = chain
    CommitteeSetting.objects.create(committee=p.district, key=local.BODY_MAX_CHARS, value=300)
    refused(ValidationError, make_report, p, data={"situation": "字" * 301, "analysis": "", "suggestion": ""})
    assert make_report(p, data={"situation": "字" * 300, "analysis": "", "suggestion": ""}).body_length == 300


def test_unknown_fields_and_incomplete_collectives_are_refused(chain):
    p = chain
    refused(ValidationError, make_report, p, data={"status": "submitted"})
    error = refused(ValidationError, make_report, p, actor=p.info_editor, collective_type="bogus",
                    collective_name="某单位")
    assert "collective_type" in error.message_dict


# ---------------------------------------------------------------------------------------------- updating

def test_author_updates_a_draft_and_the_change_is_audited(chain):
    p = chain
    report = make_report(p)
    actions.do_update_report(report, {"title": "关于电梯补贴的建议", "is_urgent": True}, actor=p.member)
    report.refresh_from_db()
    assert report.title == "关于电梯补贴的建议" and report.is_urgent
    event = AuditEvent.objects.get(verb="opinions.draft_updated")
    assert event.changes["title"] == [BODY["title"], "关于电梯补贴的建议"]


def test_update_refusals(chain):
    p = chain
    report = make_report(p)
    refused(PermissionDenied, actions.do_update_report, report, {"title": "x"}, actor=p.cosigner)
    refused(PermissionDenied, actions.do_update_report, report, {"title": "x"}, actor=p.info_editor)
    refused(ValidationError, actions.do_update_report, report, {"title": ""}, actor=p.member)
    refused(ValidationError, actions.do_update_report, report, {"serial": 5}, actor=p.member)
    actions.do_submit_report(report, actor=p.member)
    # Submitted: the author no longer holds change_report, so the permission refuses first.
    refused(InvalidTransition, actions.do_update_report, report, {"title": "x"}, actor=p.member)
    with pytest.raises(InvalidTransition):
        actions.do_update_report(report, {"title": "x"}, actor=None)


# ---------------------------------------------------------------------------------------------- attachments

def upload(name="photo.jpg", size=100, content_type="image/jpeg"):
    return SimpleUploadedFile(name, b"x" * size, content_type=content_type)


def test_attachment_added_and_removed(chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = chain
    report = make_report(p)
    attachment = actions.do_add_attachment(report, upload(), actor=p.member)
    assert attachment.name == "photo.jpg" and attachment.size == 100 and attachment.uploaded_by == p.member
    assert (tmp_path / attachment.file.name).exists()
    actions.do_remove_attachment(attachment, actor=p.member)
    assert not report.attachments.exists()


@pytest.mark.parametrize("name, size", [("run.exe", 10), ("noextension", 10), ("big.pdf", 10 * 1024 * 1024 + 1),
                                        ("empty.pdf", 0)])
def test_forbidden_attachments_are_refused(chain, settings, tmp_path, name, size):
    settings.MEDIA_ROOT = tmp_path
    p = chain
    report = make_report(p)
    error = refused(ValidationError, actions.do_add_attachment, report, upload(name, size), actor=p.member)
    assert "file" in error.message_dict
    assert not any(tmp_path.rglob("*.*"))


def test_attachments_only_by_the_author_and_only_while_editable(chain, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = chain
    report = make_report(p)
    attachment = actions.do_add_attachment(report, upload(), actor=p.member)
    refused(PermissionDenied, actions.do_add_attachment, report, upload(), actor=p.cosigner)
    refused(PermissionDenied, actions.do_remove_attachment, attachment, actor=p.outsider)
    actions.do_submit_report(report, actor=p.member)
    refused(ValidationError, actions.do_add_attachment, report, upload(), actor=None)
    refused(ValidationError, actions.do_remove_attachment, attachment, actor=None)


# ---------------------------------------------------------------------------------------------- submitting

def test_submission_numbers_versions_copies_events_and_notifies(chain, django_capture_on_commit_callbacks):
    p = chain
    report = make_report(p)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_submit_report(report, actor=p.member)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.serial == 1 and report.number == "2026-0001"
    assert report.submitted_at is not None and report.sector == p.sector
    version = report.versions.get()
    assert (version.number, version.kind, version.title) == (1, ReportVersion.Kind.AUTHOR, BODY["title"])
    copy = report.copies.get()
    assert copy.is_origin and copy.committee == p.district and copy.level == "county"
    assert copy.status == CopyStatus.PENDING and copy.version == version
    event = ReportEvent.objects.get(report=report)
    assert (event.kind, event.level, event.member, event.sector, event.year) == (
        ReportEvent.Kind.SUBMITTED, "county", p.member_row, p.sector, 2026)
    assert Notification.objects.filter(recipient=p.info_editor, kind="opinions.submitted").count() == 1
    assert not Notification.objects.filter(recipient=p.info_signer).exists()


def test_serials_count_up_per_committee_and_year_without_gaps(chain):
    p = chain
    serials = []
    for _ in range(3):
        copy = submitted_copy(p)
        serials.append(copy.report.serial)
    failed = make_report(p)
    failed.title = ""
    Report.objects.filter(pk=failed.pk).update(title="")
    with pytest.raises(ValidationError):
        actions.do_submit_report(failed, actor=p.member)
    serials.append(submitted_copy(p).report.serial)
    assert serials == [1, 2, 3, 4]


def test_urgent_submission_is_marked_for_the_editors(chain, django_capture_on_commit_callbacks):
    p = chain
    with django_capture_on_commit_callbacks(execute=True):
        copy = submitted_copy(p, data={"is_urgent": True})
    assert copy.is_urgent
    note = Notification.objects.get(recipient=p.info_editor, kind="opinions.submitted")
    assert note.title.startswith("【紧急】")


def test_submission_needs_a_situation_or_a_suggestion(chain):
    p = chain
    report = make_report(p, data={"situation": "", "analysis": "只有分析", "suggestion": ""})
    error = refused(ValidationError, actions.do_submit_report, report, actor=p.member)
    assert "situation" in error.message_dict


def test_submission_refusals(chain):
    p = chain
    report = make_report(p)
    refused(PermissionDenied, actions.do_submit_report, report, actor=p.cosigner)
    refused(PermissionDenied, actions.do_submit_report, report, actor=p.info_editor)
    actions.do_submit_report(report, actor=p.member)
    refused(InvalidTransition, actions.do_submit_report, report, actor=None)


def test_return_and_resubmission_keep_the_serial_and_every_version(chain, django_capture_on_commit_callbacks):
    p = chain
    copy = submitted_copy(p)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_return_copy(copy, reason="请补充具体小区名称", actor=p.info_editor)
    report = copy.report
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and copy.status == CopyStatus.RETURNED
    assert Notification.objects.filter(recipient=p.member, kind="opinions.returned").exists()
    actions.do_update_report(report, {"situation": "东城区和平里小区加装电梯进展缓慢。"}, actor=p.member)
    actions.do_submit_report(report, actor=p.member)
    report.refresh_from_db()
    copy.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.serial == 1
    assert copy.status == CopyStatus.PENDING and copy.version.number == 2
    assert list(report.versions.values_list("situation", flat=True)) == [BODY["situation"],
                                                                         "东城区和平里小区加装电梯进展缓慢。"]
    assert ReportCopy.objects.filter(report=report).count() == 1
    assert ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.SUBMITTED).count() == 1


def test_staff_submit_what_they_entered_on_behalf(chain):
    p = chain
    report = make_report(p, actor=p.info_editor, informant=p.informant_row)
    actions.do_submit_report(report, actor=p.info_editor)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    event = ReportEvent.objects.get(report=report)
    assert event.informant == p.informant_row and event.author_kind == Report.AuthorKind.INFORMANT


# ---------------------------------------------------------------------------------------------- withdrawing

def test_withdraw_a_draft_and_a_returned_report(chain):
    p = chain
    draft = make_report(p)
    actions.do_withdraw_report(draft, reason="重复", actor=p.member)
    assert draft.status == ReportStatus.WITHDRAWN
    copy = submitted_copy(p)
    actions.do_return_copy(copy, reason="请补充", actor=p.info_editor)
    report = copy.report
    actions.do_withdraw_report(report, actor=p.member)
    copy.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN and copy.status == CopyStatus.WITHDRAWN


def test_withdraw_refusals(chain):
    p = chain
    copy = submitted_copy(p)
    report = copy.report
    # Submitted: no longer editable; the author is told why, not just refused.
    refused(InvalidTransition, actions.do_withdraw_report, report, actor=p.member)
    refused(InvalidTransition, actions.do_withdraw_report, report, actor=None)
    draft = make_report(p)
    refused(PermissionDenied, actions.do_withdraw_report, draft, actor=p.cosigner)


# ---------------------------------------------------------------------------------------------- quotas

def test_quota_progress_for_member_informant_and_user(chain):
    p = chain
    assert actions.quota_progress(p.member, p.district, 2026) == (0, 0, 4)
    submitted_copy(p)
    submitted_copy(p)
    submitted_copy(p, actor=p.informant)
    assert actions.quota_progress(p.member_row, p.district, 2026) == (2, 0, 4)
    assert actions.quota_progress(p.informant, p.district, 2026) == (1, 0, 12)
    assert actions.quota_progress(p.informant_row, p.district, 2025) == (0, 0, 12)
    assert actions.quota_progress(p.outsider, p.district, 2026) == (0, 0, 0)
    CommitteeSetting.objects.create(committee=p.district, key=local.MEMBER_QUOTA, value=6)
    assert actions.quota_progress(p.member, p.district, 2026) == (2, 0, 6)
