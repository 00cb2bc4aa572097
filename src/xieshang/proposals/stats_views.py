"""The statistics page of a committee's proposals and its .xlsx export (rule ``proposals.view_stats``).

Scope from the query string: ``?session=<id>`` (one of the committee's sessions; the latest by default) or
``?year=<yyyy>``. An unknown session or a malformed year is a 404, never another committee's figures.
Both read :func:`stats.get_report`: the scope's snapshot when it is at most 15 minutes old, else live figures.
"""

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from xieshang.core.spreadsheets import add_sheet
from xieshang.org.models import Session
from xieshang.org.views import get_committee_for

from . import stats


def _scope(request, committee):
    sessions = list(Session.objects.filter(term__committee=committee).select_related("term")
                    .order_by("-year", "-term__number", "-number"))
    year = request.GET.get("year", "").strip()
    session_id = request.GET.get("session", "").strip()
    if year:
        if not year.isdigit() or not 1949 <= int(year) <= 2999:
            raise Http404
        return stats.Scope(committee, year=int(year)), sessions
    if session_id:
        session = next((s for s in sessions if str(s.pk) == session_id), None)
        if session is None:
            raise Http404
        return stats.Scope(committee, session=session), sessions
    if not sessions:
        return stats.Scope(committee), sessions
    return stats.Scope(committee, session=sessions[0]), sessions


@require_GET
def stats_page(request, committee):
    committee = get_committee_for(request, committee, "proposals.view_stats")
    scope, sessions = _scope(request, committee)
    report = stats.get_report(scope)
    years = sorted({s.year for s in sessions}, reverse=True)
    return render(request, "proposals/stats/index.html", {
        "committee": committee, "scope": scope, "report": report, "sessions": sessions, "years": years,
        "chart_data": report.chart_data(), "export_query": request.GET.urlencode(),
    })


def build_workbook(report):
    """The report as an openpyxl Workbook: one sheet per table, plain values, never formulas."""
    book = Workbook()
    book.remove(book.active)
    computed = timezone.localtime(report.computed_at).strftime("%Y-%m-%d %H:%M") if report.computed_at else ""
    add_sheet(book, _("总体"), [_("统计范围"), _("项目"), _("件数"), _("数据时间")],
              [[str(report.scope.label), str(r["label"]), r["count"], computed] for r in report.summary])
    add_sheet(book, _("按提案类型"), [_("提案类型"), _("收到"), _("立案")],
              [[r["label"], r["received"], r["filed"]] for r in report.kinds])
    add_sheet(book, _("按类别"), [_("类别"), _("收到"), _("立案")],
              [[r["label"], r["received"], r["filed"]] for r in report.categories])
    add_sheet(book, _("按界别"), [_("界别"), _("收到"), _("立案")],
              [[r["label"], r["received"], r["filed"]] for r in report.sectors])
    letters = list(report.outcome_labels)
    results = list(report.rating_labels)
    header = [_("承办单位"), _("交办件数"), _("主办"), _("会办"), _("已答复"), _("按期答复"), _("按期答复率（%）")]
    header += [_("%(letter)s类（%%）") % {"letter": letter} for letter in letters]
    header += [_("测评件数")] + [_("%(label)s（%%）") % {"label": report.rating_labels[r]} for r in results]
    rows = []
    for r in report.departments:
        rows.append([r["label"], r["assignments"], r["leads"], r["co"], r["replied"], r["on_time"], r["on_time_rate"]]
                    + [r["outcome_shares"][letter] for letter in letters]
                    + [r["rated"]] + [r["rating_shares"][result] for result in results])
    add_sheet(book, _("承办单位"), header, rows)
    return book


@require_GET
def stats_export(request, committee):
    committee = get_committee_for(request, committee, "proposals.view_stats")
    scope, _sessions = _scope(request, committee)
    report = stats.get_report(scope)
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = f"proposal-stats-{committee.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
