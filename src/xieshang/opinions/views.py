"""社情民意 pages under /c/<committee code>/opinions/.

Two views of a report: the author's and the originating committee's *detail* (``detail``: the whole chain the
viewer may see, level by level, with dispatches, adoptions, instructions and follow-ups) and one level's *copy*
page (``copy``: the text at that level, its versions and the forms for what the viewer may do there). Around
them: the author's list (``mine``) and form (``new``/``edit``), the editor's and signer's queues, the office's
reports list (``list``, which the statistics page links to), departments' follow-up tasks and bulletin issues.

Reading: a report, copy, follow-up or bulletin issue the viewer may not see, or that belongs to another
committee than the one in the URL, is a 404, so nobody learns that it exists. Writing: every step is an
*operation* (see ``REPORT_OPS``, ``COPY_OPS``, ``FOLLOW_UP_OPS``, ``BULLETIN_OPS``) posted to its ``*_op`` URL;
the view checks the operation's permission (403), validates its form and calls the action in
``opinions.actions``, which checks again and writes atomically. An action's ValidationError is shown on the
form with status 400 and nothing is written.
"""

import difflib
from dataclasses import dataclass, field
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core import attachments, timeline
from xieshang.core.audit import action
from xieshang.core.models import AuditEvent
from xieshang.org import roles
from xieshang.org.models import Committee, Department, Informant, Member

from . import actions, dates, forms
from . import settings as local
from .models import (
    EDITABLE_REPORT_STATES,
    EDITOR_ROLES,
    RELEASED_STATES,
    Adoption,
    Attachment,
    BulletinEntry,
    BulletinIssue,
    BulletinStatus,
    CopyStatus,
    Dispatch,
    FollowUp,
    FollowUpStatus,
    Instruction,
    Report,
    ReportCopy,
    ReportStatus,
    ReportVersion,
    visible_versions,
)

PAGE_SIZE = 20
LEVEL_RANK = {level: rank for rank, level in enumerate(forms.LEVEL_ORDER)}


# ---------------------------------------------------------------------------------------------------------------
# Lookups


def _committee(code):
    return get_object_or_404(Committee, code=code)


def _committee_for(request, code, *perms):
    """The committee ``code`` if the user holds any of ``perms`` on it (403), or 404 when it does not exist."""
    committee = _committee(code)
    if not any(request.user.has_perm(perm, committee) for perm in perms):
        raise PermissionDenied
    return committee


def _visible_report(request, committee, pk):
    report = get_object_or_404(Report.objects.select_related("committee", "source_proposal__committee"),
                               pk=pk, committee=committee)
    if not request.user.has_perm("opinions.view_report", report):
        raise Http404
    return report


def _visible_copy(request, committee, pk):
    copy = get_object_or_404(
        ReportCopy.objects.select_related("report__committee", "committee__parent", "version",
                                          "received_from__committee", "edited_by", "signed_by"),
        pk=pk, committee=committee)
    if not request.user.has_perm("opinions.view_copy", copy):
        raise Http404
    return copy


def _visible_follow_up(request, committee, pk):
    """A follow-up, addressed through its department's committee or the committee of its instruction."""
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("report__committee", "department__committee", "instruction__copy__committee",
                                        "responded_by"),
        Q(department__committee=committee) | Q(instruction__copy__committee=committee), pk=pk)
    if not request.user.has_perm("opinions.view_follow_up", follow_up):
        raise Http404
    return follow_up


def _bulletin_issue(request, committee, pk):
    issue = get_object_or_404(BulletinIssue, pk=pk, committee=committee)
    if not (request.user.has_perm("opinions.manage_bulletin", committee)
            or request.user.has_perm("opinions.publish_bulletin", committee)):
        raise Http404
    return issue


def _own_kind(user, committee):
    """"member" or "informant" when ``user`` may report for themself in ``committee``, else None."""
    if Member.objects.active().filter(committee=committee, user=user).exists():
        return Report.AuthorKind.MEMBER
    if Informant.objects.filter(committee=committee, user=user, is_active=True).exists():
        return Report.AuthorKind.INFORMANT
    return None


_safe_next = attachments.safe_next


def _query_string(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _my_department_ids(user, committee):
    return set(Department.objects.filter(committee=committee, pk__in=roles.department_ids(user))
               .values_list("pk", flat=True))


def nav(request, committee):
    """Which 社情民意 sections the user may open in ``committee`` (for templates/opinions/_nav.html)."""
    user = request.user
    reporter = user.has_perm("opinions.add_report", committee)
    reader = user.has_perm("opinions.view_queue", committee)
    signer = user.has_perm("opinions.publish_bulletin", committee)
    return {
        "mine": reporter,
        "new": reporter,
        "queue": reader,
        "list": reader,
        "sign": signer,
        "follow_ups": reader or bool(_my_department_ids(user, committee)),
        "bulletins": user.has_perm("opinions.manage_bulletin", committee) or signer,
        "stats": _url_or_none("opinions_stats:index", committee.code) if user.has_perm(
            "opinions.view_stats", committee) else None,
        "informants": user.has_perm("org.change_informant", committee),
    }


def _url_or_none(name, *args):
    """The URL of a page another part of the app provides, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _render(request, template, context, status=200):
    context.setdefault("nav", nav(request, context["committee"]))
    return render(request, template, context, status=status)


def _detail_url(report):
    return reverse("opinions:detail", args=[report.committee.code, report.pk])


def _copy_url(copy):
    return reverse("opinions:copy", args=[copy.committee.code, copy.pk])


def _one_click(*steps):
    """Run several actions as one user action: one transaction and one audit group, all or nothing."""

    @action
    def run(*, actor):
        result = None
        for step in steps:
            out = step()
            result = out if result is None else result
        return result

    return run


# ---------------------------------------------------------------------------------------------------------------
# Operations


@dataclass
class Op:
    """One workflow step offered as a form.

    ``perm`` is the rules permission, checked on ``perm_on(obj)`` (the object itself by default);
    ``applies(obj)`` says whether the step makes sense in the object's current state (the page offers only
    those); ``run(obj, form, request)`` calls the action.
    """

    name: str
    label: str
    perm: str
    form: type
    run: Callable
    applies: Callable = lambda obj: True
    message: str = ""
    form_kwargs: Callable = field(default=lambda obj, request: {})
    perm_on: Callable = lambda obj: obj
    button_class: str = "btn"
    confirm: str = ""
    multipart: bool = False

    def permitted(self, user, obj):
        return user.has_perm(self.perm, self.perm_on(obj))

    def offered(self, user, obj):
        return self.applies(obj) and self.permitted(user, obj)

    def make_form(self, obj, request, data=None, files=None):
        return self.form(data, files, prefix=self.name, **self.form_kwargs(obj, request))


def _panels(ops, user, obj, request, failed=None):
    """The forms of ``ops`` the user may use on ``obj`` now; a failed one keeps its input and errors."""
    out = []
    for op in ops.values():
        if failed is not None and failed[0] is op:
            out.append({"op": op, "form": failed[1]})
        elif op.offered(user, obj):
            out.append({"op": op, "form": op.make_form(obj, request)})
    return out


def _perform(request, operation, obj, success_url, rerender):
    """Check, validate and run ``operation`` on ``obj``; redirect on success, else show the form's errors (400)."""
    if not operation.permitted(request.user, obj):
        raise PermissionDenied
    form = operation.make_form(obj, request, request.POST, request.FILES)
    if form.is_valid():
        try:
            operation.run(obj, form, request)
        except ValidationError as exc:
            forms.add_action_errors(form, exc)
        else:
            if operation.message:
                messages.success(request, operation.message)
            return redirect(_safe_next(request, success_url))
    return rerender(failed=(operation, form), status=400)


def _add_attachments(report, files, user):
    return [lambda f=f: actions.do_add_attachment(report, f, actor=user) for f in files]


REPORT_OPS = {op.name: op for op in [
    Op("submit", gettext_lazy("提交"), "opinions.change_report", forms.EmptyForm,
       lambda r, f, rq: actions.do_submit_report(r, actor=rq.user),
       lambda r: r.status in EDITABLE_REPORT_STATES, gettext_lazy("信息已提交，等待核稿。")),
    Op("attach", gettext_lazy("上传附件"), "opinions.change_report", forms.AttachmentForm,
       lambda r, f, rq: actions.do_add_attachment(r, f.cleaned_data["file"], actor=rq.user),
       lambda r: r.status in EDITABLE_REPORT_STATES, gettext_lazy("附件已上传。"), button_class="btn btn-secondary",
       multipart=True),
    Op("withdraw", gettext_lazy("撤回"), "opinions.change_report", forms.OptionalReasonForm,
       lambda r, f, rq: actions.do_withdraw_report(r, reason=f.cleaned_data["reason"], actor=rq.user),
       lambda r: r.status in EDITABLE_REPORT_STATES, gettext_lazy("信息已撤回。"), button_class="btn btn-secondary",
       confirm=gettext_lazy("撤回后不能再提交，确定撤回？")),
]}


def _is_top(copy):
    return copy.committee.parent_id is None


def _forwarded(copy):
    return ReportCopy.objects.filter(received_from=copy).exists()


COPY_OPS = {op.name: op for op in [
    Op("edit", gettext_lazy("核稿"), "opinions.edit_copy", forms.EditCopyForm,
       lambda c, f, rq: actions.do_edit_copy(c, data=f.text(), note=f.cleaned_data["note"], actor=rq.user),
       lambda c: c.status in (CopyStatus.PENDING, CopyStatus.EDITED), gettext_lazy("核稿完成，等待签发。"),
       form_kwargs=lambda c, rq: {"copy": c}),
    Op("sign", gettext_lazy("签发"), "opinions.sign_copy", forms.EmptyForm,
       lambda c, f, rq: actions.do_sign_copy(c, actor=rq.user),
       lambda c: c.status == CopyStatus.EDITED, gettext_lazy("信息已签发。")),
    Op("send_back", gettext_lazy("退回重新核稿"), "opinions.sign_copy", forms.ReasonForm,
       lambda c, f, rq: actions.do_send_back_copy(c, reason=f.cleaned_data["reason"], actor=rq.user),
       lambda c: c.status == CopyStatus.EDITED, gettext_lazy("已退回信息编辑重新核稿。"),
       button_class="btn btn-secondary"),
    Op("dispatch", gettext_lazy("报送"), "opinions.edit_copy", forms.DispatchForm,
       lambda c, f, rq: actions.do_dispatch_copy(c, f.recipients(), actor=rq.user),
       lambda c: c.status in RELEASED_STATES, gettext_lazy("已报送。"), form_kwargs=lambda c, rq: {"copy": c}),
    Op("forward", gettext_lazy("报送上级政协"), "opinions.edit_copy", forms.ForwardForm,
       lambda c, f, rq: actions.do_forward_to_parent(c, actor=rq.user),
       lambda c: c.status in RELEASED_STATES and not _is_top(c) and not _forwarded(c),
       gettext_lazy("已报送上级政协。")),
    Op("adopt", gettext_lazy("登记采用"), "opinions.edit_copy", forms.AdoptForm,
       lambda c, f, rq: actions.do_adopt_copy(
           c, kind=f.cleaned_data["kind"], adopted_by=f.cleaned_data["adopted_by"],
           adopted_on=f.cleaned_data["adopted_on"], note=f.cleaned_data["note"],
           external_level=f.cleaned_data.get("external_level") or "", actor=rq.user),
       lambda c: c.status in RELEASED_STATES, gettext_lazy("采用情况已登记。"),
       form_kwargs=lambda c, rq: {"copy": c}),
    Op("instruct", gettext_lazy("登记领导批示"), "opinions.edit_copy", forms.InstructionForm,
       lambda c, f, rq: actions.do_record_instruction(
           c, leader_name=f.cleaned_data["leader_name"], leader_title=f.cleaned_data["leader_title"],
           text=f.cleaned_data["text"], instructed_on=f.cleaned_data["instructed_on"],
           departments=list(f.cleaned_data["departments"]),
           external_level=f.cleaned_data.get("external_level") or "", actor=rq.user),
       lambda c: c.status in RELEASED_STATES, gettext_lazy("领导批示已登记。"),
       form_kwargs=lambda c, rq: {"copy": c}),
    Op("return", gettext_lazy("退回作者修改"), "opinions.edit_copy", forms.ReasonForm,
       lambda c, f, rq: actions.do_return_copy(c, reason=f.cleaned_data["reason"], actor=rq.user),
       lambda c: c.is_origin and c.status == CopyStatus.PENDING, gettext_lazy("信息已退回作者。"),
       button_class="btn btn-secondary"),
    Op("keep", gettext_lazy("留存"), "opinions.edit_copy", forms.OptionalReasonForm,
       lambda c, f, rq: actions.do_keep_copy(c, reason=f.cleaned_data["reason"], actor=rq.user),
       lambda c: c.status in (CopyStatus.PENDING, CopyStatus.EDITED, CopyStatus.SIGNED),
       gettext_lazy("信息已留存。"), button_class="btn btn-secondary"),
    Op("reopen", gettext_lazy("重新启用"), "opinions.edit_copy", forms.EmptyForm,
       lambda c, f, rq: actions.do_reopen_copy(c, actor=rq.user),
       lambda c: c.status == CopyStatus.KEPT, gettext_lazy("信息已重新进入核稿队列。")),
]}

FOLLOW_UP_OPS = {op.name: op for op in [
    Op("respond", gettext_lazy("反馈办理情况"), "opinions.report_follow_up", forms.FollowUpResponseForm,
       lambda fu, f, rq: actions.do_report_follow_up(fu, response=f.cleaned_data["response"], actor=rq.user),
       lambda fu: fu.status == FollowUpStatus.OPEN, gettext_lazy("办理情况已反馈。")),
    Op("close", gettext_lazy("办结"), "opinions.edit_copy", forms.NoteForm,
       lambda fu, f, rq: actions.do_close_follow_up(fu, note=f.cleaned_data["note"], actor=rq.user),
       lambda fu: fu.status == FollowUpStatus.REPORTED, gettext_lazy("跟踪问效任务已办结。"),
       perm_on=lambda fu: fu.instruction.copy),
    Op("reopen", gettext_lazy("要求补充办理"), "opinions.edit_copy", forms.RequiredNoteForm,
       lambda fu, f, rq: actions.do_reopen_follow_up(fu, note=f.cleaned_data["note"], actor=rq.user),
       lambda fu: fu.status == FollowUpStatus.REPORTED, gettext_lazy("已要求部门补充办理情况。"),
       perm_on=lambda fu: fu.instruction.copy, button_class="btn btn-secondary"),
]}

BULLETIN_OPS = {op.name: op for op in [
    Op("add_entry", gettext_lazy("加入文章"), "opinions.manage_bulletin", forms.BulletinEntryForm,
       lambda i, f, rq: actions.do_add_bulletin_entry(
           i, list(f.cleaned_data["copies"]), kind=f.cleaned_data["kind"], title=f.cleaned_data["title"],
           body=f.cleaned_data["body"], actor=rq.user),
       lambda i: i.status == BulletinStatus.DRAFT, gettext_lazy("文章已加入本期。"),
       form_kwargs=lambda i, rq: {"issue": i}, perm_on=lambda i: i.committee),
    Op("publish", gettext_lazy("签发印发"), "opinions.publish_bulletin", forms.BulletinPublishForm,
       lambda i, f, rq: actions.do_publish_bulletin(i, signer_name=f.cleaned_data["signer_name"],
                                                    published_on=f.cleaned_data["published_on"], actor=rq.user),
       lambda i: i.status == BulletinStatus.DRAFT, gettext_lazy("本期已印发。"),
       form_kwargs=lambda i, rq: {"user": rq.user}, perm_on=lambda i: i.committee,
       confirm=gettext_lazy("印发后将编定期号并登记采用，确定印发？")),
]}


# ---------------------------------------------------------------------------------------------------------------
# Home and the author's pages


@login_required
def home(request, committee):
    """The section's front door: each user lands on the list they work from."""
    committee = _committee(committee)
    sections = nav(request, committee)
    if roles.roles_in(request.user, committee) & EDITOR_ROLES and sections["queue"]:
        return redirect("opinions:queue", committee.code)
    if sections["sign"]:
        return redirect("opinions:sign_queue", committee.code)
    if sections["mine"]:
        return redirect("opinions:mine", committee.code)
    if sections["queue"]:
        return redirect("opinions:queue", committee.code)
    if sections["follow_ups"]:
        return redirect("opinions:follow_ups", committee.code)
    raise PermissionDenied


@login_required
def mine(request, committee):
    """我的社情民意: the reports the user wrote or entered, with how far each went."""
    committee = _committee(committee)
    user = request.user
    reports = Report.objects.mine(user).filter(committee=committee)
    if not user.has_perm("opinions.add_report", committee) and not reports.exists():
        raise PermissionDenied
    reports = _with_progress(reports).order_by("-created_at", "-id")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    year = dates.today().year
    quota = None
    if _own_kind(user, committee):
        submitted, adopted, target = actions.quota_progress(user, committee, year)
        quota = {"year": year, "done": submitted, "adopted": adopted, "target": target}
    return _render(request, "opinions/mine.html", {
        "committee": committee, "page_obj": page, "query_string": _query_string(request), "quota": quota,
    })


def _report_form_context(committee):
    return {"body_limit": local.value(committee, local.BODY_MAX_CHARS)}


@login_required
def report_new(request, committee):
    """Write a report: for oneself (member, informant) or, for staff, on someone's behalf; save or submit."""
    committee = _committee_for(request, committee, "opinions.add_report")
    user = request.user
    own_kind = _own_kind(user, committee)
    on_behalf = user.has_perm("opinions.submit_on_behalf", committee)
    if own_kind is None and not on_behalf:
        raise PermissionDenied
    post = request.method == "POST"
    form = forms.ReportForm(request.POST if post else None, request.FILES if post else None, committee=committee,
                            own_kind=own_kind, on_behalf=on_behalf)
    if post and form.is_valid():
        submit = "submit" in request.POST
        created = {}

        def create():
            created["report"] = actions.do_create_report(committee, form.content(), actor=user,
                                                         **form.author_kwargs())
            return created["report"]

        steps = [create, *[lambda f=f: actions.do_add_attachment(created["report"], f, actor=user)
                           for f in form.cleaned_data["attachments"]]]
        if submit:
            steps.append(lambda: actions.do_submit_report(created["report"], actor=user))
        try:
            report = _one_click(*steps)(actor=user)
        except ValidationError as exc:
            _attachment_errors_to(form, exc)
        else:
            messages.success(request, _("信息已提交，等待核稿。") if submit else _("信息已暂存。"))
            return redirect(_detail_url(report))
    return _render(request, "opinions/form.html", {
        "committee": committee, "form": form, "title": _("报送社情民意信息"), "creating": True,
        "back_url": reverse("opinions:home", args=[committee.code]), **_report_form_context(committee),
    }, status=400 if form.is_bound and form.errors else 200)


def _attachment_errors_to(form, exc):
    """An action's errors on the form; an attachment's (file type, size) shows on the attachments field."""
    if hasattr(exc, "error_dict") and "file" in exc.error_dict:
        errors = dict(exc.error_dict)
        for error in errors.pop("file"):
            form.add_error("attachments", error)
        if errors:
            forms.add_action_errors(form, ValidationError(errors))
        return
    forms.add_action_errors(form, exc)


@login_required
def report_edit(request, committee, pk):
    """Change a draft or a returned report (text and attachments); save or submit again."""
    committee = _committee(committee)
    report = _visible_report(request, committee, pk)
    user = request.user
    if not user.has_perm("opinions.change_report", report):
        raise PermissionDenied
    initial = {name: getattr(report, name) for name in forms.ReportForm.CONTENT}
    post = request.method == "POST"
    form = forms.ReportForm(request.POST if post else None, request.FILES if post else None, initial=initial,
                            committee=committee, creating=False)
    if post and form.is_valid():
        submit = "submit" in request.POST
        steps = [lambda: actions.do_update_report(report, form.content(), actor=user),
                 *_add_attachments(report, form.cleaned_data["attachments"], user)]
        if submit:
            steps.append(lambda: actions.do_submit_report(report, actor=user))
        try:
            _one_click(*steps)(actor=user)
        except ValidationError as exc:
            _attachment_errors_to(form, exc)
        else:
            messages.success(request, _("信息已重新提交。") if submit else _("信息已保存。"))
            return redirect(_detail_url(report))
    return _render(request, "opinions/form.html", {
        "committee": committee, "form": form, "report": report, "title": _("修改社情民意信息"),
        "back_url": _detail_url(report), "attachments": list(report.attachments.all()),
        "return_reason": _return_reason(report), **_report_form_context(committee),
    }, status=400 if form.is_bound and form.errors else 200)


def _return_reason(report):
    if report.status != ReportStatus.RETURNED:
        return ""
    origin = report.copies.filter(received_from__isnull=True).only("return_reason").first()
    return origin.return_reason if origin else ""


@login_required
@require_POST
def report_op(request, committee, pk, op):
    committee = _committee(committee)
    report = _visible_report(request, committee, pk)
    if op == "detach":
        return _detach(request, report)
    operation = REPORT_OPS.get(op)
    if operation is None:
        raise Http404
    return _perform(request, operation, report, _detail_url(report), lambda failed, status: _render_detail(
        request, _visible_report(request, committee, pk), failed=failed, status=status))


def _detach(request, report):
    item = get_object_or_404(Attachment, pk=request.POST.get("attachment") or 0, report=report)
    return attachments.remove_view(request, item, owner=report, perm="opinions.change_report",
                                   remove=actions.do_remove_attachment, back_url=_detail_url(report))


@login_required
def attachment_download(request, committee, pk, attachment):
    """Attachments are served only to those who may see the report (never from a public media URL)."""
    committee = _committee(committee)
    report = _visible_report(request, committee, pk)
    return attachments.download(get_object_or_404(Attachment, pk=attachment, report=report))


# ---------------------------------------------------------------------------------------------------------------
# The whole chain (author and originating committee)


def _chain_rows(copies, follow_ups, user):
    """One row per visible copy, bottom level first, with what happened at that level."""
    by_instruction = {}
    for fu in follow_ups:
        fu.can_open = user.has_perm("opinions.view_follow_up", fu)
        by_instruction.setdefault(fu.instruction_id, []).append(fu)
    rows = []
    for copy in sorted(copies, key=lambda c: (LEVEL_RANK.get(c.level, 0), c.pk)):
        instructions = [{"i": i, "follow_ups": by_instruction.get(i.pk, [])} for i in copy.instructions.all()]
        rows.append({"copy": copy, "dispatches": list(copy.dispatches.all()), "adoptions": list(copy.adoptions.all()),
                     "instructions": instructions})
    return rows


def _timeline(report, copies, follow_ups):
    """The history of the report and of the copies and tasks the viewer may see, newest first.

    The actions record a copy's dispatches, adoptions and instructions on the copy itself, and the author's
    attachments on the report, so three kinds of target cover the whole chain.
    """
    types = ContentType.objects.get_for_models(Report, ReportCopy, FollowUp)
    condition = Q(target_type=types[Report], target_id=str(report.pk))
    if copies:
        condition |= Q(target_type=types[ReportCopy], target_id__in=[str(c.pk) for c in copies])
    if follow_ups:
        condition |= Q(target_type=types[FollowUp], target_id__in=[str(f.pk) for f in follow_ups])
    events = list(AuditEvent.objects.filter(condition).order_by("-created_at", "-id")[:300])
    return timeline.label_events(events)


def _copies_for_chain(report, user):
    return list(ReportCopy.objects.visible_to(user).filter(report=report)
                .select_related("committee", "version", "edited_by", "signed_by")
                .prefetch_related(Prefetch("dispatches", queryset=Dispatch.objects.select_related("department")),
                                  "adoptions", "instructions"))


def _follow_ups_for(report, copies, user):
    """Tasks of instructions on the visible copies, and the user's own departments' tasks on this report."""
    my_departments = roles.department_ids(user)
    return list(FollowUp.objects.filter(report=report).filter(
        Q(instruction__copy__in=[c.pk for c in copies]) | Q(department_id__in=my_departments))
        .select_related("department__committee", "instruction__copy", "report").order_by("due_on", "id"))


def _render_detail(request, report, *, failed=None, status=200):
    user = request.user
    copies = _copies_for_chain(report, user)
    follow_ups = _follow_ups_for(report, copies, user)
    author_versions = list(report.versions.filter(kind=ReportVersion.Kind.AUTHOR).order_by("number"))
    proposal = report.source_proposal
    context = {
        "committee": report.committee,
        "report": report,
        "chain": _chain_rows(copies, follow_ups, user),
        "orphan_follow_ups": [f for f in follow_ups if f.instruction.copy_id not in {c.pk for c in copies}],
        "author_version": author_versions[-1] if author_versions else None,
        "attachments": list(report.attachments.all()),
        "can_change": user.has_perm("opinions.change_report", report),
        "panels": _panels(REPORT_OPS, user, report, request, failed),
        "return_reason": _return_reason(report),
        "source_proposal": proposal if proposal and user.has_perm("proposals.view_proposal", proposal) else None,
        "source_proposal_title": proposal.title if proposal else "",
        "timeline": _timeline(report, copies, follow_ups),
        "is_author": user.pk in (report.author_user_id, report.created_by_id),
    }
    return _render(request, "opinions/detail.html", context, status=status)


@login_required
def detail(request, committee, pk):
    committee = _committee(committee)
    report = _visible_report(request, committee, pk)
    return _render_detail(request, report)


# ---------------------------------------------------------------------------------------------------------------
# One level's copy


def _render_copy(request, copy, *, failed=None, status=200):
    user = request.user
    versions = list(visible_versions(copy).select_related("committee", "created_by"))
    follow_ups = list(FollowUp.objects.filter(instruction__copy=copy)
                      .select_related("department__committee", "instruction__copy", "report").order_by("due_on", "id"))
    by_instruction = {}
    for fu in follow_ups:
        fu.can_open = user.has_perm("opinions.view_follow_up", fu)
        by_instruction.setdefault(fu.instruction_id, []).append(fu)
    instructions = [{"i": i, "follow_ups": by_instruction.get(i.pk, [])} for i in copy.instructions.all()]
    above = (ReportCopy.objects.visible_to(user).filter(report_id=copy.report_id)
             .select_related("committee").order_by("id"))
    above = [c for c in above if LEVEL_RANK.get(c.level, 0) > LEVEL_RANK.get(copy.level, 0)]
    panels = _panels(COPY_OPS, user, copy, request, failed)
    # The actions record dispatches, adoptions and instructions on the copy; follow-ups have their own rows.
    types = ContentType.objects.get_for_models(ReportCopy, FollowUp)
    condition = Q(target_type=types[ReportCopy], target_id=str(copy.pk))
    if follow_ups:
        condition |= Q(target_type=types[FollowUp], target_id__in=[str(f.pk) for f in follow_ups])
    events = timeline.label_events(list(AuditEvent.objects.filter(condition).order_by("-created_at", "-id")[:200]))
    context = {
        "committee": copy.committee,
        "copy": copy,
        "report": copy.report,
        "version": copy.version,
        "versions": versions,
        "original": next((v for v in versions if v.kind == ReportVersion.Kind.AUTHOR), None),
        "dispatches": list(copy.dispatches.all()),
        "adoptions": list(copy.adoptions.all()),
        "instructions": instructions,
        "above": above,
        "panels": panels,
        "panel_names": {p["op"].name for p in panels},
        "parent": copy.committee.parent,
        "attachments": list(copy.report.attachments.all()),
        "can_view_report": user.has_perm("opinions.view_report", copy.report),
        # Search intelligence (issue 5): the editors of this copy see earlier similar reports and proposals;
        # the committee's office reads the copy's topic tags (changing them is opinions.edit_copy, in topics).
        "show_similar": user.has_perm("opinions.edit_copy", copy),
        "show_tags": (user.has_perm("opinions.view_queue", copy.committee)
                      and user.has_perm("topics.view_topics", copy.committee)),
        "timeline": events,
        "next": request.GET.get("next", ""),
    }
    return _render(request, "opinions/copy.html", context, status=status)


def _copy_with_relations(request, committee, pk):
    copy = _visible_copy(request, committee, pk)
    prefetch_related_objects([copy], Prefetch("dispatches", queryset=Dispatch.objects.select_related("department")),
                             "adoptions", "instructions")
    return copy


@login_required
def copy_view(request, committee, pk):
    committee = _committee(committee)
    copy = _copy_with_relations(request, committee, pk)
    return _render_copy(request, copy)


@login_required
@require_POST
def copy_op(request, committee, pk, op):
    committee = _committee(committee)
    copy = _visible_copy(request, committee, pk)
    operation = COPY_OPS.get(op)
    if operation is None:
        raise Http404

    def rerender(failed, status):
        return _render_copy(request, _copy_with_relations(request, committee, pk), failed=failed, status=status)

    return _perform(request, operation, copy, _copy_url(copy), rerender)


# ---------------------------------------------------------------------------------------------------------------
# Versions and their differences


def diff_segments(old, new):
    """``new`` against ``old`` character by character: [(tag, text)] with tag "equal", "insert" or "delete"."""
    out = []
    matcher = difflib.SequenceMatcher(None, old or "", new or "", autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", new[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            out.append(("delete", old[i1:i2]))
        if tag in ("insert", "replace"):
            out.append(("insert", new[j1:j2]))
    return out


DIFF_FIELDS = [("title", gettext_lazy("标题")), ("situation", gettext_lazy("情况")),
               ("analysis", gettext_lazy("分析")), ("suggestion", gettext_lazy("建议"))]


@login_required
def versions(request, committee, pk):
    committee = _committee(committee)
    copy = _visible_copy(request, committee, pk)
    rows = list(visible_versions(copy).select_related("committee", "created_by"))
    return _render(request, "opinions/versions.html", {
        "committee": committee, "copy": copy, "report": copy.report, "versions": rows,
        "original": next((v for v in rows if v.kind == ReportVersion.Kind.AUTHOR), None),
    })


@login_required
def compare(request, committee, pk, number):
    """Version ``number`` against the one before it (or ``?against=<number>``), among the versions visible here."""
    committee = _committee(committee)
    copy = _visible_copy(request, committee, pk)
    rows = list(visible_versions(copy).select_related("committee", "created_by"))
    by_number = {v.number: v for v in rows}
    new = by_number.get(number)
    if new is None:
        raise Http404
    against = request.GET.get("against")
    if against:
        try:
            old = by_number[int(against)]
        except (KeyError, ValueError):
            raise Http404 from None
    else:
        earlier = [v for v in rows if v.number < number]
        old = earlier[-1] if earlier else None
    fields = [{"name": name, "label": label,
               "segments": diff_segments(getattr(old, name) if old else "", getattr(new, name)),
               "changed": old is None or getattr(old, name) != getattr(new, name)}
              for name, label in DIFF_FIELDS]
    return _render(request, "opinions/compare.html", {
        "committee": committee, "copy": copy, "report": copy.report, "new": new, "old": old, "fields": fields,
        "versions": rows, "original": next((v for v in rows if v.kind == ReportVersion.Kind.AUTHOR), None),
    })


# ---------------------------------------------------------------------------------------------------------------
# Queues


def _copy_page_ids(request, qs):
    page = Paginator(qs.values_list("id", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    rows = {c.pk: c for c in ReportCopy.objects.filter(pk__in=page_ids).select_related(
        "report", "version", "received_from__committee")}
    page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    return page


@login_required
def queue(request, committee):
    """核稿队列: urgent first, then oldest; filters by status, urgency, year and author kind."""
    committee = _committee_for(request, committee, "opinions.view_queue")
    filters = forms.QueueFilterForm(request.GET or None, committee=committee)
    qs = filters.apply(ReportCopy.objects.all(), committee)
    htmx = (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")
    response = _render(request, "opinions/_queue_results.html" if htmx else "opinions/queue.html", {
        "committee": committee, "filters": filters, "page_obj": _copy_page_ids(request, qs),
        "query_string": _query_string(request), "title": _("核稿队列"),
    })
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def sign_queue(request, committee):
    """签发队列: the copies checked by the editors and waiting for a signer."""
    committee = _committee_for(request, committee, "opinions.publish_bulletin", "opinions.view_queue")
    qs = ReportCopy.objects.filter(committee=committee, status=CopyStatus.EDITED).order_by(
        "-is_urgent", "received_at", "id")
    return _render(request, "opinions/queue.html", {
        "committee": committee, "filters": None, "page_obj": _copy_page_ids(request, qs),
        "query_string": _query_string(request), "title": _("签发队列"),
        "can_sign": request.user.has_perm("opinions.publish_bulletin", committee),
    })


@login_required
def report_list(request, committee):
    """信息总表: the submitted reports of this committee's authors, however far they went (for its office).

    The statistics page links its figures here with the same filters (see ``opinions.stats``). Two steps keep
    the number of queries fixed whatever the page size: the page's ids, then those rows with their progress.
    """
    committee = _committee_for(request, committee, "opinions.view_queue")
    filters = forms.ReportListFilterForm(request.GET or None, committee=committee)
    page = Paginator(filters.apply(committee).values_list("id", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page"))
    page_ids = list(page.object_list)
    rows = {r.pk: r for r in _with_progress(Report.objects.filter(pk__in=page_ids))}
    page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    return _render(request, "opinions/list.html", {
        "committee": committee, "filters": filters, "page_obj": page, "query_string": _query_string(request),
    })


def _with_progress(reports):
    """``reports`` annotated with how far each went: levels reached, the top committee, adopted, instructed."""
    top = ReportCopy.objects.filter(report=OuterRef("pk")).order_by("-id")
    return reports.annotate(
        levels=Subquery(ReportCopy.objects.filter(report=OuterRef("pk")).order_by().values("report")
                        .annotate(n=Count("id")).values("n")[:1]),
        top_committee=Subquery(top.values("committee__short_name")[:1]),
        top_committee_name=Subquery(top.values("committee__name")[:1]),
        adopted=Exists(Adoption.objects.filter(copy__report=OuterRef("pk"))),
        instructed=Exists(Instruction.objects.filter(copy__report=OuterRef("pk"))),
    )


# ---------------------------------------------------------------------------------------------------------------
# Follow-up tasks (跟踪问效)

FOLLOW_UP_STATES = [("open", gettext_lazy("待办理")), ("reported", gettext_lazy("已反馈")),
                    ("closed", gettext_lazy("已办结")), ("all", gettext_lazy("全部"))]


@login_required
def follow_ups(request, committee):
    """A department's tasks here, or, for the committee's office, the tasks from instructions recorded here."""
    committee = _committee(committee)
    user = request.user
    my_departments = _my_department_ids(user, committee)
    reader = user.has_perm("opinions.view_queue", committee)
    if not my_departments and not reader:
        raise PermissionDenied
    condition = Q(department_id__in=my_departments)
    if reader:
        condition |= Q(instruction__copy__committee=committee)
    state = request.GET.get("state") or "open"
    qs = FollowUp.objects.filter(condition)
    if state in FollowUpStatus.values:
        qs = qs.filter(status=state)
    else:
        state = "all"
    qs = qs.select_related("report", "department__committee", "instruction__copy__committee").order_by("due_on", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "opinions/follow_ups.html", {
        "committee": committee, "page_obj": page, "state": state, "states": FOLLOW_UP_STATES,
        "query_string": _query_string(request), "today": dates.today(),
    })


def _render_follow_up(request, committee, follow_up, *, failed=None, status=200):
    copy = follow_up.instruction.copy
    user = request.user
    return _render(request, "opinions/follow_up.html", {
        "committee": committee, "fu": follow_up, "instruction": follow_up.instruction, "copy": copy,
        "report": follow_up.report, "version": copy.version,
        "can_view_copy": user.has_perm("opinions.view_copy", copy),
        "can_view_report": user.has_perm("opinions.view_report", follow_up.report),
        "panels": _panels(FOLLOW_UP_OPS, user, follow_up, request, failed),
        "timeline": timeline.for_object(follow_up, user, limit=100), "today": dates.today(),
    }, status=status)


@login_required
def follow_up(request, committee, pk):
    committee = _committee(committee)
    item = _visible_follow_up(request, committee, pk)
    return _render_follow_up(request, committee, item)


@login_required
@require_POST
def follow_up_op(request, committee, pk, op):
    committee = _committee(committee)
    item = _visible_follow_up(request, committee, pk)
    operation = FOLLOW_UP_OPS.get(op)
    if operation is None:
        raise Http404
    url = reverse("opinions:follow_up", args=[committee.code, item.pk])
    return _perform(request, operation, item, url, lambda failed, status: _render_follow_up(
        request, committee, _visible_follow_up(request, committee, pk), failed=failed, status=status))


# ---------------------------------------------------------------------------------------------------------------
# Bulletin issues (社情民意期刊)


@login_required
def bulletins(request, committee):
    """The committee's issues, newest first; editors start a new one here (POST)."""
    committee = _committee_for(request, committee, "opinions.manage_bulletin", "opinions.publish_bulletin")
    user = request.user
    can_manage = user.has_perm("opinions.manage_bulletin", committee)
    form = forms.BulletinCreateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                issue = actions.do_create_bulletin(committee, year=form.cleaned_data["year"] or None, actor=user)
            except ValidationError as exc:
                forms.add_action_errors(form, exc)
            else:
                messages.success(request, _("已新建一期期刊。"))
                return redirect("opinions:bulletin", committee.code, issue.pk)
        status = 400
    issues = (BulletinIssue.objects.filter(committee=committee).annotate(entry_count=Count("entries"))
              .order_by("-year", "status", "-number", "-id"))
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "opinions/bulletins.html", {
        "committee": committee, "page_obj": page, "form": form if can_manage else None,
        "query_string": _query_string(request), "bulletin_name": local.value(committee, local.BULLETIN_NAME),
    }, status=status)


def _render_bulletin(request, committee, issue, *, failed=None, status=200):
    user = request.user
    entries = list(issue.entries.prefetch_related(
        Prefetch("copies", queryset=ReportCopy.objects.select_related("version", "report"))))
    return _render(request, "opinions/bulletin.html", {
        "committee": committee, "issue": issue, "entries": entries,
        "panels": _panels(BULLETIN_OPS, user, issue, request, failed),
        "can_manage": user.has_perm("opinions.manage_bulletin", committee) and issue.status == BulletinStatus.DRAFT,
        "docx_url": _url_or_none("opinions_doc:bulletin_docx", committee.code, issue.pk),
        "pdf_url": _url_or_none("opinions_doc:bulletin_pdf", committee.code, issue.pk),
        "bulletin_name": local.value(committee, local.BULLETIN_NAME),
    }, status=status)


@login_required
def bulletin(request, committee, pk):
    committee = _committee(committee)
    issue = _bulletin_issue(request, committee, pk)
    return _render_bulletin(request, committee, issue)


@login_required
@require_POST
def bulletin_op(request, committee, pk, op):
    committee = _committee(committee)
    issue = _bulletin_issue(request, committee, pk)
    url = reverse("opinions:bulletin", args=[committee.code, issue.pk])
    if op == "remove_entry":
        if not request.user.has_perm("opinions.manage_bulletin", committee):
            raise PermissionDenied
        entry = get_object_or_404(BulletinEntry, pk=request.POST.get("entry") or 0, issue=issue)
        try:
            actions.do_remove_bulletin_entry(entry, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("文章已移出本期。"))
        return redirect(url)
    operation = BULLETIN_OPS.get(op)
    if operation is None:
        raise Http404
    return _perform(request, operation, issue, url, lambda failed, status: _render_bulletin(
        request, committee, _bulletin_issue(request, committee, pk), failed=failed, status=status))
