"""Every write to a 社情民意 report, its per-level copies, follow-up tasks and bulletin issues goes through here.

Each function is an action (:func:`xieshang.core.audit.action`): one transaction and one audit group. Each checks
the actor's permission with the rules in ``opinions.rules`` (``actor=None`` means the system and skips the
check), validates before writing, and raises ``ValidationError`` (``InvalidTransition`` for a move the table
does not allow) or ``PermissionDenied`` with a translated message; a refused action writes nothing. Notifications
go out through ``core.notifications.notify`` when the transaction commits. Objects passed in are locked and
refreshed, so callers see the new state afterwards.

Numbers (report serials per committee and year, bulletin issue numbers) come from a :class:`Counter` row locked
for the rest of the transaction: unique and without gaps, also under concurrent submissions.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import attachments, audit
from xieshang.core.actionkit import add_working_days, department_users, lock, require
from xieshang.core.audit import action
from xieshang.core.notifications import notify
from xieshang.org.models import Committee, Department, Informant, Member, RoleGrant

from . import dates
from . import settings as local
from .models import (
    EDITABLE_REPORT_STATES,
    RELEASED_STATES,
    Adoption,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    BulletinStatus,
    CopyStatus,
    Counter,
    Dispatch,
    FollowUp,
    FollowUpStatus,
    Instruction,
    Report,
    ReportCopy,
    ReportEvent,
    ReportStatus,
    ReportVersion,
)
from .transitions import InvalidTransition, check, transition

TEXT_FIELDS = ["title", "situation", "analysis", "suggestion"]
CONTENT_FIELDS = [*TEXT_FIELDS, "is_urgent", "contact_name", "contact_phone"]
BODY_FIELDS = ["situation", "analysis", "suggestion"]

# Committee levels from the bottom up; an external level must rank above the whole deployment chain.
LEVEL_RANK = {
    Committee.Level.COUNTY: 1,
    Committee.Level.CITY: 2,
    Committee.Level.PROVINCIAL: 3,
    Committee.Level.NATIONAL: 4,
}

# A converted proposal's collective type, in this app's terms.
PROPOSAL_COLLECTIVE_TYPES = {
    "party": Report.CollectiveType.PARTY,
    "organisation": Report.CollectiveType.ORGANISATION,
    "special_committee": Report.CollectiveType.SPECIAL_COMMITTEE,
    "sector": Report.CollectiveType.SECTOR,
    "group": Report.CollectiveType.LIAISON_GROUP,
}


# ---------------------------------------------------------------------------------------------- helpers

def _lock_for_author(report, actor):
    """Lock the report, then refuse anyone but its author while it is editable.

    The author of a report that is no longer editable passes: the caller's state check then refuses with a
    message that names the state, rather than a bare permission refusal.
    """
    lock(report)
    if actor is not None and actor.pk in (report.author_user_id, report.created_by_id) \
            and report.status not in EDITABLE_REPORT_STATES:
        return
    require(actor, "opinions.change_report", report)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def report_url(report):
    return _reverse("opinions:detail", report.committee.code, report.pk)


def copy_url(copy):
    return _reverse("opinions:copy", copy.committee.code, copy.pk)


def follow_up_url(follow_up):
    """The task's page, addressed through its department's committee (where the department works)."""
    return _reverse("opinions:follow_up", follow_up.department.committee.code, follow_up.pk)


def _notify(users, *, kind, title, url, committee_id, body="", urgent=False):
    if urgent:
        title = _("【紧急】%(title)s") % {"title": title}
    notify(users, kind=f"opinions.{kind}", title=title, body=body, url=url, committee_id=committee_id)


def _role_users(committee_id, role):
    User = get_user_model()
    return list(User.objects.filter(role_grants__committee_id=committee_id, role_grants__role=role).distinct())


def _editors(committee_id):
    return _role_users(committee_id, RoleGrant.Role.INFO_EDITOR)


def _signers(committee_id):
    return _role_users(committee_id, RoleGrant.Role.INFO_SIGNER)


def _author_users(report):
    return [u for u in (report.author_user, report.created_by) if u is not None]


def _next_number(committee_id, year, series):
    """The next number of ``series`` at the committee in ``year``; the counter row stays locked until commit."""
    Counter.objects.get_or_create(committee_id=committee_id, year=year, series=series)
    counter = Counter.objects.select_for_update().get(committee_id=committee_id, year=year, series=series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _text(value):
    return value.strip() if isinstance(value, str) else value


def _check_fields(data, allowed):
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _validate_text(obj, committee_id, *, complete=False, check_length=True):
    """Check title and body of a report or a version against the committee's rules; every problem at once."""
    errors = {}
    if not (obj.title or "").strip():
        errors["title"] = _("标题不能为空。")
    elif len(obj.title) > 200:
        errors["title"] = _("标题不能超过 200 字。")
    body_length = sum(len(getattr(obj, name) or "") for name in BODY_FIELDS)
    limit = local.value(committee_id, local.BODY_MAX_CHARS)
    if check_length and body_length > limit:
        errors["situation"] = _("正文（情况、分析、建议）共 %(n)d 字，超过本会规定的 %(limit)d 字上限。") % {
            "n": body_length, "limit": limit}
    if complete and not errors.get("situation") and not ((obj.situation or "").strip()
                                                          or (obj.suggestion or "").strip()):
        errors["situation"] = _("请至少填写情况或建议。")
    if errors:
        raise ValidationError(errors)


def _validate_report(report, *, complete=False, check_length=True):
    _validate_text(report, report.committee_id, complete=complete, check_length=check_length)
    errors = {}
    if report.author_kind == Report.AuthorKind.COLLECTIVE:
        if report.collective_type not in Report.CollectiveType.values:
            errors["collective_type"] = _("请选择集体报送单位的类型。")
        if not report.collective_name.strip():
            errors["collective_name"] = _("集体报送须写明单位名称。")
    if errors:
        raise ValidationError(errors)
    try:
        report.full_clean(exclude=["committee", "member", "informant", "author_user", "created_by",
                                   "source_proposal", "sector", "liaison_group", "special_committee"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _level_rank(level):
    return LEVEL_RANK.get(level, 0)


def _chain_below(copy):
    """The copy and every copy below it (the ones it was forwarded from), nearest first."""
    out, node = [], copy
    while node is not None:
        out.append(node)
        node = node.received_from
    return out


def _top_copy(copy):
    return not ReportCopy.objects.filter(received_from=copy).exists()


def _check_external_level(copy, external_level, field="external_level"):
    """An external level must rank above every committee of the deployment chain and be recorded on the top copy."""
    if external_level not in Committee.Level.values:
        raise ValidationError({field: _("请选择有效的层级。")})
    chain = [copy.committee, *copy.committee.ancestors()]
    if _level_rank(external_level) <= max(_level_rank(c.level) for c in chain):
        raise ValidationError({field: _("本系统外的上级政协，其层级须高于本系统中的各级政协。")})
    if not _top_copy(copy):
        raise ValidationError({field: _("该信息已报送上级政协，本系统外上级政协的采用和批示须由最高一级记录。")})


def _require_released(copy, to_status=CopyStatus.ADOPTED):
    if copy.status not in RELEASED_STATES:
        raise InvalidTransition(
            _("该报送记录当前状态为“%(status)s”，须签发后才能办理此项。") % {"status": copy.get_status_display()},
            from_status=copy.status, to_status=to_status)


def _departments_in_chain(copy, departments, field):
    """Check that every department belongs to the copy's committee or a committee lower in the report's chain."""
    allowed = {c.committee_id for c in _chain_below(copy)}
    out = []
    for department in departments:
        if not isinstance(department, Department) or department.committee_id not in allowed:
            raise ValidationError({field: _("“%(name)s”不是本级或下级政协在本信息报送链中的部门。") % {
                "name": getattr(department, "name", department)}})
        if not department.is_active:
            raise ValidationError({field: _("“%(name)s”已停用。") % {"name": department.name}})
        if department not in out:
            out.append(department)
    return out


def _record_event(report, kind, level, *, copy=None, adoption=None, instruction=None, on=None):
    on = on or dates.today()
    return ReportEvent.objects.create(
        kind=kind, level=level, report=report, copy=copy, adoption=adoption, instruction=instruction,
        committee_id=report.committee_id, year=on.year, occurred_on=on, author_kind=report.author_kind,
        member_id=report.member_id, informant_id=report.informant_id, sector_id=report.sector_id,
        liaison_group_id=report.liaison_group_id, collective_name=report.collective_name,
    )


def _next_version_number(report):
    """The report's next version number; the caller holds the report's row lock."""
    return (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1


# ---------------------------------------------------------------------------------------------- the author side

def _author_for(committee, actor, member, informant, collective_type, collective_name):
    """(author_kind, member, informant, author_user, author_name, on_behalf) for a new report, checked."""
    given = [x for x in (member, informant, collective_type or collective_name) if x]
    if len(given) > 1:
        raise ValidationError(_("报送人只能是一位委员、一位特邀信息员或一个集体之一。"))
    is_staff = actor is None or actor.has_perm("opinions.submit_on_behalf", committee)
    if member is not None:
        if member.committee_id != committee.pk or member.status != Member.Status.ACTIVE:
            raise ValidationError({"member": _("%(name)s不是本会在任委员。") % {"name": member.name}})
        own = actor is not None and member.user_id == actor.pk
        if not own and not is_staff:
            raise PermissionDenied(_("只有信息工作人员可以代委员报送。"))
        return Report.AuthorKind.MEMBER, member, None, member.user, member.name, not own
    if informant is not None:
        if informant.committee_id != committee.pk or not informant.is_active:
            raise ValidationError({"informant": _("%(name)s不是本会在聘的特邀信息员。") % {"name": informant.name}})
        own = actor is not None and informant.user_id == actor.pk
        if not own and not is_staff:
            raise PermissionDenied(_("只有信息工作人员可以代特邀信息员报送。"))
        return Report.AuthorKind.INFORMANT, None, informant, informant.user, informant.name, not own
    if collective_type or collective_name:
        # A collective body reports through its contact person (a member or informant) or through staff.
        own_row = actor is not None and (Member.objects.active().filter(committee=committee, user=actor).exists()
                                         or Informant.objects.filter(committee=committee, user=actor,
                                                                     is_active=True).exists())
        if not own_row and not is_staff:
            raise PermissionDenied(_("只有信息工作人员或集体的联系人可以报送集体信息。"))
        if is_staff and not own_row:
            return Report.AuthorKind.COLLECTIVE, None, None, None, collective_name, True
        return Report.AuthorKind.COLLECTIVE, None, None, _user(actor), collective_name, False
    if actor is not None:
        member = Member.objects.active().filter(committee=committee, user=actor).first()
        if member is not None:
            return Report.AuthorKind.MEMBER, member, None, actor, member.name, False
        informant = Informant.objects.filter(committee=committee, user=actor, is_active=True).first()
        if informant is not None:
            return Report.AuthorKind.INFORMANT, None, informant, actor, informant.name, False
    raise ValidationError(_("请指定报送人：本会委员、特邀信息员或集体。"))


@action
def do_create_report(committee, data, *, member=None, informant=None, collective_type="", collective_name="",
                     actor):
    """Start a draft. The author is ``member``, ``informant`` or the collective body; when none is given, the
    actor's own Member (else Informant) row in the committee. Information staff may create a draft on behalf of
    a member, an informant or a collective (``on_behalf``)."""
    require(actor, "opinions.add_report", committee)
    _check_fields(data, CONTENT_FIELDS)
    kind, member, informant, author_user, author_name, on_behalf = _author_for(
        committee, actor, member, informant, collective_type, (collective_name or "").strip())
    report = Report(committee=committee, year=dates.today().year, author_kind=kind, member=member,
                    informant=informant, collective_type=collective_type or "",
                    collective_name=(collective_name or "").strip(), author_name=author_name[:100],
                    author_user=author_user, created_by=_user(actor), on_behalf=on_behalf)
    for name, value in data.items():
        setattr(report, name, _text(value) if name != "is_urgent" else bool(value))
    _validate_report(report)
    report.save()
    audit.record("opinions.drafted", report,
                 changes=audit.snapshot(report, ["title", "author_kind", "author_name", "on_behalf", "is_urgent"]))
    return report


@action
def do_update_report(report, data, *, actor):
    """Edit a draft or a returned report (its author, or whoever entered it)."""
    _lock_for_author(report, actor)
    if report.status not in EDITABLE_REPORT_STATES:
        raise InvalidTransition(_("信息已提交，不能再修改。"), from_status=report.status, to_status=report.status)
    _check_fields(data, CONTENT_FIELDS)
    before = audit.snapshot(report, CONTENT_FIELDS)
    for name, value in data.items():
        setattr(report, name, _text(value) if name != "is_urgent" else bool(value))
    _validate_report(report)
    report.save()
    audit.record("opinions.draft_updated", report, changes=audit.diff(before, audit.snapshot(report, CONTENT_FIELDS)))
    return report


@action
def do_add_attachment(report, uploaded_file, *, actor):
    """Attach a file; its extension must be on the committee's allow-list and its size within the limit."""
    _lock_for_author(report, actor)
    if report.status not in EDITABLE_REPORT_STATES:
        raise ValidationError(_("信息已提交，不能再添加附件。"))
    name = attachments.checked_name(uploaded_file, report.committee_id, types_key=local.ATTACHMENT_TYPES,
                                    max_mb_key=local.ATTACHMENT_MAX_MB)
    attachment = attachments.store(Attachment(report=report, uploaded_by=_user(actor)), name, uploaded_file)
    audit.record("opinions.attachment_added", report, changes={"attachment": name, "size": uploaded_file.size})
    return attachment


@action
def do_remove_attachment(attachment, *, actor):
    report = attachment.report
    _lock_for_author(report, actor)
    if report.status not in EDITABLE_REPORT_STATES:
        raise ValidationError(_("信息已提交，不能再删除附件。"))
    name = attachment.name
    attachments.delete_on_commit(attachment)
    audit.record("opinions.attachment_removed", report, changes={"attachment": name})


def _denormalise_author(report):
    """Copy the member's sector, liaison group and special committee onto the report (for statistics)."""
    member = report.member
    if member is not None:
        report.sector_id, report.liaison_group_id, report.special_committee_id = (
            member.sector_id, member.liaison_group_id, member.special_committee_id)
    return ["sector", "liaison_group", "special_committee"]


def _submit(report, *, actor, converted=False, note=""):
    """Submit ``report`` (locked by the caller): serial, author version, origin copy, event, notification.

    A converted proposal is taken as it stands (title required): its text was reviewed as a proposal, and
    the editor rewrites or returns it like any other report.
    """
    check(report, ReportStatus.SUBMITTED)
    _validate_report(report, complete=not converted, check_length=not converted)
    today = dates.today()
    first = report.serial is None
    fields = _denormalise_author(report)
    if first:
        report.year = today.year
        report.serial = _next_number(report.committee_id, report.year, Counter.Series.REPORT)
        report.submitted_at = timezone.now()
        fields += ["year", "serial", "submitted_at"]
    version = ReportVersion.objects.create(
        report=report, number=_next_version_number(report), kind=ReportVersion.Kind.AUTHOR, committee=None,
        title=report.title, situation=report.situation, analysis=report.analysis, suggestion=report.suggestion,
        note=note, created_by=_user(actor))
    transition(report, ReportStatus.SUBMITTED, fields=fields, note=note)
    origin = report.copies.filter(received_from=None).first()
    if origin is None:
        origin = ReportCopy.objects.create(
            report=report, committee_id=report.committee_id, level=report.committee.level, version=version,
            status=CopyStatus.PENDING, is_urgent=report.is_urgent, received_at=timezone.now())
        audit.record("opinions.copy_created", origin, changes={"version": version.number})
        _record_event(report, ReportEvent.Kind.SUBMITTED, origin.level, copy=origin, on=today)
    else:
        lock(origin)
        origin.version, origin.is_urgent, origin.received_at = version, report.is_urgent, timezone.now()
        transition(origin, CopyStatus.PENDING, fields=["version", "is_urgent", "received_at"])
    title = _("新的社情民意信息待核稿：《%(title)s》") % {"title": report.title}
    if not first:
        title = _("社情民意信息已修改后重新报送：《%(title)s》") % {"title": report.title}
    _notify(_editors(report.committee_id), kind="submitted", title=title, url=copy_url(origin),
            committee_id=report.committee_id, urgent=report.is_urgent)
    return report


@action
def do_submit_report(report, *, actor):
    """Submit a draft (or resubmit a returned report) to the committee's information editors.

    The first submission gives the report its serial (per committee and year); every submission stores the
    author's text as a new version and makes (or reopens) the originating committee's copy.
    """
    _lock_for_author(report, actor)
    return _submit(report, actor=actor)


@action
def do_withdraw_report(report, *, reason="", actor):
    """The author withdraws a draft or a returned report; a returned copy is closed with it."""
    _lock_for_author(report, actor)
    check(report, ReportStatus.WITHDRAWN)
    origin = report.copies.filter(received_from=None).first()
    if origin is not None:
        lock(origin)
        check(origin, CopyStatus.WITHDRAWN)
    transition(report, ReportStatus.WITHDRAWN, note=reason)
    if origin is not None:
        transition(origin, CopyStatus.WITHDRAWN, note=reason)
        _notify(_editors(origin.committee_id), kind="withdrawn",
                title=_("作者撤回了社情民意信息《%(title)s》") % {"title": report.title}, url=copy_url(origin),
                committee_id=origin.committee_id, body=reason)
    return report


@action
def do_convert_from_proposal(proposal, *, actor):
    """A proposal converted at review (转社情民意信息) arrives here submitted, its first proposer as author.

    The text is taken as it stands (length and completeness are the editor's to deal with by rewriting or
    returning); the report keeps ``source_proposal`` so the proposal and its history stay one click away.
    """
    if actor is not None and not actor.has_perm("proposals.file_proposal", proposal):
        raise PermissionDenied(_("您无权执行此操作。"))
    if Report.objects.filter(source_proposal_id=proposal.pk).exists():
        raise ValidationError(_("该提案已转为社情民意信息。"))
    committee = proposal.committee
    first = proposal.proposers.filter(role="first").select_related("member", "user").first()
    report = Report(committee=committee, year=dates.today().year, source_proposal=proposal,
                    title=proposal.title, situation=proposal.situation, analysis=proposal.analysis,
                    suggestion=proposal.suggestion, contact_name=proposal.contact_name,
                    contact_phone=proposal.contact_phone, created_by=_user(actor), on_behalf=True)
    if proposal.kind == "collective":
        report.author_kind = Report.AuthorKind.COLLECTIVE
        report.collective_type = PROPOSAL_COLLECTIVE_TYPES.get(proposal.collective_type,
                                                               Report.CollectiveType.ORGANISATION)
        report.collective_name = proposal.collective_name or (first.name if first else "")
        report.author_name = report.collective_name
        report.author_user = first.user if first else None
    elif first is not None and first.member is not None:
        report.author_kind = Report.AuthorKind.MEMBER
        report.member = first.member
        report.author_name = first.member.name
        report.author_user = first.user or first.member.user
    else:
        raise ValidationError(_("该提案没有可作为报送人的第一提案人。"))
    _validate_report(report, check_length=False)
    report.save()
    audit.record("opinions.converted_from_proposal", report,
                 changes={"proposal": proposal, "title": report.title, "author_name": report.author_name})
    _submit(report, actor=actor, converted=True, note=_("由提案转来"))
    _notify([report.author_user], kind="converted", url=report_url(report), committee_id=committee.pk,
            title=_("您的提案《%(title)s》已转为社情民意信息") % {"title": report.title})
    return report


# ---------------------------------------------------------------------------------------------- editing

def _copy_changes(copy, data):
    """The rewritten fields of ``data`` that differ from the copy's current version (checked)."""
    _check_fields(data, TEXT_FIELDS)
    current = copy.version
    changed = {k: _text(v) for k, v in data.items() if _text(v) != getattr(current, k)}
    return changed


@action
def do_edit_copy(copy, *, data=None, note="", actor):
    """核稿: check the copy at its level and, when ``data`` rewrites its text, store the rewrite as a new version.

    PENDING → EDITED; on an EDITED copy the editor may rewrite again without moving it. The author's text and
    every earlier rewrite stay as they were.
    """
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    if copy.status != CopyStatus.EDITED:
        check(copy, CopyStatus.EDITED)
    changed = _copy_changes(copy, data or {})
    report = lock(copy.report)
    version = None
    if changed:
        current = copy.version
        version = ReportVersion(report=report, kind=ReportVersion.Kind.EDIT, committee_id=copy.committee_id,
                                note=note, created_by=_user(actor),
                                **{k: changed.get(k, getattr(current, k)) for k in TEXT_FIELDS})
        _validate_text(version, copy.committee_id, complete=True)
        version.number = _next_version_number(report)
        version.save()
        copy.version = version
    copy.edited_by, copy.edited_at = _user(actor), timezone.now()
    fields = ["version", "edited_by", "edited_at"]
    if copy.status == CopyStatus.EDITED:
        copy.save(update_fields=fields)
        audit.record("opinions.copy_reedited", copy, note=note,
                     changes={"version": copy.version.number, "rewritten": sorted(changed)})
    else:
        transition(copy, CopyStatus.EDITED, note=note, fields=fields)
        _notify(_signers(copy.committee_id), kind="to_sign", url=copy_url(copy), committee_id=copy.committee_id,
                title=_("社情民意信息待签发：《%(title)s》") % {"title": copy.version.title}, urgent=copy.is_urgent)
    return copy


@action
def do_return_copy(copy, *, reason, actor):
    """Return the originating committee's copy to the author for changes, with the reason."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    if not copy.is_origin:
        raise ValidationError(_("只有首报政协可以退回作者修改；上级政协可将信息留存。"))
    if not str(reason or "").strip():
        raise ValidationError({"reason": _("退回时必须说明理由。")})
    check(copy, CopyStatus.RETURNED)
    report = lock(copy.report)
    check(report, ReportStatus.RETURNED)
    copy.return_reason = reason
    transition(copy, CopyStatus.RETURNED, note=reason, fields=["return_reason"])
    transition(report, ReportStatus.RETURNED, note=reason)
    _notify(_author_users(report), kind="returned", url=report_url(report), committee_id=report.committee_id,
            title=_("社情民意信息《%(title)s》被退回修改") % {"title": report.title}, body=reason)
    return copy


@action
def do_keep_copy(copy, *, reason="", actor):
    """留存: keep the copy on file without using it."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    check(copy, CopyStatus.KEPT)
    if not _top_copy(copy):
        raise ValidationError(_("该信息已报送上级政协，不能再留存。"))
    copy.kept_reason = reason
    transition(copy, CopyStatus.KEPT, note=reason, fields=["kept_reason"])
    if copy.is_origin:
        _notify(_author_users(copy.report), kind="kept", url=report_url(copy.report),
                committee_id=copy.committee_id, body=reason,
                title=_("社情民意信息《%(title)s》已留存备用") % {"title": copy.report.title})
    return copy


@action
def do_reopen_copy(copy, *, actor):
    """Take a kept copy back into the editor's queue."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    transition(copy, CopyStatus.PENDING)
    return copy


@action
def do_sign_copy(copy, *, actor):
    """签发: the signer signs the edited copy off; it may then be sent, forwarded and compiled."""
    require(actor, "opinions.sign_copy", copy)
    lock(copy)
    copy.signed_by, copy.signed_at = _user(actor), timezone.now()
    transition(copy, CopyStatus.SIGNED, fields=["signed_by", "signed_at"])
    _notify(_editors(copy.committee_id), kind="signed", url=copy_url(copy), committee_id=copy.committee_id,
            title=_("社情民意信息《%(title)s》已签发") % {"title": copy.version.title})
    return copy


@action
def do_send_back_copy(copy, *, reason, actor):
    """The signer sends an edited copy back to the editors, with the reason."""
    require(actor, "opinions.sign_copy", copy)
    lock(copy)
    if not str(reason or "").strip():
        raise ValidationError({"reason": _("退回重新核稿时必须说明理由。")})
    transition(copy, CopyStatus.PENDING, note=reason)
    _notify(_editors(copy.committee_id), kind="sent_back", url=copy_url(copy), committee_id=copy.committee_id,
            title=_("签发人退回重新核稿：《%(title)s》") % {"title": copy.version.title}, body=reason)
    return copy


# ---------------------------------------------------------------------------------------------- forwarding

@action
def do_dispatch_copy(copy, recipients, *, actor):
    """报送 a signed copy to leaders and departments; department staff are told."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    _require_released(copy)
    recipients = list(recipients or [])
    if not recipients:
        raise ValidationError({"recipients": _("请至少选择一个报送对象。")})
    kinds = set(Dispatch.Kind.values) - {Dispatch.Kind.PARENT}
    rows = []
    for recipient in recipients:
        kind, department = recipient.get("kind"), recipient.get("department")
        name = str(recipient.get("name") or "").strip()
        if kind not in kinds:
            raise ValidationError({"recipients": _("报送对象类型无效；报送上级政协请使用“报送上级政协”。")})
        if kind == Dispatch.Kind.DEPARTMENT:
            if department is None:
                raise ValidationError({"recipients": _("报送有关部门时须选择部门。")})
            _departments_in_chain(copy, [department], "recipients")
            name = name or department.name
        elif department is not None:
            raise ValidationError({"recipients": _("只有报送有关部门时才选择部门。")})
        if not name:
            raise ValidationError({"recipients": _("请填写报送对象。")})
        if len(name) > 100:
            raise ValidationError({"recipients": _("报送对象名称不能超过 100 字。")})
        rows.append(Dispatch(copy=copy, kind=kind, recipient_name=name, department=department,
                             sent_by=_user(actor), sent_at=timezone.now()))
    created = []
    for row in rows:
        row.save()
        created.append(row)
        audit.record("opinions.dispatched", copy, changes={"kind": row.kind, "recipient": row.recipient_name})
        if row.department_id:
            _notify(department_users(row.department_id), kind="dispatched", url=copy_url(copy),
                    committee_id=copy.committee_id, urgent=copy.is_urgent,
                    title=_("收到社情民意信息：《%(title)s》") % {"title": copy.version.title})
    return created


@action
def do_forward_to_parent(copy, *, actor):
    """报送上级政协: make a PENDING copy at the parent committee with this copy's version and urgency."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    parent = copy.committee.parent
    if parent is None:
        raise ValidationError(_("本会没有上级政协，不能再向上报送。"))
    _require_released(copy)
    if ReportCopy.objects.filter(received_from=copy).exists() or ReportCopy.objects.filter(
            report_id=copy.report_id, committee=parent).exists():
        raise ValidationError(_("该信息已报送%(parent)s。") % {"parent": parent.name})
    now = timezone.now()
    new = ReportCopy.objects.create(report_id=copy.report_id, committee=parent, level=parent.level,
                                    received_from=copy, version=copy.version, status=CopyStatus.PENDING,
                                    is_urgent=copy.is_urgent, received_at=now)
    Dispatch.objects.create(copy=copy, kind=Dispatch.Kind.PARENT, recipient_name=parent.name[:100],
                            parent_copy=new, sent_by=_user(actor), sent_at=now)
    audit.record("opinions.forwarded", copy, changes={"to": parent, "version": copy.version.number})
    audit.record("opinions.copy_created", new, changes={"from": copy.committee, "version": copy.version.number})
    _notify(_editors(parent.pk), kind="forwarded", url=copy_url(new), committee_id=parent.pk,
            urgent=new.is_urgent, title=_("%(from)s报送社情民意信息待核稿：《%(title)s》") % {
                "from": copy.committee.short_name or copy.committee.name, "title": copy.version.title})
    return new


# ---------------------------------------------------------------------------------------------- adoption

def _clean_date(value, field):
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("请填写日期。")})
    if value > dates.today():
        raise ValidationError({field: _("日期不能晚于今天。")})
    return value


def _adopt(copy, *, kind, adopted_by, adopted_on, note, external_level, entry, actor):
    """Record one adoption on ``copy`` (locked): the first at its own level moves it SIGNED → ADOPTED."""
    if kind not in Adoption.Kind.values:
        raise ValidationError({"kind": _("请选择单篇采用或综合采用。")})
    adopted_by = str(adopted_by or "").strip()
    if not adopted_by:
        raise ValidationError({"adopted_by": _("请填写采用单位。")})
    if len(adopted_by) > 100:
        raise ValidationError({"adopted_by": _("采用单位不能超过 100 字。")})
    _clean_date(adopted_on, "adopted_on")
    if external_level:
        _require_released(copy)
        _check_external_level(copy, external_level)
        level = external_level
    else:
        level = copy.level
        if copy.status != CopyStatus.ADOPTED:
            check(copy, CopyStatus.ADOPTED)
    adoption = Adoption.objects.create(copy=copy, level=level, external=bool(external_level), kind=kind,
                                       adopted_by=adopted_by, adopted_on=adopted_on, entry=entry, note=note,
                                       recorded_by=_user(actor))
    if not external_level and copy.status != CopyStatus.ADOPTED:
        copy.adopted_at = timezone.now()
        transition(copy, CopyStatus.ADOPTED, note=note, fields=["adopted_at"])
    audit.record("opinions.adoption_recorded", copy, note=note, changes={
        "level": level, "external": bool(external_level), "kind": kind, "adopted_by": adopted_by,
        "adopted_on": adopted_on})
    report = copy.report
    _record_event(report, ReportEvent.Kind.ADOPTED, level, copy=copy, adoption=adoption, on=adopted_on)
    _notify(_author_users(report), kind="adopted", url=report_url(report), committee_id=report.committee_id,
            title=_("您的社情民意信息《%(title)s》被%(by)s采用") % {"title": report.title, "by": adopted_by})
    return adoption


@action
def do_adopt_copy(copy, *, kind, adopted_by, adopted_on, note="", external_level="", actor):
    """Record an adoption at the copy's level (SIGNED → ADOPTED the first time), or with ``external_level`` by a
    level above the deployment (for example 全国政协) on the highest copy, without a state change."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    return _adopt(copy, kind=kind, adopted_by=adopted_by, adopted_on=adopted_on, note=note,
                  external_level=external_level, entry=None, actor=actor)


@action
def do_record_instruction(copy, *, leader_name, leader_title="", text, instructed_on, departments=(),
                          external_level="", actor):
    """领导批示 on a released copy; each named department gets a follow-up task (跟踪问效) with a due date."""
    require(actor, "opinions.edit_copy", copy)
    lock(copy)
    _require_released(copy)
    errors = {}
    leader_name, leader_title, text = (str(leader_name or "").strip(), str(leader_title or "").strip(),
                                       str(text or "").strip())
    if not leader_name:
        errors["leader_name"] = _("请填写批示领导。")
    elif len(leader_name) > 40:
        errors["leader_name"] = _("批示领导不能超过 40 字。")
    if len(leader_title) > 100:
        errors["leader_title"] = _("领导职务不能超过 100 字。")
    if not text:
        errors["text"] = _("请填写批示内容。")
    if errors:
        raise ValidationError(errors)
    _clean_date(instructed_on, "instructed_on")
    if external_level:
        _check_external_level(copy, external_level)
    departments = _departments_in_chain(copy, list(departments or []), "departments")
    today = dates.today()
    due = None
    if departments:
        due = add_working_days(today, local.value(copy.committee_id, local.FOLLOW_UP_WORKING_DAYS))
    level = external_level or copy.level
    instruction = Instruction.objects.create(copy=copy, level=level, external=bool(external_level),
                                             leader_name=leader_name, leader_title=leader_title, text=text,
                                             instructed_on=instructed_on, recorded_by=_user(actor))
    report = copy.report
    tasks = [FollowUp.objects.create(instruction=instruction, report=report, department=department,
                                     assigned_on=today, due_on=due) for department in departments]
    audit.record("opinions.instruction_recorded", copy, changes={
        "level": level, "external": bool(external_level), "leader": leader_name, "instructed_on": instructed_on,
        "departments": [d.name for d in departments], "due_on": due})
    _record_event(report, ReportEvent.Kind.INSTRUCTED, level, copy=copy, instruction=instruction, on=instructed_on)
    for task in tasks:
        _notify(department_users(task.department_id), kind="follow_up", url=follow_up_url(task),
                committee_id=task.department.committee_id, urgent=copy.is_urgent,
                title=_("请于 %(due)s 前反馈领导批示的办理情况：《%(title)s》") % {
                    "due": due.isoformat(), "title": copy.version.title}, body=text)
    _notify(_author_users(report), kind="instructed", url=report_url(report), committee_id=report.committee_id,
            title=_("%(leader)s对您的社情民意信息《%(title)s》作出批示") % {
                "leader": leader_name, "title": report.title}, body=text)
    return instruction


def _follow_up_editors(follow_up):
    return _editors(follow_up.instruction.copy.committee_id)


@action
def do_report_follow_up(follow_up, *, response, actor):
    """The department reports what it did about an instruction; the author and the editors are told."""
    require(actor, "opinions.report_follow_up", follow_up)
    lock(follow_up)
    response = str(response or "").strip()
    if not response:
        raise ValidationError({"response": _("请填写办理情况。")})
    check(follow_up, FollowUpStatus.REPORTED)
    follow_up.response, follow_up.responded_by, follow_up.responded_at = response, _user(actor), timezone.now()
    transition(follow_up, FollowUpStatus.REPORTED, fields=["response", "responded_by", "responded_at"])
    report = follow_up.report
    title = _("%(department)s反馈了《%(title)s》的办理情况") % {
        "department": follow_up.department.name, "title": report.title}
    _notify(_author_users(report), kind="follow_up_reported", url=report_url(report),
            committee_id=report.committee_id, title=title, body=response)
    copy = follow_up.instruction.copy
    _notify(_follow_up_editors(follow_up), kind="follow_up_reported",
            url=_reverse("opinions:follow_up", copy.committee.code, follow_up.pk),
            committee_id=copy.committee_id, title=title, body=response)
    return follow_up


@action
def do_close_follow_up(follow_up, *, note="", actor):
    """办结: the editors of the instructing level accept the department's report."""
    require(actor, "opinions.edit_copy", follow_up.instruction.copy)
    lock(follow_up)
    follow_up.review_note, follow_up.closed_at = note, timezone.now()
    transition(follow_up, FollowUpStatus.CLOSED, note=note, fields=["review_note", "closed_at"])
    return follow_up


@action
def do_reopen_follow_up(follow_up, *, note, actor):
    """Ask the department for more: the task goes back to OPEN with the editors' note."""
    require(actor, "opinions.edit_copy", follow_up.instruction.copy)
    lock(follow_up)
    if not str(note or "").strip():
        raise ValidationError({"note": _("要求补充办理情况时必须说明理由。")})
    follow_up.review_note = note
    transition(follow_up, FollowUpStatus.OPEN, note=note, fields=["review_note"])
    _notify(department_users(follow_up.department_id), kind="follow_up_reopened",
            url=follow_up_url(follow_up), committee_id=follow_up.department.committee_id,
            title=_("请补充《%(title)s》的办理情况") % {"title": follow_up.report.title}, body=note)
    return follow_up


# ---------------------------------------------------------------------------------------------- bulletin

@action
def do_create_bulletin(committee, *, year=None, actor):
    """Start a draft issue of the committee's bulletin (numbered when published)."""
    require(actor, "opinions.manage_bulletin", committee)
    year = year or dates.today().year
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度无效。")})
    issue = BulletinIssue.objects.create(committee=committee, year=year, created_by=_user(actor))
    audit.record("opinions.bulletin_created", issue, changes={"year": year})
    return issue


def _require_draft_issue(issue):
    if issue.status != BulletinStatus.DRAFT:
        raise InvalidTransition(_("该期刊已印发，不能再修改。"), from_status=issue.status,
                                to_status=BulletinStatus.DRAFT)


@action
def do_add_bulletin_entry(issue, copies, *, kind, title="", body="", actor):
    """Add an article: a single signed-off copy, or a comprehensive report (综合) of two or more with its text."""
    require(actor, "opinions.manage_bulletin", issue.committee)
    lock(issue)
    _require_draft_issue(issue)
    copies = list(copies or [])
    title, body = str(title or "").strip(), str(body or "").strip()
    if kind == BulletinEntry.Kind.SINGLE:
        if len(copies) != 1:
            raise ValidationError({"copies": _("单篇文章须且只能选择一篇信息。")})
    elif kind == BulletinEntry.Kind.COMPREHENSIVE:
        if len({c.pk for c in copies}) < 2:
            raise ValidationError({"copies": _("综合文章须至少选择两篇信息。")})
        if not title:
            raise ValidationError({"title": _("综合文章须填写标题。")})
        if not body:
            raise ValidationError({"body": _("综合文章须填写正文。")})
    else:
        raise ValidationError({"kind": _("请选择单篇或综合。")})
    if len(title) > 200:
        raise ValidationError({"title": _("标题不能超过 200 字。")})
    in_issue = set(ReportCopy.objects.filter(bulletin_entries__issue=issue).values_list("pk", flat=True))
    for copy in copies:
        lock(copy)
        if copy.committee_id != issue.committee_id:
            raise ValidationError({"copies": _("只能编入本会的信息。")})
        if copy.status not in RELEASED_STATES:
            raise ValidationError({"copies": _("《%(title)s》尚未签发，不能编入期刊。") % {"title": copy.version.title}})
        if copy.pk in in_issue:
            raise ValidationError({"copies": _("《%(title)s》已编入本期。") % {"title": copy.version.title}})
    order = (issue.entries.aggregate(n=Max("order"))["n"] or 0) + 1
    entry = BulletinEntry.objects.create(issue=issue, order=order, kind=kind, title=title, body=body)
    entry.copies.set(copies)
    audit.record("opinions.bulletin_entry_added", issue, changes={
        "kind": kind, "title": title, "copies": [c.pk for c in copies]})
    return entry


@action
def do_remove_bulletin_entry(entry, *, actor):
    issue = entry.issue
    require(actor, "opinions.manage_bulletin", issue.committee)
    lock(issue)
    _require_draft_issue(issue)
    audit.record("opinions.bulletin_entry_removed", issue, changes={"entry": entry.pk, "title": entry.title})
    entry.delete()


@action
def do_publish_bulletin(issue, *, signer_name, published_on=None, actor):
    """印发: number the issue (per committee and year, no gaps) and adopt each signed copy in it."""
    require(actor, "opinions.publish_bulletin", issue.committee)
    lock(issue)
    check(issue, BulletinStatus.PUBLISHED)
    signer_name = str(signer_name or "").strip()
    if not signer_name:
        raise ValidationError({"signer_name": _("请填写签发人。")})
    if len(signer_name) > 40:
        raise ValidationError({"signer_name": _("签发人不能超过 40 字。")})
    published_on = published_on or dates.today()
    _clean_date(published_on, "published_on")
    entries = list(issue.entries.prefetch_related("copies"))
    if not entries:
        raise ValidationError(_("期刊还没有文章，不能印发。"))
    for entry in entries:
        for copy in entry.copies.all():
            if copy.status not in RELEASED_STATES:
                raise ValidationError(_("《%(title)s》已不是签发状态，请先从本期移除。") % {"title": copy.version.title})
    issue.number = _next_number(issue.committee_id, issue.year, Counter.Series.BULLETIN)
    issue.signer_name, issue.published_on = signer_name, published_on
    transition(issue, BulletinStatus.PUBLISHED, fields=["number", "signer_name", "published_on"])
    adopted_by = issue.committee.name[:100]
    for entry in entries:
        for copy in entry.copies.all():
            lock(copy)
            if copy.status == CopyStatus.SIGNED:
                _adopt(copy, kind=entry.kind, adopted_by=adopted_by, adopted_on=published_on,
                       note=_("编入%(year)d年第%(number)d期") % {"year": issue.year, "number": issue.number},
                       external_level="", entry=entry, actor=actor)
    return issue


# ---------------------------------------------------------------------------------------------- reads

def quota_progress(who, committee, year):
    """(submitted, adopted, quota) of a member or informant in ``year`` at ``committee``.

    ``who`` is a Member, an Informant or a user (their active Member row in the committee, else their Informant
    row). Submitted counts first submissions in the year; adopted counts reports adopted at any level in the year.
    Returns ``(0, 0, 0)`` for a user with neither.
    """
    committee_id = getattr(committee, "pk", committee)
    if isinstance(who, Member):
        member, informant = who, None
    elif isinstance(who, Informant):
        member, informant = None, who
    else:
        member = Member.objects.active().filter(committee_id=committee_id, user=who).first() if who else None
        informant = None if member else (
            Informant.objects.filter(committee_id=committee_id, user=who, is_active=True).first() if who else None)
    if member is not None:
        events, quota = ReportEvent.objects.filter(member=member), local.value(committee_id, local.MEMBER_QUOTA)
    elif informant is not None:
        events = ReportEvent.objects.filter(informant=informant)
        quota = local.value(committee_id, local.INFORMANT_QUOTA)
    else:
        return 0, 0, 0
    events = events.filter(committee_id=committee_id, year=year)
    submitted = events.filter(kind=ReportEvent.Kind.SUBMITTED).count()
    adopted = events.filter(kind=ReportEvent.Kind.ADOPTED).values("report_id").distinct().count()
    return submitted, adopted, quota


__all__ = [
    "InvalidTransition", "copy_url", "do_add_attachment", "do_add_bulletin_entry", "do_adopt_copy",
    "do_close_follow_up", "do_convert_from_proposal", "do_create_bulletin", "do_create_report", "do_dispatch_copy",
    "do_edit_copy", "do_forward_to_parent", "do_keep_copy", "do_publish_bulletin", "do_record_instruction",
    "do_remove_attachment", "do_remove_bulletin_entry", "do_reopen_copy", "do_reopen_follow_up",
    "do_report_follow_up", "do_return_copy", "do_send_back_copy", "do_sign_copy", "do_submit_report",
    "do_update_report", "do_withdraw_report", "follow_up_url", "quota_progress", "report_url",
]
