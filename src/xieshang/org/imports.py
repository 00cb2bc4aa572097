"""Excel (.xlsx) import of members and departments: read, validate every row, then apply all or nothing.

Contract for callers (pages, API, commands)::

    result = imports.import_members(committee, fileobj, filename, actor=user)
    result = imports.import_departments(committee, fileobj, filename, actor=user)

``fileobj`` is any binary file-like object (an ``UploadedFile`` or ``BytesIO``); ``filename`` is only
recorded. The caller checks the permission (``org.import_members`` / ``org.import_departments``) first.

The returned :class:`ImportResult` has ``.job`` (the ImportJob row, always written), ``.ok`` (True when
the rows were applied), ``.created`` (rows created; 0 unless ok) and ``.errors`` (a list of
``{"row": int | None, "message": str}``; ``row`` is the spreadsheet row number, None for file-level
problems). When ``ok`` is False nothing was written except the failed ImportJob, which stays on the
uploader's workbench until resolved.

File-level failures: too large (``settings.XS_IMPORT_MAX_BYTES``), not an .xlsx workbook, empty, a header
row with missing required or unknown columns, no data rows, too many rows. Row-level failures are all
collected (not just the first). Cells are read with ``data_only=True`` so formulas are never evaluated or
stored; a text cell starting with "=" is kept as plain text.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import spreadsheets

from . import actions
from .models import Department, ImportJob, LiaisonGroup, Member, Sector, SpecialCommittee, Term

MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header text in row 1
    field: str
    required: bool = False  # the column must be present and every row must have a value
    help: str = ""


MEMBER_COLUMNS = [
    Column("姓名", "name", True),
    Column("性别", "gender", True, gettext_lazy("男 或 女")),
    Column("界别", "sector", True, gettext_lazy("须为本会已有界别")),
    Column("委员编号", "member_no"),
    Column("民族", "ethnicity"),
    Column("出生日期", "birth_date", help=gettext_lazy("日期，如 1970-01-31")),
    Column("党派", "party"),
    Column("专委会", "special_committee", help=gettext_lazy("须为本会已有专委会")),
    Column("联络组", "liaison_group", help=gettext_lazy("须为本会已有联络组")),
    Column("常委", "is_standing", help=gettext_lazy("是 或 否")),
    Column("工作单位", "unit"),
    Column("职务", "post"),
    Column("手机", "mobile"),
    Column("办公电话", "phone"),
    Column("电子邮箱", "email"),
    Column("通讯地址", "address"),
    Column("状态", "status", help=gettext_lazy("在任、暂停履职或已离任，空白为在任")),
]

DEPARTMENT_COLUMNS = [
    Column("名称", "name", True),
    Column("类型", "kind", True, gettext_lazy("党群部门、政府部门、政法机关、人民团体或其他")),
    Column("简称", "short_name"),
    Column("联系人", "contact_name"),
    Column("联系电话", "contact_phone"),
    Column("地址", "address"),
]

COLUMNS = {ImportJob.Kind.MEMBERS: MEMBER_COLUMNS, ImportJob.Kind.DEPARTMENTS: DEPARTMENT_COLUMNS}

# Accepted spellings for choice cells; the Chinese labels are the canonical ones.
GENDERS = {"男": Member.Gender.MALE, "女": Member.Gender.FEMALE}
STATUSES = {"在任": Member.Status.ACTIVE, "暂停履职": Member.Status.SUSPENDED, "已离任": Member.Status.LEFT,
            "离任": Member.Status.LEFT}
YES_NO = {"是": True, "否": False, "": False}
KINDS = {
    "党群部门": Department.Kind.PARTY, "党群": Department.Kind.PARTY,
    "政府部门": Department.Kind.GOVERNMENT, "政府": Department.Kind.GOVERNMENT,
    "政法机关": Department.Kind.LEGAL, "政法": Department.Kind.LEGAL,
    "人民团体": Department.Kind.ORGANISATION,
    "其他": Department.Kind.OTHER,
}


@dataclass
class ImportResult:
    job: ImportJob
    created: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return self.job.status == ImportJob.Status.APPLIED


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why."""


def _error(row, message):
    return {"row": row, "message": str(message)}


def template_workbook(kind):
    """An .xlsx (bytes) with the header row for ``kind`` and a second sheet explaining each column."""
    return spreadsheets.import_template(_("导入"), COLUMNS[kind])


def _read_bytes(fileobj):
    limit = settings.XS_IMPORT_MAX_BYTES
    size = getattr(fileobj, "size", None)
    if size is not None and size > limit:
        raise FileProblem(_("文件过大：不能超过 %(mb).1f MB。") % {"mb": limit / 1024 / 1024})
    data = fileobj.read(limit + 1)
    if len(data) > limit:
        raise FileProblem(_("文件过大：不能超过 %(mb).1f MB。") % {"mb": limit / 1024 / 1024})
    if not data:
        raise FileProblem(_("文件是空的。"))
    return data


def _cell_text(value):
    """A cell as stripped text; numbers without a spurious ".0", dates as ISO text. Never evaluated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_rows(fileobj):
    """The header (list of str) and the data rows [(row_number, [cell values])] of the first sheet.

    Raises FileProblem for a file that is too large, empty or not an .xlsx workbook. Blank rows are skipped.
    """
    from openpyxl import load_workbook

    data = _read_bytes(fileobj)
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(_("文件不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 另存为 .xlsx 后再上传。"))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = []
        header = None
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if header is None:
                header = [_cell_text(v) for v in values]
                continue
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS:
                raise FileProblem(_("数据行过多：一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
        wb.close()
    except FileProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, BadZipFile, InvalidFileException, …)
        raise FileProblem(_("无法读取该 Excel 文件，文件可能已损坏或不是 .xlsx 格式。")) from exc
    if header is None:
        raise FileProblem(_("文件是空的。"))
    return header, rows


def check_header(header, columns):
    """Map header text → column index; FileProblem names every missing, unknown or repeated column."""
    while header and not header[-1]:
        header = header[:-1]
    known = {c.header: c for c in columns}
    problems = []
    seen = {}
    unknown, repeated = [], []
    for index, text in enumerate(header):
        if text not in known:
            unknown.append(text or _("第 %(n)d 列（空白）") % {"n": index + 1})
        elif text in seen:
            repeated.append(text)
        else:
            seen[text] = index
    missing = [c.header for c in columns if c.required and c.header not in seen]
    if missing:
        problems.append(_("缺少必需的列：%(cols)s。") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(_("无法识别的列：%(cols)s。") % {"cols": "、".join(unknown)})
    if repeated:
        problems.append(_("重复的列：%(cols)s。") % {"cols": "、".join(repeated)})
    if problems:
        problems.append(_("请使用下载的模板，第一行为列名。"))
        raise FileProblem(" ".join(problems))
    return seen


def _cells(values, positions, columns):
    out = {}
    for c in columns:
        index = positions.get(c.header)
        out[c.field] = _cell_text(values[index]) if index is not None and index < len(values) else ""
    return out


def _parse_date(text):
    text = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return datetime.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")) if text.count("-") == 2 else text)
    except ValueError:
        return None


def validate_members(committee, header, rows):
    """[(row_number, data for do_create_member)] and a list of errors (all rows checked)."""
    positions = check_header(header, MEMBER_COLUMNS)
    sectors = {s.name: s for s in Sector.objects.filter(committee=committee)}
    specials = {s.name: s for s in SpecialCommittee.objects.filter(committee=committee)}
    specials.update({s.short_name: s for s in specials.copy().values() if s.short_name})
    groups = {g.name: g for g in LiaisonGroup.objects.filter(committee=committee)}
    term = Term.objects.filter(committee=committee, is_current=True).first()
    existing_numbers = set(
        Member.objects.filter(committee=committee).exclude(member_no="").values_list("member_no", flat=True)
    )
    existing_people = set(
        Member.objects.filter(committee=committee, term=term).values_list("name", "sector__name", "unit")
    )
    seen_numbers, seen_people = {}, {}
    parsed, errors = [], []
    for number, values in rows:
        cells = _cells(values, positions, MEMBER_COLUMNS)
        row_errors = []
        for c in MEMBER_COLUMNS:
            if c.required and not cells[c.field]:
                row_errors.append(_("“%(col)s”不能为空。") % {"col": c.header})
        data = {"term": term}
        for name in ("member_no", "name", "ethnicity", "party", "unit", "post", "mobile", "phone", "email", "address"):
            data[name] = cells[name]
        if cells["gender"]:
            data["gender"] = GENDERS.get(cells["gender"])
            if data["gender"] is None:
                row_errors.append(_("性别“%(v)s”无效，应为“男”或“女”。") % {"v": cells["gender"]})
        if cells["sector"]:
            data["sector"] = sectors.get(cells["sector"])
            if data["sector"] is None:
                row_errors.append(_("界别“%(v)s”在本会不存在。") % {"v": cells["sector"]})
        if cells["special_committee"]:
            data["special_committee"] = specials.get(cells["special_committee"])
            if data["special_committee"] is None:
                row_errors.append(_("专委会“%(v)s”在本会不存在。") % {"v": cells["special_committee"]})
        if cells["liaison_group"]:
            data["liaison_group"] = groups.get(cells["liaison_group"])
            if data["liaison_group"] is None:
                row_errors.append(_("联络组“%(v)s”在本会不存在。") % {"v": cells["liaison_group"]})
        if cells["is_standing"] not in YES_NO:
            row_errors.append(_("常委“%(v)s”无效，应为“是”或“否”。") % {"v": cells["is_standing"]})
        data["is_standing"] = YES_NO.get(cells["is_standing"], False)
        if cells["status"]:
            data["status"] = STATUSES.get(cells["status"])
            if data["status"] is None:
                row_errors.append(_("状态“%(v)s”无效，应为“在任”“暂停履职”或“已离任”。") % {"v": cells["status"]})
        if cells["birth_date"]:
            data["birth_date"] = _parse_date(cells["birth_date"])
            if data["birth_date"] is None:
                row_errors.append(_("出生日期“%(v)s”无效，应为如 1970-01-31 的日期。") % {"v": cells["birth_date"]})
        if cells["email"]:
            try:
                validate_email(cells["email"])
            except ValidationError:
                row_errors.append(_("电子邮箱“%(v)s”格式不正确。") % {"v": cells["email"]})
        for c in MEMBER_COLUMNS:
            limit = _max_length(Member, c.field)
            if limit and len(cells[c.field]) > limit:
                row_errors.append(_("“%(col)s”过长，最多 %(n)d 个字符。") % {"col": c.header, "n": limit})
        if cells["member_no"]:
            if cells["member_no"] in existing_numbers:
                row_errors.append(_("委员编号“%(v)s”已存在于本会。") % {"v": cells["member_no"]})
            elif cells["member_no"] in seen_numbers:
                row_errors.append(_("委员编号“%(v)s”与第 %(row)d 行重复。") % {"v": cells["member_no"],
                                                                           "row": seen_numbers[cells["member_no"]]})
            else:
                seen_numbers[cells["member_no"]] = number
        person = (cells["name"], cells["sector"], cells["unit"])
        if cells["name"]:
            if person in existing_people:
                row_errors.append(_("本届已有同一界别、同一单位的委员“%(v)s”。") % {"v": cells["name"]})
            elif person in seen_people:
                row_errors.append(_("与第 %(row)d 行是同一位委员（姓名、界别、单位相同）。") % {"row": seen_people[person]})
            else:
                seen_people[person] = number
        errors.extend(_error(number, m) for m in row_errors)
        if not row_errors:
            parsed.append((number, data))
    return parsed, errors


def validate_departments(committee, header, rows):
    """[(row_number, data for do_create_department)] and a list of errors (all rows checked)."""
    positions = check_header(header, DEPARTMENT_COLUMNS)
    existing = set(Department.objects.filter(committee=committee).values_list("name", flat=True))
    seen = {}
    parsed, errors = [], []
    for number, values in rows:
        cells = _cells(values, positions, DEPARTMENT_COLUMNS)
        row_errors = []
        for c in DEPARTMENT_COLUMNS:
            if c.required and not cells[c.field]:
                row_errors.append(_("“%(col)s”不能为空。") % {"col": c.header})
        data = {name: cells[name] for name in ("name", "short_name", "contact_name", "contact_phone", "address")}
        if cells["kind"]:
            data["kind"] = KINDS.get(cells["kind"])
            if data["kind"] is None:
                row_errors.append(
                    _("类型“%(v)s”无效，应为党群部门、政府部门、政法机关、人民团体或其他。") % {"v": cells["kind"]}
                )
        for c in DEPARTMENT_COLUMNS:
            limit = _max_length(Department, c.field)
            if limit and len(cells[c.field]) > limit:
                row_errors.append(_("“%(col)s”过长，最多 %(n)d 个字符。") % {"col": c.header, "n": limit})
        name = cells["name"]
        if name:
            if name in existing:
                row_errors.append(_("承办单位“%(v)s”已存在于本会。") % {"v": name})
            elif name in seen:
                row_errors.append(_("承办单位“%(v)s”与第 %(row)d 行重复。") % {"v": name, "row": seen[name]})
            else:
                seen[name] = number
        errors.extend(_error(number, m) for m in row_errors)
        if not row_errors:
            parsed.append((number, data))
    return parsed, errors


def _max_length(model, name):
    field_obj = model._meta.get_field(name)
    return getattr(field_obj, "max_length", None) if field_obj.get_internal_type() == "CharField" else None


_VALIDATORS = {ImportJob.Kind.MEMBERS: validate_members, ImportJob.Kind.DEPARTMENTS: validate_departments}


def run_import(committee, kind, fileobj, filename, *, actor):
    """Read, validate and apply an import of ``kind`` (an ImportJob.Kind); see the module docstring."""
    filename = (filename or "").rsplit("/", 1)[-1] or _("（未命名）")
    row_count = 0
    try:
        header, rows = read_rows(fileobj)
        row_count = len(rows)
        parsed, errors = _VALIDATORS[kind](committee, header, rows)
        if not rows and not errors:
            errors = [_error(None, _("文件只有列名，没有数据行。"))]
    except FileProblem as exc:
        errors = [_error(None, exc)]
    if not errors:
        try:
            job = actions.do_apply_import(committee, kind, filename, parsed, actor=actor)
            return ImportResult(job=job, created=len(parsed))
        except ValidationError as exc:
            row = getattr(exc, "row", None)
            errors = [_error(row, m) for m in exc.messages]
    job = actions.do_record_import(committee, kind, filename, status=ImportJob.Status.FAILED,
                                   row_count=row_count, errors=errors, actor=actor)
    return ImportResult(job=job, errors=errors)


def import_members(committee, fileobj, filename, *, actor):
    """Import members (委员) into ``committee``'s current term; see the module docstring for the contract."""
    return run_import(committee, ImportJob.Kind.MEMBERS, fileobj, filename, actor=actor)


def import_departments(committee, fileobj, filename, *, actor):
    """Import handling departments (承办单位) into ``committee``; see the module docstring for the contract."""
    return run_import(committee, ImportJob.Kind.DEPARTMENTS, fileobj, filename, actor=actor)
