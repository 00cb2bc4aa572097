"""Library writes: import (from a file or pasted text) and delete. Each is one transaction with its audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.audit import action

from .clean import clean
from .extract import text_of_upload
from .models import Document


def _require(actor, perm, obj):
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("无权执行此操作。"))


@action
def do_import_document(committee, *, title="", kind=Document.Kind.OTHER, source="", text="", upload=None, actor):
    """Import one document from ``upload`` (a .txt/.docx file) or pasted ``text``; clean it and save it.

    The title defaults to the one found in the text (a ``标题:`` line). Raises ValidationError with field
    messages for a missing or unreadable input, writes nothing then.
    """
    _require(actor, "library.add_document", committee)
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("类型无效。")})
    filename = ""
    if upload is not None:
        text = text_of_upload(upload)
        filename = (upload.name or "")[:200]
    if not text or not text.strip():
        raise ValidationError({"text": _("请上传文件或粘贴正文。")})
    cleaned = clean(text)
    title = (title or "").strip() or cleaned.title or filename
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if not cleaned.index_text.strip():
        raise ValidationError({"text": _("清理后没有可用的正文。")})
    document = Document.objects.create(
        committee=committee, title=title[:200], kind=kind, source=(source or "")[:200], filename=filename,
        original_text=text, segments=[list(s) for s in cleaned.segments], flags=cleaned.flags,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record("library.imported", document,
                 changes=audit.snapshot(document, ["title", "kind", "source", "filename"]))
    return document


@action
def do_delete_document(document, *, actor):
    _require(actor, "library.delete_document", document)
    audit.record("library.deleted", document, changes=audit.snapshot(document, ["title", "kind"]))
    document.delete()
