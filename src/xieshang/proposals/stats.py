"""Proposal statistics for one session or one year of a committee, as plain functions over aggregate queries.

Every figure is computed by the database (``aggregate`` / ``values().annotate()``); nothing here loops over
proposal rows in Python, so the cost does not grow with the number of proposals beyond what the database does.
The loops below run over *groups* (kinds, categories, departments), never over proposals.

Definitions (also shown on the page):

- received (收到): every proposal of the scope that was submitted — not a draft, and not a draft that was
  withdrawn before it was ever submitted;
- filed (立案): proposals in any state from 已立案 onwards (``FILED_STATES``);
- merged / converted / declined / withdrawn: proposals in that final state; pending: still in pre-review or review;
- sector: the sector (界别) of the first proposer's member record; collective proposals have none;
- per department: live assignments (not 已改办) of filed proposals; *replied* counts lead assignments whose
  latest sent reply exists; *on time* counts those whose latest sent reply went out no later than the
  assignment's reply due date (which already includes an approved extension or a re-handling due date);
  outcome shares use the latest sent reply's final class (the reviewed class when the office changed it);
  rating shares use each proposer's latest rating, counted for every lead department of the proposal.

Links: each figure carries the query parameters of the staff register (``proposals:register``) that select the
proposals behind it: ``session``/``year``, ``status`` (repeatable), ``category``, ``department``, ``sector``
(a sector id, or ``none``), ``proposer_type`` (a ``Proposal.Kind``), ``outcome`` (a class letter: the latest
sent reply's final class) and ``rating`` (a ``Rating.Result``: a proposer's latest rating). ``session``,
``category`` and ``department`` are the register's own names; the register must also accept the others (and
``status`` given several times) for every link to select exactly the proposals counted.

Pages read :func:`get_report`, which serves a snapshot (``StatsSnapshot``) at most ``SNAPSHOT_MAX_AGE`` old and
otherwise computes live; the periodic job ``proposals.refresh_stats`` keeps viewed scopes fresh.
"""

import datetime
from dataclasses import dataclass, field

import rules

from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from xieshang.core import periodic
from xieshang.org.models import Committee, Session
from xieshang.org.rules import declare

from . import rules as proposal_rules
from . import settings as local
from .exports import CATEGORY_NONE
from .models import (
    FILED_STATES,
    Assignment,
    AssignmentStatus,
    Proposal,
    Proposer,
    Rating,
    Reply,
    StatsSnapshot,
    Status,
)

PENDING_STATES = (Status.SUBMITTED, Status.RETURNED, Status.REVIEW)
LEAD_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT_LEAD)
LIVE_ASSIGNMENT_STATES = tuple(s for s in AssignmentStatus.values if s != AssignmentStatus.WITHDRAWN)
# Status groups as the register's repeatable ``status`` parameter.
STATUS_GROUPS = {
    "received": (),  # every non-draft: no status filter
    "filed": tuple(sorted(FILED_STATES)),
    "pending": PENDING_STATES,
    "merged": (Status.MERGED,),
    "converted": (Status.CONVERTED,),
    "declined": (Status.DECLINED,),
    "withdrawn": (Status.WITHDRAWN,),
}
SUMMARY_LABELS = {
    "received": _("收到提案"),
    "filed": _("立案"),
    "pending": _("审查中"),
    "merged": _("并案"),
    "converted": _("转处理"),
    "declined": _("不予立案"),
    "withdrawn": _("撤案"),
}

# Who may see the statistics: the committee's office roles (proposal staff, office admin, leaders, auditors,
# information editors) and the system administrator. Departments and members do not.
# proposals/rules.py may come to declare it itself; then that declaration wins.
if not rules.perm_exists("proposals.view_stats"):
    declare("proposals.view_stats", proposal_rules.is_office_reader)


@dataclass(frozen=True)
class Scope:
    """The proposals a statistics page is about: one committee, and either one session or one year."""

    committee: object
    session: object = None
    year: int | None = None

    def proposal_q(self, prefix=""):
        """A Q selecting the received proposals of this scope; ``prefix`` is the path to Proposal (e.g. "proposal__")."""
        q = Q(**{f"{prefix}committee": self.committee})
        if self.session is not None:
            q &= Q(**{f"{prefix}session": self.session})
        elif self.year is not None:
            q &= Q(**{f"{prefix}session__year": self.year})
        q &= ~Q(**{f"{prefix}status": Status.DRAFT})
        q &= ~Q(**{f"{prefix}status": Status.WITHDRAWN, f"{prefix}submitted_at__isnull": True})
        return q

    @property
    def key(self):
        """The scope as stored in StatsSnapshot.scope."""
        if self.session is not None:
            return f"session:{self.session.pk}"
        if self.year is not None:
            return f"year:{self.year}"
        return "all"

    @classmethod
    def from_key(cls, committee, key):
        """The scope named by ``key`` (see :attr:`key`); None when its session no longer exists."""
        kind, _sep, value = key.partition(":")
        if kind == "session":
            session = Session.objects.filter(pk=value, term__committee=committee).select_related("term").first()
            return cls(committee, session=session) if session else None
        if kind == "year":
            return cls(committee, year=int(value))
        return cls(committee)

    def params(self):
        """The register's query parameters for this scope."""
        if self.session is not None:
            return {"session": self.session.pk}
        if self.year is not None:
            return {"year": self.year}
        return {}

    @property
    def label(self):
        if self.session is not None:
            return str(self.session)
        if self.year is not None:
            return _("%(year)d 年度") % {"year": self.year}
        return _("全部")


def proposals(scope):
    return Proposal.objects.filter(scope.proposal_q())


def register_url(scope, **params):
    """The staff register filtered to the proposals behind one figure ('' when the register is not mounted)."""
    try:
        base = reverse("proposals:register", args=[scope.committee.code])
    except NoReverseMatch:
        return ""
    query = dict(scope.params())
    statuses = params.pop("status", ())
    query.update({k: v for k, v in params.items() if v is not None})
    pairs = list(query.items()) + [("status", s) for s in statuses]
    return f"{base}?{urlencode(pairs)}"


def _filed_count():
    return Count("pk", filter=Q(status__in=FILED_STATES))


# ------------------------------------------------------------------------------------------- the figures

def summary(scope):
    """{key: count} for received, filed, pending, merged, converted, declined, withdrawn, plus key/plenary."""
    counts = proposals(scope).aggregate(
        received=Count("pk"),
        filed=_filed_count(),
        pending=Count("pk", filter=Q(status__in=PENDING_STATES)),
        merged=Count("pk", filter=Q(status=Status.MERGED)),
        converted=Count("pk", filter=Q(status=Status.CONVERTED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
        key=Count("pk", filter=Q(is_key=True)),
        plenary=Count("pk", filter=Q(timing=Proposal.Timing.PLENARY)),
        regular=Count("pk", filter=Q(timing=Proposal.Timing.REGULAR)),
    )
    return counts


def summary_rows(scope, counts):
    return [{"key": key, "label": label, "count": counts[key],
             "url": register_url(scope, status=STATUS_GROUPS[key])} for key, label in SUMMARY_LABELS.items()]


def by_proposer_type(scope):
    """One row per proposal kind (individual/joint/collective): received and filed, in the kinds' order."""
    found = {row["kind"]: row for row in proposals(scope).values("kind").annotate(
        received=Count("pk"), filed=_filed_count()).order_by()}
    rows = []
    for kind, label in Proposal.Kind.choices:
        row = found.get(kind, {"received": 0, "filed": 0})
        rows.append({"key": kind, "label": str(label), "received": row["received"], "filed": row["filed"],
                     "url": register_url(scope, proposer_type=kind),
                     "filed_url": register_url(scope, proposer_type=kind, status=STATUS_GROUPS["filed"])})
    return rows


def by_category(scope):
    """One row per category used in the scope, most proposals first; an empty category is shown as 未分类."""
    rows = []
    for row in proposals(scope).values("category").annotate(received=Count("pk"), filed=_filed_count()).order_by(
            "-received", "category"):
        category = row["category"]
        rows.append({"key": category, "label": category or str(_("未分类")), "received": row["received"],
                     "filed": row["filed"], "url": register_url(scope, category=category or CATEGORY_NONE),
                     "filed_url": register_url(scope, category=category or CATEGORY_NONE,
                                               status=STATUS_GROUPS["filed"])})
    return rows


def by_sector(scope):
    """One row per sector of the first proposer, most proposals first; proposals without one come last."""
    filed_q = Q(proposal__status__in=FILED_STATES)
    grouped = (Proposer.objects.filter(scope.proposal_q("proposal__"), role=Proposer.Role.FIRST)
               .values("member__sector_id", "member__sector__name")
               .annotate(received=Count("proposal_id", distinct=True),
                         filed=Count("proposal_id", filter=filed_q, distinct=True))
               .order_by("-received", "member__sector__name"))
    rows, none_row = [], None
    for row in grouped:
        sector_id = row["member__sector_id"]
        item = {"key": sector_id, "label": row["member__sector__name"] or str(_("无界别（含集体提案）")),
                "received": row["received"], "filed": row["filed"],
                "url": register_url(scope, sector=sector_id or "none"),
                "filed_url": register_url(scope, sector=sector_id or "none", status=STATUS_GROUPS["filed"])}
        if sector_id is None:
            none_row = item
        else:
            rows.append(item)
    # Proposals with no first-proposer row at all (some collective ones) also have no sector.
    without = proposals(scope).filter(~Exists(Proposer.objects.filter(proposal=OuterRef("pk"),
                                                                       role=Proposer.Role.FIRST))).aggregate(
        received=Count("pk"), filed=_filed_count())
    if without["received"]:
        if none_row is None:
            none_row = {"key": None, "label": str(_("无界别（含集体提案）")), "received": 0, "filed": 0,
                        "url": register_url(scope, sector="none"),
                        "filed_url": register_url(scope, sector="none", status=STATUS_GROUPS["filed"])}
        none_row["received"] += without["received"]
        none_row["filed"] += without["filed"]
    if none_row is not None:
        rows.append(none_row)
    return rows


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def by_department(scope):
    """One row per department with live assignments on filed proposals of the scope.

    Keys: assignments, leads, co, replied, on_time, on_time_rate (percent of replied), outcomes {letter: count},
    outcome_shares {letter: percent of replied}, ratings {result: count}, rating_shares {result: percent}.
    Three grouped queries (assignments, latest sent replies, latest ratings) whatever the number of rows.
    """
    letters = list(local.outcome_labels(scope.committee))
    filed_scope = scope.proposal_q("proposal__") & Q(proposal__status__in=FILED_STATES)
    assignment_rows = (Assignment.objects.filter(filed_scope, status__in=LIVE_ASSIGNMENT_STATES)
                       .values("department_id", "department__name")
                       .annotate(assignments=Count("pk"), leads=Count("pk", filter=Q(role__in=LEAD_ROLES)),
                                 co=Count("pk", filter=Q(role=Assignment.Role.CO)))
                       .order_by("-assignments", "department__name"))

    reply_scope = scope.proposal_q("assignment__proposal__") & Q(assignment__proposal__status__in=FILED_STATES)
    later_sent = Reply.objects.filter(assignment=OuterRef("assignment"), round__gt=OuterRef("round"),
                                      status=Reply.ReviewStatus.SENT)
    final = Coalesce(NullIf("reviewed_outcome", Value("")), "outcome")
    reply_aggregates = {"replied": Count("pk"),
                        "on_time": Count("pk", filter=Q(sent_at__date__lte=F("assignment__reply_due")))}
    for letter in letters:
        reply_aggregates[f"outcome_{letter}"] = Count("pk", filter=Q(final_outcome=letter))
    replies = {row["assignment__department_id"]: row for row in (
        Reply.objects.filter(reply_scope, status=Reply.ReviewStatus.SENT, assignment__role__in=LEAD_ROLES,
                             assignment__status__in=LIVE_ASSIGNMENT_STATES)
        .filter(~Exists(later_sent))
        .annotate(final_outcome=final)
        .values("assignment__department_id")
        .annotate(**reply_aggregates)
        .order_by())}

    later_rating = Rating.objects.filter(proposer=OuterRef("proposer"), round__gt=OuterRef("round"))
    rating_aggregates = {f"rating_{value}": Count("pk", filter=Q(result=value)) for value in Rating.Result.values}
    ratings = {row["proposal__assignments__department_id"]: row for row in (
        Rating.objects.filter(scope.proposal_q("proposal__"),
                              proposal__assignments__role__in=LEAD_ROLES,
                              proposal__assignments__status__in=LIVE_ASSIGNMENT_STATES)
        .filter(~Exists(later_rating))
        .values("proposal__assignments__department_id")
        .annotate(rated=Count("pk"), **rating_aggregates)
        .order_by())}

    rows = []
    for row in assignment_rows:
        dept = row["department_id"]
        reply = replies.get(dept, {})
        replied = reply.get("replied", 0)
        on_time = reply.get("on_time", 0)
        outcomes = {letter: reply.get(f"outcome_{letter}", 0) for letter in letters}
        rating = ratings.get(dept, {})
        rated = rating.get("rated", 0)
        rating_counts = {value: rating.get(f"rating_{value}", 0) for value in Rating.Result.values}
        rows.append({
            "department_id": dept, "label": row["department__name"], "assignments": row["assignments"],
            "leads": row["leads"], "co": row["co"], "replied": replied, "on_time": on_time,
            "on_time_rate": _share(on_time, replied),
            "outcomes": outcomes, "outcome_shares": {k: _share(v, replied) for k, v in outcomes.items()},
            "rated": rated, "ratings": rating_counts,
            "rating_shares": {k: _share(v, rated) for k, v in rating_counts.items()},
            "url": register_url(scope, department=dept),
            "outcome_urls": {letter: register_url(scope, department=dept, outcome=letter) for letter in letters},
            "rating_urls": {value: register_url(scope, department=dept, rating=value)
                            for value in Rating.Result.values},
        })
        row_out = rows[-1]
        # The same figures as lists in column order, for templates.
        row_out["outcome_cells"] = [{"count": outcomes[k], "share": row_out["outcome_shares"][k],
                                     "url": row_out["outcome_urls"][k]} for k in letters]
        row_out["rating_cells"] = [{"count": rating_counts[k], "share": row_out["rating_shares"][k],
                                    "url": row_out["rating_urls"][k]} for k in Rating.Result.values]
    return rows


@dataclass
class Report:
    """Every figure of one scope, ready for the page, the charts and the xlsx export."""

    scope: Scope
    counts: dict
    summary: list
    kinds: list
    categories: list
    sectors: list
    departments: list
    outcome_labels: dict = field(default_factory=dict)
    rating_labels: dict = field(default_factory=dict)
    computed_at: datetime.datetime | None = None

    TABLES = ("summary", "kinds", "categories", "sectors", "departments")

    def to_data(self):
        """Numbers, keys and links only (JSON); labels are translated again by :meth:`from_data`."""
        data = {"counts": self.counts}
        for name in self.TABLES:
            data[name] = [{k: (str(v) if k == "label" else v) for k, v in row.items()} for row in getattr(self, name)]
        return data

    @classmethod
    def from_data(cls, scope, data, computed_at=None):
        report = cls(scope=scope, counts=data["counts"], computed_at=computed_at,
                     **{name: data[name] for name in cls.TABLES})
        _label(report)
        return report

    def chart_data(self):
        """The JSON the page's charts read (labels and numbers only, no URLs that are not the page's own)."""
        return {
            "summary": {"labels": [str(r["label"]) for r in self.summary], "values": [r["count"] for r in self.summary],
                        "urls": [r["url"] for r in self.summary]},
            "kinds": {"labels": [r["label"] for r in self.kinds], "values": [r["received"] for r in self.kinds],
                      "urls": [r["url"] for r in self.kinds]},
            "categories": {"labels": [r["label"] for r in self.categories],
                           "values": [r["received"] for r in self.categories],
                           "filed": [r["filed"] for r in self.categories],
                           "urls": [r["url"] for r in self.categories]},
            "sectors": {"labels": [r["label"] for r in self.sectors], "values": [r["received"] for r in self.sectors],
                        "urls": [r["url"] for r in self.sectors]},
            "departments": {"labels": [r["label"] for r in self.departments[:20]],
                            "on_time_rate": [r["on_time_rate"] for r in self.departments[:20]],
                            "urls": [r["url"] for r in self.departments[:20]]},
            "texts": {"received": str(_("收到")), "filed": str(_("立案")), "on_time_rate": str(_("按期答复率（%）"))},
        }


def _label(report):
    """(Re)translate the labels that come from code, in the language of the current request."""
    kinds = dict(Proposal.Kind.choices)
    for row in report.summary:
        row["label"] = str(SUMMARY_LABELS[row["key"]])
    for row in report.kinds:
        row["label"] = str(kinds.get(row["key"], row["key"]))
    for row in report.categories:
        if not row["key"]:
            row["label"] = str(_("未分类"))
    for row in report.sectors:
        if row["key"] is None:
            row["label"] = str(_("无界别（含集体提案）"))
    report.outcome_labels = {k: str(v) for k, v in local.outcome_labels(report.scope.committee).items()}
    report.rating_labels = {k: str(v) for k, v in Rating.Result.choices}


def report(scope):
    """Compute every figure of ``scope`` live: a fixed number of queries (about ten) whatever the data size."""
    counts = summary(scope)
    result = Report(
        scope=scope, counts=counts, summary=summary_rows(scope, counts), kinds=by_proposer_type(scope),
        categories=by_category(scope), sectors=by_sector(scope), departments=by_department(scope),
        computed_at=timezone.now(),
    )
    _label(result)
    return result


# ------------------------------------------------------------------------------------------- aggregates

# A snapshot younger than this is shown as it is; an older one is recomputed by the page that needs it.
SNAPSHOT_MAX_AGE = datetime.timedelta(minutes=15)
# The refresh job keeps the scopes viewed within VIEWED_WITHIN fresh, so their pages never compute live.
REFRESH_INTERVAL = datetime.timedelta(minutes=10)
VIEWED_WITHIN = datetime.timedelta(days=7)


def save_snapshot(result, *, viewed=False):
    """Store ``result`` as its scope's snapshot (a cache of figures, not a domain record: no audit)."""
    defaults = {"data": result.to_data(), "computed_at": result.computed_at}
    if viewed:
        defaults["viewed_at"] = result.computed_at
    StatsSnapshot.objects.update_or_create(committee=result.scope.committee, scope=result.scope.key,
                                           defaults=defaults)


def get_report(scope, *, now=None, max_age=SNAPSHOT_MAX_AGE):
    """The figures of ``scope`` for a page: from its snapshot when fresh, else computed now and stored.

    One query when the snapshot is fresh (plus one write at most once an hour to mark the scope as viewed, which
    keeps the refresh job refreshing it).
    """
    now = now or timezone.now()
    snapshot = StatsSnapshot.objects.filter(committee=scope.committee, scope=scope.key).first()
    if snapshot is not None and now - snapshot.computed_at <= max_age:
        if snapshot.viewed_at is None or now - snapshot.viewed_at > datetime.timedelta(hours=1):
            StatsSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=now)
        return Report.from_data(scope, snapshot.data, snapshot.computed_at)
    result = report(scope)
    save_snapshot(result, viewed=True)
    return result


@periodic.register("proposals.refresh_stats", interval=REFRESH_INTERVAL,
                   description="Recompute the proposal statistics snapshots viewed in the last week and each "
                               "committee's latest session.")
def refresh_stats(now=None):
    """Recompute the snapshots viewed within VIEWED_WITHIN and the latest session of every committee with
    proposals (so the first view of the current session is fast too). Idempotent; returns how many it wrote."""
    now = now or timezone.now()
    wanted = {(s.committee_id, s.scope) for s in StatsSnapshot.objects.filter(viewed_at__gte=now - VIEWED_WITHIN)}
    for committee_id in Proposal.objects.order_by().values_list("committee_id", flat=True).distinct():
        latest = Session.objects.filter(term__committee_id=committee_id).order_by("-year", "-number").first()
        if latest is not None:
            wanted.add((committee_id, f"session:{latest.pk}"))
    committees = Committee.objects.in_bulk({committee_id for committee_id, _key in wanted})
    written = 0
    for committee_id, key in sorted(wanted):
        committee = committees.get(committee_id)
        scope = Scope.from_key(committee, key) if committee else None
        if scope is None:
            StatsSnapshot.objects.filter(committee_id=committee_id, scope=key).delete()
            continue
        save_snapshot(report(scope))
        written += 1
    return written
