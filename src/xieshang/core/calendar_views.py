"""The working-day calendar page: any signed-in user reads it; "core.manage_calendar" is needed to change it.

Views are thin: a form validates, the permission is checked with ``has_perm``, an action in
:mod:`xieshang.core.actions` writes (and audits), and the page is rendered again.
"""

import calendar as _stdlib_calendar
import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import actions
from . import calendar as workcal
from .calendar_import import ImportFileError, parse_schedule, read_rows, template_workbook
from .models import CalendarDay, CalendarYear

PERM = "core.manage_calendar"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
YEAR_RANGE = (actions.YEAR_MIN, actions.YEAR_MAX)


def _today():
    return timezone.localdate()


def _require_manage(request):
    if not request.user.has_perm(PERM):
        raise PermissionDenied


def _page_url(year):
    return f"{reverse('core:calendar')}?year={year}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(
        label=gettext_lazy("名称"), max_length=50, help_text=gettext_lazy("例如“国庆节”“春节”。")
    )


class DayChangeForm(forms.Form):
    """Changing a day keeps its date; to move a day, delete it and add the new date."""

    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=50)


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])


class ImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1])
    file = forms.FileField(
        label=gettext_lazy("文件"),
        allow_empty_file=True,  # read_rows() explains an empty file together with the other file problems
        help_text=gettext_lazy("Excel（.xlsx）或 CSV 文件，三列：日期、类型（节假日或调休上班）、名称。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mark_loaded = forms.BooleanField(
        label=gettext_lazy("导入后将该年份标记为已载入"), required=False, initial=True,
        help_text=gettext_lazy("仅当文件包含该年全部节假日与调休安排时勾选。"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件不能超过 2 MB。"))
        return upload


class CalculatorForm(forms.Form):
    UNIT_CHOICES = [("working_days", gettext_lazy("个工作日")), ("months", gettext_lazy("个月"))]

    start = forms.DateField(label=gettext_lazy("起始日期"), widget=DateInput())
    n = forms.IntegerField(label=gettext_lazy("数量"), min_value=-366, max_value=366, initial=5)
    unit = forms.ChoiceField(label=gettext_lazy("单位"), choices=UNIT_CHOICES, initial="working_days")


def _year_from(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return _today().year
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else _today().year


def _month_grids(year, days):
    """Twelve month grids (weeks of seven cells, Monday first) for the year-at-a-glance view.

    Each cell is None outside the month, else {"day", "css", "title"}: css says holiday, make-up workday,
    weekend or plain weekday, as stored (the grid does not pretend to know an unloaded year's schedule).
    """
    by_date = {d.date: d for d in days}
    grids = []
    for month in range(1, 13):
        weeks = []
        for week in _stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for date in week:
                if date.month != month:
                    cells.append(None)
                    continue
                stored = by_date.get(date)
                if stored is not None:
                    css = "cal-holiday" if stored.kind == CalendarDay.Kind.HOLIDAY else "cal-workday"
                    title = f"{stored.get_kind_display()} {stored.name}"
                else:
                    css, title = ("cal-weekend", "") if date.weekday() >= 5 else ("", "")
                cells.append({"day": date.day, "css": css, "title": title})
            weeks.append(cells)
        grids.append({"month": month, "weeks": weeks})
    return grids


def _page_context(request, year, **extra):
    today = _today()
    loaded_years = list(CalendarYear.objects.all())
    loaded = {y.year: y for y in loaded_years}
    missing = [y for y in (today.year, today.year + 1) if y not in loaded]
    can_edit = request.user.has_perm(PERM)
    days = list(CalendarDay.objects.filter(date__year=year))
    context = {
        "year": year,
        "prev_year": year - 1,
        "next_year": year + 1,
        "days": days,
        "months": _month_grids(year, days),
        "years": loaded_years,
        "year_row": loaded.get(year),
        "missing_years": missing,
        "can_edit": can_edit,
        "calc_form": CalculatorForm(initial={"start": today}),
    }
    if can_edit:
        context["day_form"] = DayForm(initial={"date": datetime.date(year, 1, 1)}, auto_id="id_day_%s")
        context["year_form"] = YearForm(initial={"year": year}, auto_id="id_year_%s")
    context.update(extra)
    return context


@login_required
@require_GET
def calendar_page(request):
    """One year's holidays and make-up workdays, the loaded years, and warnings for missing ones."""
    year = _year_from(request)
    return render(request, "core/calendar.html", _page_context(request, year))


@login_required
@require_POST
def day_add(request):
    """Add a day, or change the day already stored for that date."""
    _require_manage(request)
    form = DayForm(request.POST, auto_id="id_day_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = actions.do_set_calendar_day(data["date"], data["kind"], data["name"], actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存 %(date)s（%(kind)s）。") % {
                "date": day.date.isoformat(), "kind": day.get_kind_display()})
            return redirect(_page_url(day.date.year))
    year = form.cleaned_data.get("date").year if form.cleaned_data.get("date") else _today().year
    return render(request, "core/calendar.html", _page_context(request, year, day_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def day_change(request, pk):
    _require_manage(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    if request.method == "POST":
        form = DayChangeForm(request.POST)
        if form.is_valid():
            try:
                actions.do_set_calendar_day(
                    day.date, form.cleaned_data["kind"], form.cleaned_data["name"], actor=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("已保存 %(date)s。") % {"date": day.date.isoformat()})
                return redirect(_page_url(day.date.year))
    else:
        form = DayChangeForm(initial={"kind": day.kind, "name": day.name})
    return render(request, "core/calendar_day_form.html", {"day": day, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def day_delete(request, pk):
    _require_manage(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    date = day.date
    actions.do_delete_calendar_day(day, actor=request.user)
    messages.success(request, _("已删除 %(date)s，该日恢复按星期计算。") % {"date": date.isoformat()})
    return redirect(_page_url(date.year))


@login_required
@require_POST
def year_mark_loaded(request):
    """Declare a year's schedule complete after entering it by hand."""
    _require_manage(request)
    form = YearForm(request.POST, auto_id="id_year_%s")
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            actions.do_mark_year_loaded(year, actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("%(year)d 年已标记为已载入，可以计算该年的期限。") % {"year": year})
            return redirect(_page_url(year))
    year = form.cleaned_data.get("year") or _today().year
    return render(request, "core/calendar.html", _page_context(request, year, year_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def import_schedule(request):
    """Import a year's schedule from .xlsx or .csv: every row valid and applied, or nothing written."""
    _require_manage(request)
    row_errors, file_error = [], ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            year = form.cleaned_data["year"]
            upload = form.cleaned_data["file"]
            try:
                parsed = parse_schedule(read_rows(upload), year)
            except ImportFileError as exc:
                file_error = exc.message
            else:
                row_errors = parsed.errors
                if not row_errors:
                    try:
                        counts = actions.do_import_calendar(
                            year, parsed.days, actor=request.user, filename=upload.name[:80],
                            mark_loaded=form.cleaned_data["mark_loaded"],
                        )
                    except ValidationError as exc:
                        file_error = " ".join(exc.messages)
                    else:
                        messages.success(request, _(
                            "导入完成：新增 %(added)d 天，修改 %(changed)d 天，未变 %(unchanged)d 天。"
                        ) % counts)
                        if counts["marked_loaded"]:
                            messages.success(request, _("%(year)d 年已标记为已载入。") % {"year": year})
                        return redirect(_page_url(year))
    else:
        form = ImportForm(initial={"year": _year_from(request)})
    failed = bool(row_errors or file_error or form.errors)
    return render(
        request,
        "core/calendar_import.html",
        {"form": form, "row_errors": row_errors, "file_error": file_error,
         "template_year": _import_year(form)},
        status=400 if failed else 200,
    )


def _import_year(form):
    """The year the import form is about, for the template link: the posted year, else the initial one."""
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get("year") or _today().year + 1
    return form.initial.get("year") or _today().year + 1


@login_required
@require_GET
def import_template(request):
    """The .xlsx template for importing ``?year=`` (default: next year)."""
    _require_manage(request)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = _today().year + 1
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        year = _today().year + 1
    response = HttpResponse(
        template_workbook(year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="calendar-{year}.xlsx"'
    return response


@login_required
@require_GET
def calculate(request):
    """The deadline calculator: start + N working days or N calendar months, or the beyond-calendar warning.

    Answers htmx with the result fragment only, and a plain request with the whole page.
    """
    form = CalculatorForm(request.GET)
    result = {"form": form}
    if form.is_valid():
        start, n, unit = form.cleaned_data["start"], form.cleaned_data["n"], form.cleaned_data["unit"]
        result.update(start=start, n=n, unit=unit)
        cal = workcal.load()
        try:
            if unit == "months":
                result["raw"] = workcal.add_months(start, n)
                result["due"] = workcal.next_working_day(result["raw"], cal)
            else:
                result["due"] = workcal.add_working_days(start, n, cal)
        except workcal.BeyondCalendar as exc:
            result["beyond_year"] = exc.year
    if request.headers.get("HX-Request"):
        return render(request, "core/calendar_calc_result.html", result, status=200 if form.is_valid() else 400)
    year = form.cleaned_data["start"].year if form.is_valid() else _today().year
    context = _page_context(request, year, calc_form=form, calc=result)
    return render(request, "core/calendar.html", context, status=200 if form.is_valid() else 400)
