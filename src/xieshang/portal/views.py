"""The public portal (no login): published proposals and their sent replies.

Only ``Proposal.objects.published()`` is ever read, so an unpublished proposal is a 404 exactly like one that
does not exist. The pages show no contact details of anyone: proposals are shown by title, text, case number,
category and proposer *names*; replies by their text, class, department, document number and signer — never
the phone, mobile, email or address fields of proposals, replies, members or departments. The templates only
receive the plain values built here, not model instances, so a template change cannot leak a contact field.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from xieshang.org.models import Committee, Session
from xieshang.proposals import settings as local
from xieshang.proposals.models import Assignment, Proposal, Proposer, Reply

PAGE_SIZE = 20


@require_GET
def home(request):
    """The committees that have published proposals, with their counts."""
    published = Proposal.objects.published()
    committees = (Committee.objects.filter(pk__in=published.values("committee_id"))
                  .annotate(published=Count("proposal", filter=Q(proposal__in=published)))
                  .order_by("level", "code")
                  .values("code", "name", "published"))
    return render(request, "portal/home.html", {"committees": list(committees)})


def _committee(code):
    return get_object_or_404(Committee.objects.only("pk", "code", "name"), code=code)


@require_GET
def proposal_list(request, committee):
    committee = _committee(committee)
    published = Proposal.objects.published().filter(committee=committee)
    # The committee's sessions and configured categories, not a scan of the published rows for the values used.
    sessions = list(Session.objects.filter(term__committee=committee).select_related("term")
                    .order_by("-year", "-number"))
    categories = list(local.value(committee, local.CATEGORIES))
    q = request.GET.get("q", "").strip()[:100]
    session_id = request.GET.get("session", "").strip()
    category = request.GET.get("category", "").strip()
    rows = published
    if q:
        rows = rows.filter(title__icontains=q)
    if session_id:
        if not session_id.isdigit():
            raise Http404
        rows = rows.filter(session_id=int(session_id))
    if category:
        rows = rows.filter(category=category)
    # Newest first by id: an index walk, where ordering by the session's year would sort every published row.
    rows = rows.select_related("session__term").order_by("-pk").only(
        "pk", "title", "case_number", "category", "session__year", "session__number", "session__term__number")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/proposal_list.html", {
        "committee": committee, "page_obj": page, "sessions": sessions, "categories": categories, "q": q,
        "session_id": session_id, "category": category, "query_string": query.urlencode(),
    })


@require_GET
def proposal_detail(request, committee, pk):
    committee = _committee(committee)
    proposal = get_object_or_404(Proposal.objects.published().select_related("session__term"),
                                 committee=committee, pk=pk)
    proposers = list(proposal.proposers.exclude(signature=Proposer.Signature.DECLINED)
                     .order_by("order", "id").values_list("name", flat=True))
    replies = []
    letters = local.outcome_labels(committee)
    for reply in (Reply.objects.filter(assignment__proposal=proposal, status=Reply.ReviewStatus.SENT,
                                       assignment__role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT_LEAD])
                  .select_related("assignment__department").order_by("round", "assignment__id")):
        outcome = reply.final_outcome
        replies.append({"department": reply.assignment.department.name, "round": reply.round,
                        "doc_number": reply.doc_number, "outcome": outcome, "outcome_label": letters.get(outcome, ""),
                        "body": reply.body, "signer": reply.signer, "sent_at": reply.sent_at})
    item = {"pk": proposal.pk, "title": proposal.title, "case_label": proposal.case_label,
            "session": str(proposal.session), "category": proposal.category,
            "kind": proposal.get_kind_display(), "collective_name": proposal.collective_name,
            "situation": proposal.situation, "analysis": proposal.analysis, "suggestion": proposal.suggestion,
            "filed_at": proposal.filed_at}
    return render(request, "portal/proposal_detail.html", {
        "committee": committee, "proposal": item, "proposers": proposers, "replies": replies})
