"""Writing and querying the index, the same on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Writes: :func:`schedule` queues (kind, pk) and flushes once the transaction commits (see signals.py);
:func:`reindex` updates or drops one entry; :func:`rebuild` rebuilds everything in bulk.
Reads: :func:`match_sql` adds the full-text condition to a SearchEntry queryset.
"""

import threading

from django.db import connection, transaction

from . import normalize, registry
from .models import SearchEntry

BATCH = 1000
MAX_BODY = 20000  # characters of normalised text kept for snippets and similarity

_pending = threading.local()


def entry_values(doc):
    """The column values of SearchEntry for a Doc."""
    norm_title = normalize.normalize(doc.title)
    norm_body = normalize.normalize(doc.body)[:MAX_BODY]
    tokens = normalize.index_tokens(norm_title + " \n " + norm_body, normalized=True)
    departments = " ".join(str(d) for d in sorted(set(doc.department_ids)))
    return {
        "committee_id": doc.committee_id,
        "parent_id": doc.parent_id,
        "title": doc.title[:300],
        "norm_title": norm_title[:300],
        "body": norm_body,
        "tokens": " ".join(tokens),
        "year": doc.year,
        "session_id": doc.session_id,
        "status": doc.status or "",
        "category": (doc.category or "")[:40],
        "departments": f" {departments} " if departments else "",
        "sector_id": doc.sector_id,
        "date": doc.date,
    }


def reindex(kind, pk):
    """Bring the entry of (kind, pk) up to date: write it, or delete it when the object is gone or unsearchable."""
    provider = registry.get(kind)
    obj = provider.queryset().filter(pk=pk).first()
    doc = provider.document(obj) if obj is not None else None
    if doc is None:
        SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
        return None
    entry, _created = SearchEntry.objects.update_or_create(kind=kind, object_id=pk, defaults=entry_values(doc))
    return entry


def _flush():
    items = getattr(_pending, "items", None) or set()
    _pending.items = set()
    for kind, pk in sorted(items):
        reindex(kind, pk)


def schedule(kind, pk):
    """Re-index (kind, pk) once the current transaction commits (at once outside a transaction).

    Several changes to one object in a transaction cost one re-index.
    """
    items = getattr(_pending, "items", None)
    if items is None:
        items = _pending.items = set()
    items.add((kind, pk))
    # One callback per call: a rolled-back transaction drops its callbacks, and the next commit must still
    # flush. The first flush empties the set, so the others find nothing to do. Robust: a failing re-index is
    # logged and never turns the committed action into an error page (search_rebuild repairs the index).
    transaction.on_commit(_flush, robust=True)


def rebuild(kinds=None, *, stdout=None):
    """Rebuild the entries of ``kinds`` (default: all) from the database; returns {kind: count}."""
    counts = {}
    for provider in registry.all_providers():
        if kinds and provider.kind not in kinds:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=provider.kind).delete()
            batch, n = [], 0
            for obj in provider.queryset().iterator(chunk_size=2000):
                doc = provider.document(obj)
                if doc is None:
                    continue
                batch.append(SearchEntry(kind=provider.kind, object_id=obj.pk, **entry_values(doc)))
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    n += len(batch)
                    batch = []
            if batch:
                SearchEntry.objects.bulk_create(batch)
                n += len(batch)
        counts[provider.kind] = n
        if stdout is not None:
            stdout.write(f"{provider.kind}: {n}\n")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return counts


def match_query(tokens):
    """The full-text query string for the database in use: every token must be present (AND)."""
    if connection.vendor == "postgresql":
        return " & ".join("'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in tokens)
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def match(queryset, tokens):
    """``queryset`` (of SearchEntry) narrowed to entries containing every token."""
    if not tokens:
        return queryset
    q = match_query(tokens)
    table = SearchEntry._meta.db_table
    if connection.vendor == "postgresql":
        return queryset.extra(where=[f'"{table}"."tsv" @@ %s::tsquery'], params=[q])
    return queryset.extra(where=[f'"{table}"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)'],
                          params=[q])
