"""Writing and querying the index, the same on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

Writes: :func:`schedule` queues (kind, pk) and flushes once the transaction commits (see signals.py);
:func:`reindex` updates or drops one entry; :func:`rebuild` rebuilds everything in bulk through
:func:`bulk_index`, which tokenises in a process pool when asked and writes rows with one raw statement per
batch (``COPY`` on PostgreSQL, ``executemany`` on SQLite). Inside :func:`fulltext_deferred` the full-text
index is not maintained row by row but rebuilt once at the end (FTS5 ``rebuild``; GIN index dropped and
created again), which is what a full rebuild of a large index uses.
Reads: :func:`match` adds the full-text condition to a SearchEntry queryset.
"""

import contextlib
import multiprocessing
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, transaction
from django.utils import timezone

from . import normalize, registry
from .models import SearchEntry, TermCount

BATCH = 2000
DEFER_FULLTEXT_FROM = 20000  # a full rebuild of at least this many objects rebuilds the full-text index once
MAX_BODY = 20000  # characters of normalised text kept for snippets and similarity
TITLE_MAX = 300  # characters of the (normalised) title kept; SearchEntry.title's length
TERM_MAX = 60  # TermCount.term's length; a longer "word" (a run of Latin letters) is not counted

# SQLite's FTS5 merge settings: its defaults, and the one used while the full-text index is built in one pass.
FTS5_AUTOMERGE, FTS5_CRISISMERGE = 4, 16
BUILD_CRISISMERGE = 64
# SQLite: what the FTS5 index holds for an entry (migration 0010): its tokens and its scope tokens, a private-use
# character (U+E000, 57344) then c<committee id> and k<kind>. PostgreSQL's tsv holds the same as @c<id> and @k<kind>.
SCOPE_MARK = "\ue000"
FTS_INDEXED = "tokens || ' ' || char(57344) || 'c' || committee_id || ' ' || char(57344) || 'k' || kind"

_pending = threading.local()


def entry_values(doc):
    """The column values of SearchEntry for a Doc."""
    # Not at module level: similar imports query, which imports this module.
    from .similar import terms_norm

    norm_title = normalize.normalize(doc.title)
    norm_body = normalize.normalize(doc.body)[:MAX_BODY]
    tokens, words = normalize.tokens_and_words(norm_title + " \n " + norm_body)
    departments = " ".join(str(d) for d in sorted(set(doc.department_ids)))
    return {
        "committee_id": doc.committee_id,
        "parent_id": doc.parent_id,
        "title": doc.title[:TITLE_MAX],
        "norm_title": norm_title[:TITLE_MAX],
        "body": norm_body,
        "tokens": " ".join(tokens),
        "terms": " ".join(words),
        "norm": terms_norm(words),
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
    values = entry_values(doc) if doc is not None else None
    with transaction.atomic():
        before = SearchEntry.objects.select_for_update().filter(kind=kind, object_id=pk).values_list(
            "terms", flat=True).first()
        if values is None:
            SearchEntry.objects.filter(kind=kind, object_id=pk).delete()
            entry = None
        else:
            entry, _created = SearchEntry.objects.update_or_create(kind=kind, object_id=pk, defaults=values)
        old, new = set((before or "").split()), set(values["terms"].split() if values else ())
        count_terms({**dict.fromkeys(new - old, 1), **dict.fromkeys(old - new, -1)})
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


COLUMNS = ("kind", "object_id", "committee_id", "parent_id", "title", "norm_title", "body", "tokens", "terms",
           "norm", "year", "session_id", "status", "category", "departments", "sector_id", "date", "indexed_at")


def write_entries(rows):
    """Insert SearchEntry rows given as (kind, object_id, entry_values dict), with one statement per call.

    No model instances and no per-row SQL: ``COPY`` on PostgreSQL, ``executemany`` of one prepared INSERT on
    SQLite. The caller removes the entries being replaced first (the (kind, object_id) pair is unique).
    """
    if not rows:
        return 0
    now = timezone.now()
    table = SearchEntry._meta.db_table
    names = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for kind, object_id, v in rows:
                    copy.write_row((kind, object_id, *(v[c] for c in COLUMNS[2:-1]), now))
        else:
            adapt = connection.ops.adapt_datetimefield_value
            stamp = adapt(now)
            values = [(kind, object_id, *(v[c] for c in COLUMNS[2:-2]), adapt(v["date"]), stamp)
                      for kind, object_id, v in rows]
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                               values)
    return len(rows)


def _values_of(item):
    object_id, doc = item
    return object_id, entry_values(doc)


def _worker_init():
    # Pool workers never touch the database (the parent's connection is not theirs): segmentation uses the
    # dictionary loaded before the fork, and the periodic change check is switched off.
    from . import dictionary

    dictionary.freeze()


def bulk_index(kind, items, *, workers=1, batch=BATCH):
    """Write the entries of ``items``, an iterable of (object_id, Doc), in batches; returns how many.

    ``workers`` > 1 tokenises in that many forked processes (the database is written by this process only).
    The entries must not exist yet (delete them first, with their term counts); call inside a transaction.
    """
    n = 0
    counts = Counter()

    def flush(values):
        nonlocal n
        n += write_entries([(kind, object_id, v) for object_id, v in values])
        for _object_id, v in values:
            counts.update(v["terms"].split())

    if workers <= 1:
        values = []
        for object_id, doc in items:
            values.append((object_id, entry_values(doc)))
            if len(values) >= batch:
                flush(values)
                values = []
        flush(values)
        count_terms(counts)
        return n
    normalize.word_tables()  # load jieba, the committee's dictionary and the tokeniser's tables before forking
    # ``items`` is consumed here, in this thread (it may read the database inside the open transaction); the
    # workers get plain lists. Chunk k+1 is read while the workers tokenise chunk k.
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init) as pool:
        pending = None
        for chunk in _chunks(items, batch):
            submitted = pool.map_async(_values_of, chunk, chunksize=max(1, len(chunk) // (workers * 4)))
            if pending is not None:
                flush(pending.get())
            pending = submitted
        if pending is not None:
            flush(pending.get())
    count_terms(counts)
    return n


def _chunks(items, size):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextlib.contextmanager
def fulltext_deferred():
    """Within the block, inserts and deletes do not maintain the full-text index; it is rebuilt on exit.

    SQLite: the FTS5 sync triggers are dropped and re-created, then the FTS5 index is emptied and filled again
    from the whole table in one statement.
    PostgreSQL: the GIN index is dropped and built again (``maintenance_work_mem``: XS_SEARCH_BUILD_MEMORY); the
    table is locked for other writers and readers until the transaction ends, so use it for full rebuilds only.
    Must run inside a transaction (both databases have transactional DDL), so a failure restores everything.
    """
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_searchentry_tsv'")
            row = cursor.fetchone()
            if row:
                cursor.execute("DROP INDEX search_searchentry_tsv")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                           [table])
            triggers = [(name, sql) for name, sql in cursor.fetchall() if name.startswith("search_fts_")]
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if row:
                # The rows' deferred foreign-key checks must run first (no index build with pending events).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)",
                               [settings.XS_SEARCH_BUILD_MEMORY])
                cursor.execute(row[0])
            cursor.execute(f"ANALYZE {table}")
        else:
            # No merging of FTS5's segments while it re-reads the table, one merge at the end: a sixth less time
            # than merging as it goes (200,000 entries: 28.5 s against 33.9 s), and one segment to read after.
            # Then FTS5's defaults again, for the entries written one by one.
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', 0)")
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('crisismerge', %s)",
                           [BUILD_CRISISMERGE])
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
            cursor.execute(f"INSERT INTO search_fts(rowid, tokens) SELECT id, {FTS_INDEXED} FROM {table}")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('automerge', %s)", [FTS5_AUTOMERGE])
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('crisismerge', %s)",
                           [FTS5_CRISISMERGE])
            for _name, sql in triggers:
                cursor.execute(sql)


def rebuild(kinds=None, *, stdout=None, workers=1, defer=None):
    """Rebuild the entries of ``kinds`` (default: all) from the database; returns {kind: count}.

    One transaction. ``workers``: tokenising processes (see :func:`bulk_index`). ``defer``: rebuild the
    full-text index once instead of row by row (default: for a full rebuild of at least DEFER_FULLTEXT_FROM
    objects).
    """
    providers = [p for p in registry.all_providers() if not kinds or p.kind in kinds]
    if defer is None:
        defer = not kinds and sum(p.queryset().count() for p in providers) >= DEFER_FULLTEXT_FROM
    counts = {}
    with transaction.atomic():
        with fulltext_deferred() if defer else contextlib.nullcontext():
            if not kinds:
                TermCount.objects.all().delete()
            for provider in providers:
                if kinds:
                    uncount_entries(SearchEntry.objects.filter(kind=provider.kind))
                SearchEntry.objects.filter(kind=provider.kind).delete()
                docs = ((obj.pk, doc) for obj in provider.queryset().iterator(chunk_size=2000)
                        if (doc := provider.document(obj)) is not None)
                counts[provider.kind] = bulk_index(provider.kind, docs, workers=workers)
                if stdout is not None:
                    stdout.write(f"{provider.kind}: {counts[provider.kind]}\n")
        if connection.vendor == "sqlite" and not defer:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return counts


def count_terms(delta):
    """Add ``delta`` ({word: change in the number of entries holding it}) to TermCount, one upsert statement;
    words in a stable order, so concurrent updates lock the rows in the same order. A count never drops below
    zero (an entry removed outside the index's functions, by a cascade, leaves its words counted: harmless, the
    counts only choose which words to probe; ``search_rebuild`` recounts)."""
    rows = sorted((term, change) for term, change in delta.items() if change and len(term) <= TERM_MAX)
    if not rows:
        return
    table = TermCount._meta.db_table
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, entries) VALUES (%s, %s) ON CONFLICT (term) DO UPDATE "
            f"SET entries = {greatest}({table}.entries + %s, 0)",
            [(term, max(change, 0), change) for term, change in rows])


def uncount_entries(queryset):
    """Subtract the words of the entries of ``queryset`` from TermCount (before deleting them in bulk)."""
    counts = Counter()
    for terms in queryset.values_list("terms", flat=True).iterator(chunk_size=5000):
        counts.update(terms.split())
    count_terms({term: -n for term, n in counts.items()})


def recount_terms(using="default"):
    """Count again, from every entry, how many entries hold each word (TermCount); returns how many words."""
    from django.db import connections

    counts = Counter()
    for terms in SearchEntry.objects.using(using).values_list("terms", flat=True).iterator(chunk_size=5000):
        counts.update(terms.split())
    rows = [(term, n) for term, n in counts.items() if len(term) <= TERM_MAX]
    table = TermCount._meta.db_table
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.executemany(f"INSERT INTO {table} (term, entries) VALUES (%s, %s)", rows)
    return len(rows)


def match_query(tokens, *, any_token=False):
    """The full-text query string for the database in use: every token must be present (AND), or any of them."""
    if connection.vendor == "postgresql":
        return (" | " if any_token else " & ").join(
            "'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in tokens)
    return (" OR " if any_token else " AND ").join('"' + t.replace('"', '""') + '"' for t in tokens)


def match(queryset, tokens, *, any_token=False, scope=None):
    """``queryset`` (of SearchEntry) narrowed to entries containing every token (or any, ``any_token``); the
    full-text index also narrows to ``scope`` (see :func:`scope_query`), which the queryset's own conditions must
    imply."""
    if not tokens:
        return queryset
    q = match_query(tokens, any_token=any_token)
    if scope and uses_scope_lexemes():
        q = _and(q, scope_query(scope))
    table = SearchEntry._meta.db_table
    if connection.vendor == "postgresql":
        return queryset.extra(where=[f'"{table}"."tsv" @@ %s::tsquery'], params=[q])
    return queryset.extra(where=[f'"{table}"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)'],
                          params=[q])


def newest_matching_ids(queryset, tokens, limit, *, scope=None, visible=None):
    """The ids of the ``limit`` highest-id entries of ``queryset`` containing every token, highest first.

    The full-text index narrows the matches to ``scope`` ([(kind, committee ids)] where the queryset's entries can
    lie, see :func:`scope_query`). On SQLite the full-text table drives the query (its posting lists, intersected
    with the scope's, are read newest first and each posting is checked against the queryset's conditions), so the
    walk stops after ``limit`` hits however many entries match. On PostgreSQL the GIN index gives the matches in
    scope and the newest are kept (top-N sort), unless the tokens are common (:func:`walk_plan`, given ``visible``,
    the share of the entries the queryset holds when known): then reading every match would cost more than walking
    the entries newest first, see :func:`_newest_by_walk`.
    """
    if not tokens:
        return list(queryset.order_by("-id").values_list("id", flat=True)[:limit])
    if scope is not None and not scope:
        return []  # the entries can lie nowhere: nothing is visible
    q = _and(match_query(tokens), scope_query(scope)) if scope else match_query(tokens)
    table = SearchEntry._meta.db_table
    if connection.vendor == "postgresql":
        plan = walk_plan(tokens, limit, scope, visible=visible)
        if plan != "index":
            walked = _newest_by_walk(queryset, tokens, limit, scope if plan == "committees" else None)
            if walked is not None:
                return walked
        qs = queryset.extra(where=[f'"{table}"."tsv" @@ %s::tsquery'], params=[q]).order_by("-id")
    else:
        qs = queryset.extra(tables=["search_fts"], where=[f'search_fts.rowid = "{table}"."id"', "search_fts MATCH %s"],
                            params=[q], select={"fts_rowid": "search_fts.rowid"}).order_by("-fts_rowid")
    return list(qs.values_list("id", flat=True)[:limit])


def with_ids(queryset, ids):
    """``queryset`` narrowed to the entries with these ids: on PostgreSQL one array parameter (``id = ANY``), not
    one placeholder per id, which the driver would have to parse in every query of a page of results."""
    if connection.vendor == "postgresql":
        table = SearchEntry._meta.db_table
        return queryset.extra(where=[f'"{table}"."id" = ANY(%s)'], params=[[int(pk) for pk in ids]])
    return queryset.filter(pk__in=ids)


def uses_scope_lexemes():
    """Whether the full-text index holds each entry's committee and kind, to narrow a search to a scope (both
    databases: PostgreSQL since migration 0008, SQLite since 0010; tests switch it off to compare)."""
    return True


def scope_query(scope):
    """The full-text query of "in one of these (kind, committees)", per kind its kind and any of its committees,
    OR-ed: ``'@kkind' & ('@c1' | '@c2')`` for PostgreSQL, ``"\ue000kkind" AND ("\ue000c1" OR "\ue000c2")`` for
    FTS5."""
    if connection.vendor == "postgresql":
        return " | ".join(f"('@k{kind}' & (" + " | ".join(f"'@c{int(c)}'" for c in committees) + "))"
                          for kind, committees in scope)
    return " OR ".join(f'("{SCOPE_MARK}k{kind}" AND (' + " OR ".join(f'"{SCOPE_MARK}c{int(c)}"' for c in committees)
                       + "))" for kind, committees in scope)


def _and(query, other):
    return f"({query}) {'&' if connection.vendor == 'postgresql' else 'AND'} ({other})"


# PostgreSQL: how a search finds its newest ``limit`` matches (walk_plan), by the rows each way reads, counted as
# rows of one committee read at random (a heap page each, about 2.6 µs at 1,000,000 entries):
#   index:      the GIN index's matches in scope, share · in-scope rows, all read and sorted, plus the scope's kind
#               and committee postings it intersects them with, about SCOPE_POSTINGS_COST · in-scope rows;
#   committees: each in-scope (kind, committee) walked newest first along the (committee, kind, id) index,
#               about limit / share rows (at most that pair's rows);
#   walk:       the primary key walked newest first, limit / (share · visible share) rows, which lie side by side
#               (PK_ROW_COST each: 0.3 when the table is in memory, far less than random rows when it is read from
#               disk; 0.1 halved the sysadmin's p95 at 1,000,000 entries).
# Without a scope the user is taken to see one entry in WALK_VISIBLE (a member of one committee among twenty).
# Calibrated at 100,000 and 1,000,000 entries for a member of one committee among twenty (docs/benchmarks.md).
WALK_VISIBLE = 20
PK_ROW_COST = 0.1
SCOPE_POSTINGS_COST = 0.1
# More (kind, committee) pairs than this are not walked one by one: each repeats the visibility condition.
MAX_WALKED_PAIRS = 8
STATS_SECONDS = 600
_stats = {"at": None, "key": None, "shares": {}, "entries": 0}


def _lexeme_stats():
    """({lexeme: share of entries holding it} for the most common lexemes ANALYZE keeps for ``tsv`` and the scope
    lexemes of the most common committees and kinds, estimated number of entries), read from PostgreSQL's
    statistics at most every STATS_SECONDS."""
    if connection.vendor != "postgresql":
        return {}, 0  # only PostgreSQL plans how to find the matches (see walk_plan)
    key = connection.settings_dict["NAME"]
    now = time.monotonic()
    if _stats["key"] != key or _stats["at"] is None or now - _stats["at"] > STATS_SECONDS:
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                           "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'tsv'", [table])
            row = cursor.fetchone()
            shares = dict(zip(row[0], row[1])) if row and row[0] else {}
            # The scope lexemes' shares from the columns' own statistics (every committee and kind is listed
            # there; a committee's lexeme may be too rare for the lexeme list).
            cursor.execute("SELECT attname, most_common_vals::text::text[], most_common_freqs FROM pg_stats "
                           "WHERE schemaname = current_schema() AND tablename = %s "
                           "AND attname IN ('committee_id', 'kind')", [table])
            for column, values, freqs in cursor.fetchall():
                prefix = "@c" if column == "committee_id" else "@k"
                shares.update({prefix + value: freq for value, freq in zip(values or (), freqs or ())})
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            entries = cursor.fetchone()[0]
        _stats.update(at=now, key=key, shares=shares, entries=max(entries, 0))
    return _stats["shares"], _stats["entries"]


def walk_plan(tokens, limit, scope=None, *, visible=None):
    """PostgreSQL: how the newest ``limit`` matches of ``tokens`` are found most cheaply for a user whose entries
    lie in ``scope``: "index" (the GIN index), "committees" (each in-scope (kind, committee) walked newest first)
    or "walk" (the primary key walked newest first); see the costs above. The share of entries holding every token
    is estimated from ANALYZE's statistics (independent tokens; a token missing from them is rare, share 0), and so
    are the shares of the scope's kinds and committees. Without a scope, ``visible`` is the share of the entries the
    user sees when it is known (the sysadmin: every entry of the kinds asked for), else 1 / WALK_VISIBLE.
    """
    shares, entries = _lexeme_stats()
    share = 1.0
    for token in tokens:
        share *= shares.get(token, 0.0)
    if share <= 0:
        return "index"
    if not scope:
        seen = visible if visible else 1 / WALK_VISIBLE
        costs = {"index": share * entries}
    else:
        pairs = [(kind, c) for kind, committees in scope for c in committees]
        pair_rows = [shares.get(f"@k{kind}", 0.0) * shares.get(f"@c{c}", 0.0) * entries for kind, c in pairs]
        in_scope = min(float(entries), sum(pair_rows))
        if in_scope <= 0:
            return "index"
        seen = in_scope / entries
        costs = {"index": (share + SCOPE_POSTINGS_COST) * in_scope}
        if len(pairs) <= MAX_WALKED_PAIRS:
            costs["committees"] = sum(min(rows, limit / share) for rows in pair_rows)
    costs["walk"] = limit / share / seen * PK_ROW_COST
    return min(costs, key=costs.get)


def share_of_kinds(kinds=None):
    """The share of the entries that are of ``kinds`` (all: 1), from PostgreSQL's statistics."""
    if kinds is None:
        return 1.0
    shares, _entries = _lexeme_stats()
    return min(1.0, sum(shares.get(f"@k{kind}", 0.0) for kind in kinds))


def walk_match(tokens):
    """(SQL, params): true exactly when an entry holds every token, as ``tsv @@ match_query(tokens)``, but reading
    the entry's normalised title and body (in the row) instead of its large out-of-line ``tsv`` for Han tokens.

    A Han token (a character or a bigram of a Han run) is among an entry's tokens exactly when it occurs in the
    text they were cut from: the normalised title and body, which are stored, except the title beyond TITLE_MAX
    characters; for such a title the ``tsv`` decides. Latin and digit tokens are whole words: the ``tsv`` decides.
    """
    table = SearchEntry._meta.db_table
    han = [t for t in tokens if normalize.HAN_RE.match(t)]
    other = [t for t in tokens if t not in han]
    parts, params = [], []
    for token in han:
        parts.append(f'(strpos("{table}"."norm_title", %s) > 0 OR strpos("{table}"."body", %s) > 0)')
        params += [token, token]
    if other:
        parts.append(f'"{table}"."tsv" @@ %s::tsquery')
        params.append(match_query(other))
    if not han:
        return parts[0], params
    sql = (f'(({" AND ".join(parts)}) OR (char_length("{table}"."norm_title") >= %s '
           f'AND "{table}"."tsv" @@ %s::tsquery))')
    return sql, [*params, TITLE_MAX, match_query(tokens)]


def _newest_by_walk(queryset, tokens, limit, scope=None):
    """PostgreSQL, common tokens: the newest ``limit`` matching ids by walking entries newest first, the queryset's
    conditions tested before the token match (``CASE``) and the match read from the row's text (:func:`walk_match`),
    so that no entry has its (large, out-of-line) ``tsv`` read. The way FTS5 drives the query on SQLite, from the
    other side. With a ``scope`` each of its (kind, committee) pairs is walked along the (committee, kind, id)
    index, at most ``limit`` matches each, and the newest of all are kept; without, the primary key is walked.
    None when the conditions cannot be lifted out of the queryset (they involve a join).
    """
    table = SearchEntry._meta.db_table
    query = queryset.query
    if any(count for alias, count in query.alias_refcount.items() if alias != query.base_table):
        return None
    try:
        where, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:
        return []
    except FullResultSet:
        where, params = "", []
    match, match_params = walk_match(tokens)
    condition = f"CASE WHEN {where} THEN {match} ELSE false END" if where else match
    select, newest = f'SELECT "{table}"."id" FROM "{table}" WHERE ', f' ORDER BY "{table}"."id" DESC LIMIT %s'
    if not scope:
        sql, args = select + condition + newest, [*params, *match_params, limit]
    else:
        pairs = [(kind, int(c)) for kind, committees in scope for c in committees]
        in_pair = f'"{table}"."committee_id" = %s AND "{table}"."kind" = %s AND '
        walks = " UNION ALL ".join(f"({select}{in_pair}{condition}{newest})" for _pair in pairs)
        sql = f"SELECT id FROM ({walks}) AS walked ORDER BY id DESC LIMIT %s"
        args = [arg for kind, c in pairs for arg in (c, kind, *params, *match_params, limit)] + [limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [pk for (pk,) in cursor.fetchall()]
