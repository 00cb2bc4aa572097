"""社情民意 (public-opinion reports) in the one search box: one entry per committee's copy of a report.

Why copies and not reports: each level works on its own copy, with its own text (the version current at that
level, an editor's rewrite included), state and recipients, so a copy is what an office searches for; its
entry carries the copy's committee, which makes the committee filter and the permission condition plain
columns of the index.

Who finds what (the condition is part of the search query, so nothing else is counted or snippeted):
- the office roles of a committee (those who read its queue, ``opinions.view_queue``) find the copies at that
  committee, never another committee's;
- the author of a report (or whoever entered it for them) finds it through its originating copy, once it has
  been submitted (a draft has no copy yet and is listed on the author's own page);
- departments, other committees and everyone else find nothing.

The entry is rewritten on commit whenever the copy changes (state, new version), its report changes (author,
urgency), one of its versions is edited in place, or it is dispatched (the departments filter).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.opinions.models import CopyStatus, Dispatch, Report, ReportCopy, ReportVersion

from .. import registry
from ._util import committees_with, safe_reverse

KIND = "opinion"


def _queryset():
    return ReportCopy.objects.select_related("report", "version").prefetch_related("dispatches")


def _document(copy):
    version, report = copy.version, copy.report
    departments = sorted({d.department_id for d in copy.dispatches.all() if d.department_id})
    return registry.Doc(
        committee_id=copy.committee_id,
        title=version.title,
        body="\n".join(part for part in (version.situation, version.analysis, version.suggestion) if part),
        parent_id=copy.report_id,
        year=report.year,
        status=copy.status,
        department_ids=tuple(departments),
        sector_id=report.sector_id,
        date=copy.received_at,
    )


def _authored_origin_copies(user):
    authored = Q(report__author_user=user) | Q(report__created_by=user)
    return ReportCopy.objects.filter(authored, received_from__isnull=True).values("pk")


def _visible(user):
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    office = committees_with(user, "opinions.view_queue")
    return Q(kind=KIND) & (Q(committee_id__in=office) | Q(object_id__in=_authored_origin_copies(user)))


def _scope(user):
    """The committees of the copies :func:`_visible` can show: the user's office committees and those of the
    originating copies of their reports."""
    if not user.is_authenticated or not user.is_active:
        return []
    authored = ReportCopy.objects.filter(pk__in=_authored_origin_copies(user)).order_by()
    return set(committees_with(user, "opinions.view_queue")) | set(
        authored.values_list("committee_id", flat=True).distinct())


def _url(entry):
    return safe_reverse("opinions:copy", entry.committee.code, entry.object_id)


registry.register(registry.Provider(
    kind=KIND,
    label=_("社情民意信息"),
    model=ReportCopy,
    queryset=_queryset,
    document=_document,
    visible=_visible,
    scope=_scope,
    url=_url,
    dependents={
        Report: lambda report: ReportCopy.objects.filter(report=report).values_list("pk", flat=True),
        ReportVersion: lambda version: ReportCopy.objects.filter(version=version).values_list("pk", flat=True),
        Dispatch: lambda dispatch: [dispatch.copy_id],
    },
    status_choices=tuple(CopyStatus.choices),
))
