"""An object's own history, read from the audit trail (see templates/includes/timeline.html).

Later apps decide what each party may see of an item's history (a member need not see internal routing
notes), so the caller can narrow the rows by verb or by any predicate over the row and the viewer.
"""

from django.db.models import Q

from . import verbs
from .models import AuditEvent


def for_object(obj, user=None, *, visible_verbs=None, predicate=None, limit=None):
    """The AuditEvent rows about ``obj``, newest first, each with ``verb_label`` (translated) and ``change_list``.

    ``visible_verbs``: an iterable of verbs (or of prefixes ending in "." such as ``"proposals."``) to keep;
    None keeps every verb. ``predicate(event, user) -> bool``: a further filter applied in Python after the
    query, for rules a query cannot express. ``limit`` caps the number of rows read.

    Reading is one query whatever the number of rows. The caller is responsible for having checked that
    ``user`` may see ``obj`` at all; this function only narrows which of its events are shown.
    """
    events = AuditEvent.objects.for_object(obj).order_by("-created_at", "-id")
    if visible_verbs is not None:
        condition = Q(pk__in=[])
        for verb in visible_verbs:
            condition |= Q(verb__startswith=verb) if verb.endswith(".") else Q(verb=verb)
        events = events.filter(condition)
    if limit is not None:
        events = events[:limit]
    rows = []
    for event in events:
        if predicate is not None and not predicate(event, user):
            continue
        rows.append(_label(event))
    return rows


def label_events(events):
    """Give each of ``events`` its ``verb_label`` and ``change_list`` (for pages that fetched rows themselves)."""
    for event in events:
        _label(event)
    return events


def change_list(changes):
    """``changes`` as rows for display: [{"field", "old", "new", "pair"}].

    Actions record ``{field: [old, new]}``; a value of any other shape is shown as it is (``pair`` False,
    the value in ``new``). A related object, recorded by ``audit.snapshot`` as ``{"id", "repr"}``, shows as its
    text.
    """
    rows = []
    if not isinstance(changes, dict):
        return [{"field": "", "old": None, "new": _shown(changes), "pair": False}] if changes else []
    for field, value in changes.items():
        if isinstance(value, (list, tuple)) and len(value) == 2:
            rows.append({"field": field, "old": _shown(value[0]), "new": _shown(value[1]), "pair": True})
        else:
            rows.append({"field": field, "old": None, "new": _shown(value), "pair": False})
    return rows


def _shown(value):
    if isinstance(value, dict) and set(value) == {"id", "repr"}:
        return value["repr"]
    return value


def _label(event):
    event.verb_label = verbs.label(event.verb)
    event.change_list = change_list(event.changes)
    return event
