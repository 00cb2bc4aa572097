"""Downloads and the import page, mounted at /c/<committee code>/proposals/files/.

- ``reply/<id>.<docx|pdf>``: the reply letter, for whoever may see the reply (documents.may_download_reply);
- ``opinion/<assignment id>.<docx|pdf>``: a co-handling department's opinion (documents.may_download_opinion);
- ``register.xlsx``: the register with the page's filters (``proposals.view_register``);
- ``import/`` and ``import/template.xlsx``: historical proposals from Excel (``proposals.file_proposal``).

An object of another committee, or one the user may not see, is a 404; a committee the user holds no right in
for the page is a 403, as on the other proposal pages.
"""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.org.models import Committee

from . import documents, exports, imports
from .models import Assignment, Proposal, Reply

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx": (DOCX, documents.as_docx), "pdf": ("application/pdf", documents.as_pdf)}


def _committee(code, user, perm=None):
    committee = get_object_or_404(Committee, code=code)
    if perm and not user.has_perm(perm, committee):
        raise PermissionDenied
    return committee


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266: an ASCII fallback and the UTF-8 name for browsers that read it.
    response["Content-Disposition"] = f"attachment; filename=\"{filename.encode('ascii', 'ignore').decode() or 'file'}\"; " \
                                      f"filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _letter_response(letter, fmt):
    if fmt not in FORMATS:
        raise Http404
    content_type, render_letter = FORMATS[fmt]
    return _download(render_letter(letter), content_type, f"{letter.filename}.{fmt}")


@login_required
def reply_document(request, committee, pk, fmt):
    committee = _committee(committee, request.user)
    reply = get_object_or_404(Reply.objects.select_related(
        "assignment__department", "assignment__proposal__committee", "assignment__proposal__session__term"),
        pk=pk, assignment__proposal__committee=committee)
    if not documents.may_download_reply(request.user, reply):
        raise Http404
    return _letter_response(documents.reply_letter(reply), fmt)


@login_required
def opinion_document(request, committee, pk, fmt):
    committee = _committee(committee, request.user)
    assignment = get_object_or_404(Assignment.objects.select_related(
        "department", "proposal__committee", "proposal__session__term"), pk=pk, proposal__committee=committee)
    if not documents.may_download_opinion(request.user, assignment):
        raise Http404
    return _letter_response(documents.co_opinion_letter(assignment), fmt)


@login_required
def register_export(request, committee):
    """The register as .xlsx, with the same filters (query string) as the register page."""
    committee = _committee(committee, request.user, "proposals.view_register")
    filters = exports.RegisterFilters.from_mapping(request.GET)
    proposals = exports.filter_register(Proposal.objects.visible_to(request.user).for_committee(committee), filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(exports.register_workbook(proposals), XLSX, f"proposals-{committee.code}-{stamp}.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


@login_required
def import_page(request, committee):
    """Upload historical proposals; the answer lists every failing row, or the number imported."""
    committee = _committee(committee, request.user, "proposals.file_proposal")
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = imports.import_historical(committee, upload, upload.name, actor=request.user)
            if result.ok:
                messages.success(request, _("导入成功，共导入 %(n)d 件历史提案。") % {"n": result.created})
                form = ImportForm()
            else:
                messages.error(request, _("导入失败，未写入任何数据。请按下列原因修改后重新上传。"))
    else:
        form = ImportForm()
    status = 422 if result is not None and not result.ok else 200
    return render(request, "proposals/docs/import.html", {
        "committee": committee, "form": form, "result": result, "columns": imports.COLUMNS,
        "nav": {"register": request.user.has_perm("proposals.view_register", committee)},
    }, status=status)


@login_required
def import_template(request, committee):
    _committee(committee, request.user, "proposals.file_proposal")
    return _download(imports.template_workbook(), XLSX, "xieshang-historical-proposals-template.xlsx")
