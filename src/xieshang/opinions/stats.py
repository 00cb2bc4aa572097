"""社情民意 statistics of one committee and year: submitted, adopted and instructed reports, in total, per level
and by author (member, informant, collective body), sector and liaison group.

Everything is counted by the database from :class:`~xieshang.opinions.models.ReportEvent` in one grouped query
(``values(kind, level, author columns).annotate(Count)``), filtered on ``committee`` and ``year`` so that the
``opinion_event_stats_idx`` index selects the rows; every table is then summed in Python from those groups (a
few thousand for a large committee's year), never from report rows. One more query counts distinct adopted and
instructed reports, and one per table reads the names (members, informants, sectors, liaison groups). The
grouped counts are cached under a fingerprint of the scope's events (:func:`aggregates`), so a page view
with no new event since the last one costs one index-only count plus the names.

Definitions (also shown on the page):

- the scope is the reports **of this committee's authors** (``ReportEvent.committee`` is the originating
  committee), whatever level used them; ``year`` is the year of each event;
- submitted (报送): the first submission of a report (one event per report);
- adopted (采用) and instructed (批示) are counted per event (篇次): a report adopted at the district and again at
  the city counts once at each level; ``adopted_reports`` / ``instructed_reports`` count distinct reports;
- levels are the committee's own level and every level above it (a county committee: county, city, province,
  national); an adoption by a level outside the deployment is counted at that level.

Links: each figure carries the query parameters of the reports list (``LIST_URL_NAME``) that select the reports
behind it: ``year``, ``event`` (submitted/adopted/instructed), ``level``, ``author_kind``, ``member``,
``informant``, ``sector``, ``liaison_group``, ``collective`` (the collective body's name). While that list is not
mounted, the figures the editor's queue selects exactly link there instead (submitted reports, in total and per
author kind, at a committee without lower committees, whose queue holds only its own authors' reports:
``queue/?status=all&year=&author_kind=``); the other figures are plain numbers.
"""

import functools
import uuid
from dataclasses import dataclass, field

import rules
from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from xieshang.org import rules as org_rules
from xieshang.org.models import Committee, Informant, LiaisonGroup, Member, Sector

from .models import Report, ReportEvent

# The committees' own statistics are for their office roles (editors, signers, office admin, leaders, auditors)
# and the system administrator. opinions/rules.py declares it; this is the fallback if it does not (yet).
if not rules.perm_exists("opinions.view_stats"):
    org_rules.declare("opinions.view_stats", org_rules.office)

# The reports list a figure links to, and the names of its filters (see the module docstring).
LIST_URL_NAME = "opinions:list"
# The editor's queue and the filters it accepts (opinions.forms.QueueFilterForm).
QUEUE_URL_NAME = "opinions:queue"
QUEUE_PARAMS = frozenset({"event", "author_kind"})

LEVELS_BOTTOM_UP = (Committee.Level.COUNTY, Committee.Level.CITY, Committee.Level.PROVINCIAL,
                    Committee.Level.NATIONAL)
LEVEL_LABELS = dict(Committee.Level.choices)
KINDS = (ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.ADOPTED, ReportEvent.Kind.INSTRUCTED)
SUMMARY_LABELS = {
    "submitted": _("报送篇数"),
    "adopted": _("采用（篇次）"),
    "instructed": _("获批示（篇次）"),
}


def levels_from(committee):
    """The committee's level and every level above it, bottom up."""
    start = LEVELS_BOTTOM_UP.index(committee.level) if committee.level in LEVELS_BOTTOM_UP else 0
    return LEVELS_BOTTOM_UP[start:]


@dataclass(frozen=True)
class Scope:
    """The reports a statistics page is about: those of one committee's authors, with events in one year."""

    committee: object
    year: int

    def events(self):
        return ReportEvent.objects.filter(committee=self.committee, year=self.year)

    @property
    def levels(self):
        return levels_from(self.committee)

    @functools.cached_property
    def level_labels(self):
        return [str(LEVEL_LABELS[level]) for level in self.levels]

    @property
    def label(self):
        return _("%(year)d 年度") % {"year": self.year}

    @functools.cached_property
    def has_lower_committees(self):
        return Committee.objects.filter(parent=self.committee).exists()

    @functools.cached_property
    def _url_bases(self):
        return {}

    def url_base(self, name):
        """The URL named ``name`` for this committee ('' when not mounted), reversed once per scope: a page
        links hundreds of figures, and a failing ``reverse`` is slow."""
        if name not in self._url_bases:
            try:
                self._url_bases[name] = reverse(name, args=[self.committee.code])
            except NoReverseMatch:
                self._url_bases[name] = ""
        return self._url_bases[name]


def years_with_events(committee):
    """The years that have events for ``committee``, newest first (an index-only scan of the stats index)."""
    return list(ReportEvent.objects.filter(committee=committee).order_by("-year")
                .values_list("year", flat=True).distinct())


def list_url(scope, **params):
    """The reports list filtered to the reports behind one figure ('' while that list is not mounted)."""
    params = {k: v for k, v in params.items() if v not in (None, "")}
    base = scope.url_base(LIST_URL_NAME)
    if not base:
        return _queue_url(scope, params)
    return f"{base}?{urlencode({'year': scope.year, **params})}"


def _queue_url(scope, params):
    """The editor's queue (every state) for the submitted reports it selects exactly, else ''."""
    if params.get("event") != "submitted" or not set(params) <= QUEUE_PARAMS or scope.has_lower_committees:
        return ""
    base = scope.url_base(QUEUE_URL_NAME)
    if not base:
        return ""
    query = {"status": "all", "year": scope.year}
    if params.get("author_kind"):
        query["author_kind"] = params["author_kind"]
    return f"{base}?{urlencode(query)}"


class _Links:
    """The links of one table row, built from one encoded tail (a page has thousands of them)."""

    def __init__(self, scope, link):
        self.scope, self.link = scope, {k: v for k, v in link.items() if v not in (None, "")}
        base = scope.url_base(LIST_URL_NAME)
        self.prefix = f"{base}?year={scope.year}&event=" if base else ""
        self.tail = ("&" + urlencode(self.link)) if base and self.link else ""

    def __call__(self, event, level=None):
        if not self.prefix:
            return _queue_url(self.scope, {"event": event, "level": level, **self.link} if level else
                              {"event": event, **self.link})
        return self.prefix + event + (f"&level={level}" if level else "") + self.tail


def _cells(scope, row, link):
    """Per-level cells of one table row: [{level, label, adopted, instructed, urls}], bottom up."""
    links = link if isinstance(link, _Links) else _Links(scope, link)
    return [{"level": level, "label": label,
             "adopted": row.get(f"adopted_{level}", 0), "instructed": row.get(f"instructed_{level}", 0),
             "adopted_url": links("adopted", level), "instructed_url": links("instructed", level)}
            for level, label in zip(scope.levels, scope.level_labels, strict=True)]


def _row(scope, key, label, row, link, **extra):
    links = _Links(scope, link)
    out = {"key": key, "label": label, "submitted": row.get("submitted", 0), "adopted": row.get("adopted", 0),
           "instructed": row.get("instructed", 0),
           "submitted_url": links("submitted"), "adopted_url": links("adopted"),
           "instructed_url": links("instructed"), "levels": _cells(scope, row, links)}
    out.update(extra)
    out["detail"] = extra.get("sector", extra.get("unit", ""))  # the table's optional second column
    return out


def _ranked(rows):
    """Most adopted first, then most instructed, most submitted, then by name."""
    return sorted(rows, key=lambda r: (-r["adopted"], -r["instructed"], -r["submitted"], str(r["label"]),
                                       str(r["key"])))


# ------------------------------------------------------------------------------------------- the figures

# The one grouped query every table is summed from: a group per (kind, level, author), so a few thousand groups
# for a large committee's year, whatever the number of reports.
GROUP_FIELDS = ("kind", "level", "author_kind", "member_id", "informant_id", "sector_id", "liaison_group_id",
                "collective_name")


def groups(scope):
    """[{kind, level, author_kind, member_id, informant_id, sector_id, liaison_group_id, collective_name, n}]."""
    return list(scope.events().values(*GROUP_FIELDS).annotate(n=Count("pk")).order_by())


def distinct_reports(scope):
    """{"adopted": reports adopted at least once, "instructed": reports instructed at least once}."""
    found = {r["kind"]: r["reports"] for r in scope.events().filter(
        kind__in=[ReportEvent.Kind.ADOPTED, ReportEvent.Kind.INSTRUCTED]).values("kind").annotate(
        reports=Count("report", distinct=True)).order_by()}
    return {"adopted": found.get(ReportEvent.Kind.ADOPTED, 0), "instructed": found.get(ReportEvent.Kind.INSTRUCTED, 0)}


@dataclass
class Aggregates:
    groups: list
    distinct: dict
    tallies: dict | None = None  # filled once per request from ``groups`` (see :func:`tallies`)


# Aggregates are cached under a fingerprint of the scope's events: their number (an index-only count on the
# stats index, on SQLite and PostgreSQL alike) and a token renewed whenever an event row is saved or deleted
# through the ORM (in the shared cache, so every process sees it). Events are only ever added (bulk loads
# change the number), so the figures are never stale; the token also keeps a database rebuilt with the same ids
# (tests roll back) from meeting old figures. The time limit only bounds the memory a year nobody views keeps.
CACHE_SECONDS = 6 * 3600


def _token_key(committee_id, year):
    return f"xs:opinions:stats-token:{committee_id}:{year}"


def _events_changed(sender, instance, **kwargs):
    cache.set(_token_key(instance.committee_id, instance.year), uuid.uuid4().hex, CACHE_SECONDS)


post_save.connect(_events_changed, sender=ReportEvent, dispatch_uid="opinions.stats.events_changed")
post_delete.connect(_events_changed, sender=ReportEvent, dispatch_uid="opinions.stats.events_deleted")


def aggregates(scope, *, use_cache=True):
    """The grouped counts and distinct report counts of ``scope``, from the cache when the events are unchanged."""
    if not use_cache:
        return Aggregates(groups(scope), distinct_reports(scope))
    number = scope.events().aggregate(n=Count("*"))["n"]
    token = cache.get(_token_key(scope.committee.pk, scope.year), "")
    key = f"xs:opinions:stats:{scope.committee.pk}:{scope.year}:{number}:{token}"
    data = cache.get(key)
    if data is None:
        data = Aggregates(groups(scope), distinct_reports(scope))
        cache.set(key, data, CACHE_SECONDS)
    return data


# What each table is keyed by, read from one group.
DIMENSIONS = {
    "all": lambda g: "all",
    "author_kind": lambda g: g["author_kind"],
    "member": lambda g: g["member_id"],
    "informant": lambda g: g["informant_id"],
    "sector": lambda g: g["sector_id"],
    "liaison_group": lambda g: g["liaison_group_id"],
    "collective": lambda g: (g["collective_name"] or None) if g["author_kind"] == Report.AuthorKind.COLLECTIVE
    else None,
}


def tallies(rows):
    """One pass over the groups: {dimension: {key: {"submitted", "adopted", "instructed", "adopted_<level>",
    "instructed_<level>": count}}} for every dimension of :data:`DIMENSIONS` (a group without a key is left out)."""
    out = {name: {} for name in DIMENSIONS}
    submitted = str(ReportEvent.Kind.SUBMITTED)
    for g in rows:
        kind, n = g["kind"], g["n"]
        per_level = None if kind == submitted else f"{kind}_{g['level']}"
        for name, key in DIMENSIONS.items():
            k = key(g)
            if k is None:
                continue
            counts = out[name].setdefault(k, {})
            counts[kind] = counts.get(kind, 0) + n
            if per_level:
                counts[per_level] = counts.get(per_level, 0) + n
    return out


def _tally(scope, data, dimension):
    data = data or aggregates(scope)
    if data.tallies is None:
        data.tallies = tallies(data.groups)
    return data.tallies[dimension]


def totals(scope, data=None):
    """{"submitted", "adopted", "instructed", "adopted_reports", "instructed_reports", "adopted_<level>",
    "instructed_<level>"} for the scope."""
    data = data or aggregates(scope)
    counts = {kind: 0 for kind in KINDS}
    for level in scope.levels:
        counts[f"adopted_{level}"] = counts[f"instructed_{level}"] = 0
    counts.update(_tally(scope, data, "all").get("all", {}))
    counts["adopted_reports"] = data.distinct["adopted"]
    counts["instructed_reports"] = data.distinct["instructed"]
    return counts


def summary_rows(scope, counts):
    return [{"key": key, "label": str(label), "count": counts[key], "url": list_url(scope, event=key)}
            for key, label in SUMMARY_LABELS.items()]


def level_rows(scope, counts):
    """Adopted and instructed per level, bottom up."""
    return _cells(scope, counts, {})


def by_author_kind(scope, data=None):
    """One row per author kind (member, informant, collective), in the kinds' order."""
    found = _tally(scope, data, "author_kind")
    return [_row(scope, kind, str(label), found.get(kind, {}), {"author_kind": kind})
            for kind, label in Report.AuthorKind.choices]


def _names(model, ids, *fields):
    return {row["pk"]: row for row in model.objects.filter(pk__in=ids).values("pk", *fields)} if ids else {}


def by_member(scope, data=None):
    """One row per member with events, ranked by adopted, instructed, then submitted."""
    found = _tally(scope, data, "member")
    names = _names(Member, list(found), "name", "sector__name")
    return _ranked([_row(scope, pk, names.get(pk, {}).get("name", ""), counts, {"member": pk},
                         sector=names.get(pk, {}).get("sector__name") or "") for pk, counts in found.items()])


def by_informant(scope, data=None):
    found = _tally(scope, data, "informant")
    names = _names(Informant, list(found), "name", "unit")
    return _ranked([_row(scope, pk, names.get(pk, {}).get("name", ""), counts, {"informant": pk},
                         unit=names.get(pk, {}).get("unit") or "") for pk, counts in found.items()])


def by_sector(scope, data=None):
    found = _tally(scope, data, "sector")
    names = _names(Sector, list(found), "name")
    return _ranked([_row(scope, pk, names.get(pk, {}).get("name", ""), counts, {"sector": pk})
                    for pk, counts in found.items()])


def by_liaison_group(scope, data=None):
    found = _tally(scope, data, "liaison_group")
    names = _names(LiaisonGroup, list(found), "name")
    return _ranked([_row(scope, pk, names.get(pk, {}).get("name", ""), counts, {"liaison_group": pk})
                    for pk, counts in found.items()])


def by_collective(scope, data=None):
    """One row per collective body (by its name as recorded on the report)."""
    found = _tally(scope, data, "collective")
    return _ranked([_row(scope, name, name, counts, {"collective": name}) for name, counts in found.items()])


def instructed_reports(scope, limit=500):
    """The instructions of the year on the scope's reports (for the notice), oldest first, at most ``limit``."""
    from .models import Instruction

    return list(Instruction.objects.filter(event__committee=scope.committee, event__year=scope.year)
                .select_related("copy__report", "copy__version").order_by("instructed_on", "pk")[:limit])


@dataclass
class Figures:
    """Every figure of one scope, ready for the page, the charts, the xlsx export and the yearly notice."""

    scope: Scope
    counts: dict
    summary: list
    levels: list
    author_kinds: list
    members: list
    informants: list
    sectors: list
    liaison_groups: list
    collectives: list
    computed_at: object = None
    level_labels: list = field(default_factory=list)

    def chart_data(self, top=15):
        """The JSON the page's charts read: labels, numbers and the links behind them."""

        def series(rows, *keys):
            rows = rows[:top]
            out = {"labels": [str(r["label"]) for r in rows], "urls": [r.get("adopted_url", "") for r in rows]}
            for key in keys:
                out[key] = [r[key] for r in rows]
            return out

        return {
            "summary": {"labels": [r["label"] for r in self.summary], "values": [r["count"] for r in self.summary],
                        "urls": [r["url"] for r in self.summary]},
            "levels": {"labels": [c["label"] for c in self.levels], "adopted": [c["adopted"] for c in self.levels],
                       "instructed": [c["instructed"] for c in self.levels],
                       "urls": [c["adopted_url"] for c in self.levels]},
            "author_kinds": {"labels": [r["label"] for r in self.author_kinds],
                             "values": [r["submitted"] for r in self.author_kinds],
                             "urls": [r["submitted_url"] for r in self.author_kinds]},
            "sectors": series(self.sectors, "submitted", "adopted"),
            "members": series(self.members, "submitted", "adopted"),
            "texts": {"submitted": str(pgettext("count", "报送")), "adopted": str(_("采用")), "instructed": str(_("批示"))},
        }


def figures(scope, *, use_cache=True):
    """Every figure of ``scope``: one grouped query summed in Python (over groups, never reports), one for the
    distinct report counts (both cached, see :func:`aggregates`) and one per name table, whatever the number
    of reports."""
    data = aggregates(scope, use_cache=use_cache)
    counts = totals(scope, data)
    return Figures(
        scope=scope, counts=counts, summary=summary_rows(scope, counts), levels=level_rows(scope, counts),
        author_kinds=by_author_kind(scope, data), members=by_member(scope, data),
        informants=by_informant(scope, data), sectors=by_sector(scope, data),
        liaison_groups=by_liaison_group(scope, data), collectives=by_collective(scope, data),
        computed_at=timezone.now(), level_labels=scope.level_labels,
    )
