"""Library pages: list, import (upload or paste), document with its cleaning flags, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.org import forms as org_forms
from xieshang.org.views import get_committee_for

from . import actions
from .forms import ImportForm
from .models import Document


@login_required
def document_list(request, committee):
    committee = get_committee_for(request, committee, "library.view_document")
    documents = Document.objects.for_committee(committee).only("id", "title", "kind", "source", "flags", "created_at")
    kind = request.GET.get("kind", "")
    if kind in Document.Kind.values:
        documents = documents.filter(kind=kind)
    page_obj = Paginator(documents, 30).get_page(request.GET.get("page"))
    return render(request, "library/list.html", {
        "committee": committee, "page_obj": page_obj, "kinds": Document.Kind.choices, "kind": kind,
        "can_add": request.user.has_perm("library.add_document", committee),
        "query_string": f"kind={kind}" if kind else "",
    })


@login_required
def document_import(request, committee):
    committee = get_committee_for(request, committee, "library.add_document")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            document = actions.do_import_document(
                committee, title=d["title"], kind=d["kind"], source=d["source"], text=d["text"],
                upload=d.get("file"), actor=request.user)
        except ValidationError as exc:
            org_forms.add_action_errors(form, exc)
        else:
            messages.success(request, _("资料已导入。"))
            return redirect("library:detail", committee.code, document.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "library/import.html", {"committee": committee, "form": form}, status=status)


@login_required
def document_detail(request, committee, pk):
    committee = get_committee_for(request, committee, "library.view_document")
    document = get_object_or_404(Document, committee=committee, pk=pk)
    return render(request, "library/detail.html", {
        "committee": committee, "document": document,
        "can_delete": request.user.has_perm("library.delete_document", document),
    })


@login_required
@require_POST
def document_delete(request, committee, pk):
    committee = get_committee_for(request, committee, "library.delete_document")
    document = get_object_or_404(Document, committee=committee, pk=pk)
    actions.do_delete_document(document, actor=request.user)
    messages.success(request, _("资料已删除。"))
    return redirect("library:list", committee.code)
