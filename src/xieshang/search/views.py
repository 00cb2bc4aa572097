"""Search pages: the search box, the committee's dictionary, the similar-items panel, suggestion accuracy.

The helpers that decide what a similar-items check or a department suggestion shows (threshold, committee,
proposal, rows) are shared with the API (:mod:`xieshang.search.api`), so both answer alike.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.org.models import Committee
from xieshang.org.views import get_committee_for

from . import actions, query, similar
from .forms import AccuracyForm, SearchForm
from .models import DictionaryTerm, SuggestionRecord

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
        "can_decide": request.user.has_perm("search.decide_suggestion", committee),
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


def similar_threshold(committee):
    """The committee's setting ``search.similar_threshold`` as a score (0–1): weaker matches are not shown."""
    from xieshang.org import settings_registry

    return settings_registry.get(committee, "search.similar_threshold") / 100.0


def may_check_similar(user, committee):
    """Similar items of a committee are checked by its members and staff, and by whoever may report there (an
    informant writing a 社情民意 report is not a member)."""
    return user.has_perm("org.view_committee", committee) or user.has_perm("opinions.add_report", committee)


def similar_matches(user, committee, title, body, *, exclude=None, kinds=similar.SIMILAR_KINDS, limit=10):
    """The similar items shown for (title, body): at or above the committee's threshold, filtered by what
    ``user`` may see; none for an empty text."""
    if not ((title or "").strip() or (body or "").strip()):
        return []
    return similar.similar(user, committee.pk, title, body, kinds=kinds, exclude=exclude,
                           threshold=similar_threshold(committee), limit=limit)


def _panel_committee(request, code):
    """The committee of a similar-items request (:func:`may_check_similar`); 403 otherwise, 404 for an
    unknown code."""
    committee = get_object_or_404(Committee, code=code)
    if not may_check_similar(request.user, committee):
        raise PermissionDenied
    return committee


def _parse_exclude(value):
    """``exclude`` is a proposal id (the draft form's) or ``kind:id`` (``opinion:12`` for a report's copy)."""
    if value.isdigit():
        return ("proposal", int(value))
    kind, _sep, pk = value.partition(":")
    if kind in similar.SIMILAR_KINDS and pk.isdigit():
        return (kind, int(pk))
    return None


def _copy_for_panel(request, committee, pk):
    """The copy at ``committee`` whose similar items its editors see: 404 unless visible, 403 unless editable."""
    from xieshang.opinions.models import ReportCopy

    copy = (ReportCopy.objects.select_related("version", "report").filter(committee=committee, pk=pk).first()
            if pk.isdigit() else None)
    if copy is None or not request.user.has_perm("opinions.view_copy", copy):
        raise Http404
    if not request.user.has_perm("opinions.edit_copy", copy):
        raise PermissionDenied
    return copy


def _own_copy_exclude(request, committee, report_pk):
    """The copy at ``committee`` of a report the user is writing again (its author's form), to leave out."""
    from xieshang.opinions.models import Report, ReportCopy

    if not report_pk.isdigit():
        return None
    copy_pk = (ReportCopy.objects.filter(committee=committee, report__in=Report.objects.mine(request.user),
                                         report_id=int(report_pk)).values_list("pk", flat=True).first())
    return ("opinion", copy_pk) if copy_pk else None


@login_required
def similar_panel(request, committee):
    """The similar-items panel, as a partial, for

    - a text being typed (htmx from the proposal draft form or the 社情民意 report form): GET title, situation,
      analysis, suggestion; ``exclude`` (the proposal's own id, or ``kind:id``) or ``report`` (the report being
      changed, whose own copy is left out); ``subject=opinion`` words the panel for a report;
    - a 社情民意 copy (``copy``, its pk at this committee), for the editors of that copy: the copy's current text,
      the copy itself left out.

    The engine filters every result by what the user may see.
    """
    committee = _panel_committee(request, committee)
    copy_pk = request.GET.get("copy", "")
    if copy_pk:
        copy = _copy_for_panel(request, committee, copy_pk)
        title = copy.version.title
        body = "\n".join(p for p in (copy.version.situation, copy.version.analysis, copy.version.suggestion) if p)
        exclude, subject = ("opinion", copy.pk), "copy"
    else:
        title = request.GET.get("title", "")[:200]
        body = "\n".join(request.GET.get(f, "")[:20000] for f in ("situation", "analysis", "suggestion", "body"))
        subject = "opinion" if request.GET.get("subject") == "opinion" else "proposal"
        exclude = _parse_exclude(request.GET.get("exclude", ""))
        if exclude is None and subject == "opinion":
            exclude = _own_copy_exclude(request, committee, request.GET.get("report", ""))
    matches = similar_matches(request.user, committee, title, body, exclude=exclude)
    return render(request, "search/_similar.html", {"committee": committee, "matches": match_rows(matches),
                                                    "subject": subject})


def match_rows(matches):
    """Each match with its item's ``url`` and ``kind_label`` (from the kind's provider)."""
    from . import registry

    return [{"match": m, "url": registry.get(m.entry.kind).url(m.entry) if registry.get(m.entry.kind) else "",
             "kind_label": registry.get(m.entry.kind).label if registry.get(m.entry.kind) else m.entry.kind}
            for m in matches]


def visible_proposal(user, committee, pk):
    """The committee's proposal ``pk`` if ``user`` may see it; 404 otherwise."""
    from xieshang.proposals.models import Proposal

    proposal = Proposal.objects.visible_to(user).filter(committee=committee, pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _proposal_for(request, committee, pk):
    return visible_proposal(request.user, committee, pk)


def proposal_text(proposal):
    """The body a proposal is compared by: its situation, analysis and suggestion."""
    return "\n".join(p for p in (proposal.situation, proposal.analysis, proposal.suggestion) if p)


def department_suggestions(user, committee, proposal):
    """The departments suggested for ``proposal`` (best first), from its similar filed neighbours."""
    return similar.suggest_departments(user, committee.pk, proposal.title, proposal_text(proposal),
                                       exclude=("proposal", proposal.pk))


def departments_in_order(committee, ids):
    """The committee's departments with ``ids``, in the order given, once each; other ids are dropped."""
    from xieshang.org.models import Department

    found = Department.objects.filter(committee=committee).in_bulk(ids)
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


@login_required
def proposal_panel(request, committee, pk):
    """Similar items and (for proposal staff) department suggestions for one proposal, as a partial."""
    committee = get_committee_for(request, committee, "org.view_committee")
    proposal = _proposal_for(request, committee, pk)
    matches = similar_matches(request.user, committee, proposal.title, proposal_text(proposal),
                              exclude=("proposal", proposal.pk))
    suggestions = []
    can_decide = request.user.has_perm("search.decide_suggestion", committee)
    if can_decide:
        suggestions = department_suggestions(request.user, committee, proposal)
    from xieshang.org.models import Department

    rows = match_rows(matches)
    can_merge = _may_merge(request.user, proposal)
    if can_merge:
        _add_merge_targets(proposal, rows)
    return render(request, "search/_proposal_panel.html", {
        "committee": committee, "proposal": proposal, "matches": rows, "suggestions": suggestions,
        "can_decide": can_decide, "can_merge": can_merge,
        "departments": Department.objects.filter(committee=committee, is_active=True),
    })


def _may_merge(user, proposal):
    """并案 is offered on a proposal under review, to those the proposals' merge operation lets merge it."""
    from xieshang.proposals.models import Status

    return proposal.status == Status.REVIEW and user.has_perm("proposals.file_proposal", proposal)


def _add_merge_targets(proposal, rows):
    """Mark each similar proposal as a 并案 target (``merge_into``) or say why it cannot be one (``merge_refusal``).

    The proposals are read afresh (the index's status may lag a moment behind), and the conditions are those
    of ``proposals.actions.do_merge_proposal``; the merge itself is posted to the proposal's ``merge``
    operation (``proposals:op``), which checks everything again.
    """
    from xieshang.proposals.models import FILED_STATES, Proposal, Status

    ids = [row["match"].entry.object_id for row in rows if row["match"].entry.kind == "proposal"]
    targets = Proposal.objects.filter(committee_id=proposal.committee_id, pk__in=ids).select_related("session__term")
    by_id = {target.pk: target for target in targets}
    for row in rows:
        target = by_id.get(row["match"].entry.object_id) if row["match"].entry.kind == "proposal" else None
        if target is None or target.pk == proposal.pk:
            continue
        if target.status not in FILED_STATES or target.status == Status.ARCHIVED:
            row["merge_refusal"] = _("只能并入已立案且尚未归档的提案。")
        elif target.session_id != proposal.session_id:
            row["merge_refusal"] = _("只能并入同一会次的提案。")
        else:
            row["merge_into"] = target


@login_required
@require_POST
def suggestion_decide(request, committee, pk):
    """Record the departments staff chose against the suggestion shown (accepted or overridden); the
    suggested departments are kept in the order posted (the order shown)."""
    committee = get_committee_for(request, committee, "search.decide_suggestion")
    proposal = _proposal_for(request, committee, pk)

    def ids(name):
        return [int(v) for v in request.POST.getlist(name) if v.isdigit()]

    suggested = departments_in_order(committee, ids("suggested"))
    chosen = departments_in_order(committee, ids("chosen"))
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


LATEST_OVERRIDDEN = 20


def accuracy_report(user, committee, year=None):
    """How the committee's department suggestions fared: ``overall`` and ``years`` (AccuracyFigures),
    ``figures`` for ``year`` (or overall), and the latest overridden decisions of that scope as rows (record,
    its proposal if ``user`` may see it, suggested departments in the order shown, chosen ones)."""
    from xieshang.proposals.models import Proposal

    from .models import AccuracyFigures

    records = SuggestionRecord.objects.filter(committee=committee)
    overall, years = records.accuracy()
    figures = overall if year is None else years.get(year) or AccuracyFigures(year=year)
    scope = records if year is None else records.in_year(year)
    latest = list(scope.filter(decision=SuggestionRecord.Decision.OVERRIDDEN).select_related("decided_by")
                  .prefetch_related("suggested", "chosen")[:LATEST_OVERRIDDEN])
    proposals = Proposal.objects.visible_to(user).filter(
        committee=committee, pk__in=[r.object_id for r in latest]).in_bulk()
    rows = [{"record": r, "proposal": proposals.get(r.object_id), "suggested": r.suggested_in_order(),
             "chosen": sorted(r.chosen.all(), key=lambda d: d.name)} for r in latest]
    return {"year": year, "overall": overall, "years": years, "figures": figures, "overridden": rows}


@login_required
def suggestion_accuracy(request, committee):
    """The proposal office's view of how often department suggestions were right, per year and overall."""
    committee = get_committee_for(request, committee, "search.decide_suggestion")
    form = AccuracyForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    report = accuracy_report(request.user, committee, year)
    return render(request, "search/accuracy.html", {
        "committee": committee, "form": form, **report,
        "can_manage_dictionary": request.user.has_perm("search.manage_dictionary", committee),
    }, status=422 if form.errors else 200)
