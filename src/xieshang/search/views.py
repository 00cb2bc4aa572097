"""Search pages: the search box, the committee's dictionary, the similar-items panel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.org.views import get_committee_for

from . import actions, query, similar
from .forms import SearchForm
from .models import DictionaryTerm

PAGE_SIZE = 20


@login_required
def search_view(request):
    form = SearchForm(request.GET or None, user=request.user)
    page_obj, rows, searched = None, [], False
    if form.is_bound and form.is_valid():
        searched = True
        entries = query.search(request.user, form.cleaned_data.get("q"), form.filters())
        page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = query.result_rows(page_obj.object_list, form.cleaned_data.get("q"))
    params = request.GET.copy()
    params.pop("page", None)
    template = "search/results.html" if request.headers.get("HX-Request") else "search/search.html"
    return render(request, template, {
        "form": form, "page_obj": page_obj, "rows": rows, "searched": searched,
        "query_string": params.urlencode(),
    })


@login_required
def dictionary_view(request, committee):
    committee = get_committee_for(request, committee, "search.manage_dictionary")
    terms = DictionaryTerm.objects.filter(committee=committee).order_by("source", "word")
    error = None
    if request.method == "POST":
        try:
            actions.do_add_dictionary_term(committee, request.POST.get("word", ""), actor=request.user)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("已添加词语。"))
            return redirect("search:dictionary", committee.code)
    return render(request, "search/dictionary.html", {
        "committee": committee, "terms": terms, "error": error, "word": request.POST.get("word", ""),
    }, status=422 if error else 200)


@login_required
@require_POST
def dictionary_remove(request, committee, pk):
    committee = get_committee_for(request, committee, "search.manage_dictionary")
    term = get_object_or_404(DictionaryTerm, committee=committee, pk=pk)
    actions.do_remove_dictionary_term(term, actor=request.user)
    messages.success(request, _("已删除词语。"))
    return redirect("search:dictionary", committee.code)


@login_required
@require_POST
def dictionary_sync(request, committee):
    committee = get_committee_for(request, committee, "search.manage_dictionary")
    n = actions.do_sync_dictionary(committee, actor=request.user)
    messages.success(request, _("已从组织数据添加 %(n)d 个词语。") % {"n": n})
    return redirect("search:dictionary", committee.code)


def _threshold(committee):
    from xieshang.org import settings_registry

    return settings_registry.get(committee, "search.similar_threshold") / 100.0


@login_required
def similar_panel(request, committee):
    """The similar-items panel for a text being typed (htmx from the draft form): GET title, situation,
    analysis, suggestion and optionally exclude (the proposal's own id)."""
    committee = get_committee_for(request, committee, "org.view_committee")
    title = request.GET.get("title", "")[:200]
    body = "\n".join(request.GET.get(f, "")[:20000] for f in ("situation", "analysis", "suggestion", "body"))
    exclude = request.GET.get("exclude", "")
    matches = []
    if title.strip() or body.strip():
        matches = similar.similar(request.user, committee.pk, title, body, threshold=_threshold(committee),
                                  exclude=("proposal", int(exclude)) if exclude.isdigit() else None)
    return render(request, "search/_similar.html", {"committee": committee, "matches": _rows(matches)})


def _rows(matches):
    from . import registry

    return [{"match": m, "url": registry.get(m.entry.kind).url(m.entry) if registry.get(m.entry.kind) else "",
             "kind_label": registry.get(m.entry.kind).label if registry.get(m.entry.kind) else m.entry.kind}
            for m in matches]


def _proposal_for(request, committee, pk):
    from xieshang.proposals.models import Proposal

    proposal = Proposal.objects.visible_to(request.user).filter(committee=committee, pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _body(proposal):
    return "\n".join(p for p in (proposal.situation, proposal.analysis, proposal.suggestion) if p)


@login_required
def proposal_panel(request, committee, pk):
    """Similar items and (for proposal staff) department suggestions for one proposal, as a partial."""
    committee = get_committee_for(request, committee, "org.view_committee")
    proposal = _proposal_for(request, committee, pk)
    matches = similar.similar(request.user, committee.pk, proposal.title, _body(proposal),
                              threshold=_threshold(committee), exclude=("proposal", proposal.pk))
    suggestions = []
    can_decide = request.user.has_perm("search.decide_suggestion", committee)
    if can_decide:
        suggestions = similar.suggest_departments(request.user, committee.pk, proposal.title, _body(proposal),
                                                  exclude=("proposal", proposal.pk))
    from xieshang.org.models import Department

    return render(request, "search/_proposal_panel.html", {
        "committee": committee, "proposal": proposal, "matches": _rows(matches), "suggestions": suggestions,
        "can_decide": can_decide, "departments": Department.objects.filter(committee=committee, is_active=True),
    })


@login_required
@require_POST
def suggestion_decide(request, committee, pk):
    """Record the departments staff chose against the suggestion shown (accepted or overridden)."""
    from xieshang.org.models import Department

    committee = get_committee_for(request, committee, "search.decide_suggestion")
    proposal = _proposal_for(request, committee, pk)

    def ids(name):
        return [int(v) for v in request.POST.getlist(name) if v.isdigit()]

    suggested = list(Department.objects.filter(committee=committee, pk__in=ids("suggested")))
    chosen = list(Department.objects.filter(committee=committee, pk__in=ids("chosen")))
    try:
        actions.do_record_suggestion(committee, proposal.pk, suggested=suggested, chosen=chosen,
                                     reasons=request.POST.getlist("reason")[:10], actor=request.user)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=422)
    messages.success(request, _("已记录承办单位选择。"))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("search:search")
