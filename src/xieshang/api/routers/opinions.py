"""社情民意 (public-opinion reports) through the API: reports, per-level copies, follow-ups, bulletins, the chain.

Reading: a report exists for the caller when ``opinions.view_report`` allows it; a copy when it is in
``ReportCopy.objects.visible_to(user)`` (a committee's office sees its own copies and those above it, never
those below; a department sees what was dispatched to it; the author sees the whole chain); anything else is a
404, so another committee learns nothing. Writing: each POST calls the same ``opinions.actions`` function the
pages call, which checks the permission itself (403 for a visible object), validates (422, with the field
messages, and with both states named when the transition table refuses a move) and writes nothing when it
refuses.
"""

import difflib

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile

from xieshang.core import attachments
from xieshang.opinions import actions
from xieshang.opinions import models as m
from xieshang.org import roles
from xieshang.org.models import Committee, Department, Informant, Member

from .. import opinion_schemas as o
from .. import schemas as s
from ..access import PageQuery, paginate, require, rows_in_order

router = Router(tags=["社情民意"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 409: s.Error, 422: s.Error}


# ------------------------------------------------------------------------------------------------ access

def _is_author(user, report):
    return user.pk is not None and user.pk in (report.author_user_id, report.created_by_id)


def _committee(request, code, perm=None):
    """The committee ``code`` if the caller holds any role there, an informant's included (else 404), and
    ``perm`` on it (else 403). Informants are not members and do not see the committee's organisation data,
    but they report to it."""
    committee = Committee.objects.select_related("parent").filter(code=code).first()
    if committee is None or not roles.roles_in(request.auth, committee):
        raise Http404
    if perm:
        require(request, perm, committee)
    return committee


def _visible_copies(request):
    return m.ReportCopy.objects.visible_to(request.auth)


def _report(request, pk):
    """The report ``pk`` if the caller may see it (``opinions.view_report``: its author, or anyone who sees one
    of its copies), else 404."""
    report = m.Report.objects.select_related("committee").filter(pk=pk).first()
    if report is None or not request.auth.has_perm("opinions.view_report", report):
        raise Http404
    return report


def _copy(request, pk):
    """The copy ``pk`` if the caller may see it, else 404."""
    copy = _visible_copies(request).select_related(
        "report__committee", "committee", "version__committee", "received_from__committee").filter(pk=pk).first()
    if copy is None:
        raise Http404
    return copy


def _follow_up(request, pk):
    """A follow-up task for the caller's departments, or one the caller reads through its copy or report."""
    follow_up = m.FollowUp.objects.select_related(
        "department", "report", "instruction__copy__committee", "instruction__copy__version").filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    user = request.auth
    if not (user.has_perm("opinions.view_follow_up", follow_up)
            or user.has_perm("opinions.view_copy", follow_up.instruction.copy)):
        raise Http404
    return follow_up


def _bulletin_reader(user, committee):
    return (user.has_perm("opinions.manage_bulletin", committee)
            or user.has_perm("opinions.publish_bulletin", committee))


def _bulletin(request, pk):
    """An issue of a committee where the caller compiles or signs the bulletin; 404 for everyone else."""
    issue = m.BulletinIssue.objects.select_related("committee").filter(pk=pk).first()
    if issue is None or not _bulletin_reader(request.auth, issue.committee):
        raise Http404
    return issue


def _chain_below(copy):
    """Ids of the committees of ``copy`` and of every copy below it in the report's chain."""
    rows = m.ReportCopy.objects.filter(report_id=copy.report_id).values_list("pk", "received_from_id", "committee_id")
    links = {pk: (below, committee_id) for pk, below, committee_id in rows}
    ids, current = [], copy.pk
    while current is not None:
        below, committee_id = links[current]
        ids.append(committee_id)
        current = below
    return ids


def _departments(copy, ids, field):
    """Departments ``ids`` of the copy's committee or a committee below it in the chain, in the order given."""
    return rows_in_order(Department.objects.filter(committee_id__in=_chain_below(copy)), ids, field,
                         drop_repeats=True)


def _of_committee(model, pk, committee, field):
    """The ``model`` row ``pk`` of ``committee``; another committee's or an unknown row is a 422 on ``field``."""
    row = model.objects.filter(pk=pk, committee=committee).first()
    if row is None:
        raise ValidationError({field: _("所选项不存在或不属于本政协组织。")})
    return row


def _attachment(report, pk):
    """The attachment ``pk`` of ``report`` (already checked visible), else 404."""
    item = m.Attachment.objects.filter(report=report, pk=pk).first()
    if item is None:
        raise Http404
    return item


# ------------------------------------------------------------------------------------------------ output

def _ref(row):
    return {"id": row.pk, "name": row.name} if row is not None else None


def _attachment_out(a):
    return {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type,
            "uploaded_at": a.uploaded_at}


def _report_summary(report):
    return {
        "id": report.pk, "committee": report.committee.code, "year": report.year, "number": report.number,
        "title": report.title, "status": report.status, "is_urgent": report.is_urgent,
        "author_kind": report.author_kind, "author_name": report.author_name, "on_behalf": report.on_behalf,
        "submitted_at": report.submitted_at, "created_at": report.created_at,
    }


def _report_detail(request, report):
    """The report as its author (or a reader of it) sees it; contacts for the author and the origin's editors."""
    user = request.auth
    report = m.Report.objects.select_related("committee").prefetch_related("attachments").get(pk=report.pk)
    origin = m.ReportCopy.objects.filter(report=report, received_from__isnull=True).first()
    contacts = _is_author(user, report) or (origin is not None and user.has_perm("opinions.edit_copy", origin))
    data = _report_summary(report)
    data.update({
        "situation": report.situation, "analysis": report.analysis, "suggestion": report.suggestion,
        "body_length": report.body_length, "collective_type": report.collective_type,
        "collective_name": report.collective_name, "member_id": report.member_id,
        "informant_id": report.informant_id,
        "contact_name": report.contact_name if contacts else None,
        "contact_phone": report.contact_phone if contacts else None,
        "source_proposal": report.source_proposal_id,
        "origin_copy": ({"id": origin.pk, "status": origin.status, "return_reason": origin.return_reason}
                        if origin is not None else None),
        "attachments": [_attachment_out(a) for a in report.attachments.all()],
    })
    return data


def _version_summary(v):
    return {"number": v.number, "kind": v.kind, "committee": v.committee.code if v.committee_id else None,
            "title": v.title, "created_at": v.created_at}


def _version_out(v):
    return {**_version_summary(v), "situation": v.situation, "analysis": v.analysis, "suggestion": v.suggestion,
            "note": v.note}


def _copy_summary(copy):
    report = copy.report
    return {
        "id": copy.pk, "report_id": copy.report_id, "committee": copy.committee.code, "level": copy.level,
        "year": report.year, "number": report.number, "title": copy.version.title,
        "author_name": report.author_name, "status": copy.status, "is_urgent": copy.is_urgent,
        "received_at": copy.received_at,
        "received_from": copy.received_from.committee.code if copy.received_from_id else None,
    }


def _dispatch_out(d):
    return {"id": d.pk, "kind": d.kind, "recipient_name": d.recipient_name, "department": _ref(d.department),
            "parent_copy": d.parent_copy_id, "sent_at": d.sent_at}


def _adoption_out(a):
    return {"id": a.pk, "level": a.level, "external": a.external, "kind": a.kind, "adopted_by": a.adopted_by,
            "adopted_on": a.adopted_on, "note": a.note}


def _follow_up_summary(f, title):
    return {"id": f.pk, "report_id": f.report_id, "title": title, "department": _ref(f.department),
            "status": f.status, "assigned_on": f.assigned_on, "due_on": f.due_on,
            "responded_at": f.responded_at, "closed_at": f.closed_at}


def _instruction_brief(i):
    return {"id": i.pk, "level": i.level, "external": i.external, "leader_name": i.leader_name,
            "leader_title": i.leader_title, "text": i.text, "instructed_on": i.instructed_on}


def _instruction_out(i, title):
    return {**_instruction_brief(i), "follow_ups": [_follow_up_summary(f, title) for f in i.follow_ups.all()]}


def _follow_up_detail(f):
    title = f.instruction.copy.version.title
    return {**_follow_up_summary(f, title), "instruction": _instruction_brief(f.instruction),
            "response": f.response, "review_note": f.review_note}


LEVEL_PREFETCH = (
    Prefetch("dispatches", queryset=m.Dispatch.objects.select_related("department").order_by("sent_at", "id")),
    Prefetch("adoptions", queryset=m.Adoption.objects.order_by("adopted_on", "id")),
    Prefetch("instructions", queryset=m.Instruction.objects.order_by("instructed_on", "id")),
    Prefetch("instructions__follow_ups", queryset=m.FollowUp.objects.select_related("department").order_by(
        "due_on", "id")),
)


def _copy_detail(request, copy):
    copy = m.ReportCopy.objects.select_related(
        "report__committee", "committee", "version__committee", "received_from__committee",
    ).prefetch_related(*LEVEL_PREFETCH).get(pk=copy.pk)
    title = copy.version.title
    forwarded = m.ReportCopy.objects.filter(received_from=copy).values_list("pk", flat=True).first()
    if forwarded is not None and not _visible_copies(request).filter(pk=forwarded).exists():
        forwarded = None
    data = _copy_summary(copy)
    data.update({
        "version": _version_out(copy.version),
        "versions": [_version_summary(v) for v in _versions(copy)],
        "return_reason": copy.return_reason, "kept_reason": copy.kept_reason,
        "edited_at": copy.edited_at, "signed_at": copy.signed_at, "adopted_at": copy.adopted_at,
        "forwarded_to": forwarded,
        "dispatches": [_dispatch_out(d) for d in copy.dispatches.all()],
        "adoptions": [_adoption_out(a) for a in copy.adoptions.all()],
        "instructions": [_instruction_out(i, title) for i in copy.instructions.all()],
    })
    return data


def _versions(copy):
    """The versions this copy's readers may see, oldest first (the author's, and rewrites up to this level)."""
    return sorted(m.visible_versions(copy).select_related("committee"), key=lambda v: v.number)


def _bulletin_summary(issue):
    return {"id": issue.pk, "committee": issue.committee.code, "year": issue.year, "number": issue.number,
            "status": issue.status, "signer_name": issue.signer_name, "published_on": issue.published_on,
            "created_at": issue.created_at}


def _entry_out(e):
    return {"id": e.pk, "order": e.order, "kind": e.kind, "title": e.title, "body": e.body,
            "copies": sorted(c.pk for c in e.copies.all())}


def _bulletin_detail(issue):
    entries = issue.entries.prefetch_related("copies").order_by("order", "id")
    return {**_bulletin_summary(issue), "entries": [_entry_out(e) for e in entries]}


# ------------------------------------------------------------------------------------------------ acting
# A write endpoint loads the object as the caller sees it (404 otherwise), calls the action (which checks the
# permission, validates and writes) and answers the object as it now stands.

def _act_on_report(request, report_id, act, *args, **fields):
    report = _report(request, report_id)
    act(report, *args, **fields, actor=request.auth)
    return _report_detail(request, report)


def _act_on_copy(request, copy_id, act, **fields):
    copy = _copy(request, copy_id)
    act(copy, **fields, actor=request.auth)
    return _copy_detail(request, copy)


def _act_on_follow_up(request, follow_up_id, act, **fields):
    """Loads the task again after acting: what the caller sees of it is checked afresh."""
    act(_follow_up(request, follow_up_id), **fields, actor=request.auth)
    return _follow_up_detail(_follow_up(request, follow_up_id))


# ------------------------------------------------------------------------------------------------ reports

@router.get("/opinions/reports", response={200: s.Page[o.ReportSummary], **ERRORS}, summary="我的社情民意信息")
def list_my_reports(request, page: PageQuery, filters: Query[o.ReportFilters]):
    """The reports the caller wrote or entered on someone's behalf; a fixed number of queries."""
    reports = m.Report.objects.mine(request.auth).select_related("committee")
    if filters.committee:
        reports = reports.filter(committee__code=filters.committee)
    if filters.status:
        reports = reports.filter(status__in=filters.status)
    if filters.year:
        reports = reports.filter(year=filters.year)
    result = paginate(reports.order_by("-created_at", "-id"), page)
    result["items"] = [_report_summary(r) for r in result["items"]]
    return result


@router.post("/committees/{code}/opinions/reports", response={201: o.ReportOut, **ERRORS},
             summary="起草社情民意信息")
def create_report(request, code: str, payload: o.ReportIn):
    """A draft by a member or informant; an information editor may enter one for a member, an informant or a
    collective body (``member``, ``informant`` or ``collective_type`` + ``collective_name``)."""
    committee = _committee(request, code)
    data = payload.dict()
    member_id, informant_id = data.pop("member"), data.pop("informant")
    collective_type, collective_name = data.pop("collective_type"), data.pop("collective_name")
    member = _of_committee(Member, member_id, committee, "member") if member_id is not None else None
    informant = _of_committee(Informant, informant_id, committee, "informant") if informant_id is not None else None
    report = actions.do_create_report(committee, data, member=member, informant=informant,
                                      collective_type=collective_type, collective_name=collective_name,
                                      actor=request.auth)
    return 201, _report_detail(request, report)


@router.get("/opinions/reports/{report_id}", response={200: o.ReportOut, **ERRORS}, summary="社情民意信息详情")
def get_report(request, report_id: int):
    return _report_detail(request, _report(request, report_id))


@router.patch("/opinions/reports/{report_id}", response={200: o.ReportOut, **ERRORS}, summary="修改草稿")
def update_report(request, report_id: int, payload: o.ReportPatch):
    return _act_on_report(request, report_id, actions.do_update_report, payload.dict(exclude_unset=True))


@router.post("/opinions/reports/{report_id}/submit", response={200: o.ReportOut, **ERRORS}, summary="报送")
def submit_report(request, report_id: int):
    return _act_on_report(request, report_id, actions.do_submit_report)


@router.post("/opinions/reports/{report_id}/withdraw", response={200: o.ReportOut, **ERRORS}, summary="撤回")
def withdraw_report(request, report_id: int, payload: o.OptionalReasonIn):
    return _act_on_report(request, report_id, actions.do_withdraw_report, reason=payload.reason)


@router.get("/opinions/reports/{report_id}/attachments", response={200: list[o.AttachmentOut], **ERRORS},
            summary="附件列表")
def list_attachments(request, report_id: int):
    report = _report(request, report_id)
    return [_attachment_out(a) for a in report.attachments.order_by("id")]


@router.post("/opinions/reports/{report_id}/attachments", response={201: o.AttachmentOut, **ERRORS},
             summary="上传附件")
def add_attachment(request, report_id: int, file: File[UploadedFile]):
    """Multipart upload (field ``file``); type and size are checked against the committee's settings."""
    report = _report(request, report_id)
    attachment = actions.do_add_attachment(report, file, actor=request.auth)
    return 201, _attachment_out(attachment)


@router.get("/opinions/reports/{report_id}/attachments/{attachment_id}", response={200: None, **ERRORS},
            summary="下载附件")
def download_attachment(request, report_id: int, attachment_id: int):
    """The file itself, for those who see the report or one of its copies (never from a public media URL)."""
    item = _attachment(_report(request, report_id), attachment_id)
    return attachments.download(item, content_type=item.content_type or "application/octet-stream")


@router.delete("/opinions/reports/{report_id}/attachments/{attachment_id}", response={204: None, **ERRORS},
               summary="删除附件")
def remove_attachment(request, report_id: int, attachment_id: int):
    item = _attachment(_report(request, report_id), attachment_id)
    actions.do_remove_attachment(item, actor=request.auth)
    return 204, None


@router.get("/opinions/reports/{report_id}/chain", response={200: o.ChainOut, **ERRORS}, summary="报送全程")
def report_chain(request, report_id: int):
    """How far the report went: each level's copy the caller may see, bottom up, with its dispatches,
    adoptions, instructions and follow-up tasks. The author sees every level."""
    report = _report(request, report_id)
    copies = list(_visible_copies(request).filter(report=report).select_related(
        "committee", "version").prefetch_related(*LEVEL_PREFETCH).order_by("received_at", "id"))
    levels, adopted, instructed = [], [], []
    for copy in copies:
        adoptions = list(copy.adoptions.all())
        instructions = list(copy.instructions.all())
        for a in adoptions:
            if a.level not in adopted:
                adopted.append(a.level)
        for i in instructions:
            if i.level not in instructed:
                instructed.append(i.level)
        levels.append({
            "copy_id": copy.pk, "committee": _ref(copy.committee), "committee_code": copy.committee.code,
            "level": copy.level, "status": copy.status,
            "received_at": copy.received_at, "signed_at": copy.signed_at, "adopted_at": copy.adopted_at,
            "dispatches": [_dispatch_out(d) for d in copy.dispatches.all()],
            "adoptions": [_adoption_out(a) for a in adoptions],
            "instructions": [_instruction_out(i, copy.version.title) for i in instructions],
        })
    return {"report": _report_summary(report), "levels": levels,
            "highest_level": levels[-1]["level"] if levels else None,
            "adopted_levels": adopted, "instructed_levels": instructed}


# ------------------------------------------------------------------------------------------------ copies

@router.get("/committees/{code}/opinions/copies", response={200: s.Page[o.CopySummary], **ERRORS},
            summary="信息编辑工作队列")
def list_queue(request, code: str, page: PageQuery, filters: Query[o.QueueFilters]):
    """The committee's copies, urgent first then oldest first; without ``status``, those awaiting the editor or
    the signer. A fixed number of queries whatever the page size."""
    committee = _committee(request, code, "opinions.view_queue")
    if filters.status:
        copies = m.ReportCopy.objects.filter(committee=committee, status__in=filters.status).order_by(
            "-is_urgent", "received_at", "id")
    else:
        copies = m.ReportCopy.objects.queue(committee)
    if filters.urgent is not None:
        copies = copies.filter(is_urgent=filters.urgent)
    if filters.year:
        copies = copies.filter(report__year=filters.year)
    copies = copies.select_related("report", "committee", "version", "received_from__committee")
    result = paginate(copies, page)
    result["items"] = [_copy_summary(c) for c in result["items"]]
    return result


@router.get("/opinions/copies/{copy_id}", response={200: o.CopyOut, **ERRORS}, summary="报送记录详情")
def get_copy(request, copy_id: int):
    return _copy_detail(request, _copy(request, copy_id))


@router.get("/opinions/copies/{copy_id}/versions", response={200: list[o.VersionSummary], **ERRORS},
            summary="版本列表")
def list_versions(request, copy_id: int):
    return [_version_summary(v) for v in _versions(_copy(request, copy_id))]


def _version(copy, number, field):
    for v in _versions(copy):
        if v.number == number:
            return v
    raise Http404 if field is None else ValidationError({field: _("该版本不存在。")})


@router.get("/opinions/copies/{copy_id}/versions/{number}", response={200: o.VersionOut, **ERRORS},
            summary="某一版本的全文")
def get_version(request, copy_id: int, number: int):
    return _version_out(_version(_copy(request, copy_id), number, None))


def _lines(v):
    out = [_("标题：%(title)s") % {"title": v.title}]
    for label, text in ((_("情况"), v.situation), (_("分析"), v.analysis), (_("建议"), v.suggestion)):
        out.append(f"【{label}】")
        out.extend(text.splitlines() or [""])
    return out


@router.get("/opinions/copies/{copy_id}/compare", response={200: o.CompareOut, **ERRORS}, summary="版本比较")
def compare_versions(request, copy_id: int, params: Query[o.CompareParams]):
    """The unified diff between two visible versions; by default this level's version and the one before it."""
    copy = _copy(request, copy_id)
    versions = _versions(copy)
    new = _version(copy, params.b, "b") if params.b is not None else copy.version
    if params.a is not None:
        old = _version(copy, params.a, "a")
    else:
        earlier = [v for v in versions if v.number < new.number]
        old = earlier[-1] if earlier else new
    diff = difflib.unified_diff(_lines(old), _lines(new), fromfile=f"v{old.number}", tofile=f"v{new.number}",
                                lineterm="")
    return {"a": old.number, "b": new.number, "diff": "\n".join(diff)}


@router.post("/opinions/copies/{copy_id}/edit", response={200: o.CopyOut, **ERRORS}, summary="核稿（审核或改稿）")
def edit_copy(request, copy_id: int, payload: o.EditIn):
    """Fields sent replace those of this level's current version (a new version when anything differs)."""
    fields = payload.dict(exclude_unset=True)
    note = fields.pop("note", "")
    data = {k: v for k, v in fields.items() if v is not None} or None
    return _act_on_copy(request, copy_id, actions.do_edit_copy, data=data, note=note)


@router.post("/opinions/copies/{copy_id}/return", response={200: o.CopyOut, **ERRORS}, summary="退回作者修改")
def return_copy(request, copy_id: int, payload: o.ReasonIn):
    return _act_on_copy(request, copy_id, actions.do_return_copy, reason=payload.reason)


@router.post("/opinions/copies/{copy_id}/keep", response={200: o.CopyOut, **ERRORS}, summary="留存")
def keep_copy(request, copy_id: int, payload: o.OptionalReasonIn):
    return _act_on_copy(request, copy_id, actions.do_keep_copy, reason=payload.reason)


@router.post("/opinions/copies/{copy_id}/reopen", response={200: o.CopyOut, **ERRORS}, summary="重新启用留存信息")
def reopen_copy(request, copy_id: int):
    return _act_on_copy(request, copy_id, actions.do_reopen_copy)


@router.post("/opinions/copies/{copy_id}/sign", response={200: o.CopyOut, **ERRORS}, summary="签发")
def sign_copy(request, copy_id: int):
    return _act_on_copy(request, copy_id, actions.do_sign_copy)


@router.post("/opinions/copies/{copy_id}/send-back", response={200: o.CopyOut, **ERRORS}, summary="退回重新核稿")
def send_back_copy(request, copy_id: int, payload: o.ReasonIn):
    return _act_on_copy(request, copy_id, actions.do_send_back_copy, reason=payload.reason)


@router.post("/opinions/copies/{copy_id}/dispatch", response={201: list[o.DispatchOut], **ERRORS},
             summary="报送领导或部门")
def dispatch_copy(request, copy_id: int, payload: o.DispatchIn):
    copy = _copy(request, copy_id)
    wanted = [r.department for r in payload.recipients if r.department is not None]
    departments = {d.pk: d for d in _departments(copy, wanted, "recipients")}
    recipients = [{"kind": r.kind, "name": r.name,
                   "department": departments[r.department] if r.department is not None else None}
                  for r in payload.recipients]
    dispatches = actions.do_dispatch_copy(copy, recipients, actor=request.auth)
    rows = m.Dispatch.objects.select_related("department").filter(pk__in=[d.pk for d in dispatches]).order_by("id")
    return 201, [_dispatch_out(d) for d in rows]


@router.post("/opinions/copies/{copy_id}/forward", response={201: o.CopyOut, **ERRORS}, summary="报送上级政协")
def forward_copy(request, copy_id: int):
    """Makes the parent committee's copy; the answer is that new copy (which the forwarding office sees)."""
    copy = _copy(request, copy_id)
    parent_copy = actions.do_forward_to_parent(copy, actor=request.auth)
    return 201, _copy_detail(request, parent_copy)


@router.post("/opinions/copies/{copy_id}/adopt", response={201: o.AdoptionOut, **ERRORS}, summary="记录采用")
def adopt_copy(request, copy_id: int, payload: o.AdoptIn):
    copy = _copy(request, copy_id)
    adoption = actions.do_adopt_copy(copy, kind=payload.kind, adopted_by=payload.adopted_by,
                                     adopted_on=payload.adopted_on, note=payload.note,
                                     external_level=payload.external_level, actor=request.auth)
    return 201, _adoption_out(adoption)


@router.post("/opinions/copies/{copy_id}/instruct", response={201: o.InstructionOut, **ERRORS},
             summary="记录领导批示")
def instruct_copy(request, copy_id: int, payload: o.InstructIn):
    """Records a leader's instruction; each department named gets a follow-up task due on the working-day
    calendar (a 409 when that date lies in a year whose holidays are not loaded)."""
    copy = _copy(request, copy_id)
    departments = _departments(copy, payload.departments, "departments")
    instruction = actions.do_record_instruction(
        copy, leader_name=payload.leader_name, leader_title=payload.leader_title, text=payload.text,
        instructed_on=payload.instructed_on, departments=departments, external_level=payload.external_level,
        actor=request.auth)
    instruction = m.Instruction.objects.prefetch_related(
        Prefetch("follow_ups", queryset=m.FollowUp.objects.select_related("department").order_by("id")),
    ).get(pk=instruction.pk)
    return 201, _instruction_out(instruction, copy.version.title)


# ------------------------------------------------------------------------------------------------ follow-ups

@router.get("/opinions/follow-ups", response={200: s.Page[o.FollowUpSummary], **ERRORS},
            summary="本部门的跟踪问效任务")
def list_follow_ups(request, page: PageQuery, filters: Query[o.FollowUpFilters]):
    """The follow-up tasks of the caller's departments, soonest due first; a fixed number of queries."""
    tasks = m.FollowUp.objects.for_department(roles.department_ids(request.auth))
    if filters.status:
        tasks = tasks.filter(status__in=filters.status)
    tasks = tasks.select_related("department", "instruction__copy__version").order_by("due_on", "id")
    result = paginate(tasks, page)
    result["items"] = [_follow_up_summary(f, f.instruction.copy.version.title) for f in result["items"]]
    return result


@router.get("/opinions/follow-ups/{follow_up_id}", response={200: o.FollowUpOut, **ERRORS},
            summary="跟踪问效任务详情")
def get_follow_up(request, follow_up_id: int):
    return _follow_up_detail(_follow_up(request, follow_up_id))


@router.post("/opinions/follow-ups/{follow_up_id}/report", response={200: o.FollowUpOut, **ERRORS},
             summary="反馈办理情况")
def report_follow_up(request, follow_up_id: int, payload: o.FollowUpReportIn):
    return _act_on_follow_up(request, follow_up_id, actions.do_report_follow_up, response=payload.response)


@router.post("/opinions/follow-ups/{follow_up_id}/close", response={200: o.FollowUpOut, **ERRORS},
             summary="办结")
def close_follow_up(request, follow_up_id: int, payload: o.NoteIn):
    return _act_on_follow_up(request, follow_up_id, actions.do_close_follow_up, note=payload.note)


@router.post("/opinions/follow-ups/{follow_up_id}/reopen", response={200: o.FollowUpOut, **ERRORS},
             summary="要求补充办理情况")
def reopen_follow_up(request, follow_up_id: int, payload: o.RequiredNoteIn):
    return _act_on_follow_up(request, follow_up_id, actions.do_reopen_follow_up, note=payload.note)


# ------------------------------------------------------------------------------------------------ bulletins

@router.get("/committees/{code}/opinions/bulletins", response={200: s.Page[o.BulletinSummary], **ERRORS},
            summary="社情民意期刊")
def list_bulletins(request, code: str, page: PageQuery):
    committee = _committee(request, code)
    if not _bulletin_reader(request.auth, committee):
        require(request, "opinions.manage_bulletin", committee)
    issues = m.BulletinIssue.objects.filter(committee=committee).select_related("committee").order_by(
        "-year", "-number", "-id")
    result = paginate(issues, page)
    result["items"] = [_bulletin_summary(i) for i in result["items"]]
    return result


@router.post("/committees/{code}/opinions/bulletins", response={201: o.BulletinOut, **ERRORS}, summary="新建一期")
def create_bulletin(request, code: str, payload: o.BulletinIn):
    committee = _committee(request, code)
    issue = actions.do_create_bulletin(committee, year=payload.year, actor=request.auth)
    return 201, _bulletin_detail(issue)


@router.get("/opinions/bulletins/{issue_id}", response={200: o.BulletinOut, **ERRORS}, summary="期刊详情")
def get_bulletin(request, issue_id: int):
    return _bulletin_detail(_bulletin(request, issue_id))


@router.post("/opinions/bulletins/{issue_id}/entries", response={201: o.BulletinEntryOut, **ERRORS},
             summary="加入文章")
def add_bulletin_entry(request, issue_id: int, payload: o.BulletinEntryIn):
    """``single``: exactly one copy; ``comprehensive``: two or more, with a title and a body. The copies must
    be signed off (or adopted) at the issue's committee."""
    issue = _bulletin(request, issue_id)
    copies = rows_in_order(m.ReportCopy.objects.filter(committee=issue.committee), payload.copies, "copies",
                           drop_repeats=True)
    entry = actions.do_add_bulletin_entry(issue, copies, kind=payload.kind, title=payload.title,
                                          body=payload.body, actor=request.auth)
    return 201, _entry_out(entry)


@router.delete("/opinions/bulletins/{issue_id}/entries/{entry_id}", response={204: None, **ERRORS},
               summary="移除文章")
def remove_bulletin_entry(request, issue_id: int, entry_id: int):
    issue = _bulletin(request, issue_id)
    entry = m.BulletinEntry.objects.filter(issue=issue, pk=entry_id).first()
    if entry is None:
        raise Http404
    actions.do_remove_bulletin_entry(entry, actor=request.auth)
    return 204, None


@router.post("/opinions/bulletins/{issue_id}/publish", response={200: o.BulletinOut, **ERRORS}, summary="印发")
def publish_bulletin(request, issue_id: int, payload: o.PublishIn):
    issue = _bulletin(request, issue_id)
    actions.do_publish_bulletin(issue, signer_name=payload.signer_name, published_on=payload.published_on,
                                actor=request.auth)
    issue.refresh_from_db()
    return _bulletin_detail(issue)

