"""What is indexed: one Provider per kind of item, declared in ``search/providers/``.

A provider turns one object into a :class:`Doc` (or None: "not searchable, drop it from the index"), says
which index entries of its kind a user may see (a ``Q`` over SearchEntry, evaluated inside the search query)
and in which committees they can lie (``scope``), and names the models whose changes must re-index its objects (``dependents``).
"""

import datetime
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Doc:
    committee_id: int
    title: str
    body: str = ""
    parent_id: int | None = None
    year: int | None = None
    session_id: int | None = None
    status: str = ""
    category: str = ""
    department_ids: tuple = ()
    sector_id: int | None = None
    date: datetime.datetime | None = None


@dataclass
class Provider:
    kind: str
    label: object
    model: type
    queryset: Callable  # () -> QuerySet of every indexable object, with what document() needs preloaded
    document: Callable  # (obj) -> Doc | None
    visible: Callable  # (user) -> Q over SearchEntry rows of this kind the user may see
    url: Callable  # (entry) -> str
    # (user) -> ids of the committees where the entries of this kind the user may see can lie (a superset of
    # theirs), or None when they can lie anywhere; lets PostgreSQL's GIN index narrow a search to them.
    scope: Callable | None = None
    # {model: function(instance) -> iterable of primary keys of this provider's model to re-index}
    dependents: dict = field(default_factory=dict)
    status_choices: tuple = ()


_providers: dict[str, Provider] = {}


def register(provider):
    _providers[provider.kind] = provider
    return provider


def get(kind):
    return _providers.get(kind)


def all_providers():
    return list(_providers.values())


def kind_choices():
    return [(p.kind, p.label) for p in _providers.values()]
