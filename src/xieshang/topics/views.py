"""Topic pages: counts by topic for a year (the dashboard), the committee's list of topics, and the tag widget
that proposal (and report) pages load with htmx."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from xieshang.org import forms as org_forms
from xieshang.org.views import get_committee_for

from . import actions, queries, targets
from .forms import TopicForm, YearForm
from .models import Topic, TopicTag


def _today_year():
    from django.utils import timezone

    return timezone.localdate().year


def _register_url(committee, **params):
    from urllib.parse import urlencode

    return reverse("proposals:register", args=[committee.code]) + "?" + urlencode(params)


def _reports_url(committee, **params):
    """The office's 社情民意 queue with every state, filtered like the count (``queries.reports_of_year``: the
    reports of the year holding a copy at the committee, which is one queue row each)."""
    from urllib.parse import urlencode

    return reverse("opinions:queue", args=[committee.code]) + "?" + urlencode({"status": "all", **params})


@login_required
def index(request, committee):
    """专题统计: for one year, how many proposals and reports each topic has, each count linking to its list."""
    committee = get_committee_for(request, committee, "topics.view_counts")
    actions.ensure_defaults(committee)
    years = queries.years(committee, _today_year())
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    if year is None:
        year = max((y for y in years if y <= _today_year()), default=_today_year())
    counts = queries.counts(committee, year)
    can_open_reports = request.user.has_perm("opinions.view_queue", committee)
    rows = []
    for topic in Topic.objects.filter(committee=committee):
        n = counts.get(topic.pk, {})
        rows.append({
            "topic": topic, "proposals": n.get(TopicTag.Kind.PROPOSAL, 0), "reports": n.get(TopicTag.Kind.OPINION, 0),
            "proposals_url": _register_url(committee, topic=topic.pk, year=year),
            "reports_url": _reports_url(committee, year=year, topic=topic.pk) if can_open_reports else "",
        })
    chart = {
        "labels": [r["topic"].name for r in rows],
        "series": [
            {"name": str(TopicTag.Kind.PROPOSAL.label), "values": [r["proposals"] for r in rows],
             "urls": [r["proposals_url"] for r in rows]},
            {"name": str(TopicTag.Kind.OPINION.label), "values": [r["reports"] for r in rows],
             "urls": [r["reports_url"] for r in rows] if can_open_reports else []},
        ],
    }
    return render(request, "topics/index.html", {
        "committee": committee, "rows": rows, "year": year, "years": years, "chart": chart,
        "can_manage": request.user.has_perm("topics.manage_topics", committee),
    })


@login_required
def manage(request, committee):
    """The committee's list of topics, and a form to add one."""
    committee = get_committee_for(request, committee, "topics.manage_topics")
    actions.ensure_defaults(committee)
    form = TopicForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_create_topic(committee, form.data_for_action(), actor=request.user)
        except ValidationError as exc:
            org_forms.add_action_errors(form, exc)
        else:
            messages.success(request, _("专题已添加。"))
            return redirect("topics:manage", committee.code)
    return render(request, "topics/manage.html", {
        "committee": committee, "form": form, "topics": Topic.objects.filter(committee=committee),
    }, status=422 if request.method == "POST" else 200)


@login_required
def edit(request, committee, pk):
    committee = get_committee_for(request, committee, "topics.manage_topics")
    topic = get_object_or_404(Topic, committee=committee, pk=pk)
    initial = {"name": topic.name, "keywords": "、".join(topic.keywords), "order": topic.order,
               "is_active": topic.is_active}
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_topic(topic, form.data_for_action(), actor=request.user)
        except ValidationError as exc:
            org_forms.add_action_errors(form, exc)
        else:
            messages.success(request, _("专题已保存。"))
            return redirect("topics:manage", committee.code)
    return render(request, "topics/edit.html", {"committee": committee, "topic": topic, "form": form},
                  status=422 if request.method == "POST" else 200)


def _widget(request, committee, kind, obj, *, error="", saved=False):
    target = targets.target(kind)
    current = queries.tags_of(committee, kind, obj)
    can_tag = targets.may_tag(request.user, committee, kind, obj)
    context = {
        "committee": committee, "kind": kind, "obj": obj, "current": current, "can_tag": can_tag,
        "current_ids": {t.pk for t in current}, "error": error, "saved": saved,
        "url": reverse("topics:tags", args=[committee.code, kind, obj.pk]),
        "next": _return_url(request, request.GET.get("next", "") or _htmx_page(request), committee, kind, obj),
    }
    if can_tag:
        context["choices"] = Topic.objects.filter(committee=committee, is_active=True)
        context["suggestions"] = queries.suggest(committee, target.text(obj), exclude=current)
    return render(request, "topics/_tags.html", context)


def _safe(request, url):
    """``url`` when it stays on this site (no other host or scheme), else ""."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


def _htmx_page(request):
    """The page that loaded the widget over htmx (its ``HX-Current-URL``), as a path on this site, or ""."""
    current = _safe(request, request.headers.get("HX-Current-URL", ""))
    if not current:
        return ""
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _return_url(request, candidate, committee, kind, obj):
    """Where a plain (no JavaScript) save returns: ``candidate`` when safe, else the object's page for
    ``committee`` (a report's copy at that level), else the topics page."""
    return (_safe(request, candidate) or targets.target(kind).url(committee, obj)
            or reverse("topics:index", args=[committee.code]))


def _back(request, committee, kind, obj):
    return _return_url(request, request.POST.get("next", ""), committee, kind, obj)


@login_required
def tags(request, committee, kind, object_id):
    """The tag widget of one object (GET), and setting its tags (POST ``topics``, repeated).

    htmx gets the widget back (with the error, if any); a plain form post is redirected to the page it came from
    (the form's ``next``, kept only when it is on this site) or else to the object's page for the committee.
    """
    committee = get_committee_for(request, committee, "topics.view_topics")
    obj = targets.visible_object(request.user, committee, kind, object_id)
    actions.ensure_defaults(committee)
    if request.method != "POST":
        return _widget(request, committee, kind, obj)
    if not targets.may_tag(request.user, committee, kind, obj):
        raise PermissionDenied
    htmx = request.headers.get("HX-Request") == "true"
    try:
        actions.do_set_tags(kind, obj, request.POST.getlist("topics"), committee=committee, actor=request.user)
    except ValidationError as exc:
        if htmx:
            return _widget(request, committee, kind, obj, error="；".join(exc.messages))
        messages.error(request, "；".join(exc.messages))
    else:
        if htmx:
            return _widget(request, committee, kind, obj, saved=True)
        messages.success(request, _("专题标签已保存。"))
    return redirect(_back(request, committee, kind, obj))
