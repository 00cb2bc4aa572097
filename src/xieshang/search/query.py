"""The one search: a query plus filters → the entries the user may see, ranked, with highlighted snippets.

Permissions are part of the query (each provider's ``visible(user)`` condition), so counts, pages and
snippets only ever come from visible entries. Ranking is plain SQL that both databases evaluate the same way:
entries whose title contains more of the query's terms first, then newer first, then by id.

Bounded work: the ranking and the count look at no more than ``RANK_WINDOW`` matches, the most recently
indexed ones (highest ids, which the full-text index yields in order). A query matching more (a one-character
query over a large index) reports ``RANK_WINDOW`` results as a lower bound (``SearchResults.capped``) and
ranks within them; a query with fewer matches is ranked and counted exactly.
"""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from xieshang.org import roles

from . import index, normalize, registry
from .models import SearchEntry


RANK_WINDOW = 1000


class SearchResults(QuerySet):
    """The ranked results of :func:`search`: a SearchEntry queryset whose count stops at RANK_WINDOW.

    ``is_capped`` is true when the query matched more than RANK_WINDOW entries (the count is a lower bound).
    ``window_count``: how many entries the window holds, known when it was read, so that counting the results
    (the paginator does) costs no query, as long as the conditions are those the window was read with
    (``window_where``); results filtered further are counted by the database.
    """

    is_capped = False
    window_count = None
    window_where = None

    def _clone(self):
        clone = super()._clone()
        clone.is_capped = self.is_capped
        clone.window_count, clone.window_where = self.window_count, self.window_where
        return clone

    def count(self):
        if self.window_count is not None and not self.query.is_sliced and self.query.where == self.window_where:
            return self.window_count
        return super().count()


@dataclass
class Filters:
    kind: str = ""
    committee_id: int | None = None
    year: int | None = None
    session_id: int | None = None
    status: str = ""
    category: str = ""
    department_id: int | None = None
    sector_id: int | None = None


def visible_q(user, kinds=None):
    """A Q over SearchEntry matching exactly the entries ``user`` may see (nothing for anonymous users); with
    ``kinds``, only the entries of those kinds (the other kinds' conditions are left out of the query)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for provider in registry.all_providers():
        if kinds is None or provider.kind in kinds:
            condition |= provider.visible(user)
    return condition


def scope_lexemes(user, kinds=None):
    """The index lexemes of where ``user``'s visible entries can lie, as [(kind, committee ids)] for PostgreSQL's
    GIN index to narrow a search with (index.scope_query); None when the entries of some kind can lie anywhere
    (a provider without ``scope``, or the sysadmin). A superset only: the visibility condition still decides."""
    out = []
    for provider in registry.all_providers():
        if kinds is not None and provider.kind not in kinds:
            continue
        committees = provider.scope(user) if provider.scope else None
        if committees is None:
            return None
        if committees:
            out.append((provider.kind, sorted(set(committees))))
    return out


def _in_committee(scope, committee_id, kinds):
    """The scope of a search filtered to one committee: that committee for each kind whose scope holds it; for
    the sysadmin (``scope`` None: anywhere), for each kind asked for."""
    if scope is None:
        return [(provider.kind, [committee_id]) for provider in registry.all_providers()
                if kinds is None or provider.kind in kinds]
    return [(kind, [committee_id]) for kind, committees in scope if committee_id in committees]


def search(user, text, filters=None):
    """A queryset of the SearchEntry rows ``user`` may see that match ``text`` and ``filters``, ranked."""
    filters = filters or Filters()
    qs = SearchEntry.objects.filter(visible_q(user, [filters.kind] if filters.kind else None))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.committee_id:
        qs = qs.filter(committee_id=filters.committee_id)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.session_id:
        qs = qs.filter(session_id=filters.session_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.department_id:
        qs = qs.filter(departments__contains=f" {int(filters.department_id)} ")
    if filters.sector_id:
        qs = qs.filter(sector_id=filters.sector_id)
    terms = normalize.query_terms(text or "")
    tokens = normalize.query_tokens(text or "")
    # The ids of the newest RANK_WINDOW matches first (an ordered walk that stops early; read here, not as a
    # subquery, since the full-text condition names the table), then only those rows are ranked.
    kinds = [filters.kind] if filters.kind else None
    scope, visible = None, None
    if tokens and index.uses_scope_lexemes():
        scope = scope_lexemes(user, kinds)
        if filters.committee_id:
            scope = _in_committee(scope, filters.committee_id, kinds)
        elif scope is None and filters == Filters(kind=filters.kind) and roles.is_sysadmin(user):
            visible = index.share_of_kinds(kinds)  # the sysadmin sees every entry of the kinds asked for
    window = index.newest_matching_ids(qs, tokens, RANK_WINDOW + 1, scope=scope, visible=visible)
    ranked = index.with_ids(SearchResults(model=SearchEntry), window[:RANK_WINDOW])
    ranked.is_capped = len(window) > RANK_WINDOW
    ranked.window_count, ranked.window_where = len(window[:RANK_WINDOW]), ranked.query.where.clone()
    if terms:
        hits = sum((Case(When(norm_title__contains=t, then=Value(1)), default=Value(0), output_field=IntegerField())
                    for t in terms), Value(0))
        ranked = ranked.annotate(title_hits=hits).order_by("-title_hits", F("date").desc(nulls_last=True), "-id")
    else:
        ranked = ranked.order_by(F("date").desc(nulls_last=True), "-id")
    return ranked.select_related("committee")


def _ranges(text, terms):
    """Sorted, merged (start, end) ranges of the terms' occurrences in ``text``."""
    spans = []
    for term in terms:
        if not term:
            continue
        start = text.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = text.find(term, start + len(term))
    spans.sort()
    merged = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _mark(text, ranges):
    """``text`` HTML-escaped, with each range wrapped in <mark> (escaping first, piece by piece)."""
    out, last = [], 0
    for s, e in ranges:
        out.append(escape(text[last:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        last = e
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _match_terms(text, query):
    """The strings to highlight: the query's terms found literally, or else their bigrams/characters."""
    terms = normalize.query_terms(query or "")
    literal = [t for t in terms if t in text]
    if literal:
        return literal
    return [t for t in normalize.query_tokens(query or "") if t in text]


def highlight(text, query):
    """All of ``text`` escaped, with the query's matches marked."""
    lowered = (text or "").lower()
    return _mark(text or "", _ranges(lowered, _match_terms(lowered, query)))


def snippet(body, query, width=80):
    """A window of ``body`` (normalised text) around the first match, escaped, with the matches marked."""
    body = body or ""
    terms = _match_terms(body, query)
    ranges = _ranges(body, terms)
    if not ranges:
        piece = body[:width]
        return _mark(piece + ("…" if len(body) > width else ""), [])
    first = ranges[0][0]
    start = max(0, first - width // 3)
    end = min(len(body), start + width)
    piece = body[start:end]
    local = [(max(s, start) - start, min(e, end) - start) for s, e in ranges if s < end and e > start]
    html = _mark(piece, local)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(body) else ""))


def result_rows(entries, query):
    """Display rows for a page of entries: kind label, title with marks, snippet, URL."""
    rows = []
    for entry in entries:
        provider = registry.get(entry.kind)
        rows.append({
            "entry": entry,
            "kind": entry.kind,
            "kind_label": provider.label if provider else entry.kind,
            "title_html": highlight(entry.title, query),
            "snippet_html": snippet(entry.body, query),
            "url": provider.url(entry) if provider else "",
        })
    return rows
