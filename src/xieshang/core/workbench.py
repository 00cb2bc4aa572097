"""我的待办: one registry of to-do providers; each app registers what waits for a user's action.

A provider is a callable ``provider(user) -> iterable[TodoItem]``. It must only return items the user may
act on, and should run a fixed number of queries whatever the number of items.
"""

import datetime
from dataclasses import dataclass

_PROVIDERS = []


@dataclass(frozen=True)
class TodoItem:
    kind: str  # a namespaced key, e.g. "org.import_failed"
    title: str
    url: str
    due: datetime.date | None = None
    committee: str = ""
    detail: str = ""
    overdue: bool = False


def register(provider):
    """Add a provider (usable as a decorator). Registering the same callable twice keeps one."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def items_for(user):
    """Every to-do for ``user``, soonest due first, undated last."""
    items = []
    for provider in _PROVIDERS:
        items.extend(provider(user))
    far = datetime.date.max
    return sorted(items, key=lambda i: (i.due or far, i.title))
