"""The caller's own things: who they are, their inbox, their to-do list (我的待办)."""

from django.http import Http404
from django.utils import timezone
from ninja import Router

from xieshang.core import workbench
from xieshang.core.models import Notification
from xieshang.org import roles

from .. import schemas as s
from ..access import PageQuery, paginate, visible_committees

router = Router(tags=["我的"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


@router.get("/me", response={200: s.MeOut, **ERRORS}, summary="当前用户及其角色")
def me(request):
    user = request.auth
    committees = [
        {"code": c.code, "name": c.name, "roles": sorted(roles.roles_in(user, c))}
        for c in visible_committees(user).order_by("id")
    ]
    return {"username": user.username, "full_name": user.get_full_name(), "committees": committees}


@router.get("/notifications", response={200: s.Page[s.NotificationOut], **ERRORS}, summary="我的通知")
def list_notifications(request, page: PageQuery, unread: bool | None = None):
    notes = Notification.objects.for_user(request.auth)
    if unread is True:
        notes = notes.unread()
    elif unread is False:
        notes = notes.filter(read_at__isnull=False)
    return paginate(notes.order_by("-created_at", "-id"), page)


@router.post("/notifications/{note_id}/read", response={200: s.NotificationOut, **ERRORS}, summary="标为已读")
def mark_read(request, note_id: int):
    # Another user's notification is a 404: the inbox is private.
    note = Notification.objects.for_user(request.auth).filter(pk=note_id).first()
    if note is None:
        raise Http404
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return note


@router.post("/notifications/read-all", response={200: dict, **ERRORS}, summary="全部标为已读")
def mark_all_read(request):
    count = Notification.objects.for_user(request.auth).unread().update(read_at=timezone.now())
    return {"marked": count}


@router.get("/workbench", response={200: list[s.TodoOut], **ERRORS}, summary="我的待办")
def my_workbench(request):
    today = timezone.localdate()
    return [
        {"kind": i.kind, "title": str(i.title), "url": i.url, "due": i.due, "committee": str(i.committee),
         "detail": str(i.detail), "overdue": i.is_overdue(today)}
        for i in workbench.items_for(request.auth)
    ]
