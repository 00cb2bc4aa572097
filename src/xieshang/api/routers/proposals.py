"""Proposals (提案) through the API: the register, one proposal, and every lifecycle action.

Reading: ``Proposal.objects.visible_to(user)`` decides what exists for the caller; anything else is a 404, as
is an assignment or reply of an invisible proposal, and a reply not yet sent for a caller who is neither
committee office nor a department working on the proposal. Writing: each POST calls the same
``proposals.actions`` function the pages call, which checks the permission itself (403), validates (422, with
the message naming the states for a move the transition table refuses) and writes nothing when it refuses.
"""

import datetime
from typing import List, Literal, Optional

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from xieshang.org.models import Department, Member, Session, SpecialCommittee
from xieshang.proposals import actions
from xieshang.proposals import rules as proposal_rules
from xieshang.proposals.exports import RegisterFilters, filter_register
from xieshang.proposals.models import (
    Assignment,
    Attachment,
    Proposal,
    Proposer,
    Rating,
    Reply,
    SupervisionEvent,
    SupervisionTask,
)

from .. import schemas as s
from ..access import PageQuery, committee_for, paginate, rows_in_order

router = Router(tags=["提案"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 409: s.Error, 422: s.Error}


# ------------------------------------------------------------------------------------------------ schemas

class ProposalFilters(Schema):
    """The register's filters (proposals.exports.RegisterFilters documents each one)."""

    session: Optional[int] = Field(None, description="会次 id")
    year: Optional[int] = Field(None, description="会次所属年度")
    status: Optional[List[str]] = Field(None, description="状态，可重复，如 status=filed&status=in_progress")
    category: Optional[str] = None
    department: Optional[int] = Field(None, description="承办单位 id")
    topic: Optional[int] = Field(None, description="专题 id")
    sector: Optional[str] = Field(None, pattern=r"^(\d+|none)$", description="第一提案人界别 id，或 none")
    proposer_type: Optional[str] = Field(None, description="提案者类型：individual、joint、collective")
    outcome: Optional[str] = Field(None, description="办理结果类别，如 A")
    rating: Optional[str] = Field(None, description="满意度评价")
    timing: Optional[Literal["plenary", "regular"]] = None
    key: Optional[bool] = Field(None, description="仅重点提案（true）或仅非重点提案（false）")
    proposer: Optional[str] = Field(None, description="提案者姓名包含")
    q: Optional[str] = Field(None, description="案由包含")


class ProposerOut(Schema):
    id: int
    name: str
    role: str
    signature: str
    sign_due: Optional[datetime.date]
    member_id: Optional[int]


class ProposalSummary(Schema):
    id: int
    session_id: int
    serial: Optional[int]
    case_number: Optional[int]
    title: str
    kind: str
    category: str
    timing: str
    status: str
    is_key: bool
    is_excellent: bool
    proposers: list[str]
    submitted_at: Optional[datetime.datetime]
    filed_at: Optional[datetime.datetime]


class ReplyOut(Schema):
    id: int
    assignment_id: int
    round: int
    status: str
    doc_number: str
    outcome: str
    final_outcome: str
    body: str
    signer: str
    contact_name: str
    contact_phone: str
    review_note: Optional[str] = None
    sent_at: Optional[datetime.datetime]


class AssignmentOut(Schema):
    id: int
    department: s.Ref
    role: str
    status: str
    assigned_at: datetime.date
    objection_due: datetime.date
    objection_reason: Optional[str] = None
    first_contact_due: Optional[datetime.date]
    first_contact_on: Optional[datetime.date]
    opinion_due: Optional[datetime.date]
    opinion: Optional[str] = None
    reply_due: Optional[datetime.date]
    extension: str
    extension_due: Optional[datetime.date]


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class RatingOut(Schema):
    id: int
    proposer: str
    round: int
    result: str
    on_behalf: bool


class ProposalOut(ProposalSummary):
    committee: str
    situation: str
    analysis: str
    suggestion: str
    collective_type: str
    collective_name: str
    contact_name: str
    contact_phone: str
    round: int
    decline_ground: str
    decision_note: str
    convert_target: str
    merged_into: Optional[int]
    public_consent: Optional[bool]
    public_reason: Optional[str] = None
    suggested_departments: list[s.Ref]
    proposer_rows: list[ProposerOut]
    assignments: list[AssignmentOut]
    replies: list[ReplyOut]
    attachments: list[AttachmentOut]
    ratings: list[RatingOut]


class ProposalIn(s.Input):
    session: int = Field(description="会次 id")
    title: str
    situation: str = ""
    analysis: str = ""
    suggestion: str = ""
    category: str = ""
    kind: Literal["individual", "joint", "collective"] = "individual"
    collective_type: str = ""
    collective_name: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    cosigners: list[int] = Field(default_factory=list, description="联名委员 id")
    suggested_departments: list[int] = Field(default_factory=list, description="建议承办单位 id")


class ProposalPatch(s.Input):
    title: Optional[str] = None
    situation: Optional[str] = None
    analysis: Optional[str] = None
    suggestion: Optional[str] = None
    category: Optional[str] = None
    kind: Optional[Literal["individual", "joint", "collective"]] = None
    collective_type: Optional[str] = None
    collective_name: Optional[str] = None
    contact_name: Optional[str] = None
    contact_phone: Optional[str] = None
    suggested_departments: Optional[list[int]] = None


class MembersIn(s.Input):
    members: list[int] = Field(min_length=1, description="委员 id")


class AcceptIn(s.Input):
    accept: bool


class NoteIn(s.Input):
    note: str = ""


class ReasonIn(s.Input):
    reason: str


class OptionalReasonIn(s.Input):
    reason: str = ""


class FileIn(s.Input):
    category: Optional[str] = None
    note: str = ""


class DeclineIn(s.Input):
    ground: str
    reason: str = ""


class MergeIn(s.Input):
    into: int = Field(description="并入的牵头提案 id")


class ConvertIn(s.Input):
    target: str
    consent: bool


class BatchIn(s.Input):
    proposals: list[int] = Field(min_length=1)
    decision: Literal["pass", "return", "file", "decline", "convert", "withdraw"]
    note: Optional[str] = None
    reason: Optional[str] = None
    category: Optional[str] = None
    ground: Optional[str] = None
    target: Optional[str] = None
    consent: Optional[bool] = None


class AssignIn(s.Input):
    leads: list[int] = Field(description="主办单位 id；多个即为分办")
    co: list[int] = Field(default_factory=list, description="会办单位 id")


class DepartmentIn(s.Input):
    department: int


class FirstContactIn(s.Input):
    on: datetime.date
    note: str = ""


class OpinionIn(s.Input):
    opinion: str


class ReplyIn(s.Input):
    outcome: str = ""
    body: str = ""
    signer: str = ""
    doc_number: str = ""
    contact_name: str = ""
    contact_phone: str = ""


class ReviewIn(s.Input):
    approve: bool
    outcome: Optional[str] = None
    note: str = ""


class ExtensionIn(s.Input):
    new_due: datetime.date
    reason: str


class DecisionIn(s.Input):
    approve: bool
    note: str = ""


class RatingIn(s.Input):
    result: str
    comment: str = ""
    proposer: Optional[int] = Field(None, description="代为录入时：提案者记录 id")
    visit: str = ""
    contact_method: str = ""
    attitude: str = ""
    relevance: str = ""
    agreement: str = ""


class KeyIn(s.Input):
    leader_name: str
    special_committee: Optional[int] = None
    year: Optional[int] = None


class SupervisionEventIn(s.Input):
    kind: Literal["visit", "meeting", "other"] = Field(description="视察调研 visit / 座谈协商 meeting / 其他 other")
    date: datetime.date = Field(description="活动日期，不能晚于今天")
    place: str = ""
    participants: str = ""
    leaders_present: str = ""
    summary: str


class SupervisionEventOut(Schema):
    id: int
    kind: str
    date: datetime.date
    place: str
    participants: str
    leaders_present: str
    summary: str
    recorded_by: Optional[str] = None
    recorded_at: datetime.datetime


class ExcellentIn(s.Input):
    excellent: bool = True
    year: Optional[int] = None


class ConsentIn(s.Input):
    consent: bool
    reason: str = ""


class BatchOut(Schema):
    proposals: list[ProposalSummary]


# ------------------------------------------------------------------------------------------------ access

def _visible(request):
    return Proposal.objects.visible_to(request.auth)


def _proposal(request, pk):
    """The proposal ``pk`` if the caller may see it, else 404."""
    proposal = _visible(request).select_related("committee", "session__term").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _sees_internals(user, proposal):
    """Committee office readers and departments working on the proposal see replies in the making,
    co-handling opinions and objections; proposers see only what was sent to them."""
    return proposal_rules.is_office_reader(user, proposal) or proposal_rules.works_on_proposal(user, proposal)


def _assignment(request, pk):
    assignment = Assignment.objects.select_related("proposal__committee", "department").filter(
        pk=pk, proposal_id__in=_visible(request).values("pk")).first()
    if assignment is None:
        raise Http404
    return assignment


def _reply(request, pk):
    reply = Reply.objects.select_related("assignment__proposal__committee", "assignment__department").filter(
        pk=pk, assignment__proposal_id__in=_visible(request).values("pk")).first()
    if reply is None:
        raise Http404
    if reply.status != Reply.ReviewStatus.SENT and not _sees_internals(request.auth, reply.assignment.proposal):
        raise Http404
    return reply


def _rows(model, committee, ids, field):
    """Rows of ``model`` with ``ids`` in ``committee``, in the order given; a foreign or unknown id is a 422."""
    return rows_in_order(model.objects.filter(committee=committee), ids, field)


# ------------------------------------------------------------------------------------------------ output

def _summary(proposal):
    return {
        "id": proposal.pk, "session_id": proposal.session_id, "serial": proposal.serial,
        "case_number": proposal.case_number, "title": proposal.title, "kind": proposal.kind,
        "category": proposal.category, "timing": proposal.timing, "status": proposal.status,
        "is_key": proposal.is_key, "is_excellent": proposal.is_excellent,
        "proposers": [row.name for row in proposal.proposers.all()
                      if row.signature != Proposer.Signature.DECLINED],
        "submitted_at": proposal.submitted_at, "filed_at": proposal.filed_at,
    }


def _reply_out(reply, internals):
    return {
        "id": reply.pk, "assignment_id": reply.assignment_id, "round": reply.round, "status": reply.status,
        "doc_number": reply.doc_number, "outcome": reply.outcome, "final_outcome": reply.final_outcome,
        "body": reply.body, "signer": reply.signer, "contact_name": reply.contact_name,
        "contact_phone": reply.contact_phone, "review_note": reply.review_note if internals else None,
        "sent_at": reply.sent_at,
    }


def _assignment_out(assignment, internals):
    return {
        "id": assignment.pk, "department": {"id": assignment.department_id, "name": assignment.department.name},
        "role": assignment.role, "status": assignment.status, "assigned_at": assignment.assigned_at,
        "objection_due": assignment.objection_due,
        "objection_reason": assignment.objection_reason if internals else None,
        "first_contact_due": assignment.first_contact_due, "first_contact_on": assignment.first_contact_on,
        "opinion_due": assignment.opinion_due, "opinion": assignment.opinion if internals else None,
        "reply_due": assignment.reply_due, "extension": assignment.extension,
        "extension_due": assignment.extension_due,
    }


def _detail(request, proposal):
    """The proposal as the caller may see it (see the module docstring)."""
    user = request.auth
    proposal = Proposal.objects.select_related("committee", "session__term").prefetch_related(
        "proposers", "suggested_departments", "attachments",
        Prefetch("assignments", queryset=Assignment.objects.select_related("department").order_by("role", "id")),
        Prefetch("assignments__replies", queryset=Reply.objects.order_by("round")),
        Prefetch("ratings", queryset=Rating.objects.select_related("proposer").order_by("round", "id")),
    ).get(pk=proposal.pk)
    internals = _sees_internals(user, proposal)
    office_or_author = (proposal_rules.is_office_reader(user, proposal)
                        or proposal_rules.is_author(user, proposal))
    replies = []
    for assignment in proposal.assignments.all():
        for reply in assignment.replies.all():
            if internals or reply.status == Reply.ReviewStatus.SENT:
                replies.append(_reply_out(reply, internals))
    data = _summary(proposal)
    data.update({
        "committee": proposal.committee.code, "situation": proposal.situation, "analysis": proposal.analysis,
        "suggestion": proposal.suggestion, "collective_type": proposal.collective_type,
        "collective_name": proposal.collective_name, "contact_name": proposal.contact_name,
        "contact_phone": proposal.contact_phone, "round": proposal.round,
        "decline_ground": proposal.decline_ground, "decision_note": proposal.decision_note,
        "convert_target": proposal.convert_target, "merged_into": proposal.merged_into_id,
        "public_consent": proposal.public_consent,
        "public_reason": proposal.public_reason if office_or_author else None,
        "suggested_departments": [{"id": d.pk, "name": d.name} for d in proposal.suggested_departments.all()],
        "proposer_rows": [{"id": r.pk, "name": r.name, "role": r.role, "signature": r.signature,
                           "sign_due": r.sign_due, "member_id": r.member_id} for r in proposal.proposers.all()],
        "assignments": [_assignment_out(a, internals) for a in proposal.assignments.all()],
        "replies": replies,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type}
                        for a in proposal.attachments.all()],
        "ratings": [{"id": r.pk, "proposer": r.proposer.name, "round": r.round, "result": r.result,
                     "on_behalf": r.on_behalf} for r in proposal.ratings.all()],
    })
    return data


# ------------------------------------------------------------------------------------------------ reading

@router.get("/committees/{code}/proposals", response={200: s.Page[ProposalSummary], **ERRORS},
            summary="提案列表（登记簿）")
def list_proposals(request, code: str, page: PageQuery, filters: Query[ProposalFilters]):
    """The committee's proposals the caller may see, with the register's filters; a fixed number of queries."""
    committee = committee_for(request, code)
    # The schema has validated the values (422 otherwise); the register's own parser gives them one meaning.
    params = RegisterFilters.from_mapping(request.GET)
    proposals = filter_register(_visible(request).for_committee(committee), params).prefetch_related(
        Prefetch("proposers", queryset=Proposer.objects.order_by("order", "id")))
    result = paginate(proposals.order_by("-id"), page)
    result["items"] = [_summary(p) for p in result["items"]]
    return result


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, **ERRORS}, summary="提案详情")
def get_proposal(request, proposal_id: int):
    return _detail(request, _proposal(request, proposal_id))


# ------------------------------------------------------------------------------------------------ drafting

@router.post("/committees/{code}/proposals", response={201: ProposalOut, **ERRORS}, summary="起草提案")
def create_proposal(request, code: str, payload: ProposalIn):
    committee = committee_for(request, code)
    data = payload.dict()
    session = Session.objects.filter(pk=data.pop("session"), term__committee=committee).first()
    if session is None:
        raise ValidationError({"session": _("所选项不存在或不属于本政协组织。")})
    cosigners = _rows(Member, committee, data.pop("cosigners"), "cosigners")
    departments = _rows(Department, committee, data.pop("suggested_departments"), "suggested_departments")
    proposal = actions.do_create_proposal(committee, session, data, cosigners=cosigners,
                                          suggested_departments=departments, actor=request.auth)
    return 201, _detail(request, proposal)


@router.patch("/proposals/{proposal_id}", response={200: ProposalOut, **ERRORS}, summary="修改草稿")
def update_proposal(request, proposal_id: int, payload: ProposalPatch):
    proposal = _proposal(request, proposal_id)
    data = payload.dict(exclude_unset=True)
    departments = data.pop("suggested_departments", None)
    if departments is not None:
        departments = _rows(Department, proposal.committee, departments, "suggested_departments")
    actions.do_update_proposal(proposal, data, suggested_departments=departments, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/cosigners", response={200: ProposalOut, **ERRORS}, summary="邀请联名人")
def invite_cosigners(request, proposal_id: int, payload: MembersIn):
    proposal = _proposal(request, proposal_id)
    members = _rows(Member, proposal.committee, payload.members, "members")
    actions.do_invite_cosigners(proposal, members, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/cosign", response={200: ProposalOut, **ERRORS}, summary="确认或拒绝联名")
def respond_cosign(request, proposal_id: int, payload: AcceptIn):
    proposal = _proposal(request, proposal_id)
    actions.do_respond_cosign(proposal, accept=payload.accept, actor=request.auth)
    if not payload.accept:
        # Declining ends this caller's view of the proposal.
        return _summary_only(proposal)
    return _detail(request, proposal)


def _summary_only(proposal):
    """A declining co-signer no longer sees the proposal: answer with empty details."""
    return {**_summary(proposal), "committee": proposal.committee.code, "situation": "", "analysis": "",
            "suggestion": "", "collective_type": "", "collective_name": "", "contact_name": "",
            "contact_phone": "", "round": proposal.round, "decline_ground": "", "decision_note": "",
            "convert_target": "", "merged_into": None, "public_consent": None, "public_reason": None,
            "suggested_departments": [], "proposer_rows": [], "assignments": [], "replies": [],
            "attachments": [], "ratings": []}


@router.post("/proposals/{proposal_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="上传附件")
def add_attachment(request, proposal_id: int, file: File[UploadedFile]):
    """Multipart upload (field ``file``); type and size are checked against the committee's settings."""
    proposal = _proposal(request, proposal_id)
    attachment = actions.do_add_attachment(proposal, file, actor=request.auth)
    return 201, {"id": attachment.pk, "name": attachment.name, "size": attachment.size,
                 "content_type": attachment.content_type}


@router.delete("/proposals/{proposal_id}/attachments/{attachment_id}", response={204: None, **ERRORS},
               summary="删除附件")
def remove_attachment(request, proposal_id: int, attachment_id: int):
    proposal = _proposal(request, proposal_id)
    attachment = Attachment.objects.filter(proposal=proposal, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    actions.do_remove_attachment(attachment, actor=request.auth)
    return 204, None


@router.post("/proposals/{proposal_id}/submit", response={200: ProposalOut, **ERRORS}, summary="提交提案")
def submit_proposal(request, proposal_id: int):
    proposal = _proposal(request, proposal_id)
    actions.do_submit_proposal(proposal, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/withdraw", response={200: ProposalOut, **ERRORS}, summary="撤案")
def withdraw_proposal(request, proposal_id: int, payload: OptionalReasonIn):
    proposal = _proposal(request, proposal_id)
    actions.do_withdraw_proposal(proposal, reason=payload.reason, actor=request.auth)
    return _detail(request, proposal)


# ------------------------------------------------------------------------------------------------ review

@router.post("/proposals/{proposal_id}/pre-review", response={200: ProposalOut, **ERRORS}, summary="预审通过")
def pass_pre_review(request, proposal_id: int, payload: NoteIn):
    proposal = _proposal(request, proposal_id)
    actions.do_pass_pre_review(proposal, note=payload.note, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/return", response={200: ProposalOut, **ERRORS}, summary="退回修改")
def return_proposal(request, proposal_id: int, payload: ReasonIn):
    proposal = _proposal(request, proposal_id)
    actions.do_return_proposal(proposal, reason=payload.reason, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/file", response={200: ProposalOut, **ERRORS}, summary="立案")
def file_proposal(request, proposal_id: int, payload: FileIn):
    proposal = _proposal(request, proposal_id)
    actions.do_file_proposal(proposal, category=payload.category, note=payload.note, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/decline", response={200: ProposalOut, **ERRORS}, summary="不予立案")
def decline_proposal(request, proposal_id: int, payload: DeclineIn):
    proposal = _proposal(request, proposal_id)
    actions.do_decline_proposal(proposal, ground=payload.ground, reason=payload.reason, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/merge", response={200: ProposalOut, **ERRORS}, summary="并案")
def merge_proposal(request, proposal_id: int, payload: MergeIn):
    proposal = _proposal(request, proposal_id)
    into = _visible(request).filter(pk=payload.into, committee=proposal.committee).first()
    if into is None:
        raise ValidationError({"into": _("所选项不存在或不属于本政协组织。")})
    actions.do_merge_proposal(proposal, into=into, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/convert", response={200: ProposalOut, **ERRORS}, summary="转为其他方式处理")
def convert_proposal(request, proposal_id: int, payload: ConvertIn):
    proposal = _proposal(request, proposal_id)
    actions.do_convert_proposal(proposal, target=payload.target, consent=payload.consent, actor=request.auth)
    return _detail(request, proposal)


# Which optional fields of BatchIn each decision takes.
BATCH_PARAMS = {
    "pass": ["note"], "return": ["reason"], "file": ["category", "note"], "decline": ["ground", "reason"],
    "convert": ["target", "consent"], "withdraw": ["reason"],
}


@router.post("/committees/{code}/proposals/batch-review", response={200: BatchOut, **ERRORS},
             summary="批量审查")
def review_batch(request, code: str, payload: BatchIn):
    """One decision for several proposals: all are decided, or (on any refusal) none, with the reason."""
    committee = committee_for(request, code)
    ids = list(dict.fromkeys(payload.proposals))
    found = {p.pk: p for p in _visible(request).for_committee(committee).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({"proposals": _("所选项不存在或不属于本政协组织：%(ids)s") % {
            "ids": ", ".join(str(i) for i in missing)}})
    params = {name: getattr(payload, name) for name in BATCH_PARAMS[payload.decision]
              if getattr(payload, name) is not None}
    if payload.decision == "return" and "reason" not in params:
        params["reason"] = ""
    if payload.decision == "decline" and "ground" not in params:
        params["ground"] = ""
    if payload.decision == "convert":
        params.setdefault("target", "")
        params.setdefault("consent", False)
    done = actions.do_review_batch([found[i] for i in ids], payload.decision, actor=request.auth, **params)
    return {"proposals": [_summary(p) for p in done]}


# ------------------------------------------------------------------------------------------------ assignment

@router.post("/proposals/{proposal_id}/assign", response={200: ProposalOut, **ERRORS}, summary="交办")
def assign_proposal(request, proposal_id: int, payload: AssignIn):
    proposal = _proposal(request, proposal_id)
    leads = _rows(Department, proposal.committee, payload.leads, "leads")
    co = _rows(Department, proposal.committee, payload.co, "co")
    actions.do_assign_proposal(proposal, leads=leads, co=co, actor=request.auth)
    return _detail(request, proposal)


@router.post("/assignments/{assignment_id}/object", response={200: AssignmentOut, **ERRORS}, summary="对交办提出异议")
def object_assignment(request, assignment_id: int, payload: ReasonIn):
    assignment = _assignment(request, assignment_id)
    actions.do_object_assignment(assignment, reason=payload.reason, actor=request.auth)
    return _assignment_out(assignment, True)


@router.post("/assignments/{assignment_id}/dismiss-objection", response={200: AssignmentOut, **ERRORS},
             summary="维持原交办")
def dismiss_objection(request, assignment_id: int, payload: NoteIn):
    assignment = _assignment(request, assignment_id)
    actions.do_dismiss_objection(assignment, note=payload.note, actor=request.auth)
    return _assignment_out(assignment, True)


@router.post("/assignments/{assignment_id}/reassign", response={201: AssignmentOut, **ERRORS}, summary="改办")
def reassign_assignment(request, assignment_id: int, payload: DepartmentIn):
    assignment = _assignment(request, assignment_id)
    department = _rows(Department, assignment.proposal.committee, [payload.department], "department")[0]
    new = actions.do_reassign_assignment(assignment, department=department, actor=request.auth)
    return 201, _assignment_out(new, True)


@router.post("/assignments/{assignment_id}/first-contact", response={200: AssignmentOut, **ERRORS},
             summary="记录办前沟通")
def first_contact(request, assignment_id: int, payload: FirstContactIn):
    assignment = _assignment(request, assignment_id)
    actions.do_record_first_contact(assignment, on=payload.on, note=payload.note, actor=request.auth)
    return _assignment_out(assignment, True)


@router.post("/assignments/{assignment_id}/co-opinion", response={200: AssignmentOut, **ERRORS},
             summary="送达会办意见")
def co_opinion(request, assignment_id: int, payload: OpinionIn):
    assignment = _assignment(request, assignment_id)
    actions.do_send_co_opinion(assignment, opinion=payload.opinion, actor=request.auth)
    return _assignment_out(assignment, True)


@router.post("/assignments/{assignment_id}/extension", response={200: AssignmentOut, **ERRORS}, summary="申请延期")
def request_extension(request, assignment_id: int, payload: ExtensionIn):
    assignment = _assignment(request, assignment_id)
    actions.do_request_extension(assignment, new_due=payload.new_due, reason=payload.reason, actor=request.auth)
    return _assignment_out(assignment, True)


@router.post("/assignments/{assignment_id}/extension-decision", response={200: AssignmentOut, **ERRORS},
             summary="审批延期申请")
def decide_extension(request, assignment_id: int, payload: DecisionIn):
    assignment = _assignment(request, assignment_id)
    actions.do_decide_extension(assignment, approve=payload.approve, note=payload.note, actor=request.auth)
    return _assignment_out(assignment, True)


# ------------------------------------------------------------------------------------------------ replies

@router.post("/assignments/{assignment_id}/reply", response={200: ReplyOut, **ERRORS}, summary="起草或修改答复")
def draft_reply(request, assignment_id: int, payload: ReplyIn):
    assignment = _assignment(request, assignment_id)
    reply = actions.do_draft_reply(assignment, payload.dict(), actor=request.auth)
    return _reply_out(reply, True)


@router.post("/replies/{reply_id}/cosign", response={200: ReplyOut, **ERRORS}, summary="会签答复")
def cosign_reply(request, reply_id: int, payload: NoteIn):
    reply = _reply(request, reply_id)
    actions.do_cosign_reply(reply, note=payload.note, actor=request.auth)
    return _reply_out(reply, True)


@router.post("/replies/{reply_id}/review", response={200: ReplyOut, **ERRORS}, summary="审核答复")
def review_reply(request, reply_id: int, payload: ReviewIn):
    reply = _reply(request, reply_id)
    actions.do_review_reply(reply, approve=payload.approve, outcome=payload.outcome, note=payload.note,
                            actor=request.auth)
    return _reply_out(reply, True)


@router.post("/replies/{reply_id}/send", response={200: ReplyOut, **ERRORS}, summary="发送答复")
def send_reply(request, reply_id: int):
    reply = _reply(request, reply_id)
    actions.do_send_reply(reply, actor=request.auth)
    return _reply_out(reply, True)


# ------------------------------------------------------------------------------------------------ rating and overlays

@router.post("/proposals/{proposal_id}/rating", response={201: RatingOut, **ERRORS}, summary="满意度测评")
def rate_proposal(request, proposal_id: int, payload: RatingIn):
    """A proposer rates the reply; staff recording for an offline proposer pass ``proposer``."""
    proposal = _proposal(request, proposal_id)
    for_proposer = None
    if payload.proposer is not None:
        for_proposer = Proposer.objects.filter(proposal=proposal, pk=payload.proposer).first()
        if for_proposer is None:
            raise ValidationError({"proposer": _("只能为本提案的提案者代为录入评价。")})
    extras = {name: getattr(payload, name) for name in Rating.EXTRA_FIELDS}
    rating = actions.do_rate_proposal(proposal, result=payload.result, extras=extras, comment=payload.comment,
                                      for_proposer=for_proposer, actor=request.auth)
    return 201, {"id": rating.pk, "proposer": rating.proposer.name, "round": rating.round,
                 "result": rating.result, "on_behalf": rating.on_behalf}


@router.post("/proposals/{proposal_id}/key", response={200: ProposalOut, **ERRORS}, summary="列为重点提案")
def select_key(request, proposal_id: int, payload: KeyIn):
    proposal = _proposal(request, proposal_id)
    special = None
    if payload.special_committee is not None:
        special = _rows(SpecialCommittee, proposal.committee, [payload.special_committee], "special_committee")[0]
    actions.do_select_key_proposal(proposal, leader_name=payload.leader_name, special_committee=special,
                                   year=payload.year, actor=request.auth)
    return _detail(request, proposal)


def _oversight(request, proposal_id):
    """The oversight task of a key proposal the caller may see (404 for anything else)."""
    proposal = _proposal(request, proposal_id)
    task = SupervisionTask.objects.filter(proposal=proposal).select_related("proposal__committee").first()
    if task is None or not proposal.is_key:
        raise Http404
    return task


def _event_out(event):
    user = event.recorded_by
    return {"id": event.pk, "kind": event.kind, "date": event.date, "place": event.place,
            "participants": event.participants, "leaders_present": event.leaders_present,
            "summary": event.summary, "recorded_by": (user.get_full_name() or user.get_username()) if user else None,
            "recorded_at": event.recorded_at}


@router.get("/proposals/{proposal_id}/oversight/events", response={200: list[SupervisionEventOut], **ERRORS},
            summary="督办活动列表")
def list_supervision_events(request, proposal_id: int):
    task = _oversight(request, proposal_id)
    return [_event_out(e) for e in task.events.select_related("recorded_by")]


@router.post("/proposals/{proposal_id}/oversight/events", response={201: SupervisionEventOut, **ERRORS},
             summary="记录督办活动")
def add_supervision_event(request, proposal_id: int, payload: SupervisionEventIn):
    task = _oversight(request, proposal_id)
    event = actions.do_record_supervision_event(task, payload.model_dump(), actor=request.auth)
    return 201, _event_out(event)


@router.delete("/proposals/{proposal_id}/oversight/events/{event_id}", response={204: None, **ERRORS},
               summary="删除督办活动")
def remove_supervision_event(request, proposal_id: int, event_id: int):
    task = _oversight(request, proposal_id)
    event = SupervisionEvent.objects.filter(task=task, pk=event_id).select_related("task__proposal").first()
    if event is None:
        raise Http404
    actions.do_remove_supervision_event(event, actor=request.auth)
    return 204, None


@router.post("/proposals/{proposal_id}/excellent", response={200: ProposalOut, **ERRORS}, summary="评为优秀提案")
def mark_excellent(request, proposal_id: int, payload: ExcellentIn):
    proposal = _proposal(request, proposal_id)
    actions.do_mark_excellent(proposal, excellent=payload.excellent, year=payload.year, actor=request.auth)
    return _detail(request, proposal)


@router.post("/proposals/{proposal_id}/public-consent", response={200: ProposalOut, **ERRORS},
             summary="同意或不同意公开")
def public_consent(request, proposal_id: int, payload: ConsentIn):
    proposal = _proposal(request, proposal_id)
    actions.do_set_public_consent(proposal, consent=payload.consent, reason=payload.reason, actor=request.auth)
    return _detail(request, proposal)
