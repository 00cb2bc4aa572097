"""Where the holiday table comes from: the ``chinese-calendar`` package, and spreadsheets staff upload.

Nothing here writes through actions or checks permissions; :mod:`xieshang.core.actions` does. The seeding
function takes the model classes as arguments so the data migration can pass its historical models.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

HOLIDAY = "holiday"  # CalendarDay.Kind values, repeated so the migration need not import the model
WORKDAY = "workday"

# chinese_calendar names holidays in English (its Holiday enum values); the table holds the Chinese names.
# Stored names are data, not interface text: always Chinese, whatever language the seeding process runs in.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class ScheduleDay:
    date: datetime.date
    kind: str  # HOLIDAY or WORKDAY
    name: str


def package_source():
    """The CalendarYear.source recorded for seeded years, e.g. "chinese-calendar 1.11.0"."""
    import chinese_calendar

    return f"chinese-calendar {chinese_calendar.__version__}"


def package_schedule():
    """Every holiday and make-up workday the installed ``chinese-calendar`` knows, grouped by year.

    Holidays are kept whole, weekend days included (2026-02-15 to 02-23 is the Spring Festival as published),
    so the table reads like the State Council notice; weekend holidays change no arithmetic. Make-up
    workdays are the weekend days the package lists as working. Returns {year: [ScheduleDay, ...]} sorted by
    date. Raises KeyError if the package introduces a holiday this module has no Chinese name for.
    """
    import chinese_calendar

    years = {}
    for table, kind in ((chinese_calendar.holidays, HOLIDAY), (chinese_calendar.workdays, WORKDAY)):
        for day, english in table.items():
            years.setdefault(day.year, []).append(ScheduleDay(day, kind, HOLIDAY_NAMES[english]))
    return {year: sorted(days, key=lambda d: d.date) for year, days in sorted(years.items())}


def fill_missing_years(day_model, year_model, schedule, source):
    """Store ``schedule`` ({year: [ScheduleDay]}) for each year not yet marked loaded, then mark it loaded.

    A loaded year is never touched, so hand edits survive a re-run and the seed is idempotent. In a year
    not yet loaded, a date that already has a row (typed in by staff) keeps it. Returns the years filled.
    Works with the real or the historical (migration) models; writes no audit rows itself.
    """
    loaded = set(year_model.objects.values_list("year", flat=True))
    filled = []
    for year, days in sorted(schedule.items()):
        if year in loaded:
            continue
        existing = set(day_model.objects.filter(date__year=year).values_list("date", flat=True))
        day_model.objects.bulk_create(
            [day_model(date=d.date, kind=d.kind, name=d.name) for d in days if d.date not in existing]
        )
        year_model.objects.create(year=year, source=source)
        filled.append(year)
    return filled


# ---------------------------------------------------------------------------------------------------------
# Spreadsheet import: 日期 / 类型 / 名称, one row per date.

HEADER = ["日期", "类型", "名称"]
KIND_LABELS = {"节假日": HOLIDAY, "调休上班": WORKDAY}
NAME_MAX = 50


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not a spreadsheet, wrong header, no rows); ``message`` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class RowError:
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    reason: str


@dataclass
class ParsedImport:
    days: list = field(default_factory=list)  # [ScheduleDay] in file order
    errors: list = field(default_factory=list)  # [RowError]


def read_rows(uploaded):
    """The rows of an uploaded .xlsx or .csv file as lists of cell values, first sheet only.

    Raises ImportFileError for an empty file, an unknown extension, an .xls file, or a file whose content is
    not the format its name claims.
    """
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read()
    if not data:
        raise ImportFileError(_("文件为空。"))
    if name.endswith(".csv"):
        return _csv_rows(data)
    if name.endswith(".xls"):
        raise ImportFileError(_("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入。"))
    if name.endswith(".xlsx"):
        return _xlsx_rows(data)
    raise ImportFileError(_("只能导入 .xlsx 或 .csv 文件。"))


def _csv_rows(data):
    # Excel saves CSV as GBK on Chinese Windows; UTF-8 (with or without BOM) is tried first.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别 CSV 文件的编码，请保存为 UTF-8 编码后再导入。"))
    if "\x00" in text:
        raise ImportFileError(_("文件不是有效的 CSV 文本文件。"))
    return list(csv.reader(io.StringIO(text)))


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("文件不是有效的 Excel（.xlsx）文件。")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def parse_date(value):
    """A date from a spreadsheet cell (a date, a datetime at midnight, or text like 2027-01-01 or 2027年1月1日).

    Returns None when the value is not a date.
    """
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else None
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def parse_schedule(rows, year):
    """Check every row of an import for ``year``; collect the valid days and one RowError per bad row.

    The first non-blank row must be the header 日期 / 类型 / 名称 (ImportFileError otherwise, and when no
    data row follows). Blank rows are skipped. A row fails when its date is missing, not a date, outside
    ``year`` or repeated; its type is not 节假日 or 调休上班; a make-up workday is not on a weekend; or its
    name is missing or longer than 50 characters.
    """
    numbered = [(index, row) for index, row in enumerate(rows, start=1) if not all(_blank(c) for c in row)]
    if not numbered:
        raise ImportFileError(_("文件中没有任何内容。"))
    header_number, header = numbered[0]
    cells = [str(c).strip() if c is not None else "" for c in header]
    while cells and not cells[-1]:
        cells.pop()
    if cells != HEADER:
        raise ImportFileError(
            _("第 %(row)d 行的表头应为“日期、类型、名称”三列，请使用导入模板。") % {"row": header_number}
        )
    data = numbered[1:]
    if not data:
        raise ImportFileError(_("文件中只有表头，没有数据行。"))

    result = ParsedImport()
    seen = {}
    for number, row in data:
        row = list(row) + [None] * (3 - len(row))
        if any(not _blank(c) for c in row[3:]):
            result.errors.append(RowError(number, _("多出的列有内容，只应填写日期、类型、名称三列。")))
            continue
        raw_date, raw_kind, raw_name = row[:3]
        reasons = []
        day = parse_date(raw_date)
        if _blank(raw_date):
            reasons.append(_("日期为空。"))
        elif day is None:
            reasons.append(_("日期“%(value)s”无法识别，请写成 2027-01-01 的形式。") % {"value": raw_date})
        elif day.year != year:
            reasons.append(_("日期 %(date)s 不在 %(year)d 年内。") % {"date": day.isoformat(), "year": year})
        elif day in seen:
            reasons.append(_("日期 %(date)s 与第 %(row)d 行重复。") % {"date": day.isoformat(), "row": seen[day]})
        kind_label = str(raw_kind).strip() if raw_kind is not None else ""
        kind = KIND_LABELS.get(kind_label)
        if not kind_label:
            reasons.append(_("类型为空，应为“节假日”或“调休上班”。"))
        elif kind is None:
            reasons.append(_("类型“%(value)s”无效，应为“节假日”或“调休上班”。") % {"value": kind_label})
        elif kind == WORKDAY and day is not None and day.weekday() < 5:
            reasons.append(_("%(date)s 是工作日，不能登记为调休上班。") % {"date": day.isoformat()})
        name = str(raw_name).strip() if raw_name is not None else ""
        if not name:
            reasons.append(_("名称为空。"))
        elif len(name) > NAME_MAX:
            reasons.append(_("名称超过 %(max)d 个字。") % {"max": NAME_MAX})
        if day is not None and day not in seen:
            seen[day] = number
        if reasons:
            result.errors.append(RowError(number, " ".join(str(r) for r in reasons)))
        else:
            result.days.append(ScheduleDay(day, kind, name))
    return result


def template_workbook(year):
    """An .xlsx template: the header row and two example rows for ``year``, as bytes.

    The example rows use the first of January (holiday) and the first Saturday or Sunday of February
    (make-up workday) of ``year``; staff overwrite them with the published schedule.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    weekend = datetime.date(year, 2, 1)
    while weekend.weekday() < 5:
        weekend += datetime.timedelta(days=1)
    sheet.append([datetime.date(year, 1, 1), "节假日", "元旦"])
    sheet.append([weekend, "调休上班", "春节"])
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
