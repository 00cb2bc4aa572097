"""The proposal pages: who may open and use each page, what invalid input shows, and that nothing is written then."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.proposals import actions
from xieshang.proposals import settings as local
from xieshang.org import settings_registry
from xieshang.proposals.models import Assignment, Attachment, Proposal, Proposer, Rating, Reply, Status

from .conftest import BODY

pytestmark = pytest.mark.django_db


def url(name, p, *args):
    return reverse(f"proposals:{name}", args=[p.district.code, *args])


def op_url(p, proposal, op):
    return reverse("proposals:op", args=[p.district.code, proposal.pk, op])


def as_user(client, login, user):
    client.logout()
    login(client, user)
    return client


def audit_count():
    return AuditEvent.objects.count()


# ------------------------------------------------------------------------------------------------ drafting


def draft_post(p, **over):
    data = {"session": p.session.pk, "kind": "individual", "title": "关于改善社区养老服务的建议",
            "category": "社会", **BODY, "suggested_departments": [p.dept_a.pk]}
    data.update(over)
    return data


def test_a_member_drafts_a_joint_proposal_and_the_cosigner_is_invited(world, client, login):
    p = world
    as_user(client, login, p.member)
    response = client.post(url("new", p), draft_post(p, cosigners=[p.cosigner_row.pk]))
    proposal = Proposal.objects.get(title="关于改善社区养老服务的建议")
    assert response.status_code == 302 and response["Location"] == url("detail", p, proposal.pk)
    assert proposal.status == Status.DRAFT and proposal.kind == Proposal.Kind.JOINT
    assert list(proposal.suggested_departments.all()) == [p.dept_a]
    row = proposal.proposers.get(role=Proposer.Role.COSIGNER)
    assert row.user == p.cosigner and row.signature == Proposer.Signature.PENDING


def test_the_draft_form_shows_the_length_error_and_writes_nothing(world, client, login):
    p = world
    limit = local.value(p.district, local.BODY_MAX_CHARS)
    as_user(client, login, p.member)
    before = audit_count()
    response = client.post(url("new", p), draft_post(p, situation="长" * (limit + 1)))
    assert response.status_code == 400
    assert "超过本会规定" in response.content.decode()
    assert not Proposal.objects.exists() and audit_count() == before


def test_the_draft_form_refuses_a_category_not_in_the_committee_list(world, client, login):
    p = world
    as_user(client, login, p.member)
    response = client.post(url("new", p), draft_post(p, category="外星"))
    assert response.status_code == 400 and not Proposal.objects.exists()


def test_a_collective_proposal_needs_its_contact_person(world, client, login):
    p = world
    as_user(client, login, p.proposal_staff)
    response = client.post(url("new", p), draft_post(p, kind="collective", collective_type="party",
                                                      collective_name="民盟区委", contact_name=""))
    assert response.status_code == 400
    assert "集体提案须写明联系人" in response.content.decode()
    assert not Proposal.objects.exists()
    response = client.post(url("new", p), draft_post(p, kind="collective", collective_type="party",
                                                      collective_name="民盟区委", contact_name="张联络",
                                                      contact_phone="13900000000"))
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.kind == Proposal.Kind.COLLECTIVE
    assert proposal.contact_name == "张联络"


@pytest.mark.parametrize("name", ["outsider", "other_staff", "dept_handler"])
def test_it_refuses_the_new_draft_page_to_non_members(world, client, login, name):
    p = world
    as_user(client, login, getattr(p, name))
    assert client.get(url("new", p)).status_code == 403
    assert client.post(url("new", p), draft_post(p)).status_code == 403
    assert not Proposal.objects.exists()


def test_drafts_are_private_to_their_authors(world, client, login):
    p = world
    proposal = p.flow.draft()
    as_user(client, login, p.member)
    assert client.get(url("detail", p, proposal.pk)).status_code == 200
    for name in ["proposal_staff", "dept_handler", "other_staff", "outsider", "cosigner"]:
        as_user(client, login, getattr(p, name))
        assert client.get(url("detail", p, proposal.pk)).status_code == 404, name


def test_the_author_edits_a_draft_and_others_cannot(world, client, login):
    p = world
    proposal = p.flow.draft()
    as_user(client, login, p.member)
    response = client.post(url("edit", p, proposal.pk), {
        "kind": "individual", "title": "关于加快加装电梯的建议", "category": "经济", **BODY})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "关于加快加装电梯的建议" and proposal.category == "经济"
    p.flow.submitted()  # a second one, to show that submitted proposals are not editable
    submitted = Proposal.objects.get(status=Status.SUBMITTED)
    assert client.get(url("edit", p, submitted.pk)).status_code == 403
    as_user(client, login, p.outsider)
    assert client.get(url("edit", p, proposal.pk)).status_code == 404


def test_attachments_are_checked_against_the_allow_list_and_size(world, client, login):
    p = world
    proposal = p.flow.draft()
    as_user(client, login, p.member)
    bad = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(op_url(p, proposal, "attach"), {f"attach-{proposal.pk}-file": bad})
    assert response.status_code == 400 and "不允许上传" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    settings_registry_set(p, local.ATTACHMENT_MAX_MB, 1)
    response = client.post(op_url(p, proposal, "attach"), {f"attach-{proposal.pk}-file": big})
    assert response.status_code == 400 and "超过 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("data.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(op_url(p, proposal, "attach"), {f"attach-{proposal.pk}-file": good})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(url("attachment", p, proposal.pk, attachment.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"
    as_user(client, login, p.outsider)
    assert client.get(url("attachment", p, proposal.pk, attachment.pk)).status_code == 404
    as_user(client, login, p.member)
    response = client.post(url("attachment_remove", p, proposal.pk, attachment.pk))
    assert response.status_code == 302 and not Attachment.objects.exists()


def settings_registry_set(p, key, value):
    from xieshang.org.models import CommitteeSetting

    CommitteeSetting.objects.update_or_create(committee=p.district, key=key, defaults={"value": value})
    if hasattr(settings_registry, "invalidate"):
        settings_registry.invalidate()


def test_submit_explains_that_cosigners_are_pending_and_writes_nothing(world, client, login):
    p = world
    proposal = p.flow.draft(joint=True)
    as_user(client, login, p.member)
    before = audit_count()
    response = client.post(op_url(p, proposal, "submit"), {})
    assert response.status_code == 400
    assert "位联名人未确认" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.DRAFT and audit_count() == before


def test_the_cosigner_confirms_then_the_member_submits(world, client, login):
    p = world
    proposal = p.flow.draft(joint=True)
    as_user(client, login, p.cosigner)
    page = client.get(url("detail", p, proposal.pk))
    assert page.status_code == 200 and 'data-op="sign"' in page.content.decode()
    mine = client.get(url("mine", p))
    assert proposal.title in mine.content.decode()
    response = client.post(op_url(p, proposal, "sign"), {f"sign-{proposal.pk}-accept": "yes"})
    assert response.status_code == 302
    assert proposal.proposers.get(user=p.cosigner).signature == Proposer.Signature.CONFIRMED
    # Confirming twice is refused by the rules: nothing pending any more.
    assert client.post(op_url(p, proposal, "sign"), {f"sign-{proposal.pk}-accept": "yes"}).status_code == 403
    as_user(client, login, p.member)
    assert client.post(op_url(p, proposal, "submit"), {}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED and proposal.timing == Proposal.Timing.REGULAR


def test_the_member_invites_a_cosigner_from_the_detail_page(world, client, login):
    p = world
    proposal = p.flow.draft()
    as_user(client, login, p.member)
    response = client.post(op_url(p, proposal, "invite"), {f"invite-{proposal.pk}-cosigners": [p.cosigner_row.pk]})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.kind == Proposal.Kind.JOINT
    assert proposal.proposers.filter(user=p.cosigner, signature=Proposer.Signature.PENDING).exists()


def test_an_unknown_operation_is_404_and_a_get_is_refused(world, client, login):
    p = world
    proposal = p.flow.submitted()
    as_user(client, login, p.proposal_staff)
    assert client.post(op_url(p, proposal, "explode"), {}).status_code == 404
    assert client.get(op_url(p, proposal, "pass")).status_code == 405


# ------------------------------------------------------------------------------------------------ review


def test_staff_pre_review_and_file_from_the_review_page(world, client, login):
    p = world
    proposal = p.flow.submitted()
    as_user(client, login, p.proposal_staff)
    page = client.get(url("detail", p, proposal.pk)).content.decode()
    assert 'data-op="pass"' in page and 'data-op="return"' in page
    assert client.post(op_url(p, proposal, "pass"), {}).status_code == 302
    response = client.post(op_url(p, proposal, "file"), {f"file-{proposal.pk}-category": "社会"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.FILED and proposal.case_number == 1


def test_returning_needs_a_reason(world, client, login):
    p = world
    proposal = p.flow.submitted()
    as_user(client, login, p.proposal_staff)
    response = client.post(op_url(p, proposal, "return"), {f"return-{proposal.pk}-reason": ""})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    client.post(op_url(p, proposal, "return"), {f"return-{proposal.pk}-reason": "请补充数据"})
    proposal.refresh_from_db()
    assert proposal.status == Status.RETURNED and proposal.decision_note == "请补充数据"


def test_decline_needs_a_configured_ground(world, client, login):
    p = world
    proposal = p.flow.in_review()
    as_user(client, login, p.proposal_staff)
    response = client.post(op_url(p, proposal, "decline"), {f"decline-{proposal.pk}-ground": "我不喜欢"})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Status.REVIEW
    ground = local.NATIONAL_DECLINE_GROUNDS[-1]
    client.post(op_url(p, proposal, "decline"), {f"decline-{proposal.pk}-ground": ground,
                                                 f"decline-{proposal.pk}-reason": "缺少具体建议"})
    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED and proposal.decline_ground == ground


def test_merge_and_convert_from_the_review_page(world, client, login):
    p = world
    lead = p.flow.filed(title="关于加装电梯的建议")
    other = p.flow.in_review(title="关于老旧小区电梯的建议")
    third = p.flow.in_review(title="关于社区食堂的建议")
    as_user(client, login, p.proposal_staff)
    assert client.post(op_url(p, other, "merge"), {f"merge-{other.pk}-into": lead.pk}).status_code == 302
    other.refresh_from_db()
    assert other.status == Status.MERGED and other.merged_into == lead
    response = client.post(op_url(p, third, "convert"), {f"convert-{third.pk}-target": "opinion"})
    assert response.status_code == 400 and "须征得提案者同意" in response.content.decode()
    client.post(op_url(p, third, "convert"), {f"convert-{third.pk}-target": "opinion",
                                              f"convert-{third.pk}-consent": "on"})
    third.refresh_from_db()
    assert third.status == Status.CONVERTED


@pytest.mark.parametrize("name", ["member", "dept_handler", "auditor"])
def test_it_refuses_review_decisions_to_non_proposal_staff(world, client, login, name):
    p = world
    proposal = p.flow.submitted()
    as_user(client, login, getattr(p, name))
    response = client.post(op_url(p, proposal, "pass"), {})
    assert response.status_code in (403, 404)
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["other_staff", "outsider"])
def test_it_hides_proposals_from_other_committees_and_outsiders(world, client, login, name):
    p = world
    proposal = p.flow.submitted()
    as_user(client, login, getattr(p, name))
    assert client.get(url("detail", p, proposal.pk)).status_code == 404
    assert client.post(op_url(p, proposal, "pass"), {}).status_code == 404
    assert client.get(url("register", p)).status_code == 403


def test_the_withdraw_operation_is_offered_to_the_author(world, client, login):
    p = world
    proposal = p.flow.submitted()
    as_user(client, login, p.member)
    assert client.post(op_url(p, proposal, "withdraw"), {}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN


# ------------------------------------------------------------------------------------------------ register


def test_the_register_filters_by_every_field(world, client, login):
    p = world
    a = p.flow.assigned(co=False, title="关于加装电梯的建议")
    b = p.flow.submitted(title="关于社区食堂的建议")
    p.flow.draft(title="关于草稿的建议")
    as_user(client, login, p.proposal_staff)

    def titles(**params):
        body = client.get(url("register", p), params).content.decode()
        return {t for t in ["加装电梯", "社区食堂", "草稿"] if t in body}

    assert titles() == {"加装电梯", "社区食堂"}
    assert titles(status="submitted") == {"社区食堂"}
    assert titles(department=p.dept_a.pk) == {"加装电梯"}
    assert titles(q="食堂") == {"社区食堂"}
    assert titles(proposer="王建国") == {"加装电梯", "社区食堂"}
    assert titles(proposer="无此人") == set()
    assert titles(category="社会", session=p.session.pk) == {"加装电梯", "社区食堂"}
    assert titles(timing="plenary") == set()
    assert titles(timing="regular") == {"加装电梯", "社区食堂"}
    actions.do_select_key_proposal(a, leader_name="李主席", actor=p.proposal_staff)
    assert titles(key="on") == {"加装电梯"}
    assert b.pk  # both present


def test_the_register_answers_an_htmx_request_with_the_results_only(world, client, login):
    p = world
    p.flow.submitted()
    as_user(client, login, p.proposal_staff)
    response = client.get(url("register", p), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="register"' in body and "<html" not in body


def test_the_register_sends_members_and_departments_to_their_own_lists(world, client, login):
    p = world
    as_user(client, login, p.member)
    assert client.get(url("register", p))["Location"] == url("mine", p)
    as_user(client, login, p.dept_handler)
    assert client.get(url("register", p))["Location"] == url("my_assignments", p)


def test_batch_review_files_all_ticked_or_none(world, client, login):
    p = world
    one = p.flow.in_review(title="关于一的建议")
    two = p.flow.in_review(title="关于二的建议")
    pending = p.flow.submitted(title="关于三的建议")
    as_user(client, login, p.proposal_staff)
    response = client.post(url("batch", p), {"ids": [one.pk, two.pk, pending.pk], "decision": "file"})
    assert response.status_code == 302
    assert Proposal.objects.filter(status=Status.FILED).count() == 0  # the submitted one refused the batch
    response = client.post(url("batch", p), {"ids": [one.pk, two.pk], "decision": "file"}, follow=True)
    assert "已对 2 件提案作出审查决定" in response.content.decode()
    assert sorted(Proposal.objects.filter(status=Status.FILED).values_list("case_number", flat=True)) == [1, 2]


def test_batch_review_is_refused_to_departments_and_other_committees(world, client, login):
    p = world
    one = p.flow.in_review()
    for name in ["dept_handler", "other_staff", "member"]:
        as_user(client, login, getattr(p, name))
        assert client.post(url("batch", p), {"ids": [one.pk], "decision": "file"}).status_code == 403
    one.refresh_from_db()
    assert one.status == Status.REVIEW


def make_many(p, n):
    from xieshang.proposals.models import Proposer as Row

    made = []
    for i in range(n):
        proposal = Proposal.objects.create(committee=p.district, session=p.session, title=f"关于第{i}件事的建议",
                                           status=Status.SUBMITTED, serial=i + 1, created_by=p.member)
        Row.objects.create(proposal=proposal, member=p.member_row, user=p.member, name="王建国", role="first")
        made.append(proposal)
    return made


def test_the_register_uses_the_same_number_of_queries_for_10_and_50_rows(world, client, login,
                                                                        django_assert_max_num_queries):
    p = world
    proposals = make_many(p, 55)
    for proposal in proposals[:20]:
        Assignment.objects.create(proposal=proposal, department=p.dept_a, role="lead", assigned_at="2026-03-02",
                                  objection_due="2026-03-09", reply_due="2026-06-02")
    as_user(client, login, p.proposal_staff)
    client.get(url("register", p), {"per": 10})  # warm caches (roles, settings, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url("register", p), {"per": 10}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("register", p), {"per": 50})
    assert response.content.decode().count('data-testid="register-row"') == 50


def test_the_department_list_uses_the_same_number_of_queries_for_10_and_50_rows(world, client, login,
                                                                               django_assert_max_num_queries):
    p = world
    for proposal in make_many(p, 55):
        Assignment.objects.create(proposal=proposal, department=p.dept_a, role="lead", assigned_at="2026-03-02",
                                  objection_due="2026-03-09", reply_due="2026-06-02")
    as_user(client, login, p.dept_handler)
    client.get(url("my_assignments", p), {"per": 10})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url("my_assignments", p), {"per": 10}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("my_assignments", p), {"per": 50})
    assert response.content.decode().count('data-testid="assignment-row"') == 50


# ------------------------------------------------------------------------------------------------ assignment


def test_staff_assign_and_the_department_sees_only_its_own(world, client, login):
    p = world
    proposal = p.flow.filed()
    hidden = p.flow.filed(title="关于别的事的建议")
    as_user(client, login, p.proposal_staff)
    response = client.post(op_url(p, proposal, "assign"), {f"assign-{proposal.pk}-leads": [p.dept_a.pk],
                                                           f"assign-{proposal.pk}-co": [p.dept_b.pk]})
    assert response.status_code == 302
    assert proposal.assignments.count() == 2
    as_user(client, login, p.dept_handler)
    body = client.get(url("my_assignments", p)).content.decode()
    assert proposal.title in body and hidden.title not in body
    assert client.get(url("detail", p, proposal.pk)).status_code == 200
    assert client.get(url("detail", p, hidden.pk)).status_code == 404


def test_assigning_the_same_department_twice_shows_an_error(world, client, login):
    p = world
    proposal = p.flow.filed()
    as_user(client, login, p.proposal_staff)
    response = client.post(op_url(p, proposal, "assign"), {f"assign-{proposal.pk}-leads": [p.dept_a.pk],
                                                           f"assign-{proposal.pk}-co": [p.dept_a.pk]})
    assert response.status_code == 400 and not proposal.assignments.exists()


def test_objection_then_reassignment(world, client, login):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    as_user(client, login, p.dept_handler)
    assert client.post(op_url(p, proposal, "object"), {"target": lead.pk,
                                                      f"object-{lead.pk}-reason": ""}).status_code == 400
    assert client.post(op_url(p, proposal, "object"), {"target": lead.pk,
                                                      f"object-{lead.pk}-reason": "不属于本单位职责"}).status_code == 302
    lead.refresh_from_db()
    assert lead.status == "objected"
    # The department cannot reassign itself.
    assert client.post(op_url(p, proposal, "reassign"), {"target": lead.pk,
                                                        f"reassign-{lead.pk}-department": p.dept_b.pk}).status_code == 403
    as_user(client, login, p.proposal_staff)
    register = client.get(url("register", p)).content.decode()
    assert 'data-testid="pending-objections"' in register and "不属于本单位职责" in register
    page = client.get(url("detail", p, proposal.pk)).content.decode()
    assert "不属于本单位职责" in page and 'data-op="reassign"' in page
    assert client.post(op_url(p, proposal, "reassign"), {"target": lead.pk,
                                                        f"reassign-{lead.pk}-department": p.dept_b.pk}).status_code == 302
    assert proposal.assignments.get(status="assigned").department == p.dept_b


def test_a_late_objection_is_refused_with_a_message(world, client, login):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    p.clock.set("2026-04-30")
    as_user(client, login, p.dept_handler)
    response = client.post(op_url(p, proposal, "object"), {"target": lead.pk, f"object-{lead.pk}-reason": "晚了"})
    assert response.status_code == 400 and "异议期限已于" in response.content.decode()
    lead.refresh_from_db()
    assert lead.status == "assigned"


def test_an_assignment_of_another_proposal_is_404(world, client, login):
    p = world
    proposal = p.flow.assigned(co=False)
    other = p.flow.assigned(co=False, title="关于别的事的建议")
    as_user(client, login, p.dept_handler)
    response = client.post(op_url(p, proposal, "first_contact"), {
        "target": p.flow.lead(other).pk, f"first_contact-{p.flow.lead(other).pk}-on": "2026-03-02"})
    assert response.status_code == 404


def test_another_department_cannot_handle_the_lead_assignment(world, client, login):
    p = world
    proposal = p.flow.assigned(co=True)
    lead = p.flow.lead(proposal)
    as_user(client, login, p.other_dept_handler)
    response = client.post(op_url(p, proposal, "first_contact"),
                           {"target": lead.pk, f"first_contact-{lead.pk}-on": "2026-03-02"})
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.first_contact_on is None


def test_handling_co_opinion_reply_cosign_review_and_send(world, client, login):
    p = world
    proposal = p.flow.assigned(co=True)
    lead, co = p.flow.lead(proposal), p.flow.co(proposal)
    as_user(client, login, p.dept_handler)
    assert client.post(op_url(p, proposal, "first_contact"), {
        "target": lead.pk, f"first_contact-{lead.pk}-on": "2026-03-02",
        f"first_contact-{lead.pk}-note": "电话沟通"}).status_code == 302
    # A reply without an outcome class is refused and nothing is written.
    response = client.post(op_url(p, proposal, "reply"), {
        "target": lead.pk, f"reply-{lead.pk}-body": "答复", f"reply-{lead.pk}-signer": "赵局长"})
    assert response.status_code == 400 and "办理结果分类" in response.content.decode()
    assert not Reply.objects.exists()
    as_user(client, login, p.other_dept_handler)
    assert client.post(op_url(p, proposal, "opinion"), {
        "target": co.pk, f"opinion-{co.pk}-opinion": "同意主办意见"}).status_code == 302
    as_user(client, login, p.dept_handler)
    page = client.get(url("detail", p, proposal.pk)).content.decode()
    assert "同意主办意见" in page  # the lead sees its co-department's opinion
    assert client.post(op_url(p, proposal, "reply"), {
        "target": lead.pk, f"reply-{lead.pk}-outcome": "A", f"reply-{lead.pk}-body": "已列入计划",
        f"reply-{lead.pk}-signer": "赵局长"}).status_code == 302
    reply = Reply.objects.get()
    assert reply.status == Reply.ReviewStatus.COSIGNING
    as_user(client, login, p.other_dept_handler)
    assert client.post(op_url(p, proposal, "cosign"), {"target": reply.pk}).status_code == 302
    as_user(client, login, p.proposal_staff)
    assert client.post(op_url(p, proposal, "review_reply"), {
        "target": reply.pk, f"review_reply-{reply.pk}-approve": "yes",
        f"review_reply-{reply.pk}-outcome": "B"}).status_code == 302
    reply.refresh_from_db()
    assert reply.final_outcome == "B"
    as_user(client, login, p.dept_handler)
    assert client.post(op_url(p, proposal, "send"), {"target": reply.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.REPLIED
    page = client.get(url("detail", p, proposal.pk)).content.decode()
    letter = reverse("proposal_files:reply", args=[p.district.code, reply.pk, "pdf"])
    assert letter in page
    assert reverse("proposal_files:opinion", args=[p.district.code, co.pk, "docx"]) in page
    as_user(client, login, p.member)
    assert letter in client.get(url("detail", p, proposal.pk)).content.decode()


def test_extension_request_and_decision(world, client, login):
    p = world
    proposal = p.flow.assigned(co=False)
    lead = p.flow.lead(proposal)
    as_user(client, login, p.dept_handler)
    response = client.post(op_url(p, proposal, "extension"), {
        "target": lead.pk, f"extension-{lead.pk}-new_due": "2026-07-15", f"extension-{lead.pk}-reason": ""})
    assert response.status_code == 400
    client.post(op_url(p, proposal, "extension"), {
        "target": lead.pk, f"extension-{lead.pk}-new_due": "2026-07-15", f"extension-{lead.pk}-reason": "需调研"})
    lead.refresh_from_db()
    assert lead.extension == "requested"
    assert client.post(op_url(p, proposal, "decide_extension"), {
        "target": lead.pk, f"decide_extension-{lead.pk}-approve": "yes"}).status_code == 403
    as_user(client, login, p.proposal_staff)
    assert client.post(op_url(p, proposal, "decide_extension"), {
        "target": lead.pk, f"decide_extension-{lead.pk}-approve": "yes"}).status_code == 302
    lead.refresh_from_db()
    assert lead.extension == "approved" and lead.reply_due.isoformat() == "2026-07-15"


# ------------------------------------------------------------------------------------------------ rating, flags


def test_the_proposer_rates_and_a_non_proposer_cannot(world, client, login):
    p = world
    proposal = p.flow.replied(co=False, joint=True)
    as_user(client, login, p.dept_handler)
    assert client.post(op_url(p, proposal, "rate"), {f"rate-{proposal.pk}-result": "satisfied"}).status_code == 403
    as_user(client, login, p.member)
    response = client.post(op_url(p, proposal, "rate"), {f"rate-{proposal.pk}-result": "great"})
    assert response.status_code == 400 and not Rating.objects.exists()
    assert client.post(op_url(p, proposal, "rate"), {f"rate-{proposal.pk}-result": "dissatisfied",
                                                     f"rate-{proposal.pk}-comment": "没有落实"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.REHANDLE and proposal.round == 2


def test_staff_record_a_rating_on_behalf_of_a_proposer(world, client, login):
    p = world
    proposal = p.flow.replied(co=False)
    row = proposal.proposers.get()
    as_user(client, login, p.proposal_staff)
    assert client.post(op_url(p, proposal, "record_rating"), {
        f"record_rating-{proposal.pk}-proposer": row.pk,
        f"record_rating-{proposal.pk}-result": "satisfied"}).status_code == 302
    rating = Rating.objects.get()
    assert rating.on_behalf and rating.recorded_by == p.proposal_staff
    proposal.refresh_from_db()
    assert proposal.status == Status.ARCHIVED


def test_rating_extra_fields_appear_when_enabled(world, client, login):
    p = world
    settings_registry_set(p, local.RATING_EXTRA_FIELDS, True)
    proposal = p.flow.replied(co=False)
    as_user(client, login, p.member)
    page = client.get(url("detail", p, proposal.pk)).content.decode()
    assert f"rate-{proposal.pk}-attitude" in page
    assert client.post(op_url(p, proposal, "rate"), {f"rate-{proposal.pk}-result": "satisfied",
                                                     f"rate-{proposal.pk}-attitude": "understanding"}).status_code == 302
    assert Rating.objects.get().attitude == "understanding"


def test_key_excellent_and_public_consent(world, client, login):
    p = world
    proposal = p.flow.filed()
    as_user(client, login, p.proposal_staff)
    assert client.post(op_url(p, proposal, "key"), {f"key-{proposal.pk}-leader_name": ""}).status_code == 400
    assert client.post(op_url(p, proposal, "key"), {f"key-{proposal.pk}-leader_name": "李主席"}).status_code == 302
    assert client.post(op_url(p, proposal, "oversight"), {
        f"oversight-{proposal.pk}-report": "召开督办座谈会"}).status_code == 302
    assert client.post(op_url(p, proposal, "excellent"), {f"excellent-{proposal.pk}-excellent": "on"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_key and proposal.is_excellent and proposal.oversight.report == "召开督办座谈会"
    as_user(client, login, p.member)
    assert client.post(op_url(p, proposal, "key"), {f"key-{proposal.pk}-leader_name": "我"}).status_code == 403
    assert client.post(op_url(p, proposal, "consent"), {f"consent-{proposal.pk}-consent": "no"}).status_code == 400
    assert client.post(op_url(p, proposal, "consent"), {f"consent-{proposal.pk}-consent": "yes"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.public_consent is True


# ------------------------------------------------------------------------------------------------ detail, timeline


def test_the_timeline_is_filtered_per_party(world, client, login):
    p = world
    proposal = p.flow.assigned(co=True)
    lead, co = p.flow.lead(proposal), p.flow.co(proposal)
    actions.do_object_assignment(co, reason="职责交叉需协调", actor=p.other_dept_handler)
    actions.do_record_first_contact(lead, on=p.clock(), note="内部沟通记录", actor=p.dept_handler)
    as_user(client, login, p.proposal_staff)
    office = client.get(url("detail", p, proposal.pk)).content.decode()
    assert "职责交叉需协调" in office and "内部沟通记录" in office
    as_user(client, login, p.dept_handler)
    lead_page = client.get(url("detail", p, proposal.pk)).content.decode()
    assert "内部沟通记录" in lead_page
    assert "职责交叉需协调" not in lead_page  # another department's objection stays internal
    as_user(client, login, p.member)
    member_page = client.get(url("detail", p, proposal.pk)).content.decode()
    assert "立案" in member_page and "提交了提案" in member_page
    assert "职责交叉需协调" not in member_page
    assert "对交办提出异议" not in member_page


def test_proposers_see_only_sent_replies(world, client, login):
    p = world
    proposal = p.flow.assigned(co=False)
    p.flow.reply(proposal)
    as_user(client, login, p.member)
    assert "已列入年度民生实事项目" not in client.get(url("detail", p, proposal.pk)).content.decode()
    as_user(client, login, p.proposal_staff)
    assert "已列入年度民生实事项目" in client.get(url("detail", p, proposal.pk)).content.decode()


def test_the_committee_home_links_to_the_proposals(world, client, login):
    p = world
    as_user(client, login, p.proposal_staff)
    body = client.get(reverse("org:home", args=[p.district.code])).content.decode()
    assert url("register", p) in body


@pytest.mark.parametrize("name", ["member", "proposal_staff", "outsider", "other_staff"])
def test_it_refuses_the_department_list_to_non_department_staff(world, client, login, name):
    p = world
    p.flow.assigned(co=False)
    as_user(client, login, getattr(p, name))
    assert client.get(url("my_assignments", p)).status_code == 403


@pytest.mark.parametrize("name", ["dept_handler", "outsider", "other_staff"])
def test_it_refuses_my_proposals_to_those_who_cannot_propose(world, client, login, name):
    p = world
    as_user(client, login, getattr(p, name))
    assert client.get(url("mine", p)).status_code == 403


def test_my_proposals_lists_own_proposals_only(world, client, login):
    p = world
    own = p.flow.draft(title="关于我的事的建议")
    as_user(client, login, p.cosigner)
    assert own.title not in client.get(url("mine", p)).content.decode()
    as_user(client, login, p.member)
    assert own.title in client.get(url("mine", p)).content.decode()


def test_the_register_ignores_a_filter_naming_another_committees_session(world, client, login):
    p = world
    p.flow.submitted()
    as_user(client, login, p.proposal_staff)
    response = client.get(url("register", p), {"session": p.other_session.pk})
    body = response.content.decode()
    assert response.status_code == 200 and "fielderror" in body
    assert "关于加快老旧小区加装电梯的建议" in body  # the invalid filter is not applied, own data only
