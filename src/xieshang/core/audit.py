"""The one audit trail: every action writes its changes here inside its own transaction.

An *action group* is one user action (one click, one API call, one command); every row written while it is
open shares its ``group_id``. Actions open a group through :func:`action`; nested actions join the open one.
"""

import contextvars
import functools
import uuid
from dataclasses import dataclass, field

from django.db import transaction

_current = contextvars.ContextVar("xieshang_audit_group", default=None)


@dataclass
class ActionGroup:
    actor: object = None
    group_id: uuid.UUID = field(default_factory=uuid.uuid4)
    ip: str = ""
    via: str = ""


def current_group():
    return _current.get()


def request_context(request):
    """Where a request came from, for the audit rows of the actions it calls."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    via = "api" if request.path.startswith("/api/") else "web"
    return {"ip": ip[:45], "via": via}


_request_info = contextvars.ContextVar("xieshang_audit_request", default=None)


def set_request_info(info):
    return _request_info.set(info)


def reset_request_info(token):
    _request_info.reset(token)


def action(func):
    """Make ``func`` an action: one transaction, one audit group (joined if one is open).

    The wrapped function takes ``actor`` as a keyword argument (None means the system).
    """

    @functools.wraps(func)
    def wrapper(*args, actor, **kwargs):
        if _current.get() is not None:
            with transaction.atomic():
                return func(*args, actor=actor, **kwargs)
        info = _request_info.get() or {}
        group = ActionGroup(actor=actor, ip=info.get("ip", ""), via=info.get("via", "system" if actor is None else ""))
        token = _current.set(group)
        try:
            with transaction.atomic():
                return func(*args, actor=actor, **kwargs)
        finally:
            _current.reset(token)

    return wrapper


def _jsonable(value):
    from datetime import date, datetime, time, timedelta
    from decimal import Decimal

    from django.db.models import Model
    from django.utils.functional import Promise

    if isinstance(value, Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (Decimal, uuid.UUID, Promise)):
        # Lazy translations are frozen in the language active when the change happened.
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj, fields):
    """The audit-ready values of ``fields`` on ``obj`` (foreign keys as {id, repr})."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def diff(old, new):
    """{field: [old, new]} for each field whose value changed between two snapshots."""
    keys = list(dict.fromkeys([*old.keys(), *new.keys()]))
    return {k: [old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)}


def record(verb, target=None, *, changes=None, committee=None, note=""):
    """Write one audit row in the open action group. Must be called inside an action."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEvent

    group = _current.get()
    if group is None:
        raise RuntimeError("audit.record() called outside an action")
    if committee is None and target is not None:
        committee = getattr(target, "audit_committee", None)
    committee_id = getattr(committee, "pk", committee)
    # An anonymous or unsaved actor is recorded as the system rather than failing the action.
    actor = group.actor if getattr(group.actor, "pk", None) else None
    target_pk = getattr(target, "pk", None) if target is not None else None
    return AuditEvent.objects.create(
        group_id=group.group_id,
        actor=actor,
        actor_repr=_actor_repr(actor),
        committee_id=committee_id,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target_pk) if target_pk is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=_jsonable(changes or {}),
        note=str(note),
        ip=group.ip,
        via=group.via,
    )


def _actor_repr(actor):
    """The actor as people know them ("王建国（member）"), kept even if the account is deleted later."""
    if actor is None:
        return ""
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    username = actor.get_username() if hasattr(actor, "get_username") else str(actor)
    text = f"{full_name}（{username}）" if full_name and full_name != username else username
    return text[:150]
