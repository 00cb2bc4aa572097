"""Uploaded attachments, shared by every workflow that keeps files on its records (proposals, 社情民意 reports).

Each app keeps its own ``Attachment`` model, its own per-committee settings (allowed extensions, size limit) and
its own permission; this module holds what they do alike:

- :func:`checked_name` validates an upload against the committee's settings (before anything is written);
- :func:`store` saves the file of a new attachment row; :func:`delete_on_commit` removes a row and, once the
  transaction commits, its file;
- :func:`download` serves a stored file (never from a public media URL) and :func:`remove_view` is the body of
  a page's "remove attachment" POST.
"""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from xieshang.org import settings_registry


def checked_name(uploaded, committee_id, *, types_key, max_mb_key):
    """The upload's base name, once its extension, size and content pass the committee's rules.

    ``types_key`` and ``max_mb_key`` name the app's settings (allowed extensions, limit in MB). Raises
    ``ValidationError`` on the ``file`` field for a missing name, a type not allowed, a file too large or empty.
    """
    name = os.path.basename(getattr(uploaded, "name", "") or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    allowed = [t.lower().lstrip(".") for t in settings_registry.get(committee_id, types_key)]
    if not name or extension not in allowed:
        raise ValidationError({"file": _("不允许上传“%(ext)s”类型的文件；允许的类型：%(allowed)s。") % {
            "ext": extension or "?", "allowed": "、".join(allowed)}})
    max_mb = settings_registry.get(committee_id, max_mb_key)
    if uploaded.size > max_mb * 1024 * 1024:
        raise ValidationError({"file": _("附件大小超过 %(mb)d MB 的上限。") % {"mb": max_mb}})
    if not uploaded.size:
        raise ValidationError({"file": _("附件是空文件。")})
    return name


def store(attachment, name, uploaded):
    """Fill in and save a new attachment row (``name``, ``size``, ``content_type``) with the uploaded file."""
    attachment.name = name[:200]
    attachment.size = uploaded.size
    attachment.content_type = (getattr(uploaded, "content_type", "") or "")[:100]
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    return attachment


def delete_on_commit(attachment):
    """Delete the row now and its stored file once the transaction commits (a rollback keeps both)."""
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))


def download(item, content_type=None):
    """The attachment's file as a download; 404 when the stored file is gone."""
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.name, content_type=content_type)


def safe_next(request, default):
    """The POST's ``next`` when it points to this site, else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def remove_view(request, item, *, owner, perm, remove, back_url):
    """Remove ``item`` (an attachment of ``owner``) for a page: 403 without ``perm`` on the owner, the action's
    refusal shown as a message, then back to ``next`` or ``back_url``."""
    if not request.user.has_perm(perm, owner):
        raise PermissionDenied
    try:
        remove(item, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("附件已删除。"))
    return redirect(safe_next(request, back_url))
