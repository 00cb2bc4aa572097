"""Downloads of the 社情民意 documents, mounted at /c/<committee code>/opinions/files/.

- ``bulletin/<issue id>.docx`` and ``.pdf``: an issue of the committee's bulletin, for its editors and signers at
  any time and its other office roles once published (:func:`documents.may_download_bulletin`); an issue of
  another committee, or one the user may not download, is a 404;
- ``notice/<year>.docx``: the yearly notice (通报), for whoever may see the statistics (``opinions.view_stats``;
  a 403 otherwise, as on the statistics page).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from xieshang.core.documents import DOCX, PDF, download
from xieshang.org.models import Committee
from xieshang.org.views import get_committee_for

from . import documents
from .models import BulletinIssue


def _issue(request, committee, pk):
    committee = get_object_or_404(Committee, code=committee)
    issue = get_object_or_404(BulletinIssue.objects.select_related("committee"), pk=pk, committee=committee)
    if not documents.may_download_bulletin(request.user, issue):
        raise Http404
    return issue


@login_required
@require_GET
def bulletin_docx(request, committee, pk):
    doc = documents.bulletin(_issue(request, committee, pk))
    return download(documents.bulletin_docx(doc), DOCX, f"{doc.filename}.docx")


@login_required
@require_GET
def bulletin_pdf(request, committee, pk):
    doc = documents.bulletin(_issue(request, committee, pk))
    return download(documents.bulletin_pdf(doc), PDF, f"{doc.filename}.pdf")


@login_required
@require_GET
def notice_docx(request, committee, year):
    committee = get_committee_for(request, committee, "opinions.view_stats")
    if not 1949 <= year <= 2999:
        raise Http404
    notice = documents.yearly_notice(committee, year)
    return download(documents.notice_docx(notice), DOCX, f"{notice.filename}.docx")
