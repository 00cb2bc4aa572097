"""The core's pages: 我的待办 (the workbench), the notification inbox, and the audit trail.

Views are thin: they check permissions with rules, read through QuerySet helpers and render. The audit
pages show only rows of committees the user may audit (``core.view_audit``); deployment-wide rows (no
committee) only to holders of ``core.view_audit_all``.
"""

import csv
import datetime
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import audit, timeline, verbs, workbench
from .models import AuditEvent, Notification
from .spreadsheets import safe_text

# Workbench -------------------------------------------------------------------------------------------------


@login_required
def workbench_view(request):
    """我的待办: everything waiting for this user's action, from every registered provider, grouped by kind."""
    today = timezone.localdate()
    groups = workbench.groups_for(request.user, today)
    return render(
        request,
        "core/workbench.html",
        {"groups": groups, "today": today, "total": sum(g.total for g in groups)},
    )


# Inbox -----------------------------------------------------------------------------------------------------

INBOX_PAGE_SIZE = 30


def _unread_count(user):
    return Notification.objects.for_user(user).unread().count()


@login_required
def inbox(request):
    """The user's own notifications: unread first, then newest; ``?show=unread`` for the unread only."""
    show = "unread" if request.GET.get("show") == "unread" else "all"
    notes = Notification.objects.for_user(request.user)
    if show == "unread":
        notes = notes.unread().order_by("-created_at", "-id")
    else:
        unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
        notes = notes.annotate(is_unread=unread).order_by("-is_unread", "-created_at", "-id")
    page = Paginator(notes, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/inbox.html",
        {"page_obj": page, "show": show, "query_string": urlencode({"show": show}) if show != "all" else ""},
    )


@login_required
@require_POST
def inbox_read(request, pk):
    """Mark one of the user's notifications read (404 for anyone else's).

    From htmx: answers with the updated item and the header's unread badge. Otherwise, with ``open`` set,
    goes on to the notification's link (same site only); else back to the inbox.
    """
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        # Conditional, so a second click never moves the first read time.
        now = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=now)
        note.read_at = now
    if request.headers.get("HX-Request"):
        return render(request, "core/_inbox_item.html", {"n": note, "oob_unread": _unread_count(request.user)})
    if request.POST.get("open") and note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(note.url)
    return redirect("core:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    """Mark every unread notification of the user read."""
    count = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    if count:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("core:inbox")


# Audit trail -----------------------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50
AUDIT_EXPORT_MAX_ROWS = 50_000
NO_COMMITTEE = "none"


class AuditScope:
    """What one user may read of the audit trail: some committees, and maybe the deployment-wide rows.

    Raises PermissionDenied for a user who may audit nothing.
    """

    def __init__(self, user):
        from xieshang.org import roles
        from xieshang.org.models import Committee

        self.everything = user.has_perm("core.view_audit_all")
        if self.everything:
            committees = list(Committee.objects.order_by("level", "name"))
        else:
            candidates = Committee.objects.filter(pk__in=roles.committee_ids(user)).order_by("level", "name")
            committees = [c for c in candidates if user.has_perm("core.view_audit", c)]
        self.committees = {c.pk: c for c in committees}
        if not self.everything and not self.committees:
            raise PermissionDenied

    def events(self):
        if self.everything:
            return AuditEvent.objects.all()
        return AuditEvent.objects.filter(committee_id__in=list(self.committees))

    def committee_name(self, committee_id):
        committee = self.committees.get(committee_id)
        if committee is None:
            return _("全系统") if committee_id is None else str(committee_id)
        return committee.short_name or committee.name


def _target_type_choices():
    """Content types of the project's own models (and accounts), labelled by their verbose names."""
    from django.apps import apps

    labels = {cfg.label for cfg in apps.get_app_configs() if cfg.name.startswith("xieshang.")}
    wanted = Q(app_label__in=labels) | Q(app_label="auth", model="user")
    choices = []
    for ct in ContentType.objects.filter(wanted).order_by("app_label", "model"):
        model = ct.model_class()
        if model is not None:
            choices.append((f"{ct.app_label}.{ct.model}", f"{model._meta.verbose_name}（{ct.app_label}.{ct.model}）"))
    return choices


class AuditFilterForm(forms.Form):
    committee = forms.ChoiceField(label=gettext_lazy("政协组织"), required=False)
    actor = forms.CharField(label=gettext_lazy("操作人"), required=False, max_length=150)
    verb = forms.CharField(label=gettext_lazy("动作"), required=False, max_length=80)
    target_type = forms.ChoiceField(label=gettext_lazy("对象类型"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    group = forms.UUIDField(label=gettext_lazy("操作编号"), required=False)
    q = forms.CharField(label=gettext_lazy("对象"), required=False, max_length=100)

    def __init__(self, data, scope):
        super().__init__(data)
        choices = [("", _("全部"))]
        if scope.everything:
            choices.append((NO_COMMITTEE, _("全系统（不属于任何政协组织）")))
        choices += [(str(pk), c.name) for pk, c in scope.committees.items()]
        self.fields["committee"].choices = choices
        self.fields["target_type"].choices = [("", _("全部"))] + _target_type_choices()
        self.fields["verb"].widget.attrs.update({"list": "audit-verbs", "placeholder": "org."})
        self.fields["verb"].help_text = _("按前缀匹配，例如 org. 或 org.member_")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def apply(self, events):
        """``events`` narrowed by the valid filters (call after is_valid())."""
        data = self.cleaned_data
        committee = data.get("committee")
        if committee == NO_COMMITTEE:
            events = events.filter(committee_id__isnull=True)
        elif committee:
            events = events.filter(committee_id=int(committee))
        if data.get("actor", "").strip():
            actor = data["actor"].strip()
            events = events.filter(Q(actor_repr__icontains=actor) | Q(actor__username=actor))
        if data.get("verb", "").strip():
            events = events.filter(verb__startswith=data["verb"].strip())
        if data.get("target_type"):
            app_label, model = data["target_type"].split(".", 1)
            events = events.filter(target_type__app_label=app_label, target_type__model=model)
        if data.get("date_from"):
            events = events.filter(created_at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(created_at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        if data.get("group"):
            events = events.filter(group_id=data["group"])
        if data.get("q", "").strip():
            q = data["q"].strip()
            events = events.filter(Q(target_repr__icontains=q) | Q(target_id=q))
        return events


def _start_of(day):
    """The first instant of a local calendar day (an index-friendly bound, unlike ``__date``)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(request):
    """(scope, form, events) for the audit list and its export; an invalid form shows no rows."""
    scope = AuditScope(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    form = AuditFilterForm(params or None, scope)
    events = scope.events()
    if form.is_bound:
        events = form.apply(events) if form.is_valid() else events.none()
    return scope, form, events, params


def _rows(scope, events):
    events = timeline.label_events(list(events))
    for event in events:
        event.committee_name = scope.committee_name(event.committee_id)
    return events


@login_required
def audit_log(request):
    """The audit trail, filtered and paginated (a fixed number of queries per page)."""
    scope, form, events, params = _filtered(request)
    page = Paginator(events.select_related("target_type"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": _rows(scope, page.object_list),
            "query_string": params.urlencode(),
            "verb_choices": verbs.registered(),
        },
    )


@login_required
def audit_group(request, group_id):
    """Every row of one user action that the user may see; 404 when none is visible."""
    scope = AuditScope(request.user)
    events = scope.events().filter(group_id=group_id).select_related("target_type").order_by("created_at", "id")
    rows = _rows(scope, events)
    if not rows:
        raise Http404
    return render(
        request,
        "core/audit_group.html",
        {
            "rows": rows,
            "group_id": group_id,
            "first": rows[0],
            "committees": sorted({r.committee_name for r in rows}),
        },
    )


EXPORT_HEADER = [
    gettext_lazy("时间"), gettext_lazy("政协组织"), gettext_lazy("操作人"), gettext_lazy("动作"),
    gettext_lazy("动作说明"), gettext_lazy("对象类型"), gettext_lazy("对象"), gettext_lazy("对象编号"),
    gettext_lazy("变更"), gettext_lazy("说明"), gettext_lazy("操作编号"), gettext_lazy("IP 地址"),
    gettext_lazy("来源"),
]


def _changes_text(changes):
    parts = []
    for row in timeline.change_list(changes):
        value = f"{row['old']} → {row['new']}" if row["pair"] else f"{row['new']}"
        parts.append(f"{row['field']}: {value}" if row["field"] else value)
    return "; ".join(parts)


def _export_rows(scope, events):
    yield [str(h) for h in EXPORT_HEADER]
    for event in events.select_related("target_type")[:AUDIT_EXPORT_MAX_ROWS].iterator(chunk_size=2000):
        model = event.target_type.model_class() if event.target_type_id else None
        yield [
            safe_text(timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S")),
            safe_text(scope.committee_name(event.committee_id)),
            safe_text(event.actor_repr or _("系统")),
            safe_text(event.verb),
            safe_text(verbs.label(event.verb)),
            safe_text(model._meta.verbose_name if model else ""),
            safe_text(event.target_repr),
            safe_text(event.target_id),
            safe_text(_changes_text(event.changes)),
            safe_text(event.note),
            safe_text(event.group_id),
            safe_text(event.ip),
            safe_text(event.via),
        ]


@audit.action
def _record_export(fmt, filters, *, actor):
    # Reading the trail in bulk is itself worth a trace.
    audit.record("core.audit_exported", None, changes={"format": [None, fmt], "filters": [None, filters]})


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value):
        return value


@login_required
def audit_export(request, fmt):
    """The filtered audit list as CSV (UTF-8 with BOM, for Excel) or xlsx; at most AUDIT_EXPORT_MAX_ROWS rows."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scope, form, events, params = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("筛选条件有误，未导出。"))
        query = params.urlencode()
        return redirect(reverse("core:audit") + (f"?{query}" if query else ""))
    _record_export(fmt, {k: v for k, v in params.items() if v}, actor=request.user)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"
            for row in _export_rows(scope, events):
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("审计日志"))
    for row in _export_rows(scope, events):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response
