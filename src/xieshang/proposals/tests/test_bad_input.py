"""Bad input gets a clear message and writes nothing: no rows, no audit events, no state change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xieshang.core.models import AuditEvent
from xieshang.org import actions as org_actions
from xieshang.proposals import actions
from xieshang.proposals.models import Assignment, Attachment, Proposal, Rating, Reply, StatusChange

D = datetime.date.fromisoformat


def counts():
    return (AuditEvent.objects.count(), StatusChange.objects.count(), Proposal.objects.count(),
            Attachment.objects.count(), Reply.objects.count(), Rating.objects.count(), Assignment.objects.count())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_refuses_an_oversized_body_on_create(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        world.flow.draft(situation="情" * 1000, analysis="析" * 1000, suggestion="议" * 501)
    assert "2501" in str(exc.value) and "2500" in str(exc.value)
    assert counts() == before


def test_it_refuses_an_oversized_body_on_update_and_keeps_the_old_text(world):
    proposal = world.flow.draft()
    before = counts()
    with pytest.raises(ValidationError, match="上限"):
        actions.do_update_proposal(proposal, {"suggestion": "议" * 3000}, actor=world.member)
    proposal.refresh_from_db()
    assert proposal.suggestion.startswith("建议设立")
    assert counts() == before


def test_the_body_limit_follows_the_committee_setting(world):
    org_actions.do_change_setting(world.district, "proposals.body_max_chars", 200, actor=world.office_admin)
    with pytest.raises(ValidationError, match="200"):
        world.flow.draft(situation="情" * 201)


def test_it_refuses_a_category_outside_the_committees_list(world):
    before = counts()
    with pytest.raises(ValidationError, match="类别"):
        world.flow.draft(category="城市建设与管理")
    assert counts() == before


def test_it_refuses_a_forbidden_attachment_type(world, media):
    proposal = world.flow.draft()
    before = counts()
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="exe"):
        actions.do_add_attachment(proposal, upload, actor=world.member)
    assert counts() == before
    assert not any(media.rglob("*.exe"))


def test_it_refuses_an_oversized_attachment(world, media):
    org_actions.do_change_setting(world.district, "proposals.attachment_max_mb", 1, actor=world.office_admin)
    proposal = world.flow.draft()
    before = counts()
    upload = SimpleUploadedFile("data.pdf", b"%PDF" + b"0" * (1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError, match="1 MB"):
        actions.do_add_attachment(proposal, upload, actor=world.member)
    assert counts() == before


def test_it_refuses_an_empty_attachment(world, media):
    proposal = world.flow.draft()
    before = counts()
    upload = SimpleUploadedFile("空白.pdf", b"", content_type="application/pdf")
    with pytest.raises(ValidationError, match="空文件") as exc:
        actions.do_add_attachment(proposal, upload, actor=world.member)
    assert "file" in exc.value.message_dict
    assert counts() == before
    assert not any(media.rglob("*.pdf"))


def test_an_allowed_attachment_is_stored_with_its_metadata(world, media):
    proposal = world.flow.draft()
    upload = SimpleUploadedFile("调研报告.PDF", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = actions.do_add_attachment(proposal, upload, actor=world.member)
    assert (attachment.name, attachment.size, attachment.content_type) == ("调研报告.PDF", 13, "application/pdf")
    assert attachment.file.read() == b"%PDF-1.4 test"
    with pytest.raises(PermissionDenied):
        actions.do_remove_attachment(attachment, actor=world.cosigner)


def test_it_refuses_a_reply_without_an_outcome_class(world):
    proposal = world.flow.assigned(co=False)
    lead = world.flow.lead(proposal)
    before = counts()
    with pytest.raises(ValidationError, match="办理结果分类"):
        actions.do_draft_reply(lead, {"outcome": "", "body": "答复", "signer": "局长"}, actor=world.dept_handler)
    with pytest.raises(ValidationError, match="A/B/C"):
        actions.do_draft_reply(lead, {"outcome": "D", "body": "答复", "signer": "局长"}, actor=world.dept_handler)
    assert counts() == before
    lead.refresh_from_db()
    assert lead.status == "assigned"


def test_it_refuses_a_rating_from_someone_who_is_not_a_proposer(world):
    p = world
    proposal = p.flow.replied(co=False)
    before = counts()
    for persona in (p.cosigner, p.proposal_staff, p.dept_handler, p.outsider, p.other_staff):
        with pytest.raises(PermissionDenied, match="提案者"):
            actions.do_rate_proposal(proposal, result="satisfied", actor=persona)
    assert counts() == before
    proposal.refresh_from_db()
    assert proposal.status == "replied"


def test_a_declined_cosigner_cannot_rate(world):
    p = world
    proposal = p.flow.draft(joint=True)
    from xieshang.org.models import Member
    from xieshang.testing import make_user

    third = Member.objects.create(committee=p.district, user=make_user("third"), name="第三人", sector=p.sector)
    actions.do_invite_cosigners(proposal, [third], actor=p.member)
    actions.do_respond_cosign(proposal, accept=True, actor=third.user)
    actions.do_respond_cosign(proposal, accept=False, actor=p.cosigner)
    actions.do_submit_proposal(proposal, actor=p.member)
    actions.do_pass_pre_review(proposal, actor=p.proposal_staff)
    actions.do_file_proposal(proposal, actor=p.proposal_staff)
    actions.do_assign_proposal(proposal, leads=[p.dept_a], actor=p.proposal_staff)
    reply = p.flow.reply(proposal)
    actions.do_review_reply(reply, approve=True, actor=p.proposal_staff)
    actions.do_send_reply(reply, actor=p.dept_handler)
    with pytest.raises(PermissionDenied):
        actions.do_rate_proposal(proposal, result="dissatisfied", actor=p.cosigner)


def test_it_refuses_a_second_rating_for_the_same_round(world):
    p = world
    proposal = p.flow.replied(co=False, joint=True)
    actions.do_rate_proposal(proposal, result="satisfied", actor=p.member)
    before = counts()
    with pytest.raises(ValidationError, match="已对本轮"):
        actions.do_rate_proposal(proposal, result="dissatisfied", actor=p.member)
    assert counts() == before


def test_it_refuses_a_late_objection(world):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    assert lead.objection_due == D("2026-03-09")
    p.clock.set("2026-03-10")
    before = counts()
    with pytest.raises(ValidationError, match="2026-03-09"):
        actions.do_object_assignment(lead, reason="不属于本单位职责", actor=p.dept_handler)
    assert counts() == before
    lead.refresh_from_db()
    assert lead.status == "assigned" and lead.objection_reason == ""


def test_it_refuses_an_objection_without_a_reason(world):
    proposal = world.flow.assigned(co=False)
    with pytest.raises(ValidationError, match="理由"):
        actions.do_object_assignment(world.flow.lead(proposal), reason="", actor=world.dept_handler)


def test_it_refuses_assigning_to_a_department_of_another_committee(world):
    p = world
    proposal = p.flow.filed()
    before = counts()
    with pytest.raises(ValidationError, match="承办单位"):
        actions.do_assign_proposal(proposal, leads=[p.dept_other], actor=p.proposal_staff)
    with pytest.raises(ValidationError, match="重复"):
        actions.do_assign_proposal(proposal, leads=[p.dept_a], co=[p.dept_a], actor=p.proposal_staff)
    assert counts() == before
    proposal.refresh_from_db()
    assert proposal.status == "filed"


def test_unknown_fields_are_refused(world):
    with pytest.raises(ValidationError, match="未知字段"):
        world.flow.draft(status="filed")
