"""The 社情民意 statistics page of a committee and its .xlsx export (rule ``opinions.view_stats``).

Scope from the query string: ``?year=<yyyy>`` (default: the current year). A malformed year is a 404; a
committee the user holds no office role in is a 403 (an unknown committee code a 404), as on the proposal
statistics page. Both read :func:`stats.figures` live: a handful of grouped queries on the events index.
"""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from xieshang.core.documents import XLSX, download
from xieshang.core.spreadsheets import add_sheet
from xieshang.org.views import get_committee_for

from . import stats

# Rows shown per ranked table on the page (a committee has hundreds of members); the export has every row.
PAGE_ROWS = 50


def scope_from(request, committee):
    """The committee's scope for ``?year=`` (the current year by default); 404 for a malformed year."""
    year = request.GET.get("year", "").strip()
    if not year:
        return stats.Scope(committee, timezone.localdate().year)
    if not year.isdigit() or not 1949 <= int(year) <= 2999:
        raise Http404
    return stats.Scope(committee, int(year))


@login_required
@require_GET
def stats_page(request, committee):
    committee = get_committee_for(request, committee, "opinions.view_stats")
    scope = scope_from(request, committee)
    figures = stats.figures(scope)
    years = sorted(set(stats.years_with_events(committee)) | {scope.year, timezone.localdate().year}, reverse=True)
    return render(request, "opinions/stats.html", {
        "committee": committee, "scope": scope, "figures": figures, "years": years,
        "chart_data": figures.chart_data(),
        "notice_url": reverse("opinions_doc:notice_docx", args=[committee.code, scope.year]),
        "top": f":{PAGE_ROWS}", "top_n": PAGE_ROWS,
    })


def _sheet(book, title, header, rows):
    """One sheet: a bold, frozen header row and formula-safe cells."""
    return add_sheet(book, title, header, rows, freeze_header=True)


def _table(book, title, first_header, rows, level_labels, extra_header=(), extra=lambda r: []):
    header = [first_header, *extra_header, pgettext("count", "报送"), _("采用"), _("批示")]
    header += [_("%(level)s采用") % {"level": label} for label in level_labels]
    header += [_("%(level)s批示") % {"level": label} for label in level_labels]
    _sheet(book, title, header, [
        [r["label"], *extra(r), r["submitted"], r["adopted"], r["instructed"],
         *[c["adopted"] for c in r["levels"]], *[c["instructed"] for c in r["levels"]]] for r in rows])


def build_workbook(figures):
    """The figures as an openpyxl Workbook: one sheet per table, plain values, never formulas."""
    book = Workbook()
    book.remove(book.active)
    computed = timezone.localtime(figures.computed_at).strftime("%Y-%m-%d %H:%M") if figures.computed_at else ""
    scope_label = str(figures.scope.label)
    _sheet(book, _("总体"), [_("统计范围"), _("项目"), _("数量"), _("数据时间")],
           [[scope_label, r["label"], r["count"], computed] for r in figures.summary]
           + [[scope_label, _("被采用信息（篇）"), figures.counts["adopted_reports"], computed],
              [scope_label, _("获批示信息（篇）"), figures.counts["instructed_reports"], computed]])
    _sheet(book, _("按层级"), [_("层级"), _("采用（篇次）"), _("批示（篇次）")],
           [[c["label"], c["adopted"], c["instructed"]] for c in figures.levels])
    labels = figures.level_labels
    _table(book, _("按报送人类型"), _("报送人类型"), figures.author_kinds, labels)
    _table(book, _("按委员"), _("委员"), figures.members, labels, [_("界别")], lambda r: [r["sector"]])
    _table(book, _("按特邀信息员"), _("特邀信息员"), figures.informants, labels, [_("工作单位")],
           lambda r: [r["unit"]])
    _table(book, _("按界别"), _("界别"), figures.sectors, labels)
    _table(book, _("按联络组"), _("联络组"), figures.liaison_groups, labels)
    _table(book, _("按集体"), _("集体"), figures.collectives, labels)
    return book


@login_required
@require_GET
def stats_export(request, committee):
    committee = get_committee_for(request, committee, "opinions.view_stats")
    scope = scope_from(request, committee)
    buffer = io.BytesIO()
    build_workbook(stats.figures(scope)).save(buffer)
    return download(buffer.getvalue(), XLSX, f"opinion-stats-{committee.code}-{scope.year}.xlsx")
