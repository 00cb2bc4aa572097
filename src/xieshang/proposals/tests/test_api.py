"""The proposal lifecycle through /api/v1/: a full walk, moves the table refuses, and bad input writing nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.api.tests.helpers import bearer, call
from xieshang.core.models import AuditEvent
from xieshang.proposals.models import Attachment, Proposal, Rating, Reply


def post(client, path, user, body=None):
    return call(client, "POST", path, user, body if body is not None else {})


def test_a_proposal_walks_from_draft_to_archive_through_the_api(client, world):
    p = world
    r = post(client, "/api/v1/committees/district/proposals", p.member, {
        "session": p.session.pk, "title": "关于增设社区食堂的建议", "category": "社会", "situation": "老人就餐难。",
        "analysis": "缺少场地。", "suggestion": "利用闲置用房。", "cosigners": [p.cosigner_row.pk],
        "suggested_departments": [p.dept_a.pk]})
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert r.json()["kind"] == "joint" and r.json()["suggested_departments"][0]["id"] == p.dept_a.pk
    assert post(client, f"/api/v1/proposals/{pid}/cosign", p.cosigner, {"accept": True}).status_code == 200
    assert post(client, f"/api/v1/proposals/{pid}/submit", p.member).json()["status"] == "submitted"
    assert post(client, f"/api/v1/proposals/{pid}/pre-review", p.proposal_staff).json()["status"] == "review"
    r = post(client, f"/api/v1/proposals/{pid}/file", p.proposal_staff, {"category": "社会"})
    assert r.json()["case_number"] == 1
    r = post(client, f"/api/v1/proposals/{pid}/assign", p.proposal_staff, {"leads": [p.dept_a.pk],
                                                                             "co": [p.dept_b.pk]})
    assert r.status_code == 200, r.content
    lead = next(a for a in r.json()["assignments"] if a["role"] == "lead")
    co = next(a for a in r.json()["assignments"] if a["role"] == "co")
    assert lead["reply_due"] == "2026-06-02"
    r = post(client, f"/api/v1/assignments/{lead['id']}/first-contact", p.dept_handler, {"on": "2026-03-02"})
    assert r.json()["first_contact_on"] == "2026-03-02"
    assert post(client, f"/api/v1/assignments/{co['id']}/co-opinion", p.other_dept_handler,
                {"opinion": "同意。"}).json()["status"] == "done"
    r = post(client, f"/api/v1/assignments/{lead['id']}/reply", p.dept_handler, {
        "outcome": "A", "body": "已落实。", "signer": "赵局长", "doc_number": "东环函〔2026〕5号"})
    reply_id = r.json()["id"]
    assert r.json()["status"] == "cosigning"
    assert post(client, f"/api/v1/replies/{reply_id}/cosign", p.other_dept_handler).json()["status"] == "review"
    r = post(client, f"/api/v1/replies/{reply_id}/review", p.proposal_staff, {"approve": True, "outcome": "B"})
    assert r.json()["final_outcome"] == "B"
    assert post(client, f"/api/v1/replies/{reply_id}/send", p.dept_handler).json()["status"] == "sent"
    assert post(client, f"/api/v1/proposals/{pid}/rating", p.member, {"result": "satisfied"}).status_code == 201
    assert post(client, f"/api/v1/proposals/{pid}/rating", p.cosigner, {"result": "basically"}).status_code == 201
    detail = call(client, "GET", f"/api/v1/proposals/{pid}", p.member).json()
    assert detail["status"] == "archived"
    assert [r["final_outcome"] for r in detail["replies"]] == ["B"]
    assert AuditEvent.objects.filter(verb="proposals.filed", via="api").exists()


def test_overlays_extension_and_objection_through_the_api(client, world):
    p = world
    proposal = p.flow.assigned()
    lead, co = p.flow.lead(proposal), p.flow.co(proposal)
    assert post(client, f"/api/v1/proposals/{proposal.pk}/key", p.proposal_staff,
                {"leader_name": "张主席"}).json()["is_key"] is True
    assert post(client, f"/api/v1/proposals/{proposal.pk}/excellent", p.proposal_staff,
                {"excellent": True}).json()["is_excellent"] is True
    r = post(client, f"/api/v1/proposals/{proposal.pk}/public-consent", p.member, {"consent": True})
    assert r.json()["public_consent"] is True
    r = post(client, f"/api/v1/assignments/{lead.pk}/extension", p.dept_handler,
             {"new_due": "2026-07-01", "reason": "需要调研"})
    assert r.json()["extension"] == "requested"
    r = post(client, f"/api/v1/assignments/{lead.pk}/extension-decision", p.proposal_staff, {"approve": True})
    assert r.json()["reply_due"] == "2026-07-01"
    r = post(client, f"/api/v1/assignments/{co.pk}/object", p.other_dept_handler, {"reason": "不属本单位职责"})
    assert r.json()["status"] == "objected"
    new_department = p.dept_b.__class__.objects.create(committee=p.district, name="区卫健委", kind="government")
    r = post(client, f"/api/v1/assignments/{co.pk}/reassign", p.proposal_staff, {"department": new_department.pk})
    assert r.status_code == 201 and r.json()["department"]["name"] == "区卫健委"


def test_batch_review_files_all_or_none(client, world):
    p = world
    a = p.flow.in_review(title="关于甲的建议")
    b = p.flow.submitted(title="关于乙的建议")  # not pre-reviewed: filing it is refused
    r = post(client, "/api/v1/committees/district/proposals/batch-review", p.proposal_staff,
             {"proposals": [a.pk, b.pk], "decision": "file"})
    assert r.status_code == 422
    assert "关于乙的建议" in json.dumps(r.json(), ensure_ascii=False)
    assert set(Proposal.objects.values_list("status", flat=True)) == {"review", "submitted"}
    assert not Proposal.objects.exclude(case_number=None).exists()
    c = p.flow.in_review(title="关于丙的建议")
    r = post(client, "/api/v1/committees/district/proposals/batch-review", p.proposal_staff,
             {"proposals": [c.pk, a.pk], "decision": "file"})
    assert r.status_code == 200, r.content
    assert [x["case_number"] for x in r.json()["proposals"]] == [1, 2]


def test_invalid_moves_are_refused_with_the_states_named(client, world):
    p = world
    proposal = p.flow.submitted()
    r = post(client, f"/api/v1/proposals/{proposal.pk}/file", p.proposal_staff)
    assert r.status_code == 422
    message = json.dumps(r.json(), ensure_ascii=False)
    assert "已提交待预审" in message and "已立案" in message
    r = post(client, f"/api/v1/proposals/{proposal.pk}/assign", p.proposal_staff, {"leads": [p.dept_a.pk]})
    assert r.status_code == 422
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and not proposal.assignments.exists()
    # Submitting again: the proposal is no longer the author's to submit.
    assert post(client, f"/api/v1/proposals/{proposal.pk}/submit", p.member).status_code == 403
    r = post(client, f"/api/v1/proposals/{proposal.pk}/withdraw", p.member)
    assert r.json()["status"] == "withdrawn"
    r = post(client, f"/api/v1/proposals/{proposal.pk}/pre-review", p.proposal_staff)
    assert r.status_code == 422 and "已撤案" in json.dumps(r.json(), ensure_ascii=False)


def _unchanged(proposal):
    before = Proposal.objects.filter(pk=proposal.pk).values().first()
    events = AuditEvent.objects.count()
    return lambda: (Proposal.objects.filter(pk=proposal.pk).values().first() == before
                    and AuditEvent.objects.count() == events)


def test_an_oversized_body_is_refused_and_nothing_written(client, world):
    proposal = world.flow.draft()
    headers = bearer(world.member)  # creating the token is itself audited
    unchanged = _unchanged(proposal)
    r = call(client, "PATCH", f"/api/v1/proposals/{proposal.pk}", None, {"situation": "字" * 3000}, headers=headers)
    assert r.status_code == 422 and "2500" in json.dumps(r.json(), ensure_ascii=False)
    assert unchanged()


@pytest.mark.parametrize("body,field", [
    ({"session": 1, "title": "x", "colour": "red"}, "colour"),
    ({"title": "关于缺少会次的建议"}, "session"),
    ({"session": "abc", "title": "x"}, "session"),
])
def test_malformed_create_requests_are_refused_by_field(client, world, body, field):
    r = post(client, "/api/v1/committees/district/proposals", world.member, body)
    assert r.status_code == 422 and field in r.json()["errors"]
    assert not Proposal.objects.exists()


def test_foreign_references_are_refused_without_revealing_them(client, world):
    p = world
    r = post(client, "/api/v1/committees/district/proposals", p.member, {
        "session": p.other_session.pk, "title": "关于跨会的建议"})
    assert r.status_code == 422 and "session" in r.json()["errors"]
    proposal = p.flow.filed()
    r = post(client, f"/api/v1/proposals/{proposal.pk}/assign", p.proposal_staff, {"leads": [p.dept_other.pk]})
    assert r.status_code == 422 and "leads" in r.json()["errors"]
    assert "西城区公安分局" not in r.content.decode()
    assert not proposal.assignments.exists()


def test_a_reply_without_an_outcome_class_is_refused(client, world):
    proposal = world.flow.assigned(co=False)
    lead = world.flow.lead(proposal)
    r = post(client, f"/api/v1/assignments/{lead.pk}/reply", world.dept_handler, {"body": "已办理。", "signer": "赵"})
    assert r.status_code == 422 and "outcome" in r.json()["errors"]
    assert not Reply.objects.exists()


def test_a_late_objection_is_refused(client, world):
    proposal = world.flow.assigned(co=False)
    lead = world.flow.lead(proposal)
    world.clock.set("2026-03-20")
    r = post(client, f"/api/v1/assignments/{lead.pk}/object", world.dept_handler, {"reason": "不属本单位职责"})
    assert r.status_code == 422 and "异议期限" in json.dumps(r.json(), ensure_ascii=False)
    lead.refresh_from_db()
    assert lead.status == "assigned" and lead.objection_reason == ""


def test_a_rating_for_someone_elses_proposer_row_is_refused(client, world):
    proposal = world.flow.replied(co=False)
    other = world.flow.replied(title="关于另一件的建议", co=False)
    foreign_row = other.proposers.first()
    r = post(client, f"/api/v1/proposals/{proposal.pk}/rating", world.proposal_staff,
             {"result": "satisfied", "proposer": foreign_row.pk})
    assert r.status_code == 422
    r = post(client, f"/api/v1/proposals/{proposal.pk}/rating", world.member, {"result": "so-so"})
    assert r.status_code == 422
    assert not Rating.objects.exists()


def test_attachments_are_uploaded_as_multipart_and_checked(client, world):
    proposal = world.flow.draft()
    headers = bearer(world.member)
    ok = client.post(f"/api/v1/proposals/{proposal.pk}/attachments", headers=headers,
                     data={"file": SimpleUploadedFile("调研.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    assert ok.status_code == 201, ok.content
    assert ok.json()["name"] == "调研.pdf"
    bad = client.post(f"/api/v1/proposals/{proposal.pk}/attachments", headers=headers,
                      data={"file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")})
    assert bad.status_code == 422 and "file" in bad.json()["errors"]
    assert Attachment.objects.count() == 1
    refused = client.post(f"/api/v1/proposals/{proposal.pk}/attachments", headers=bearer(world.proposal_staff),
                          data={"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert refused.status_code == 404  # a draft does not exist for staff


def test_an_unsent_reply_is_hidden_from_the_proposers(client, world):
    proposal = world.flow.assigned(co=False)
    reply = world.flow.reply(proposal)
    detail = call(client, "GET", f"/api/v1/proposals/{proposal.pk}", world.member).json()
    assert detail["replies"] == []
    assert call(client, "POST", f"/api/v1/replies/{reply.pk}/send", world.member).status_code == 404
    staff_view = call(client, "GET", f"/api/v1/proposals/{proposal.pk}", world.dept_handler).json()
    assert [r["id"] for r in staff_view["replies"]] == [reply.pk]


def test_the_list_filters_like_the_register_and_costs_fixed_queries(client, world):
    p = world
    for i in range(3):
        p.flow.assigned(title=f"关于第{i}件事的建议", co=False)
    p.flow.in_review(title="关于审查中的建议")
    headers = bearer(p.proposal_staff)
    base = "/api/v1/committees/district/proposals"
    assert client.get(f"{base}?status=review", headers=headers).json()["count"] == 1
    assert client.get(f"{base}?department={p.dept_a.pk}", headers=headers).json()["count"] == 3
    assert client.get(f"{base}?q=第1件", headers=headers).json()["count"] == 1
    assert client.get(f"{base}?proposer=王建", headers=headers).json()["count"] == 4
    assert client.get(f"{base}?proposer=李秀英", headers=headers).json()["count"] == 0
    assert client.get(f"{base}?key=true", headers=headers).json()["count"] == 0
    assert client.get(f"{base}?session={p.session.pk}&limit=2", headers=headers).json()["count"] == 4

    def queries(limit):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{base}?limit={limit}", headers=headers).status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(4)
