"""The document library (文库): list, read, import (pasted text as JSON, or a file as multipart) and delete.

Everything goes through ``xieshang.library`` with the pages' permissions: ``library.view_document`` to read,
``library.add_document`` to import, ``library.delete_document`` to delete. A committee the caller may not see is
a 404, a visible one the caller may not change a 403. An import is validated by the import page's own form
(:class:`xieshang.library.forms.ImportForm`) and written by the same action, so an unsupported, oversized,
encrypted, scanned or damaged file, or empty text, is a 422 with the page's message and writes nothing.
"""

import datetime
import json
from typing import Literal, Optional

import pydantic
from django.core.exceptions import ValidationError
from django.db.models.functions import Length
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from pydantic import Field

from xieshang.library import actions
from xieshang.library.forms import ImportForm
from xieshang.library.models import Document

from .. import schemas as s
from ..access import PageQuery, committee_for, get_in, paginate
from ..errors import InvalidBody

router = Router(tags=["文库"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
Kind = Literal["speech", "study", "regulation", "other"]
FlagKind = Literal["mojibake", "paywall", "navigation", "placeholder"]
SegmentKind = Literal["text", "placeholder", "mojibake", "cut"]
# The import page's fields; anything else in a multipart request is refused like an unknown JSON field.
FORM_FIELDS = {"title", "kind", "source", "text"}


class AccountRef(Schema):
    username: str
    full_name: str


class FlagOut(Schema):
    kind: FlagKind = Field(description="mojibake 乱码段落（不参与检索）；paywall 已删除的付费阅读提示；"
                                       "navigation 已删除的文末网站导航；placeholder 被删去姓名或数字的占位符")
    excerpt: str = Field(description="原文摘录")
    count: Optional[int] = Field(None, description="占位符的个数（仅 placeholder）")


class SegmentOut(Schema):
    kind: SegmentKind = Field(description="text 正文；placeholder 占位符；mojibake 乱码段落；cut 已删除的付费提示")
    text: str


class DocumentSummary(Schema):
    id: int
    committee: str = Field(description="政协组织代码")
    title: str
    kind: Kind
    kind_label: str
    source: str = Field(description="来源")
    filename: str = Field(description="导入的文件名；粘贴的正文为空")
    flag_kinds: list[FlagKind] = Field(description="清理标记的种类，每处标记一项")
    size: int = Field(description="原文字数（字符）")
    created_by: Optional[AccountRef] = Field(None, description="导入人")
    created_at: datetime.datetime


class DocumentOut(DocumentSummary):
    text: str = Field(description="清理后的正文（简体，含占位符和乱码段落）")
    segments: list[SegmentOut] = Field(description="清理后的正文分段，同文库页面的标注")
    flags: list[FlagOut] = Field(description="清理标记，同文库页面")
    original_text: str = Field(description="导入时的原文")
    updated_at: datetime.datetime
    can_delete: bool


class DocumentIn(s.Input):
    """Pasted text (JSON). A file is sent as multipart/form-data instead: field ``file`` with optional
    ``title``, ``kind`` and ``source``."""

    title: str = Field("", max_length=200, description="留空时使用正文中的“标题：”一行")
    kind: Kind = "other"
    source: str = Field("", max_length=200, description="来源")
    text: str = Field(description="正文（繁体或简体）")


class DocumentFilters(Schema):
    kind: Optional[Kind] = Field(None, description="类型")


IMPORT_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": DocumentIn.model_json_schema()},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": ".txt、.docx 或 .pdf，不超过 10 MB"},
            "title": {"type": "string", "maxLength": 200, "description": "留空时使用正文中的“标题：”一行或文件名"},
            "kind": {"type": "string", "enum": list(Document.Kind.values), "default": "other"},
            "source": {"type": "string", "maxLength": 200},
        }}},
}}}


def _documents(committee):
    return Document.objects.for_committee(committee).select_related("committee", "created_by").annotate(
        size=Length("original_text"))


def _account(user):
    return {"username": user.get_username(), "full_name": user.get_full_name()} if user else None


def _summary(document):
    return {"id": document.pk, "committee": document.committee.code, "title": document.title,
            "kind": document.kind, "kind_label": document.get_kind_display(), "source": document.source,
            "filename": document.filename, "flag_kinds": document.flag_kinds(), "size": document.size,
            "created_by": _account(document.created_by), "created_at": document.created_at}


def _detail(request, document):
    return {**_summary(document), "text": document.text,
            "segments": [{"kind": kind, "text": text} for kind, text in document.segments],
            "flags": document.flags, "original_text": document.original_text, "updated_at": document.updated_at,
            "can_delete": request.auth.has_perm("library.delete_document", document)}


def _form_errors(form):
    return ValidationError({field: [str(m) for m in messages] for field, messages in form.errors.items()})


def _pasted(request):
    """The import form's data from a JSON body, checked against :class:`DocumentIn` (types, unknown fields)."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        # The same answer as the API's JSON parser gives (errors.InvalidBody → 422).
        raise HttpError(422, str(exc)) from InvalidBody(str(exc))
    try:
        return DocumentIn.model_validate(body).dict(), {}
    except pydantic.ValidationError as exc:
        raise SchemaValidationError([{**e, "loc": ("body", "payload", *e["loc"])}
                                     for e in exc.errors(include_url=False)]) from exc


def _uploaded(request):
    """The import form's data and file from a multipart body; an unknown field or a second file is a 422."""
    unknown = sorted((set(request.POST) - FORM_FIELDS) | (set(request.FILES) - {"file"}))
    if unknown:
        raise SchemaValidationError([{"type": "extra_forbidden", "loc": ("form", name)} for name in unknown])
    if len(request.FILES.getlist("file")) > 1:
        raise ValidationError({"file": [_("请只上传一个文件。")]})
    data = request.POST.copy()
    if not data.get("kind"):
        data["kind"] = Document.Kind.OTHER
    return data, request.FILES


@router.get("/committees/{code}/documents", response={200: s.Page[DocumentSummary], **ERRORS}, summary="文库资料列表")
def list_documents(request, code: str, page: PageQuery, filters: Query[DocumentFilters]):
    """Newest first, as the library page; ``kind`` filters by type."""
    committee = committee_for(request, code, "library.view_document")
    documents = _documents(committee).defer("original_text", "segments")
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    result = paginate(documents, page)
    result["items"] = [_summary(d) for d in result["items"]]
    return result


@router.get("/committees/{code}/documents/{int:document_id}", response={200: DocumentOut, **ERRORS},
            summary="文库资料详情")
def get_document(request, code: str, document_id: int):
    committee = committee_for(request, code, "library.view_document")
    return _detail(request, get_in(committee, _documents(committee), document_id))


@router.post("/committees/{code}/documents", response={201: DocumentOut, **ERRORS}, summary="导入文库资料",
             openapi_extra=IMPORT_BODY)
def import_document(request, code: str):
    """Pasted text as JSON ``{"title", "text", "kind", "source"}``, or a file as multipart/form-data (field
    ``file``: .txt, .docx or .pdf, at most 10 MB; optional ``title``, ``kind``, ``source``). The text is
    cleaned as on the import page; the title defaults to a ``标题:`` line in the text, else the file name."""
    committee = committee_for(request, code, "library.add_document")
    multipart = request.content_type == "multipart/form-data"
    data, files = _uploaded(request) if multipart else _pasted(request)
    form = ImportForm(data, files)
    if not form.is_valid():
        raise _form_errors(form)
    d = form.cleaned_data
    document = actions.do_import_document(
        committee, title=d["title"], kind=d["kind"], source=d["source"], text=d["text"], upload=d.get("file"),
        actor=request.auth)
    return 201, _detail(request, _documents(committee).get(pk=document.pk))


@router.delete("/committees/{code}/documents/{int:document_id}", response={204: None, **ERRORS},
               summary="删除文库资料")
def delete_document(request, code: str, document_id: int):
    committee = committee_for(request, code, "library.delete_document")
    actions.do_delete_document(get_in(committee, Document.objects.all(), document_id), actor=request.auth)
    return 204, None
