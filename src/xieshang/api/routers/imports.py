"""Excel import of members and departments (multipart upload), through ``org.imports``: all rows or none."""

from django.http import Http404
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from xieshang.org import imports
from xieshang.org.models import ImportJob

from .. import schemas as s
from ..access import committee_for

router = Router(tags=["导入"])

KINDS = {
    ImportJob.Kind.MEMBERS: ("org.import_members", imports.import_members),
    ImportJob.Kind.DEPARTMENTS: ("org.import_departments", imports.import_departments),
}


class ImportRowError(Schema):
    row: int | None
    message: str


class ImportOut(Schema):
    ok: bool
    job_id: int
    created: int
    errors: list[ImportRowError]


@router.post(
    "/committees/{code}/import/{kind}",
    response={201: ImportOut, 401: s.Error, 403: s.Error, 404: s.Error, 422: ImportOut},
    summary="从 Excel 导入委员或承办单位",
)
def import_file(request, code: str, kind: str, file: File[UploadedFile]):
    """``kind`` is ``members`` or ``departments``. 201 when every row was applied; 422 with each failing row
    (its spreadsheet row number and reason) when nothing was applied."""
    if kind not in KINDS:
        raise Http404
    perm, run = KINDS[kind]
    committee = committee_for(request, code, perm)
    result = run(committee, file, file.name, actor=request.auth)
    body = {"ok": result.ok, "job_id": result.job.pk, "created": result.created, "errors": result.errors}
    return (201 if result.ok else 422), body
