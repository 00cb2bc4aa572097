"""Every write to a proposal goes through these functions; pages, the API, commands and tasks call them alike.

Each is an action (:func:`xieshang.core.audit.action`): one transaction and one audit group. Each checks the
actor's permission with the rules in ``proposals.rules`` (``actor=None`` means the system and skips the check),
validates before writing, and raises ``ValidationError`` (``InvalidTransition`` for a move the table does not
allow) or ``PermissionDenied`` with a translated message; a refused action writes nothing. Notifications go out
through ``core.notifications.notify`` when the transaction commits. Proposal, assignment and reply instances
passed in are locked and refreshed, so callers see the new state afterwards.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import attachments, audit
from xieshang.core import calendar as workdays
from xieshang.core.actionkit import (
    add_working_days,
    department_users,
    due_after_months,
    lock,
    require,
)
from xieshang.core.audit import action
from xieshang.core.notifications import notify
from xieshang.org.models import DepartmentStaff, Member, RoleGrant, SpecialCommittee

from . import dates
from . import oversight_rules  # noqa: F401  (declares proposals.record_supervision_event)
from . import settings as local
from .models import (
    EDITABLE_STATES,
    FILED_STATES,
    Assignment,
    AssignmentStatus,
    Attachment,
    CaseCounter,
    Proposal,
    Proposer,
    Rating,
    Reply,
    ReplyCosign,
    Status,
    SupervisionEvent,
    SupervisionTask,
)
from .transitions import InvalidTransition, check, transition

CONTENT_FIELDS = ["title", "situation", "analysis", "suggestion", "category", "kind", "collective_type",
                  "collective_name", "contact_name", "contact_phone"]
REPLY_FIELDS = ["doc_number", "outcome", "body", "signer", "contact_name", "contact_phone"]


# ---------------------------------------------------------------------------------------------- helpers

def _url(proposal):
    try:
        return reverse("proposals:detail", args=[proposal.committee.code, proposal.pk])
    except NoReverseMatch:
        return ""


def _office_users(committee_id):
    User = get_user_model()
    return list(User.objects.filter(role_grants__committee_id=committee_id,
                                    role_grants__role=RoleGrant.Role.PROPOSAL_STAFF).distinct())


def _proposer_users(proposal, *, confirmed_only=True):
    qs = proposal.proposers.exclude(user=None)
    if confirmed_only:
        qs = qs.filter(signature=Proposer.Signature.CONFIRMED)
    return [row.user for row in qs.select_related("user")]


def _notify(users, proposal, kind, title, body=""):
    notify(users, kind=f"proposals.{kind}", title=title, body=body, url=_url(proposal),
           committee_id=proposal.committee_id)


def _validate_content(proposal):
    """Check the text against the committee's rules; raise ValidationError with every problem found."""
    committee = proposal.committee_id
    errors = {}
    if not proposal.title.strip():
        errors["title"] = _("案由不能为空。")
    limit = local.value(committee, local.BODY_MAX_CHARS)
    if proposal.body_length > limit:
        errors["situation"] = _("提案正文共 %(n)d 字，超过本会规定的 %(limit)d 字上限。") % {
            "n": proposal.body_length, "limit": limit}
    if proposal.category and proposal.category not in local.value(committee, local.CATEGORIES):
        errors["category"] = _("“%(category)s”不是本会设定的提案类别。") % {"category": proposal.category}
    if proposal.kind == Proposal.Kind.COLLECTIVE:
        if not proposal.collective_type or not proposal.collective_name.strip():
            errors["collective_name"] = _("集体提案须写明提案单位类型和名称。")
        if not proposal.contact_name.strip():
            errors["contact_name"] = _("集体提案须写明联系人。")
    if errors:
        raise ValidationError(errors)
    try:
        proposal.full_clean(exclude=["committee", "session", "created_by", "merged_into"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _set_suggested_departments(proposal, departments):
    departments = list(departments)
    if any(d.committee_id != proposal.committee_id for d in departments):
        raise ValidationError({"suggested_departments": _("建议承办单位必须是本会的承办单位。")})
    proposal.suggested_departments.set(departments)


def _counter(session):
    """The session's counter row, locked until the current transaction ends."""
    CaseCounter.objects.get_or_create(session=session)
    return CaseCounter.objects.select_for_update().get(session=session)


# ---------------------------------------------------------------------------------------------- drafting

@action
def do_create_proposal(committee, session, data, *, cosigners=(), suggested_departments=(), actor):
    """Start a draft in ``session``. The actor's member row becomes the first proposer; for a collective
    proposal (``data["kind"] == "collective"``) the actor is the body's contact person.

    ``cosigners`` (Member rows) are invited at once, which makes the proposal joint.
    """
    require(actor, "proposals.add_proposal", committee)
    if session.term.committee_id != committee.pk:
        raise ValidationError({"session": _("会次不属于本会。")})
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    proposal = Proposal(committee=committee, session=session, created_by=actor if getattr(actor, "pk", None) else None)
    for name, value in data.items():
        setattr(proposal, name, value)
    member = None
    if proposal.kind != Proposal.Kind.COLLECTIVE:
        member = Member.objects.active().filter(committee=committee, user=actor).first() if actor else None
        if member is None:
            raise ValidationError(_("只有本会在任委员可以提出个人或联名提案。"))
    _validate_content(proposal)
    proposal.save()
    Proposer.objects.create(
        proposal=proposal, member=member, user=actor if getattr(actor, "pk", None) else None,
        name=member.name if member else proposal.collective_name, role=Proposer.Role.FIRST,
        signature=Proposer.Signature.CONFIRMED, responded_at=timezone.now(),
    )
    _set_suggested_departments(proposal, suggested_departments)
    audit.record("proposals.drafted", proposal, changes=audit.snapshot(proposal, ["title", "kind", "category"]))
    if cosigners:
        do_invite_cosigners(proposal, cosigners, actor=actor)
    return proposal


@action
def do_update_proposal(proposal, data, *, suggested_departments=None, actor):
    """Edit a draft or a returned proposal (its authors only)."""
    require(actor, "proposals.change_proposal", proposal)
    lock(proposal)
    if proposal.status not in EDITABLE_STATES:
        raise ValidationError(_("提案已提交，不能再修改。"))
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if data.get("kind") == Proposal.Kind.COLLECTIVE and proposal.kind != Proposal.Kind.COLLECTIVE:
        raise ValidationError({"kind": _("个人或联名提案不能改为集体提案。")})
    if data.get("kind", proposal.kind) != Proposal.Kind.JOINT and proposal.proposers.filter(
            role=Proposer.Role.COSIGNER).exclude(signature=Proposer.Signature.DECLINED).exists():
        raise ValidationError({"kind": _("已邀请联名人的提案只能是联名提案。")})
    before = audit.snapshot(proposal, CONTENT_FIELDS)
    for name, value in data.items():
        setattr(proposal, name, value)
    _validate_content(proposal)
    proposal.save()
    if suggested_departments is not None:
        _set_suggested_departments(proposal, suggested_departments)
    after = audit.snapshot(proposal, CONTENT_FIELDS)
    audit.record("proposals.draft_updated", proposal, changes=audit.diff(before, after))
    return proposal


@action
def do_invite_cosigners(proposal, members, *, actor):
    """Ask ``members`` to co-sign (联名); each confirms or declines before the co-sign deadline."""
    require(actor, "proposals.change_proposal", proposal)
    lock(proposal)
    if proposal.status not in EDITABLE_STATES:
        raise ValidationError(_("提案已提交，不能再邀请联名人。"))
    if proposal.kind == Proposal.Kind.COLLECTIVE:
        raise ValidationError(_("集体提案不设联名人。"))
    members = list(members)
    existing = set(proposal.proposers.exclude(member=None).values_list("member_id", flat=True))
    due = add_working_days(dates.today(), local.value(proposal.committee_id, local.COSIGN_WORKING_DAYS))
    order = proposal.proposers.count()
    for member in members:
        if member.committee_id != proposal.committee_id or member.status != Member.Status.ACTIVE:
            raise ValidationError(_("%(name)s不是本会在任委员，不能联名。") % {"name": member.name})
        if member.pk in existing:
            raise ValidationError(_("%(name)s已是本提案的提案者。") % {"name": member.name})
        existing.add(member.pk)
        order += 1
        Proposer.objects.create(proposal=proposal, member=member, user=member.user, name=member.name,
                                role=Proposer.Role.COSIGNER, order=order, signature=Proposer.Signature.PENDING,
                                sign_due=due)
    if proposal.kind != Proposal.Kind.JOINT:
        proposal.kind = Proposal.Kind.JOINT
        proposal.save(update_fields=["kind", "updated_at"])
    audit.record("proposals.cosigners_invited", proposal,
                 changes={"cosigners": [m.name for m in members], "sign_due": due})
    _notify([m.user for m in members], proposal, "cosign_requested",
            _("请确认是否联名提案《%(title)s》（%(due)s前）") % {"title": proposal.title, "due": due.isoformat()})
    return proposal


@action
def do_respond_cosign(proposal, *, accept, actor):
    """The actor, an invited co-signer, confirms (``accept=True``) or declines before the deadline."""
    require(actor, "proposals.sign_proposal", proposal)
    lock(proposal)
    if proposal.status not in EDITABLE_STATES:
        raise ValidationError(_("提案已提交，联名确认已结束。"))
    row = proposal.proposers.select_for_update().filter(
        user=actor, role=Proposer.Role.COSIGNER, signature=Proposer.Signature.PENDING).first()
    if row is None:
        raise PermissionDenied(_("您没有待确认的联名邀请。"))
    if row.sign_due and dates.today() > row.sign_due:
        raise ValidationError(_("联名确认期限已于 %(date)s 届满。") % {"date": row.sign_due.isoformat()})
    row.signature = Proposer.Signature.CONFIRMED if accept else Proposer.Signature.DECLINED
    row.responded_at = timezone.now()
    row.save(update_fields=["signature", "responded_at"])
    audit.record("proposals.cosign_confirmed" if accept else "proposals.cosign_declined", proposal,
                 changes={"proposer": row.name, "signature": row.signature})
    authors = [p.user for p in proposal.proposers.filter(role=Proposer.Role.FIRST).select_related("user")]
    title = (_("%(name)s已确认联名提案《%(title)s》") if accept else _("%(name)s拒绝联名提案《%(title)s》")) % {
        "name": row.name, "title": proposal.title}
    _notify(authors, proposal, "cosign_answered", title)
    return row


@action
def do_add_attachment(proposal, uploaded, *, actor):
    """Attach an uploaded file; its extension must be on the committee's allow-list and its size within limit."""
    require(actor, "proposals.change_proposal", proposal)
    lock(proposal)
    if proposal.status not in EDITABLE_STATES:
        raise ValidationError(_("提案已提交，不能再添加附件。"))
    name = attachments.checked_name(uploaded, proposal.committee_id, types_key=local.ATTACHMENT_TYPES,
                                    max_mb_key=local.ATTACHMENT_MAX_MB)
    attachment = attachments.store(
        Attachment(proposal=proposal, uploaded_by=actor if getattr(actor, "pk", None) else None), name, uploaded)
    audit.record("proposals.attachment_added", proposal, changes={"attachment": name, "size": uploaded.size})
    return attachment


@action
def do_remove_attachment(attachment, *, actor):
    proposal = attachment.proposal
    require(actor, "proposals.change_proposal", proposal)
    lock(proposal)
    if proposal.status not in EDITABLE_STATES:
        raise ValidationError(_("提案已提交，不能再删除附件。"))
    name = attachment.name
    attachments.delete_on_commit(attachment)
    audit.record("proposals.attachment_removed", proposal, changes={"attachment": name})


@action
def do_submit_proposal(proposal, *, actor):
    """Submit a draft (or resubmit a returned proposal) for pre-review.

    A joint proposal needs every invited co-signer to have answered (or their deadline to have passed, which
    counts as declining) and at least the committee's required number to have confirmed. The submission is
    marked 大会 or 平时 by the session's plenary window and gets the session's next serial number.
    """
    require(actor, "proposals.submit_proposal", proposal)
    lock(proposal)
    check(proposal, Status.SUBMITTED)
    _validate_content(proposal)
    today = dates.today()
    if proposal.kind == Proposal.Kind.JOINT:
        cosigners = proposal.proposers.filter(role=Proposer.Role.COSIGNER)
        waiting = cosigners.filter(signature=Proposer.Signature.PENDING, sign_due__gte=today).count()
        if waiting:
            raise ValidationError(_("还有 %(n)d 位联名人未确认，请等待确认或期限届满后再提交。") % {"n": waiting})
        expired = cosigners.filter(signature=Proposer.Signature.PENDING)
        if expired.exists():
            expired.update(signature=Proposer.Signature.DECLINED, responded_at=timezone.now())
            audit.record("proposals.cosign_expired", proposal)
        needed = local.value(proposal.committee_id, local.JOINT_MIN_CONFIRMED)
        confirmed = cosigners.filter(signature=Proposer.Signature.CONFIRMED).count()
        if confirmed < needed:
            raise ValidationError(_("联名提案至少需要 %(needed)d 位联名人确认，目前只有 %(n)d 位。") % {
                "needed": needed, "n": confirmed})
    fields = ["timing", "submitted_at"]
    if proposal.serial is None:
        counter = _counter(proposal.session)
        counter.last_serial += 1
        counter.save(update_fields=["last_serial"])
        proposal.serial = counter.last_serial
        fields.append("serial")
    proposal.timing = (Proposal.Timing.PLENARY if proposal.session.is_plenary_window(today)
                       else Proposal.Timing.REGULAR)
    proposal.submitted_at = timezone.now()
    transition(proposal, Status.SUBMITTED, actor=actor, fields=fields)
    _notify(_office_users(proposal.committee_id), proposal, "submitted",
            _("新提案待预审：《%(title)s》") % {"title": proposal.title})
    return proposal


# ---------------------------------------------------------------------------------------------- review

@action
def do_pass_pre_review(proposal, *, note="", actor):
    """预审通过: the proposal goes to the review decision."""
    require(actor, "proposals.review_proposal", proposal)
    lock(proposal)
    transition(proposal, Status.REVIEW, actor=actor, note=note)
    return proposal


@action
def do_return_proposal(proposal, *, reason, actor):
    """Return a proposal to its proposers for changes, with the reason (预审退回)."""
    require(actor, "proposals.review_proposal", proposal)
    lock(proposal)
    if not str(reason).strip():
        raise ValidationError({"reason": _("退回时必须说明理由。")})
    proposal.decision_note = reason
    transition(proposal, Status.RETURNED, actor=actor, note=reason, fields=["decision_note"])
    _notify(_proposer_users(proposal), proposal, "returned",
            _("提案《%(title)s》被退回修改") % {"title": proposal.title}, reason)
    return proposal


@action
def do_file_proposal(proposal, *, category=None, note="", actor):
    """立案: give the proposal the session's next case number and a category.

    The number comes from the session's counter row, locked for the rest of the transaction; the proposal
    row is locked first, so two staff filing the same proposal at once produce one number (the second is
    refused by the table), and a filing that fails gives its number back.
    """
    require(actor, "proposals.file_proposal", proposal)
    lock(proposal)
    if category is not None:
        proposal.category = category
    if not proposal.category:
        raise ValidationError({"category": _("立案时必须确定提案类别。")})
    if proposal.category not in local.value(proposal.committee_id, local.CATEGORIES):
        raise ValidationError({"category": _("“%(category)s”不是本会设定的提案类别。") % {"category": proposal.category}})
    check(proposal, Status.FILED)
    counter = _counter(proposal.session)
    counter.last_case_number += 1
    counter.save(update_fields=["last_case_number"])
    proposal.case_number = counter.last_case_number
    proposal.filed_at = timezone.now()
    transition(proposal, Status.FILED, actor=actor, note=note, fields=["case_number", "category", "filed_at"])
    _notify(_proposer_users(proposal), proposal, "filed",
            _("提案《%(title)s》已立案，案号%(case)s") % {"title": proposal.title, "case": proposal.case_label})
    return proposal


@action
def do_decline_proposal(proposal, *, ground, reason="", actor):
    """不予立案 on one of the committee's configured grounds; the proposers are told the ground and reason."""
    require(actor, "proposals.file_proposal", proposal)
    lock(proposal)
    if ground not in local.value(proposal.committee_id, local.DECLINE_GROUNDS):
        raise ValidationError({"ground": _("请选择本会设定的不予立案理由。")})
    proposal.decline_ground = ground
    proposal.decision_note = reason
    transition(proposal, Status.DECLINED, actor=actor, note=reason, fields=["decline_ground", "decision_note"])
    _notify(_proposer_users(proposal), proposal, "declined",
            _("提案《%(title)s》不予立案") % {"title": proposal.title},
            _("理由：%(ground)s。%(reason)s") % {"ground": ground, "reason": reason})
    return proposal


@action
def do_merge_proposal(proposal, *, into, actor):
    """并案: merge ``proposal`` into the filed lead proposal ``into``; its proposers join the lead."""
    require(actor, "proposals.file_proposal", proposal)
    lock(proposal)
    lock(into)
    if into.pk == proposal.pk:
        raise ValidationError({"into": _("不能并入提案自身。")})
    if into.session_id != proposal.session_id:
        raise ValidationError({"into": _("只能并入同一会次的提案。")})
    if into.status not in FILED_STATES or into.status == Status.ARCHIVED:
        raise ValidationError({"into": _("只能并入已立案且尚未归档的提案。")})
    proposal.merged_into = into
    transition(proposal, Status.MERGED, actor=actor, fields=["merged_into"],
               note=_("并入%(case)s提案") % {"case": into.case_label})
    present_members = set(into.proposers.exclude(member=None).values_list("member_id", flat=True))
    present_users = set(into.proposers.exclude(user=None).values_list("user_id", flat=True))
    order = into.proposers.count()
    joined = []
    for row in proposal.proposers.filter(signature=Proposer.Signature.CONFIRMED):
        if (row.member_id and row.member_id in present_members) or (
                row.member_id is None and row.user_id in present_users):
            continue
        order += 1
        Proposer.objects.create(proposal=into, member=row.member, user=row.user, name=row.name,
                                role=Proposer.Role.MERGED, order=order, signature=Proposer.Signature.CONFIRMED,
                                responded_at=timezone.now())
        joined.append(row.name)
    audit.record("proposals.proposers_joined", into, changes={"proposers": joined, "from": proposal})
    _notify(_proposer_users(proposal), proposal, "merged",
            _("提案《%(title)s》已并入%(case)s提案办理") % {"title": proposal.title, "case": into.case_label})
    return proposal


@action
def do_convert_proposal(proposal, *, target, consent, actor):
    """Convert to 意见建议 / 社情民意 / 委员来信; only with the proposers' consent (``consent=True``)."""
    require(actor, "proposals.file_proposal", proposal)
    lock(proposal)
    if target not in Proposal.ConvertTarget.values:
        raise ValidationError({"target": _("请选择转处理的方式。")})
    if consent is not True:
        raise ValidationError({"consent": _("转为其他方式处理须征得提案者同意。")})
    proposal.convert_target = target
    transition(proposal, Status.CONVERTED, actor=actor, fields=["convert_target"])
    from .signals import proposal_converted

    proposal_converted.send(sender=Proposal, proposal=proposal, target=target, actor=actor)
    _notify(_proposer_users(proposal), proposal, "converted",
            _("提案《%(title)s》已按您的同意%(target)s") % {
                "title": proposal.title, "target": Proposal.ConvertTarget(target).label})
    return proposal


@action
def do_withdraw_proposal(proposal, *, reason="", actor):
    """撤案: the proposers withdraw it (or staff record their withdrawal) before it is filed."""
    require(actor, "proposals.withdraw_proposal", proposal)
    lock(proposal)
    transition(proposal, Status.WITHDRAWN, actor=actor, note=reason)
    return proposal


BATCH_DECISIONS = {
    "pass": do_pass_pre_review,
    "return": do_return_proposal,
    "file": do_file_proposal,
    "decline": do_decline_proposal,
    "convert": do_convert_proposal,
    "withdraw": do_withdraw_proposal,
}


@action
def do_review_batch(proposals, decision, *, actor, **params):
    """Take one review decision for several proposals at once: all of them, or (on any refusal) none.

    The error names the proposal that was refused. Filing in a batch numbers in the order given.
    """
    func = BATCH_DECISIONS.get(decision)
    if func is None:
        raise ValidationError(_("未知的审查决定。"))
    done = []
    for proposal in proposals:
        try:
            done.append(func(proposal, actor=actor, **params))
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise ValidationError(_("《%(title)s》：%(error)s") % {
                "title": proposal.title, "error": " ".join(messages)}) from None
    return done


# ---------------------------------------------------------------------------------------------- assignment

def _assignment_dates(committee_id, start, role):
    values = {
        "objection_due": add_working_days(start, local.value(committee_id, local.OBJECTION_WORKING_DAYS)),
    }
    if role == Assignment.Role.CO:
        length = local.value(committee_id, local.CO_OPINION_LENGTH)
        if local.value(committee_id, local.CO_OPINION_UNIT) == "working_days":
            values["opinion_due"] = add_working_days(start, length)
        else:
            values["opinion_due"] = due_after_months(start, length)
    else:
        values["first_contact_due"] = add_working_days(
            start, local.value(committee_id, local.FIRST_CONTACT_WORKING_DAYS))
        values["reply_due"] = due_after_months(start, local.value(committee_id, local.REPLY_MONTHS))
    return values


def _create_assignment(proposal, department, role):
    today = dates.today()
    return Assignment.objects.create(proposal=proposal, department=department, role=role, assigned_at=today,
                                     **_assignment_dates(proposal.committee_id, today, role))


def _check_departments(proposal, departments):
    for department in departments:
        if department.committee_id != proposal.committee_id or not department.is_active:
            raise ValidationError(_("%(name)s不是本会启用的承办单位。") % {"name": department.name})


@action
def do_assign_proposal(proposal, *, leads, co=(), actor):
    """交办 a filed proposal: one lead department (or several for 分办) and any co-handling departments.

    Each department gets its own assignment with an objection window, a first-contact due date and a reply
    due date (leads), or an opinion due date (co), all from the committee's settings and the working-day
    calendar.
    """
    require(actor, "proposals.assign_proposal", proposal)
    lock(proposal)
    leads, co = list(leads), list(co)
    if not leads:
        raise ValidationError({"leads": _("至少指定一个主办单位。")})
    ids = [d.pk for d in leads + co]
    if len(ids) != len(set(ids)):
        raise ValidationError(_("同一承办单位不能重复交办。"))
    _check_departments(proposal, leads + co)
    transition(proposal, Status.ASSIGNED, actor=actor)
    lead_role = Assignment.Role.LEAD if len(leads) == 1 else Assignment.Role.SPLIT_LEAD
    created = [_create_assignment(proposal, d, lead_role) for d in leads]
    created += [_create_assignment(proposal, d, Assignment.Role.CO) for d in co]
    audit.record("proposals.assignments_created", proposal,
                 changes={"assignments": [{"department": a.department.name, "role": a.role,
                                           "reply_due": a.reply_due, "opinion_due": a.opinion_due}
                                          for a in created]})
    for assignment in created:
        _notify(department_users(assignment.department_id), proposal, "assigned",
                _("新交办提案：%(case)s《%(title)s》（%(role)s）") % {
                    "case": proposal.case_label, "title": proposal.title, "role": assignment.get_role_display()})
    return created


@action
def do_object_assignment(assignment, *, reason, actor):
    """The department contests its assignment within the objection window; it never forwards it itself."""
    require(actor, "proposals.object_assignment", assignment)
    lock(assignment)
    if not str(reason).strip():
        raise ValidationError({"reason": _("提出异议必须说明理由。")})
    if dates.today() > assignment.objection_due:
        raise ValidationError(_("异议期限已于 %(date)s 届满，不能再提出异议。") % {
            "date": assignment.objection_due.isoformat()})
    assignment.objection_reason = reason
    transition(assignment, AssignmentStatus.OBJECTED, actor=actor, note=reason, fields=["objection_reason"])
    proposal = assignment.proposal
    _notify(_office_users(proposal.committee_id), proposal, "objected",
            _("%(department)s对提案《%(title)s》的交办提出异议") % {
                "department": assignment.department.name, "title": proposal.title}, reason)
    return assignment


@action
def do_dismiss_objection(assignment, *, note, actor):
    """Staff keep the assignment as it was; the department must handle it."""
    require(actor, "proposals.assign_proposal", assignment)
    lock(assignment)
    if not str(note).strip():
        raise ValidationError({"note": _("请说明维持交办的理由。")})
    transition(assignment, AssignmentStatus.ASSIGNED, actor=actor, note=note)
    _notify(department_users(assignment.department_id), assignment.proposal, "objection_dismissed",
            _("提案《%(title)s》维持原交办") % {"title": assignment.proposal.title}, note)
    return assignment


@action
def do_reassign_assignment(assignment, *, department, actor):
    """Accept an objection: close the objected assignment and give the same role to ``department``."""
    require(actor, "proposals.assign_proposal", assignment)
    lock(assignment)
    proposal = assignment.proposal
    _check_departments(proposal, [department])
    if proposal.assignments.exclude(status=AssignmentStatus.WITHDRAWN).filter(department=department).exists():
        raise ValidationError({"department": _("该单位已承办本提案。")})
    transition(assignment, AssignmentStatus.WITHDRAWN, actor=actor,
               note=_("改由%(name)s承办") % {"name": department.name})
    new = _create_assignment(proposal, department, assignment.role)
    assignment.replaced_by = new
    assignment.save(update_fields=["replaced_by"])
    audit.record("proposals.reassigned", new, changes={"from": assignment.department, "to": department})
    _notify(department_users(department.pk), proposal, "assigned",
            _("新交办提案：%(case)s《%(title)s》（%(role)s）") % {
                "case": proposal.case_label, "title": proposal.title, "role": new.get_role_display()})
    return new


def _start_handling(assignment, actor):
    """Move the assignment (and the proposal, on its first handling step) into handling."""
    if assignment.status == AssignmentStatus.ASSIGNED:
        transition(assignment, AssignmentStatus.HANDLING, actor=actor)
    elif assignment.status != AssignmentStatus.HANDLING:
        raise InvalidTransition(
            _("该交办当前状态为“%(status)s”，不能办理。") % {"status": assignment.get_status_display()},
            from_status=assignment.status, to_status=AssignmentStatus.HANDLING)
    proposal = lock(assignment.proposal)
    if proposal.status in (Status.ASSIGNED, Status.REHANDLE):
        transition(proposal, Status.IN_PROGRESS, actor=actor)


@action
def do_record_first_contact(assignment, *, on, note="", actor):
    """办前沟通: the lead department records when it first contacted the proposers."""
    require(actor, "proposals.reply_assignment", assignment)
    lock(assignment)
    if on > dates.today():
        raise ValidationError({"on": _("沟通日期不能晚于今天。")})
    if on < assignment.assigned_at:
        raise ValidationError({"on": _("沟通日期不能早于交办日期。")})
    _start_handling(assignment, actor)
    assignment.first_contact_on, assignment.first_contact_note = on, note
    assignment.save(update_fields=["first_contact_on", "first_contact_note"])
    audit.record("proposals.first_contact", assignment, changes={"first_contact_on": on, "note": note})
    return assignment


@action
def do_send_co_opinion(assignment, *, opinion, actor):
    """会办意见: a co-handling department sends its opinion to the lead, which closes its share."""
    require(actor, "proposals.send_opinion", assignment)
    lock(assignment)
    if not str(opinion).strip():
        raise ValidationError({"opinion": _("会办意见不能为空。")})
    _start_handling(assignment, actor)
    assignment.opinion, assignment.opinion_sent_at = opinion, timezone.now()
    transition(assignment, AssignmentStatus.DONE, actor=actor, fields=["opinion", "opinion_sent_at"])
    proposal = assignment.proposal
    for lead in proposal.assignments.leads().exclude(status=AssignmentStatus.WITHDRAWN):
        _notify(department_users(lead.department_id), proposal, "co_opinion",
                _("%(department)s已送达对提案《%(title)s》的会办意见") % {
                    "department": assignment.department.name, "title": proposal.title})
    return assignment


# ---------------------------------------------------------------------------------------------- replies

def _validate_outcome(committee_id, outcome, field="outcome"):
    labels = local.outcome_labels(committee_id)
    if not outcome:
        raise ValidationError({field: _("答复必须选择办理结果分类。")})
    if outcome not in labels:
        raise ValidationError({field: _("办理结果分类只能是 %(classes)s。") % {"classes": "/".join(labels)}})


def _live_co_assignments(proposal):
    return proposal.assignments.filter(role=Assignment.Role.CO).exclude(status=AssignmentStatus.WITHDRAWN)


@action
def do_draft_reply(assignment, data, *, actor):
    """The lead (or split-lead) department drafts its reply for the current round, with an outcome class.

    A new or redrafted reply goes to the co-handling departments for co-signing, or straight to the office's
    review when there are none. A reply under review, approved or sent cannot be redrafted.
    """
    require(actor, "proposals.reply_assignment", assignment)
    lock(assignment)
    proposal = assignment.proposal
    unknown = set(data) - set(REPLY_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    _validate_outcome(proposal.committee_id, data.get("outcome"))
    errors = {}
    if not str(data.get("body", "")).strip():
        errors["body"] = _("答复内容不能为空。")
    if not str(data.get("signer", "")).strip():
        errors["signer"] = _("请填写签发人。")
    if errors:
        raise ValidationError(errors)
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.HANDLING):
        raise InvalidTransition(
            _("该交办当前状态为“%(status)s”，不能起草答复。") % {"status": assignment.get_status_display()},
            from_status=assignment.status, to_status=AssignmentStatus.HANDLING)
    _start_handling(assignment, actor)
    reply = Reply.objects.select_for_update().filter(assignment=assignment, round=proposal.round).first()
    has_co = _live_co_assignments(proposal).exists()
    target = Reply.ReviewStatus.COSIGNING if has_co else Reply.ReviewStatus.REVIEW
    drafted_by = actor if getattr(actor, "pk", None) else None
    if reply is None:
        reply = Reply(assignment=assignment, round=proposal.round, status=target, drafted_by=drafted_by, **data)
        reply.save()
        audit.record("proposals.reply_drafted", reply, changes=audit.snapshot(reply, REPLY_FIELDS))
    elif reply.status in (Reply.ReviewStatus.COSIGNING, Reply.ReviewStatus.RETURNED):
        before = audit.snapshot(reply, REPLY_FIELDS)
        for name, value in data.items():
            setattr(reply, name, value)
        reply.drafted_by, reply.reviewed_outcome = drafted_by, ""
        reply.save()
        reply.cosigns.all().delete()  # a changed text needs fresh co-signatures
        audit.record("proposals.reply_updated", reply, changes=audit.diff(before, audit.snapshot(reply, REPLY_FIELDS)))
        if reply.status == Reply.ReviewStatus.RETURNED:
            transition(reply, target, actor=actor)
    else:
        raise InvalidTransition(
            _("答复当前状态为“%(status)s”，不能再修改。") % {"status": reply.get_status_display()},
            from_status=reply.status, to_status=target)
    recipients = []
    if target == Reply.ReviewStatus.COSIGNING:
        for co in _live_co_assignments(proposal):
            recipients += department_users(co.department_id)
        _notify(recipients, proposal, "cosign_reply", _("请会签提案《%(title)s》的答复") % {"title": proposal.title})
    else:
        _notify(_office_users(proposal.committee_id), proposal, "reply_review",
                _("提案《%(title)s》的答复待审核") % {"title": proposal.title})
    return reply


@action
def do_cosign_reply(reply, *, note="", actor):
    """会签: each co-handling department signs the lead's reply; the last signature sends it to review."""
    require(actor, "proposals.cosign_reply", reply)
    lock(reply)
    if reply.status != Reply.ReviewStatus.COSIGNING:
        raise InvalidTransition(_("答复当前状态为“%(status)s”，不需要会签。") % {"status": reply.get_status_display()},
                                from_status=reply.status, to_status=Reply.ReviewStatus.REVIEW)
    proposal = reply.assignment.proposal
    mine = _live_co_assignments(proposal).filter(department_id__in=DepartmentStaff.objects.filter(
        user=actor).values("department_id")) if actor else _live_co_assignments(proposal)
    pending = mine.exclude(cosigns__reply=reply)
    if not pending.exists():
        raise ValidationError(_("本单位已会签该答复。"))
    for co in pending:
        ReplyCosign.objects.create(reply=reply, assignment=co, user=actor if getattr(actor, "pk", None) else None,
                                   note=note)
        audit.record("proposals.reply_cosign", reply, changes={"department": co.department.name, "note": note})
    if not _live_co_assignments(proposal).exclude(cosigns__reply=reply).exists():
        transition(reply, Reply.ReviewStatus.REVIEW, actor=actor)
        _notify(_office_users(proposal.committee_id), proposal, "reply_review",
                _("提案《%(title)s》的答复待审核") % {"title": proposal.title})
    return reply


@action
def do_review_reply(reply, *, approve, outcome=None, note="", actor):
    """The supervising office approves the reply (and may change its outcome class) or returns it."""
    require(actor, "proposals.review_reply", reply)
    lock(reply)
    proposal = reply.assignment.proposal
    if approve:
        if outcome:
            _validate_outcome(proposal.committee_id, outcome)
        reply.reviewed_outcome = outcome or reply.outcome
        reply.review_note = note
        transition(reply, Reply.ReviewStatus.APPROVED, actor=actor, note=note,
                   fields=["reviewed_outcome", "review_note"])
    else:
        if not str(note).strip():
            raise ValidationError({"note": _("退回答复必须说明理由。")})
        reply.review_note = note
        transition(reply, Reply.ReviewStatus.RETURNED, actor=actor, note=note, fields=["review_note"])
        _notify(department_users(reply.assignment.department_id), proposal, "reply_returned",
                _("提案《%(title)s》的答复被退回修改") % {"title": proposal.title}, note)
    return reply


@action
def do_send_reply(reply, *, actor):
    """Send an approved reply to every proposer; when every lead's reply is out the proposal awaits rating."""
    if actor is not None and not (actor.has_perm("proposals.reply_assignment", reply)
                                  or actor.has_perm("proposals.review_reply", reply)):
        raise PermissionDenied(_("您无权执行此操作。"))
    lock(reply)
    reply.sent_at = timezone.now()
    transition(reply, Reply.ReviewStatus.SENT, actor=actor, fields=["sent_at"])
    assignment = lock(reply.assignment)
    transition(assignment, AssignmentStatus.DONE, actor=actor)
    proposal = lock(assignment.proposal)
    leads_open = proposal.assignments.leads().exclude(
        status__in=[AssignmentStatus.DONE, AssignmentStatus.WITHDRAWN]).exists()
    if not leads_open:
        transition(proposal, Status.REPLIED, actor=actor)
        due = add_working_days(dates.today(), local.value(proposal.committee_id, local.FEEDBACK_WORKING_DAYS))
        _notify(_proposer_users(proposal), proposal, "replied",
                _("提案《%(title)s》已答复，请在 %(due)s 前评价办理情况") % {
                    "title": proposal.title, "due": due.isoformat()})
    return reply


@action
def do_request_extension(assignment, *, new_due, reason, actor):
    """A lead department asks, before its due date, to reply later; the office approves or refuses."""
    require(actor, "proposals.reply_assignment", assignment)
    lock(assignment)
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.HANDLING):
        raise ValidationError(_("该交办已办结或有异议，不能申请延期。"))
    if assignment.extension == Assignment.Extension.REQUESTED:
        raise ValidationError(_("已有延期申请待审批。"))
    if not str(reason).strip():
        raise ValidationError({"reason": _("申请延期必须说明理由。")})
    if dates.today() > assignment.reply_due:
        raise ValidationError(_("答复期限已过，须在期限届满前申请延期。"))
    if new_due <= assignment.reply_due:
        raise ValidationError({"new_due": _("延期后的日期须晚于现答复期限。")})
    committee_id = assignment.proposal.committee_id
    limit = workdays.add_months(assignment.assigned_at, local.value(committee_id, local.REPLY_MONTHS)
                                + local.value(committee_id, local.EXTENSION_MAX_MONTHS))
    if new_due > limit:
        raise ValidationError({"new_due": _("延期最晚至 %(date)s。") % {"date": limit.isoformat()}})
    assignment.extension, assignment.extension_due, assignment.extension_reason = (
        Assignment.Extension.REQUESTED, new_due, reason)
    assignment.save(update_fields=["extension", "extension_due", "extension_reason"])
    audit.record("proposals.extension_requested", assignment, changes={"extension_due": new_due, "reason": reason})
    _notify(_office_users(committee_id), assignment.proposal, "extension_requested",
            _("%(department)s申请延期答复提案《%(title)s》") % {
                "department": assignment.department.name, "title": assignment.proposal.title}, reason)
    return assignment


@action
def do_decide_extension(assignment, *, approve, note="", actor):
    require(actor, "proposals.decide_extension", assignment)
    lock(assignment)
    if assignment.extension != Assignment.Extension.REQUESTED:
        raise ValidationError(_("没有待审批的延期申请。"))
    before = audit.snapshot(assignment, ["extension", "reply_due"])
    if approve:
        assignment.extension, assignment.reply_due = Assignment.Extension.APPROVED, assignment.extension_due
    else:
        assignment.extension = Assignment.Extension.REFUSED
    assignment.save(update_fields=["extension", "reply_due"])
    audit.record("proposals.extension_decided", assignment,
                 changes=audit.diff(before, audit.snapshot(assignment, ["extension", "reply_due"])), note=note)
    title = _("延期申请已批准：提案《%(title)s》") if approve else _("延期申请未获批准：提案《%(title)s》")
    _notify(department_users(assignment.department_id), assignment.proposal, "extension_decided",
            title % {"title": assignment.proposal.title}, note)
    return assignment


# ---------------------------------------------------------------------------------------------- rating

def _clean_extras(committee_id, extras):
    extras = {k: v for k, v in (extras or {}).items() if v}
    if not extras:
        return {}
    if not local.value(committee_id, local.RATING_EXTRA_FIELDS):
        raise ValidationError(_("本会未启用详细测评栏目。"))
    for name, value in extras.items():
        choices = Rating.EXTRA_FIELDS.get(name)
        if choices is None or value not in choices.values:
            raise ValidationError({name: _("测评栏目的取值无效。")})
    return extras


@action
def do_rate_proposal(proposal, *, result, extras=None, comment="", for_proposer=None, actor):
    """A proposer rates the current round's reply: 满意 / 基本满意 / 不满意 (plus extra fields if enabled).

    Staff record a rating for an offline proposer by passing ``for_proposer`` (a Proposer row). 不满意 sends
    the proposal back for re-handling with a new due date (up to the committee's number of rounds); when every
    proposer has rated the round otherwise, the proposal is archived.
    """
    if for_proposer is None:
        row = proposal.proposers.filter(user=actor, signature=Proposer.Signature.CONFIRMED).first() if actor else None
        if row is None:
            raise PermissionDenied(_("只有本提案的提案者可以评价。"))
        on_behalf = False
    else:
        require(actor, "proposals.record_rating", proposal)
        row = for_proposer
        if row.proposal_id != proposal.pk or row.signature != Proposer.Signature.CONFIRMED:
            raise ValidationError(_("只能为本提案的提案者代为录入评价。"))
        on_behalf = True
    lock(proposal)
    if proposal.status != Status.REPLIED:
        raise ValidationError(_("提案当前状态为“%(status)s”，不能评价。") % {"status": proposal.get_status_display()})
    if result not in Rating.Result.values:
        raise ValidationError({"result": _("请选择满意、基本满意或不满意。")})
    extras = _clean_extras(proposal.committee_id, extras)
    if Rating.objects.filter(proposer=row, round=proposal.round).exists():
        raise ValidationError(_("该提案者已对本轮办理作出评价。"))
    rating = Rating.objects.create(proposal=proposal, proposer=row, round=proposal.round, result=result,
                                   comment=comment, on_behalf=on_behalf,
                                   recorded_by=actor if getattr(actor, "pk", None) else None, **extras)
    audit.record("proposals.rated", proposal, changes={"proposer": row.name, "result": result, "round": proposal.round,
                                                       "on_behalf": on_behalf, **extras})
    max_rounds = local.value(proposal.committee_id, local.REHANDLE_MAX_ROUNDS)
    if result == Rating.Result.DISSATISFIED and proposal.round <= max_rounds:
        _rehandle(proposal, actor=actor, note=comment)
    elif not proposal.proposers.filter(signature=Proposer.Signature.CONFIRMED).exclude(
            ratings__round=proposal.round).exists():
        transition(proposal, Status.ARCHIVED, actor=actor)
    return rating


def _rehandle(proposal, *, actor, note):
    proposal.round += 1
    transition(proposal, Status.REHANDLE, actor=actor, note=note, fields=["round"])
    due = due_after_months(dates.today(), local.value(proposal.committee_id, local.REHANDLE_MONTHS))
    for assignment in proposal.assignments.leads().filter(status=AssignmentStatus.DONE):
        assignment.reply_due = due
        transition(assignment, AssignmentStatus.HANDLING, actor=actor, fields=["reply_due"])
        _notify(department_users(assignment.department_id), proposal, "rehandle",
                _("提案《%(title)s》的提案者不满意，请于 %(due)s 前重新办理") % {
                    "title": proposal.title, "due": due.isoformat()}, note)


# ---------------------------------------------------------------------------------------------- overlays

@action
def do_select_key_proposal(proposal, *, leader_name, leader=None, special_committee=None, year=None, actor):
    """重点提案: mark a filed proposal as key, with the leader and special committee overseeing it."""
    require(actor, "proposals.select_key", proposal)
    lock(proposal)
    if proposal.status not in FILED_STATES:
        raise ValidationError(_("只有已立案的提案可以列为重点提案。"))
    if proposal.is_key:
        raise ValidationError(_("该提案已是重点提案。"))
    if not str(leader_name).strip():
        raise ValidationError({"leader_name": _("请填写督办领导。")})
    if special_committee is not None and (not isinstance(special_committee, SpecialCommittee)
                                          or special_committee.committee_id != proposal.committee_id):
        raise ValidationError({"special_committee": _("牵头专委会必须属于本会。")})
    task = SupervisionTask.objects.create(proposal=proposal, leader=leader, leader_name=leader_name,
                                          special_committee=special_committee,
                                          year=year or proposal.session.year)
    proposal.is_key = True
    proposal.save(update_fields=["is_key", "updated_at"])
    audit.record("proposals.key_selected", proposal,
                 changes={"leader": leader_name, "special_committee": special_committee})
    recipients = _proposer_users(proposal)
    for assignment in proposal.assignments.exclude(status=AssignmentStatus.WITHDRAWN):
        recipients += department_users(assignment.department_id)
    _notify(recipients, proposal, "key_selected",
            _("提案《%(title)s》已列为重点提案，由%(leader)s督办") % {"title": proposal.title, "leader": leader_name})
    return task


@action
def do_record_oversight_report(task, *, report, actor):
    require(actor, "proposals.select_key", task.proposal)
    if not str(report).strip():
        raise ValidationError({"report": _("督办报告不能为空。")})
    before = audit.snapshot(task, ["report"])
    task.report = report
    task.save(update_fields=["report"])
    audit.record("proposals.oversight_reported", task.proposal,
                 changes=audit.diff(before, audit.snapshot(task, ["report"])))
    return task


@action
def do_mark_excellent(proposal, *, excellent=True, year=None, actor):
    """优秀提案: set or clear the excellent flag of a filed proposal for a year."""
    require(actor, "proposals.mark_excellent", proposal)
    lock(proposal)
    if proposal.status not in FILED_STATES:
        raise ValidationError(_("只有已立案的提案可以评为优秀提案。"))
    before = audit.snapshot(proposal, ["is_excellent", "excellent_year"])
    proposal.is_excellent = bool(excellent)
    proposal.excellent_year = (year or proposal.session.year) if excellent else None
    proposal.save(update_fields=["is_excellent", "excellent_year", "updated_at"])
    audit.record("proposals.excellent_changed", proposal,
                 changes=audit.diff(before, audit.snapshot(proposal, ["is_excellent", "excellent_year"])))
    return proposal


@action
def do_set_public_consent(proposal, *, consent, reason="", actor):
    """The proposers consent to publication, or refuse with a reason (kept for the office)."""
    require(actor, "proposals.set_public_consent", proposal)
    lock(proposal)
    if not consent and not str(reason).strip():
        raise ValidationError({"reason": _("不同意公开时须说明理由。")})
    before = audit.snapshot(proposal, ["public_consent", "public_reason"])
    proposal.public_consent, proposal.public_reason = bool(consent), "" if consent else reason
    proposal.save(update_fields=["public_consent", "public_reason", "updated_at"])
    audit.record("proposals.public_consent", proposal,
                 changes=audit.diff(before, audit.snapshot(proposal, ["public_consent", "public_reason"])))
    return proposal



# ---------------------------------------------------------------------------------------------- oversight activities

EVENT_FIELDS = ["kind", "date", "place", "participants", "leaders_present", "summary"]


@action
def do_record_supervision_event(task, data, *, actor):
    """督办活动: record a visit, meeting or other activity of a key proposal's oversight (not in the future)."""
    require(actor, "proposals.record_supervision_event", task)
    lock(task.proposal)
    values = {name: data.get(name) for name in EVENT_FIELDS}
    for name in ("place", "participants", "leaders_present", "summary"):
        values[name] = str(values[name] or "").strip()
    errors = {}
    if isinstance(values["date"], str):
        try:
            values["date"] = datetime.date.fromisoformat(values["date"].strip()) if values["date"].strip() else None
        except ValueError:
            errors["date"] = _("活动日期格式不正确。")
            values["date"] = None
    if values["kind"] not in SupervisionEvent.Kind.values:
        errors["kind"] = _("请选择活动类型。")
    if not values["date"]:
        errors.setdefault("date", _("请填写活动日期。"))
    elif values["date"] > dates.today():
        errors["date"] = _("活动日期不能晚于今天。")
    if not values["summary"]:
        errors["summary"] = _("请填写活动情况。")
    if errors:
        raise ValidationError(errors)
    event = SupervisionEvent(task=task, recorded_by=actor, **values)
    event.full_clean(exclude=["task", "recorded_by"])
    event.save()
    audit.record("proposals.supervision_event_recorded", task.proposal,
                 changes={"kind": event.kind, "date": event.date.isoformat(), "place": event.place,
                          "summary": event.summary})
    return event


@action
def do_remove_supervision_event(event, *, actor):
    """Remove an oversight activity recorded by mistake (the audit keeps what it said)."""
    require(actor, "proposals.record_supervision_event", event.task)
    lock(event.task.proposal)
    proposal = event.task.proposal
    audit.record("proposals.supervision_event_removed", proposal,
                 changes={"kind": event.kind, "date": event.date.isoformat(), "summary": event.summary})
    event.delete()
