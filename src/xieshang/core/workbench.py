"""我的待办: one registry of to-do providers; each app registers what waits for a user's action.

A provider is a callable ``provider(user) -> iterable[TodoItem]``. It must only return items the user may
act on, and should run a fixed number of queries whatever the number of items. Apps name the kinds of item
they produce with :func:`register_kind`, so the workbench can head each group::

    workbench.register_kind("proposals.to_reply", gettext_lazy("…"))

    @workbench.register
    def assignments_to_reply(user):
        ...
"""

import dataclasses
import datetime
import logging
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("xieshang.workbench")

_PROVIDERS = []
_KIND_LABELS = {}


@dataclass(frozen=True)
class TodoItem:
    kind: str  # a namespaced key, e.g. "org.import_failed"
    title: str
    url: str
    due: datetime.date | None = None
    committee: str = ""
    detail: str = ""
    overdue: bool = False

    def is_overdue(self, today):
        """Overdue when the provider says so or the due date has passed."""
        return self.overdue or (self.due is not None and self.due < today)


# A group shows its most urgent items only: a department with hundreds of open cases works from its own list.
MAX_SHOWN_PER_GROUP = 30


@dataclass
class TodoGroup:
    kind: str
    label: str
    items: list  # the most urgent MAX_SHOWN_PER_GROUP items
    total: int = 0
    overdue: int = 0  # over all items of the group, shown or not

    @property
    def hidden(self):
        return self.total - len(self.items)


def register(provider):
    """Add a provider (usable as a decorator). Registering the same callable twice keeps one."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister(provider):
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def providers():
    """The registered providers, in registration order."""
    return list(_PROVIDERS)


def register_kind(kind, label):
    """Name a kind of to-do for the workbench's group headings."""
    _KIND_LABELS[kind] = label


def kind_label(kind):
    """The kind's label in the active language, or the raw kind when none is registered."""
    label = _KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def items_for(user):
    """Every to-do for ``user``, soonest due first, undated last (ties by title).

    A provider that raises is logged and left out, so one broken app never hides the rest of the list.
    """
    items = []
    for provider in _PROVIDERS:
        try:
            items.extend(provider(user))
        except Exception:
            logger.exception("workbench provider %s failed for user %s", getattr(provider, "__name__", provider), user.pk)
    far = datetime.date.max
    return sorted(items, key=lambda i: (i.due or far, i.title))


def groups_for(user, today):
    """The user's to-dos grouped by kind; groups ordered by their most urgent item, as in :func:`items_for`.

    Each item's ``overdue`` is set when its due date is before ``today``. A group keeps its
    MAX_SHOWN_PER_GROUP most urgent items; ``total`` and ``overdue`` count them all.
    """
    groups = {}
    for item in items_for(user):
        item = dataclasses.replace(item, overdue=item.is_overdue(today))
        group = groups.get(item.kind)
        if group is None:
            group = groups[item.kind] = TodoGroup(kind=item.kind, label=kind_label(item.kind), items=[])
        group.total += 1
        if len(group.items) < MAX_SHOWN_PER_GROUP:
            group.items.append(item)
        if item.overdue:
            group.overdue += 1
    return list(groups.values())


register_kind("org.import_failed", _("导入失败待处理"))
register_kind("core.calendar_missing", _("节假日安排待载入"))
