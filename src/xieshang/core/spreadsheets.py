"""Spreadsheet helpers shared by every export and import: formula-safe cells, export sheets and import templates.

A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula, so text from users could run as one when an export is opened (CSV/formula
injection). Every exported text cell goes through :func:`safe_cell`.
"""

import io

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` for a spreadsheet cell that can never be a formula: text that could be one gets a leading
    quote; numbers, dates and booleans pass unchanged; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_text(value):
    """Like :func:`safe_cell`, but always text (for CSV, or values openpyxl cannot store, such as UUIDs)."""
    return "" if value is None else safe_cell(str(value))


def add_sheet(book, title, header, rows, *, freeze_header=False):
    """A new sheet ``title`` in the openpyxl ``book``: a bold header row (kept in view while scrolling when
    ``freeze_header``), then ``rows`` as formula-safe cells; each column as wide as its longest value (10 to 40)."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if freeze_header:
        sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 2), 40)
    return sheet


def import_template(sheet_title, columns):
    """An .xlsx (bytes) for an import: the header row on the first sheet, one line per column on a second.

    ``columns`` have ``header``, ``required`` and ``help``.
    """
    from django.utils.translation import gettext as _
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, c in enumerate(columns):
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(12, len(c.header) * 3)
    notes = workbook.create_sheet(_("说明"))
    notes.append([_("列名"), _("是否必填"), _("说明")])
    for c in columns:
        notes.append([c.header, _("必填") if c.required else _("选填"), str(c.help)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
