"""我的待办: one registry of to-do providers; each app registers what waits for a user's action.

A provider is a callable ``provider(user) -> iterable[TodoItem]``. It must only return items the user may
act on, and should run a fixed number of queries whatever the number of items. Apps name the kinds of item
they produce with :func:`register_kind`, so the workbench can head each group::

    workbench.register_kind("proposals.to_reply", gettext_lazy("…"))

    @workbench.register
    def assignments_to_reply(user):
        ...

A provider whose lists can be long (a department with hundreds of open cases) may also accept a keyword
argument ``limit``. The workbench page then calls ``provider(user, limit=n)``; the provider returns, for each
kind, its ``n`` most urgent items (soonest due first, undated last) and one :class:`MoreItems` saying how many
it left out and how many of those are overdue, so that its queries can be limited rather than building every
item. Called without ``limit`` (by the API, by :func:`items_for`) it returns every item, as any provider does.
Providers that take no ``limit`` keep working unchanged. (Among items due the same day, which of them make the
cut is the provider's choice; the page then orders the shown ones by title, as always.)
"""

import dataclasses
import datetime
import inspect
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


@dataclass(frozen=True)
class MoreItems:
    """What a provider called with ``limit`` left out: ``count`` more items of ``kind``, ``overdue`` of them overdue."""

    kind: str
    count: int
    overdue: int = 0


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


def accepts_limit(provider):
    """Whether ``provider`` takes the optional ``limit`` keyword (see the module's docstring)."""
    try:
        parameters = inspect.signature(provider).parameters
    except (TypeError, ValueError):
        return False
    limit = parameters.get("limit")
    return limit is not None and limit.kind in (inspect.Parameter.KEYWORD_ONLY,
                                                inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _collect(user, limit=None):
    """(items, more): every provider's output; providers that take ``limit`` are called with it when given."""
    items, more = [], []
    for provider in _PROVIDERS:
        try:
            produced = list(provider(user, limit=limit) if limit is not None and accepts_limit(provider)
                            else provider(user))
        except Exception:
            logger.exception("workbench provider %s failed for user %s", getattr(provider, "__name__", provider),
                             getattr(user, "pk", None))
            continue
        for entry in produced:
            (more if isinstance(entry, MoreItems) else items).append(entry)
    return items, more


def _by_urgency(items):
    far = datetime.date.max
    return sorted(items, key=lambda i: (i.due or far, i.title))


def items_for(user):
    """Every to-do for ``user``, soonest due first, undated last (ties by title).

    A provider that raises is logged and left out, so one broken app never hides the rest of the list.
    """
    items, _more = _collect(user)
    return _by_urgency(items)


def groups_for(user, today):
    """The user's to-dos grouped by kind; groups ordered by their most urgent item, as in :func:`items_for`.

    Each item's ``overdue`` is set when its due date is before ``today``. A group keeps its
    MAX_SHOWN_PER_GROUP most urgent items; ``total`` and ``overdue`` count them all, including the items a
    provider called with ``limit`` did not build (its :class:`MoreItems`).
    """
    items, more = _collect(user, limit=MAX_SHOWN_PER_GROUP)
    groups = {}

    def group_of(kind):
        group = groups.get(kind)
        if group is None:
            group = groups[kind] = TodoGroup(kind=kind, label=kind_label(kind), items=[])
        return group

    for item in _by_urgency(items):
        item = dataclasses.replace(item, overdue=item.is_overdue(today))
        group = group_of(item.kind)
        group.total += 1
        if len(group.items) < MAX_SHOWN_PER_GROUP:
            group.items.append(item)
        if item.overdue:
            group.overdue += 1
    for extra in more:
        if extra.count > 0:
            group = group_of(extra.kind)
            group.total += extra.count
            group.overdue += extra.overdue
    return list(groups.values())


register_kind("org.import_failed", _("导入失败待处理"))
register_kind("core.calendar_missing", _("节假日安排待载入"))
