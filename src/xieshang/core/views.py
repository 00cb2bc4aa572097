from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import workbench
from .models import AuditEvent, CalendarDay, CalendarYear, Notification


@login_required
def workbench_view(request):
    """我的待办: everything waiting for this user's action, from every registered provider."""
    items = workbench.items_for(request.user)
    return render(request, "core/workbench.html", {"items": items, "today": timezone.localdate()})


@login_required
def inbox(request):
    notes = Notification.objects.for_user(request.user)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page_obj": page})


@login_required
@require_POST
def inbox_read(request, pk):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "core:inbox")


@login_required
def audit_log(request):
    from xieshang.org import roles

    user = request.user
    if roles.is_sysadmin(user):
        events = AuditEvent.objects.all()
    else:
        allowed = [cid for cid in roles.committee_ids(user) if user.has_perm("core.view_audit", _committee(cid))]
        if not allowed:
            raise PermissionDenied
        events = AuditEvent.objects.filter(committee_id__in=allowed)
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page_obj": page})


def _committee(committee_id):
    from xieshang.org.models import Committee

    return Committee.objects.get(pk=committee_id)


@login_required
def calendar_view(request):
    year = int(request.GET.get("year") or timezone.localdate().year)
    days = CalendarDay.objects.filter(date__year=year)
    years = CalendarYear.objects.all()
    return render(
        request,
        "core/calendar.html",
        {"year": year, "days": days, "years": years, "loaded": years.filter(year=year).exists()},
    )
