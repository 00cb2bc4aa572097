"""Similar items (并案 candidates) and department suggestions, explainable and the same on both databases.

Score of a candidate for a text (title + body), both in 0–1:

- title similarity: character bigrams of the two titles without boilerplate (关于…的建议), the mean of
  containment (shared / smaller set) and Jaccard; titles carry most of the signal for same-issue pairs;
- body similarity: cosine over the word sets, each word weighted by its IDF (jieba's general-corpus IDF
  table, so nothing is tuned to this committee's data); a candidate's words are its indexed tokens that are
  words (3+ characters, or 2 characters known to jieba's dictionary).

``score = 0.6 · title + 0.4 · body`` when both texts have a body, the title similarity alone otherwise.
Candidates come from the index (the posting lists of the text's words that the fewest entries hold, or title
bigrams, ranked by the IDF they share; see :func:`probe_words`, :func:`_candidates`) and are always filtered by
what the user may see. Each entry's words and the length of their IDF vector are stored at index time
(``SearchEntry.terms``, ``SearchEntry.norm``), so scoring a candidate sums over the shared words only. Department
suggestions are a nearest-neighbour vote over similar filed proposals, backed off to the department kind
(docs/adr/0006-search.md).
"""

import math
import re
from dataclasses import dataclass, field
from itertools import repeat

from django.db.models import BooleanField, ExpressionWrapper, Q

from . import index, normalize
from .models import SearchEntry, TermCount
from .query import visible_q

BOILERPLATE = re.compile(r"关于|的建议|建议|的提案|提案|的意见|意见|的问题|问题|进一步|加强|加快|推进|完善")
CANDIDATES = 150  # best-ranked candidates read and scored (see docs/benchmarks.md, Search)
MAX_MATCHES = 4000  # entries holding a probe word read per check, newest first
PROBE_WORDS = 8
SIMILAR_KINDS = ("proposal", "opinion")
NEIGHBOUR_FLOOR = 0.1  # least similarity of a past proposal whose departments vote in a suggestion
FILED = ("filed", "assigned", "in_progress", "replied", "rehandle", "archived")

_idf = None


def idf_table():
    global _idf
    if _idf is None:
        from jieba import analyse

        table = analyse.default_tfidf
        _idf = (table.idf_freq, table.median_idf)
    return _idf


def idf(word):
    table, median = idf_table()
    return table.get(word, median)


def title_bigrams(norm_title):
    return normalize.bigrams(BOILERPLATE.sub(" ", norm_title))


def title_similarity(a, b):
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return 0.5 * (shared / min(len(a), len(b)) + shared / len(a | b))




def text_words(norm_text):
    """The IDF-weighted content words of normalised text (2+ characters, not stop words)."""
    return {w for w in normalize.words(norm_text) if len(w) >= 2 and not w.isdigit() and idf(w) > 3.0}


def entry_words(entry):
    """The word tokens of an entry (``normalize.content_words`` of its tokens, stored at index time)."""
    return set(entry.terms.split())


_idf2 = None


def idf2_table():
    """(squared IDF of every word of jieba's table, squared median) for :func:`cosine`, built once."""
    global _idf2
    if _idf2 is None:
        table, median = idf_table()
        _idf2 = ({w: v * v for w, v in table.items()}, median * median)
    return _idf2


def _sum_weights(words, table, default):
    # map with two iterables keeps the loop in C: table.get(word, default) for each word. fsum: the result does
    # not depend on the order of the set (which changes from process to process), so a norm stored by one
    # process and one computed by another agree exactly.
    return math.fsum(map(table.get, words, repeat(default, len(words))))


def terms_norm(words):
    """The length of an entry's IDF vector, sqrt(Σ idf²) over its distinct words; stored at index time
    (``SearchEntry.norm``) so that a similar-item check sums over the shared words only."""
    table, default = idf2_table()
    words = set(words)
    return math.sqrt(_sum_weights(words, table, default)) if words else 0.0


def cosine(a, b):
    """IDF-weighted cosine of two word sets, and the shared words, rarest first."""
    if not a or not b:
        return 0.0, []
    shared = a & b
    if not shared:
        return 0.0, []
    table, default = idf2_table()
    dot = _sum_weights(shared, table, default)
    return dot / (terms_norm(a) * terms_norm(b)), sorted(shared, key=idf, reverse=True)


@dataclass
class Match:
    entry: SearchEntry
    score: float
    title_score: float
    body_score: float
    shared_terms: list = field(default_factory=list)

    @property
    def percent(self):
        return round(self.score * 100)


def probe_words(words):
    """The PROBE_WORDS of ``words`` that the fewest entries hold (at least one), the rarer by IDF first on a tie.

    A general-corpus IDF alone is not enough: a word rare in general writing can be a character pair common
    across word boundaries (天安 in 天安门, 石首 in 基石首先), whose posting list is long.
    """
    counts = dict(TermCount.objects.filter(term__in=words).values_list("term", "entries"))
    held = [w for w in words if counts.get(w, 0) > 0]
    return sorted(held, key=lambda w: (counts[w], -idf(w), w))[:PROBE_WORDS]


def _candidates(user, committee_id, probe, kinds, exclude, *, probes_are_words=True):
    """Up to CANDIDATES visible entries of ``kinds`` in the committee sharing the most (IDF-weighted) probe words.

    One query reads the entries holding any probe word (the union of their posting lists, newest first, at most
    MAX_MATCHES) with their words; they are ranked in Python by the summed IDF of the probe words they hold, and
    only the best are read whole. A probe word is in an entry's tokens exactly when it is in its ``terms`` (both
    hold the dictionary words of the text), so the words tell which probes matched; probes that are not words
    (title bigrams, ``probes_are_words`` false) are looked up in the tokens. The same on both databases.
    """
    qs = index.match(SearchEntry.objects.filter(visible_q(user, kinds), committee_id=committee_id, kind__in=kinds),
                     probe, any_token=True, scope=[(kind, [committee_id]) for kind in kinds])
    if exclude:
        qs = qs.exclude(kind=exclude[0], object_id=exclude[1])
    weights = {term: idf(term) for term in probe}
    held = weights.keys()
    weight = {}
    column = "terms" if probes_are_words else "tokens"
    for pk, terms in qs.order_by("-id").values_list("id", column)[:MAX_MATCHES]:
        shared = held & set(terms.split())
        if shared:
            weight[pk] = math.fsum(weights[t] for t in shared)
    best = sorted(weight, key=lambda pk: (-weight[pk], -pk))[:CANDIDATES]
    if not best:
        return []
    return list(SearchEntry.objects.filter(pk__in=best).defer("body", "tokens").annotate(
        has_body=ExpressionWrapper(~Q(body=""), output_field=BooleanField())))


def similar(user, committee_id, title, body="", *, kinds=SIMILAR_KINDS, exclude=None, threshold=0.0, limit=10):
    """The entries most similar to (title, body) that ``user`` may see, best first, with score ≥ threshold.

    ``exclude`` is a (kind, object_id) pair to leave out (the item itself).
    """
    norm_title = normalize.normalize(title or "")
    norm_body = normalize.normalize(body or "")
    q_bigrams = title_bigrams(norm_title)
    q_words = text_words(norm_title + " " + norm_body)
    # Probe with the words fewest entries hold (TermCount: each probe reads that word's posting list); a word no
    # entry holds finds nothing. Title bigrams stand in when the text has no content word.
    probe = probe_words(q_words) if q_words else sorted(q_bigrams)[:PROBE_WORDS]
    if not probe:
        return []
    table, default = idf2_table()
    q_norm = terms_norm(q_words)
    with_body = bool(norm_body)
    out = []
    for entry in _candidates(user, committee_id, probe, kinds, exclude, probes_are_words=bool(q_words)):
        t_score = title_similarity(q_bigrams, title_bigrams(entry.norm_title))
        b_score, shared = 0.0, ()
        if q_norm:
            # Only the shared words are summed: the entry's vector length is stored (norm), and computed here
            # for an entry indexed before it was.
            words = entry.terms.split()
            shared = q_words.intersection(words)
            if shared:
                e_norm = entry.norm if entry.norm is not None else terms_norm(words)
                if e_norm:
                    b_score = _sum_weights(shared, table, default) / (q_norm * e_norm)
        if with_body and entry.has_body:
            score = 0.6 * t_score + 0.4 * b_score
        else:
            score = t_score
        if score >= threshold:
            out.append(Match(entry, score, t_score, b_score, shared))
    out.sort(key=lambda m: (-m.score, -m.entry.id))
    out = out[:limit]
    for m in out:  # the shared words are sorted (rarest first) for the matches returned only
        m.shared_terms = sorted(m.shared_terms, key=idf, reverse=True)[:6]
    return out


@dataclass
class Suggestion:
    department: object
    score: float
    reasons: list


def suggest_departments(user, committee_id, title, body="", *, exclude=None, k=15, limit=3):
    """Departments for a proposal from the departments of its nearest filed neighbours, best first.

    Each neighbour votes its score for each of its departments; a department also gets 0.3 × the vote of its
    kind (政府部门, 政法机关 …), so a department whose own history is thin still ranks when its kind handled
    similar items. Reasons name the neighbours behind each suggestion. Only neighbours at least NEIGHBOUR_FLOOR
    similar vote: a proposal about nothing handled before gets no suggestion rather than a chance one.
    """
    from xieshang.org.models import Department

    neighbours = [m for m in similar(user, committee_id, title, body, kinds=("proposal",), exclude=exclude,
                                     threshold=NEIGHBOUR_FLOOR, limit=CANDIDATES)
                  if m.entry.departments.strip() and m.entry.status in FILED][:k]
    departments = {d.pk: d for d in Department.objects.filter(committee_id=committee_id, is_active=True)}
    votes, reasons = {}, {}
    for m in neighbours:
        for dep_id in (int(x) for x in m.entry.departments.split()):
            if dep_id not in departments:
                continue
            votes[dep_id] = votes.get(dep_id, 0.0) + m.score
            reasons.setdefault(dep_id, []).append(m)
    kind_votes = {}
    for dep_id, v in votes.items():
        kind = departments[dep_id].kind
        kind_votes[kind] = kind_votes.get(kind, 0.0) + v
    ranked = sorted(votes, key=lambda d: (-(votes[d] + 0.3 * kind_votes[departments[d].kind]), d))
    return [Suggestion(departments[d], votes[d] + 0.3 * kind_votes[departments[d].kind], reasons[d][:3])
            for d in ranked[:limit]]
