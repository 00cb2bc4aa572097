"""Proposal pages under /c/<committee code>/proposals/.

Reading: a proposal the viewer may not see is a 404 (``proposals.view_proposal``), whatever the reason, so
nobody learns that it exists. Writing: every step of the workflow is one *operation* (see ``OPS``), posted to
``proposals:op``; the view checks the operation's permission (403 when refused), validates a form, and calls
the matching action in ``proposals.actions``, which checks again and writes atomically. An action's
ValidationError is shown on the form and nothing is written.
"""

import datetime
from dataclasses import dataclass, field
from typing import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core import attachments, timeline
from xieshang.core.models import AuditEvent
from xieshang.org import roles
from xieshang.org.models import Committee, Department

from . import actions, dates, forms
from . import rules as proposal_rules
from . import settings as local
from .exports import RegisterFilters, filter_register
from .filters import RegisterFilterForm
from .models import (
    EDITABLE_STATES,
    FILED_STATES,
    Assignment,
    AssignmentStatus,
    Attachment,
    Proposal,
    Proposer,
    Rating,
    Reply,
    Status,
)
from .paging import CURSOR_PARAMS, KeysetPage
from .transitions import allowed

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20

# What proposers see of their proposal's history: the milestones, not the office's or departments' internals.
PROPOSER_VERBS = frozenset({
    "proposals.drafted", "proposals.draft_updated", "proposals.cosigners_invited", "proposals.cosign_confirmed",
    "proposals.cosign_declined", "proposals.cosign_expired", "proposals.attachment_added",
    "proposals.attachment_removed", "proposals.submitted", "proposals.withdrawn", "proposals.pre_review_passed",
    "proposals.returned", "proposals.filed", "proposals.declined", "proposals.merged", "proposals.converted",
    "proposals.proposers_joined", "proposals.assigned", "proposals.handling_started", "proposals.first_contact",
    "proposals.replied", "proposals.reply_sent", "proposals.rehandle", "proposals.archived", "proposals.rated",
    "proposals.key_selected", "proposals.excellent_changed", "proposals.public_consent",
})
# What a department sees of the proposal itself (its own assignment's and replies' events come in full).
DEPARTMENT_PROPOSAL_VERBS = frozenset({
    "proposals.filed", "proposals.assigned", "proposals.assignments_created", "proposals.handling_started",
    "proposals.replied", "proposals.rehandle", "proposals.archived", "proposals.rated", "proposals.key_selected",
    "proposals.oversight_reported", "proposals.supervision_event_recorded", "proposals.supervision_event_removed",
})


# ---------------------------------------------------------------------------------------------------------------
# Lookups


def _committee(code):
    return get_object_or_404(Committee, code=code)


def _committee_for(request, code, perm):
    """The committee ``code`` if the user holds ``perm`` on it (403), or 404 when it does not exist."""
    committee = _committee(code)
    if not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return committee


def _visible_proposal(request, committee, pk):
    """The proposal ``pk`` of ``committee`` if the user may see it; 404 otherwise (never a hint it exists)."""
    proposal = get_object_or_404(Proposal.objects.select_related("committee", "session__term", "merged_into"),
                                 pk=pk, committee=committee)
    if not request.user.has_perm("proposals.view_proposal", proposal):
        raise Http404
    return proposal


def _page_size(request):
    try:
        size = int(request.GET.get("per", DEFAULT_PAGE_SIZE))
    except ValueError:
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def _query_string(request):
    """The request's query without its page position (page number and cursors), for links that keep filters."""
    query = request.GET.copy()
    for name in CURSOR_PARAMS:
        query.pop(name, None)
    return query.urlencode()


_safe_next = attachments.safe_next


def nav(request, committee):
    """Which proposal sections the user may open in ``committee`` (for templates/proposals/_nav.html)."""
    user = request.user
    return {
        "mine": user.has_perm("proposals.add_proposal", committee),
        "register": user.has_perm("proposals.view_register", committee),
        "assignments": Department.objects.filter(committee=committee,
                                                 pk__in=roles.department_ids(user)).exists(),
    }


def _render(request, template, context, status=200):
    context.setdefault("nav", nav(request, context["committee"]))
    return render(request, template, context, status=status)


def _detail_url(proposal):
    return reverse("proposals:detail", args=[proposal.committee.code, proposal.pk])


# ---------------------------------------------------------------------------------------------------------------
# Operations: one per workflow step, all posted to proposals:op


@dataclass
class Op:
    """One workflow step offered on the detail page.

    ``target`` says what the step acts on (the proposal, one of its assignments, replies or attachments);
    ``perm`` is the rules permission checked on that object (a tuple means any of them); ``applies(obj, ctx)``
    says whether the step makes sense in the object's current state, so the page offers only useful forms;
    ``run(obj, form, request)`` calls the action.
    """

    name: str
    label: str
    target: str
    perm: object
    form: type
    run: Callable
    applies: Callable = lambda obj, ctx: True
    message: str = ""
    form_kwargs: Callable = field(default=lambda obj, proposal: {})
    button_class: str = "btn"

    def permitted(self, user, obj):
        perms = self.perm if isinstance(self.perm, tuple) else (self.perm,)
        return any(user.has_perm(p, obj) for p in perms)

    def make_form(self, obj, proposal, data=None, files=None):
        prefix = f"{self.name}-{obj.pk}"
        return self.form(data, files, prefix=prefix, **self.form_kwargs(obj, proposal))


def _reply_of_round(assignment, proposal):
    return next((r for r in assignment.replies.all() if r.round == proposal.round), None)


def _can_rate_self(proposal, ctx):
    if proposal.status != Status.REPLIED:
        return False
    user = ctx["user"]
    rated = {r.proposer_id for r in proposal.ratings.all() if r.round == proposal.round}
    return any(p.user_id == user.pk and p.signature == Proposer.Signature.CONFIRMED and p.pk not in rated
               for p in proposal.proposers.all())


def _anyone_unrated(proposal, ctx):
    if proposal.status != Status.REPLIED:
        return False
    rated = {r.proposer_id for r in proposal.ratings.all() if r.round == proposal.round}
    return any(p.signature == Proposer.Signature.CONFIRMED and p.pk not in rated for p in proposal.proposers.all())


def _open_assignment(a):
    return a.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.HANDLING)


OPS = {op.name: op for op in [
    # drafting
    Op("invite", gettext_lazy("邀请联名人"), "proposal", "proposals.change_proposal", forms.InviteForm,
       lambda p, f, r: actions.do_invite_cosigners(p, f.cleaned_data["cosigners"], actor=r.user),
       lambda p, c: p.status in EDITABLE_STATES and p.kind != Proposal.Kind.COLLECTIVE,
       gettext_lazy("已邀请联名人，等待确认。"), form_kwargs=lambda o, p: {"proposal": p}),
    Op("attach", gettext_lazy("上传附件"), "proposal", "proposals.change_proposal", forms.AttachmentForm,
       lambda p, f, r: actions.do_add_attachment(p, f.cleaned_data["file"], actor=r.user),
       lambda p, c: p.status in EDITABLE_STATES, gettext_lazy("附件已上传。")),
    Op("submit", gettext_lazy("提交提案"), "proposal", "proposals.submit_proposal", forms.EmptyForm,
       lambda p, f, r: actions.do_submit_proposal(p, actor=r.user),
       lambda p, c: p.status in EDITABLE_STATES, gettext_lazy("提案已提交，等待预审。")),
    Op("sign", gettext_lazy("联名确认"), "proposal", "proposals.sign_proposal", forms.SignForm,
       lambda p, f, r: actions.do_respond_cosign(p, accept=f.cleaned_data["accept"], actor=r.user),
       lambda p, c: p.status in EDITABLE_STATES, gettext_lazy("已记录您的联名确认。")),
    Op("withdraw", gettext_lazy("撤案"), "proposal", "proposals.withdraw_proposal", forms.OptionalReasonForm,
       lambda p, f, r: actions.do_withdraw_proposal(p, reason=f.cleaned_data["reason"], actor=r.user),
       lambda p, c: allowed(p, Status.WITHDRAWN), gettext_lazy("提案已撤回。"), button_class="btn btn-secondary"),
    # review
    Op("pass", gettext_lazy("预审通过"), "proposal", "proposals.review_proposal", forms.NoteForm,
       lambda p, f, r: actions.do_pass_pre_review(p, note=f.cleaned_data["note"], actor=r.user),
       lambda p, c: p.status == Status.SUBMITTED, gettext_lazy("预审通过，提案转入审查。")),
    Op("return", gettext_lazy("退回修改"), "proposal", "proposals.review_proposal", forms.ReasonForm,
       lambda p, f, r: actions.do_return_proposal(p, reason=f.cleaned_data["reason"], actor=r.user),
       lambda p, c: p.status in (Status.SUBMITTED, Status.REVIEW), gettext_lazy("提案已退回提案者。"),
       button_class="btn btn-secondary"),
    Op("file", gettext_lazy("立案"), "proposal", "proposals.file_proposal", forms.FileForm,
       lambda p, f, r: actions.do_file_proposal(p, category=f.cleaned_data["category"],
                                                note=f.cleaned_data["note"], actor=r.user),
       lambda p, c: p.status == Status.REVIEW, gettext_lazy("提案已立案。"), form_kwargs=lambda o, p: {"proposal": p}),
    Op("decline", gettext_lazy("不予立案"), "proposal", "proposals.file_proposal", forms.DeclineForm,
       lambda p, f, r: actions.do_decline_proposal(p, ground=f.cleaned_data["ground"],
                                                   reason=f.cleaned_data["reason"], actor=r.user),
       lambda p, c: p.status == Status.REVIEW, gettext_lazy("已作不予立案处理。"),
       form_kwargs=lambda o, p: {"proposal": p}, button_class="btn btn-secondary"),
    Op("merge", gettext_lazy("并案"), "proposal", "proposals.file_proposal", forms.MergeForm,
       lambda p, f, r: actions.do_merge_proposal(p, into=f.cleaned_data["into"], actor=r.user),
       lambda p, c: p.status == Status.REVIEW, gettext_lazy("提案已并案。"),
       form_kwargs=lambda o, p: {"proposal": p}, button_class="btn btn-secondary"),
    Op("convert", gettext_lazy("转其他方式处理"), "proposal", "proposals.file_proposal", forms.ConvertForm,
       lambda p, f, r: actions.do_convert_proposal(p, target=f.cleaned_data["target"],
                                                   consent=f.cleaned_data["consent"], actor=r.user),
       lambda p, c: p.status == Status.REVIEW, gettext_lazy("提案已转其他方式处理。"),
       button_class="btn btn-secondary"),
    # assignment
    Op("assign", gettext_lazy("交办"), "proposal", "proposals.assign_proposal", forms.AssignForm,
       lambda p, f, r: actions.do_assign_proposal(p, leads=f.cleaned_data["leads"], co=f.cleaned_data["co"],
                                                  actor=r.user),
       lambda p, c: p.status == Status.FILED, gettext_lazy("提案已交办。"), form_kwargs=lambda o, p: {"proposal": p}),
    # rating and overlays
    Op("rate", gettext_lazy("评价办理情况"), "proposal", "proposals.rate_proposal", forms.RatingForm,
       lambda p, f, r: actions.do_rate_proposal(p, result=f.cleaned_data["result"], extras=f.extras(),
                                                comment=f.cleaned_data["comment"], actor=r.user),
       _can_rate_self, gettext_lazy("感谢您的评价。"), form_kwargs=lambda o, p: {"proposal": p}),
    Op("record_rating", gettext_lazy("代为录入评价"), "proposal", "proposals.record_rating", forms.RatingForm,
       lambda p, f, r: actions.do_rate_proposal(p, result=f.cleaned_data["result"], extras=f.extras(),
                                                comment=f.cleaned_data["comment"],
                                                for_proposer=f.cleaned_data["proposer"], actor=r.user),
       _anyone_unrated, gettext_lazy("评价已代为录入。"),
       form_kwargs=lambda o, p: {"proposal": p, "on_behalf": True}, button_class="btn btn-secondary"),
    Op("key", gettext_lazy("列为重点提案"), "proposal", "proposals.select_key", forms.KeyForm,
       lambda p, f, r: actions.do_select_key_proposal(p, leader_name=f.cleaned_data["leader_name"],
                                                      special_committee=f.cleaned_data["special_committee"],
                                                      actor=r.user),
       lambda p, c: p.status in FILED_STATES and not p.is_key, gettext_lazy("已列为重点提案。"),
       form_kwargs=lambda o, p: {"proposal": p}, button_class="btn btn-secondary"),
    Op("oversight", gettext_lazy("督办报告"), "proposal", "proposals.select_key", forms.OversightForm,
       lambda p, f, r: actions.do_record_oversight_report(p.oversight, report=f.cleaned_data["report"],
                                                          actor=r.user),
       lambda p, c: p.is_key and hasattr(p, "oversight"), gettext_lazy("督办报告已保存。"),
       button_class="btn btn-secondary"),
    # oversight activities (督办活动): offered in the oversight section, to the office and the leader in charge
    Op("supervision_event", gettext_lazy("记录督办活动"), "proposal", "proposals.record_supervision_event",
       forms.SupervisionEventForm,
       lambda p, f, r: actions.do_record_supervision_event(
           p.oversight, {k: f.cleaned_data[k] for k in actions.EVENT_FIELDS}, actor=r.user),
       lambda p, c: p.is_key and hasattr(p, "oversight"), gettext_lazy("督办活动已记录。"),
       button_class="btn btn-secondary"),
    Op("remove_supervision_event", gettext_lazy("删除督办活动"), "proposal", "proposals.record_supervision_event",
       forms.RemoveSupervisionEventForm,
       lambda p, f, r: actions.do_remove_supervision_event(f.cleaned_data["event"], actor=r.user),
       lambda p, c: False, gettext_lazy("督办活动已删除。"), form_kwargs=lambda o, p: {"proposal": p},
       button_class="linklike"),
    Op("excellent", gettext_lazy("优秀提案评选"), "proposal", "proposals.mark_excellent", forms.ExcellentForm,
       lambda p, f, r: actions.do_mark_excellent(p, excellent=f.cleaned_data["excellent"],
                                                 year=f.cleaned_data["year"], actor=r.user),
       lambda p, c: p.status in FILED_STATES, gettext_lazy("优秀提案评选已更新。"), button_class="btn btn-secondary"),
    Op("consent", gettext_lazy("是否同意公开"), "proposal", "proposals.set_public_consent", forms.ConsentForm,
       lambda p, f, r: actions.do_set_public_consent(p, consent=f.cleaned_data["consent"],
                                                     reason=f.cleaned_data["reason"], actor=r.user),
       lambda p, c: p.status not in (Status.WITHDRAWN, Status.DECLINED, Status.CONVERTED, Status.MERGED),
       gettext_lazy("公开意见已保存。"), button_class="btn btn-secondary"),
    # a department's share
    Op("object", gettext_lazy("对交办提出异议"), "assignment", "proposals.object_assignment", forms.ReasonForm,
       lambda a, f, r: actions.do_object_assignment(a, reason=f.cleaned_data["reason"], actor=r.user),
       lambda a, c: a.status == AssignmentStatus.ASSIGNED and dates.today() <= a.objection_due,
       gettext_lazy("异议已提交，等待提案委审核。"), button_class="btn btn-secondary"),
    Op("dismiss", gettext_lazy("维持原交办"), "assignment", "proposals.assign_proposal", forms.NoteForm,
       lambda a, f, r: actions.do_dismiss_objection(a, note=f.cleaned_data["note"], actor=r.user),
       lambda a, c: a.status == AssignmentStatus.OBJECTED, gettext_lazy("已维持原交办。")),
    Op("reassign", gettext_lazy("改由其他单位承办"), "assignment", "proposals.assign_proposal", forms.ReassignForm,
       lambda a, f, r: actions.do_reassign_assignment(a, department=f.cleaned_data["department"], actor=r.user),
       lambda a, c: a.status == AssignmentStatus.OBJECTED, gettext_lazy("已改由其他单位承办。"),
       form_kwargs=lambda o, p: {"proposal": p}, button_class="btn btn-secondary"),
    Op("first_contact", gettext_lazy("记录办前沟通"), "assignment", "proposals.reply_assignment",
       forms.FirstContactForm,
       lambda a, f, r: actions.do_record_first_contact(a, on=f.cleaned_data["on"], note=f.cleaned_data["note"],
                                                       actor=r.user),
       lambda a, c: a.is_lead and _open_assignment(a) and a.first_contact_on is None,
       gettext_lazy("办前沟通已记录。")),
    Op("opinion", gettext_lazy("送达会办意见"), "assignment", "proposals.send_opinion", forms.OpinionForm,
       lambda a, f, r: actions.do_send_co_opinion(a, opinion=f.cleaned_data["opinion"], actor=r.user),
       lambda a, c: a.role == Assignment.Role.CO and _open_assignment(a), gettext_lazy("会办意见已送达主办单位。")),
    Op("reply", gettext_lazy("起草答复"), "assignment", "proposals.reply_assignment", forms.ReplyForm,
       lambda a, f, r: actions.do_draft_reply(a, {k: f.cleaned_data[k] for k in actions.REPLY_FIELDS},
                                              actor=r.user),
       lambda a, c: a.is_lead and _open_assignment(a) and (
           _reply_of_round(a, c["proposal"]) is None
           or _reply_of_round(a, c["proposal"]).status in (Reply.ReviewStatus.COSIGNING,
                                                            Reply.ReviewStatus.RETURNED)),
       gettext_lazy("答复已提交。"), form_kwargs=lambda o, p: {"proposal": p}),
    Op("extension", gettext_lazy("申请延期"), "assignment", "proposals.reply_assignment", forms.ExtensionForm,
       lambda a, f, r: actions.do_request_extension(a, new_due=f.cleaned_data["new_due"],
                                                    reason=f.cleaned_data["reason"], actor=r.user),
       lambda a, c: a.is_lead and _open_assignment(a) and a.extension != Assignment.Extension.REQUESTED,
       gettext_lazy("延期申请已提交。"), button_class="btn btn-secondary"),
    Op("decide_extension", gettext_lazy("审批延期申请"), "assignment", "proposals.decide_extension",
       forms.DecideForm,
       lambda a, f, r: actions.do_decide_extension(a, approve=f.cleaned_data["approve"],
                                                   note=f.cleaned_data["note"], actor=r.user),
       lambda a, c: a.extension == Assignment.Extension.REQUESTED, gettext_lazy("延期申请已审批。")),
    # replies
    Op("cosign", gettext_lazy("会签答复"), "reply", "proposals.cosign_reply", forms.NoteForm,
       lambda rp, f, r: actions.do_cosign_reply(rp, note=f.cleaned_data["note"], actor=r.user),
       lambda rp, c: rp.status == Reply.ReviewStatus.COSIGNING, gettext_lazy("已会签。")),
    Op("review_reply", gettext_lazy("审核答复"), "reply", "proposals.review_reply", forms.ReviewReplyForm,
       lambda rp, f, r: actions.do_review_reply(rp, approve=f.cleaned_data["approve"],
                                                outcome=f.cleaned_data["outcome"] or None,
                                                note=f.cleaned_data["note"], actor=r.user),
       lambda rp, c: rp.status == Reply.ReviewStatus.REVIEW, gettext_lazy("答复审核意见已保存。"),
       form_kwargs=lambda o, p: {"proposal": p}),
    Op("send", gettext_lazy("发出答复"), "reply", ("proposals.reply_assignment", "proposals.review_reply"),
       forms.EmptyForm, lambda rp, f, r: actions.do_send_reply(rp, actor=r.user),
       lambda rp, c: rp.status == Reply.ReviewStatus.APPROVED, gettext_lazy("答复已发出。")),
]}


# Offered in the oversight section of the detail page rather than among the other operations.
OVERSIGHT_SECTION_OPS = ("supervision_event", "remove_supervision_event")


def _target_object(op, proposal, raw_id):
    """The object ``op`` acts on: the proposal itself or one of its assignments/replies (404 otherwise)."""
    if op.target == "proposal":
        return proposal
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if op.target == "assignment":
        return get_object_or_404(Assignment.objects.select_related("department", "proposal"), pk=pk,
                                 proposal=proposal)
    return get_object_or_404(Reply.objects.select_related("assignment__proposal"), pk=pk,
                             assignment__proposal=proposal)


@login_required
@require_POST
def op_view(request, committee, pk, op):
    committee = _committee(committee)
    proposal = _visible_proposal(request, committee, pk)
    operation = OPS.get(op)
    if operation is None:
        raise Http404
    obj = _target_object(operation, proposal, request.POST.get("target"))
    if not operation.permitted(request.user, obj):
        raise PermissionDenied
    form = operation.make_form(obj, proposal, request.POST, request.FILES)
    if form.is_valid():
        try:
            operation.run(obj, form, request)
        except ValidationError as exc:
            forms.add_action_errors(form, exc)
        else:
            messages.success(request, operation.message)
            return redirect(_safe_next(request, _detail_url(proposal)))
    # Nothing was written: show the detail page again with this form's errors.
    proposal = _visible_proposal(request, committee, pk)
    return _render_detail(request, proposal, failed=(operation, obj.pk, form), status=400)


@login_required
@require_POST
def attachment_remove(request, committee, pk, attachment):
    committee = _committee(committee)
    proposal = _visible_proposal(request, committee, pk)
    item = get_object_or_404(Attachment, pk=attachment, proposal=proposal)
    return attachments.remove_view(request, item, owner=proposal, perm="proposals.change_proposal",
                                   remove=actions.do_remove_attachment, back_url=_detail_url(proposal))


@login_required
def attachment_download(request, committee, pk, attachment):
    """Attachments are served only to those who may see the proposal (never from a public media URL)."""
    committee = _committee(committee)
    proposal = _visible_proposal(request, committee, pk)
    return attachments.download(get_object_or_404(Attachment, pk=attachment, proposal=proposal))


# ---------------------------------------------------------------------------------------------------------------
# Detail


def _timeline(proposal, assignments, user, party):
    """The proposal's history (its own events and its assignments' and replies' events), as ``party`` may see it.

    ``party``: "office" sees everything; "department" sees the proposal's milestones and everything about its
    own department's assignments and the replies it works with, never other departments' internal notes;
    "proposer" sees the milestones of their proposal.
    """
    types = ContentType.objects.get_for_models(Proposal, Assignment, Reply)
    assignment_ids = [a.pk for a in assignments]
    replies = [r for a in assignments for r in a.replies.all()]
    condition = Q(target_type=types[Proposal], target_id=str(proposal.pk))
    if assignment_ids:
        condition |= Q(target_type=types[Assignment], target_id__in=[str(i) for i in assignment_ids])
    if replies:
        condition |= Q(target_type=types[Reply], target_id__in=[str(r.pk) for r in replies])
    events = list(AuditEvent.objects.filter(condition).order_by("-created_at", "-id")[:500])
    if party == "office":
        return timeline.label_events(events)
    own_departments = roles.department_ids(user) if party == "department" else set()
    own_assignments = {str(a.pk) for a in assignments if a.department_id in own_departments}
    lead_assignments = {a.pk for a in assignments if a.is_lead}
    shared_replies = {str(r.pk) for r in replies if r.assignment_id in lead_assignments}
    own_replies = {str(r.pk) for r in replies if str(r.assignment_id) in own_assignments}
    sent_replies = {str(r.pk) for r in replies if r.status == Reply.ReviewStatus.SENT}
    kept = []
    for e in events:
        if e.target_type_id == types[Proposal].pk:
            ok = (e.verb in PROPOSER_VERBS if party == "proposer" else e.verb in DEPARTMENT_PROPOSAL_VERBS)
        elif e.target_type_id == types[Assignment].pk:
            ok = (e.target_id in own_assignments) if party == "department" else e.verb == "proposals.first_contact"
        else:
            if party == "department":
                ok = e.target_id in own_replies or (e.target_id in shared_replies and e.verb in (
                    "proposals.reply_drafted", "proposals.reply_cosign", "proposals.reply_sent"))
            else:
                ok = e.target_id in sent_replies and e.verb == "proposals.reply_sent"
        if ok:
            kept.append(e)
    return timeline.label_events(kept)


def _party(user, proposal):
    if user.has_perm("proposals.view_register", proposal.committee):
        return "office"
    if proposal_rules.is_listed_proposer(user, proposal) or proposal_rules.is_author(user, proposal):
        return "proposer"
    return "department"


def _render_detail(request, proposal, *, failed=None, status=200):
    user = request.user
    party = _party(user, proposal)
    prefetch_related_objects(
        [proposal], Prefetch("proposers", queryset=Proposer.objects.select_related("member")),
        Prefetch("ratings", queryset=Rating.objects.select_related("proposer")))
    proposers, ratings = list(proposal.proposers.all()), list(proposal.ratings.all())
    assignments = list(proposal.assignments.select_related("department").prefetch_related(
        Prefetch("replies", queryset=Reply.objects.prefetch_related("cosigns__assignment__department"))))
    my_departments = roles.department_ids(user)
    ctx = {"user": user, "proposal": proposal}

    def panel(op, obj):
        if failed and failed[0] is op and failed[1] == obj.pk:
            return {"op": op, "obj": obj, "form": failed[2]}
        if not op.applies(obj, ctx) or not op.permitted(user, obj):
            return None
        return {"op": op, "obj": obj, "form": op.make_form(obj, proposal)}

    proposal_panels = [p for p in (panel(op, proposal) for op in OPS.values()
                                   if op.target == "proposal" and op.name not in OVERSIGHT_SECTION_OPS) if p]
    oversight = getattr(proposal, "oversight", None) if proposal.is_key else None
    oversight_panels = [p for p in (panel(OPS[name], proposal) for name in OVERSIGHT_SECTION_OPS) if p]
    assignment_rows = []
    for a in assignments:
        mine = a.department_id in my_departments
        replies = [r for r in a.replies.all() if party != "proposer" or r.status == Reply.ReviewStatus.SENT]
        reply_rows = [{"reply": r, "panels": [p for p in (panel(op, r) for op in OPS.values()
                                                         if op.target == "reply") if p]} for r in replies]
        assignment_rows.append({
            "a": a, "mine": mine, "show_internal": party == "office" or mine,
            "show_opinion": party == "office" or mine or (a.role == Assignment.Role.CO and any(
                x.is_lead and x.department_id in my_departments for x in assignments)),
            "replies": reply_rows,
            "panels": [p for p in (panel(op, a) for op in OPS.values() if op.target == "assignment") if p],
        })
    files = list(proposal.attachments.all())
    context = {
        "committee": proposal.committee,
        "proposal": proposal,
        "party": party,
        "proposers": proposers,
        "suggested": list(proposal.suggested_departments.all()),
        "attachments": files,
        "assignments": assignment_rows,
        "ratings": ratings,
        "oversight": oversight,
        "supervision_events": list(oversight.events.select_related("recorded_by")) if oversight else [],
        "oversight_panels": oversight_panels,
        "can_remove_supervision_events": bool(oversight) and OPS["remove_supervision_event"].permitted(
            user, proposal),
        "panels": proposal_panels,
        "outcome_labels": local.outcome_labels(proposal.committee_id),
        "can_edit": user.has_perm("proposals.change_proposal", proposal),
        "timeline": _timeline(proposal, assignments, user, party),
        "today": dates.today(),
    }
    return _render(request, "proposals/detail.html", context, status=status)


@login_required
def detail(request, committee, pk):
    committee = _committee(committee)
    proposal = _visible_proposal(request, committee, pk)
    return _render_detail(request, proposal)


# ---------------------------------------------------------------------------------------------------------------
# Drafting


@login_required
def proposal_new(request, committee):
    committee = _committee_for(request, committee, "proposals.add_proposal")
    form = forms.ProposalForm(request.POST or None, committee=committee, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = actions.do_create_proposal(
                committee, data["session"], form.content(), cosigners=data["cosigners"],
                suggested_departments=data["suggested_departments"], actor=request.user)
        except ValidationError as exc:
            forms.add_action_errors(form, exc)
        else:
            messages.success(request, _("提案草稿已保存。"))
            return redirect(_detail_url(proposal))
    return _render(request, "proposals/form.html", {
        "committee": committee, "form": form, "title": _("起草提案"),
        "back_url": reverse("proposals:mine", args=[committee.code]),
        "body_limit": local.value(committee, local.BODY_MAX_CHARS),
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
def proposal_edit(request, committee, pk):
    committee = _committee(committee)
    proposal = _visible_proposal(request, committee, pk)
    if not request.user.has_perm("proposals.change_proposal", proposal):
        raise PermissionDenied
    initial = {name: getattr(proposal, name) for name in forms.ProposalForm.CONTENT}
    initial["suggested_departments"] = list(proposal.suggested_departments.all())
    form = forms.ProposalForm(request.POST or None, initial=initial, committee=committee, user=request.user,
                              proposal=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_proposal(proposal, form.content(),
                                       suggested_departments=form.cleaned_data["suggested_departments"],
                                       actor=request.user)
        except ValidationError as exc:
            forms.add_action_errors(form, exc)
        else:
            messages.success(request, _("提案已保存。"))
            return redirect(_detail_url(proposal))
    return _render(request, "proposals/form.html", {
        "committee": committee, "form": form, "proposal": proposal, "title": _("修改提案"),
        "back_url": _detail_url(proposal), "attachments": proposal.attachments.all(),
        "attach_form_panel": {"op": OPS["attach"], "obj": proposal, "form": OPS["attach"].make_form(proposal, proposal)},
        "body_limit": local.value(committee, local.BODY_MAX_CHARS),
    }, status=400 if form.is_bound and form.errors else 200)


# ---------------------------------------------------------------------------------------------------------------
# Lists


def _first_proposer_name():
    return Subquery(Proposer.objects.filter(proposal=OuterRef("pk"), role=Proposer.Role.FIRST).order_by(
        "order", "id").values("name")[:1])


@login_required
def mine(request, committee):
    """我的提案: the proposals the user drafted or is a proposer of, and the co-signing requests waiting."""
    committee = _committee_for(request, committee, "proposals.add_proposal")
    user = request.user
    rows = Proposer.objects.filter(user=user).exclude(signature=Proposer.Signature.DECLINED)
    proposals = (Proposal.objects.filter(committee=committee).filter(
        Q(created_by=user) | Q(pk__in=rows.values("proposal_id"))).select_related("session__term")
        .annotate(first_proposer=_first_proposer_name()).order_by("-id"))
    invitations = (Proposer.objects.filter(user=user, role=Proposer.Role.COSIGNER,
                                           signature=Proposer.Signature.PENDING, proposal__committee=committee,
                                           proposal__status__in=EDITABLE_STATES)
                   .select_related("proposal").annotate(first_proposer=Subquery(
                       Proposer.objects.filter(proposal=OuterRef("proposal_id"), role=Proposer.Role.FIRST)
                       .values("name")[:1])))
    page = Paginator(proposals, _page_size(request)).get_page(request.GET.get("page"))
    return _render(request, "proposals/mine.html", {
        "committee": committee, "page_obj": page, "invitations": invitations,
        "query_string": _query_string(request),
    })


def _register_rows(page_ids):
    """The register's rows for ``page_ids``, with ``first_proposer`` and ``live_assignments`` (two queries)."""
    return (Proposal.objects.filter(pk__in=page_ids).select_related("session__term")
            .annotate(first_proposer=_first_proposer_name())
            .prefetch_related(Prefetch("assignments", to_attr="live_assignments",
                                       queryset=Assignment.objects.exclude(status=AssignmentStatus.WITHDRAWN)
                                       .select_related("department"))))


def _register_page(request, committee, params):
    """One page of the register (a ``paging.KeysetPage``) whose rows carry their first proposer and departments.

    The page's ids are selected first, by a cursor from the previous/next link or else from the nearer end of
    the list (an index range, nothing computed for skipped rows), then only those rows are read with their
    first proposer (a subquery per shown row) and their departments (one prefetch). The same queries whatever
    the page size or depth: the discarded-draft ids, the count, the page's ids, the rows, their assignments.
    """
    # filter_register leaves out the drafts withdrawn before submission; drafts are left out here.
    ids = (filter_register(Proposal.objects.filter(committee=committee).exclude(status=Status.DRAFT), params)
           .order_by().values_list("id", flat=True))
    return KeysetPage(ids, _page_size(request), request.GET, rows_for=_register_rows)


def _pending_assignments(committee, limit=50):
    """Departments' objections and extension requests waiting for the office, oldest first.

    Two queries rather than one with ``status = objected OR extension = requested``: each uses its own index
    (whose entries are already in id order), where the OR made the database scan every assignment.
    """
    base = (Assignment.objects.filter(proposal__committee=committee).select_related("proposal", "department")
            .order_by("id"))
    found = {a.pk: a for a in base.filter(status=AssignmentStatus.OBJECTED)[:limit]}
    found.update((a.pk, a) for a in base.filter(extension=Assignment.Extension.REQUESTED)[:limit])
    return [found[pk] for pk in sorted(found)][:limit]


@login_required
def register(request, committee):
    """提案登记簿 for the office: every received proposal of the committee, filtered and paginated.

    The filters are ``exports.RegisterFilters`` (the same as the export, the API and the statistics page's
    links); a value the form refuses (e.g. another committee's session) is shown as an error and not applied.
    The number of queries does not depend on the page size (see ``_register_page``).
    """
    committee = _committee(committee)
    if not request.user.has_perm("proposals.view_register", committee):
        # The section's front door: members and departments land on their own lists.
        sections = nav(request, committee)
        if sections["mine"]:
            return redirect("proposals:mine", committee.code)
        if sections["assignments"]:
            return redirect("proposals:my_assignments", committee.code)
        raise PermissionDenied
    filters = RegisterFilterForm(request.GET or None, committee=committee)
    params = RegisterFilters.from_mapping(request.GET)
    if filters.is_bound and not filters.is_valid():
        for name in filters.errors:
            params.clear(name)
    context = {
        "committee": committee, "filters": filters, "page_obj": _register_page(request, committee, params),
        "query_string": _query_string(request),
        "can_review": request.user.has_perm("proposals.review_proposal", committee),
        "batch_form": forms.BatchForm(committee=committee),
        "page_sizes": PAGE_SIZES,
        "pending": _pending_assignments(committee),
    }
    template = "proposals/_register_results.html" if (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true") else "proposals/register.html"
    response = _render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_POST
def batch(request, committee):
    """One review decision for every ticked proposal: all of them or, when one is refused, none."""
    committee = _committee_for(request, committee, "proposals.review_proposal")
    form = forms.BatchForm(request.POST, committee=committee)
    back = _safe_next(request, reverse("proposals:register", args=[committee.code]))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    chosen = list(form.cleaned_data["ids"].order_by("serial", "id"))
    try:
        actions.do_review_batch(chosen, form.cleaned_data["decision"], actor=request.user, **form.params())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已对 %(n)d 件提案作出审查决定。") % {"n": len(chosen)})
    return redirect(back)


@login_required
def my_assignments(request, committee):
    """我的办理: the assignments of the user's departments in this committee, with their next due date."""
    committee = _committee(committee)
    department_ids = roles.department_ids(request.user)
    if not Department.objects.filter(committee=committee, pk__in=department_ids).exists():
        raise PermissionDenied
    state = request.GET.get("state") or "open"
    qs = (Assignment.objects.filter(department_id__in=department_ids, proposal__committee=committee)
          .select_related("proposal", "department").current_due())
    if state == "open":
        qs = qs.filter(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.OBJECTED, AssignmentStatus.HANDLING])
        qs = qs.order_by("due", "id")
    elif state == "done":
        qs = qs.filter(status=AssignmentStatus.DONE).order_by("-id")
    else:
        qs = qs.order_by("-id")
    page = Paginator(qs, _page_size(request)).get_page(request.GET.get("page"))
    return _render(request, "proposals/my_assignments.html", {
        "committee": committee, "page_obj": page, "state": state, "states": forms.MyAssignmentFilterForm.STATES,
        "query_string": _query_string(request), "today": dates.today(),
        "soon": dates.today() + datetime.timedelta(days=7),
    })

