"""Build small .xlsx files in memory for the import tests."""

import io

from openpyxl import Workbook

MEMBER_HEADER = ["姓名", "性别", "界别", "委员编号", "专委会", "联络组", "常委", "出生日期", "工作单位", "职务", "手机",
                 "电子邮箱", "状态"]
DEPARTMENT_HEADER = ["名称", "类型", "简称", "联系人", "联系电话", "地址"]


def make_xlsx(rows, *, text_cells=()):
    """The bytes of a workbook whose first sheet holds ``rows``.

    ``text_cells`` lists (row, column) positions, 1-based, that must be stored as text even when they start with
    "=" (openpyxl would otherwise write them as formulas).
    """
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for r, c in text_cells:
        ws.cell(row=r, column=c).data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data, name="import.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
