"""The audit trail, filtered to the committees where the caller holds ``core.view_audit``."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from xieshang.core.models import AuditEvent
from xieshang.org import roles
from xieshang.org.models import Committee

from .. import schemas as s
from ..access import PageQuery, committee_for, paginate

router = Router(tags=["审计"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class AuditFilters(Schema):
    committee: str | None = None
    verb: str | None = None
    actor: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    group_id: uuid.UUID | None = None
    via: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None


def _out(event):
    target_type = f"{event.target_type.app_label}.{event.target_type.model}" if event.target_type_id else None
    return {
        "id": event.pk, "group_id": event.group_id, "created_at": event.created_at,
        "actor": event.actor.username if event.actor_id else (event.actor_repr or None),
        "committee_id": event.committee_id, "verb": event.verb, "target_type": target_type,
        "target_id": event.target_id, "target_repr": event.target_repr, "changes": event.changes,
        "note": event.note, "ip": event.ip, "via": event.via,
    }


@router.get("/audit", response={200: s.Page[s.AuditEventOut], **ERRORS})
def list_events(request, page: PageQuery, filters: Query[AuditFilters]):
    user = request.auth
    events = AuditEvent.objects.select_related("actor", "target_type")
    if filters.committee:
        committee = committee_for(request, filters.committee, "core.view_audit")
        events = events.filter(committee_id=committee.pk)
    elif not roles.is_sysadmin(user):
        allowed = [c.pk for c in Committee.objects.filter(pk__in=roles.committee_ids(user))
                   if user.has_perm("core.view_audit", c)]
        if not allowed:
            raise PermissionDenied(_("无权查看审计记录。"))
        events = events.filter(committee_id__in=allowed)
    if filters.verb:
        events = events.filter(verb__startswith=filters.verb)
    if filters.actor:
        events = events.filter(actor__username=filters.actor)
    if filters.target_type and "." in filters.target_type:
        app_label, model = filters.target_type.split(".", 1)
        events = events.filter(target_type__app_label=app_label, target_type__model=model)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    if filters.group_id:
        events = events.filter(group_id=filters.group_id)
    if filters.via:
        events = events.filter(via=filters.via)
    if filters.since:
        events = events.filter(created_at__date__gte=filters.since)
    if filters.until:
        events = events.filter(created_at__date__lte=filters.until)
    result = paginate(events.order_by("-created_at", "-id"), page)
    result["items"] = [_out(e) for e in result["items"]]
    return result
