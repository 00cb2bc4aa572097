"""Where each kind's visible entries can lie (``Provider.scope``), which PostgreSQL's GIN index narrows searches
with: it must hold the committee of every entry the kind's visibility condition shows, for every persona, or a
search would silently miss results. CI runs this file on SQLite and PostgreSQL."""

import datetime

import pytest

from django.db import connection

from xieshang.library import actions as library_actions
from xieshang.opinions import actions as opinion_actions
from xieshang.opinions import dates
from xieshang.opinions.models import ReportCopy
from xieshang.org import roles
from xieshang.org.models import RoleGrant
from xieshang.proposals.models import Assignment
from xieshang.search import index, query, registry
from xieshang.search.models import SearchEntry
from xieshang.testing import PERSONA_NAMES, make_user

BODY = {"situation": "典农河沿岸饮用水水源地有排污口。", "analysis": "监管不到位。", "suggestion": "尽快整治。"}


@pytest.fixture
def spread(world, monkeypatch, django_capture_on_commit_callbacks):
    """Entries of every kind in several committees: proposals (one assigned to a department, one a draft),
    a library document, the member directory, and a report forwarded from the district to the city."""
    w = world
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2026, 3, 2))
    w.filed = w.add("关于典农河排污口整治的建议", "典农河排污口多。")
    w.draft = w.add("关于典农河草稿的建议", "草稿。", status="draft", actor=w.cosigner)
    w.assigned = w.add("关于典农河河长制的建议", "河长制落实。")
    Assignment.objects.create(proposal=w.assigned, department=w.dept_a, role="lead", status="accepted",
                              assigned_at=datetime.date(2026, 3, 2), objection_due=datetime.date(2026, 3, 9))
    index.reindex("proposal", w.assigned.pk)
    library_actions.do_import_document(w.district, title="典农河治理资料", text="典农河治理资料正文。",
                                       actor=w.office_admin)
    w.city_editor = make_user("city_editor")
    RoleGrant.objects.create(user=w.city_editor, committee=w.city, role="info_editor")
    with django_capture_on_commit_callbacks(execute=True):
        report = opinion_actions.do_create_report(w.district, {"title": "典农河饮用水", **BODY}, actor=w.member)
        opinion_actions.do_submit_report(report, actor=w.member)
    with django_capture_on_commit_callbacks(execute=True):
        copy = ReportCopy.objects.get(report=report)
        opinion_actions.do_edit_copy(copy, actor=w.info_editor)
        opinion_actions.do_sign_copy(copy, actor=w.info_signer)
        opinion_actions.do_forward_to_parent(copy, actor=w.info_editor)
    index.rebuild(["document", "member"])
    return w


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "city_editor"])
def test_each_kinds_scope_holds_the_committee_of_every_entry_it_shows(spread, persona):
    user = getattr(spread, persona)
    roles.forget(user)
    for provider in registry.all_providers():
        shown = set(SearchEntry.objects.filter(provider.visible(user)).values_list("committee_id", flat=True))
        scope = provider.scope(user)
        if scope is None:
            assert roles.is_sysadmin(user), (persona, provider.kind)
        else:
            assert shown <= set(scope), (persona, provider.kind)


def test_the_scopes_are_not_empty_where_something_is_shown(spread):
    # The check above means something: each kind shows entries, in more than one committee for reports.
    kinds = {"proposal": spread.dept_handler, "reply": None, "document": spread.member, "member": spread.member,
             "opinion": spread.city_editor}
    for kind, user in kinds.items():
        if user is not None:
            assert SearchEntry.objects.filter(registry.get(kind).visible(user)).exists(), kind
    assert set(SearchEntry.objects.filter(kind="opinion").values_list("committee_id", flat=True)) == {
        spread.district.pk, spread.city.pk}
    assert registry.get("proposal").scope(spread.dept_handler) == {spread.district.pk}
    assert registry.get("proposal").scope(spread.outsider) == set()
    assert registry.get("opinion").scope(spread.member) == {spread.district.pk}  # the author: the origin copy


def test_scope_lexemes_say_anywhere_for_the_sysadmin_and_nowhere_for_an_outsider(spread):
    assert query.scope_lexemes(spread.sysadmin) is None
    assert query.scope_lexemes(spread.outsider) == []
    assert query.scope_lexemes(spread.member, ["document"]) == [("document", [spread.district.pk])]


def test_the_scope_query_names_kinds_and_committees():
    query = index.scope_query([("document", [3, 1]), ("member", [1])])
    if connection.vendor == "postgresql":
        assert query == "('@kdocument' & ('@c3' | '@c1')) | ('@kmember' & ('@c1'))"
    else:
        assert query == ('("\ue000kdocument" AND ("\ue000c3" OR "\ue000c1")) OR '
                         '("\ue000kmember" AND ("\ue000c1"))')


@pytest.mark.usefixtures("match_path")
@pytest.mark.parametrize("persona", ["member", "dept_handler", "info_editor", "city_editor", "outsider"])
def test_a_search_narrowed_by_the_scope_finds_what_the_visibility_alone_finds(spread, persona, monkeypatch):
    user = getattr(spread, persona)
    texts = ["典农河", "河", "排污口", "资料"]
    narrowed = {t: [e.pk for e in query.search(user, t)] for t in texts}
    monkeypatch.setattr(query, "scope_lexemes", lambda *a, **k: None)
    assert narrowed == {t: [e.pk for e in query.search(user, t)] for t in texts}


@pytest.mark.usefixtures("match_path")
@pytest.mark.parametrize("persona", ["sysadmin", "member", "city_editor", "dept_handler"])
def test_a_committee_filter_narrows_the_index_for_everyone_and_finds_the_same(spread, persona, monkeypatch):
    # The sysadmin has no scope (entries anywhere): a committee filter gives one; both must find what the
    # visibility and the filter alone find.
    user = getattr(spread, persona)
    texts = ["典农河", "河", "排污口", "资料", "委员"]
    wanted = []
    for committee in (spread.district, spread.city):
        filters = query.Filters(committee_id=committee.pk)
        wanted.append({t: [e.pk for e in query.search(user, t, filters)] for t in texts})
    monkeypatch.setattr(index, "uses_scope_lexemes", lambda: False)
    for committee, narrowed in zip((spread.district, spread.city), wanted):
        filters = query.Filters(committee_id=committee.pk)
        assert narrowed == {t: [e.pk for e in query.search(user, t, filters)] for t in texts}, committee.code
    assert any(found for committee in wanted for found in committee.values())


def test_the_sysadmin_without_filters_is_planned_as_seeing_every_entry(spread, monkeypatch):
    seen = []
    monkeypatch.setattr(index, "uses_scope_lexemes", lambda: True)
    monkeypatch.setattr(index, "share_of_kinds", lambda kinds: 0.5 if kinds else 1.0)
    monkeypatch.setattr(index, "newest_matching_ids", lambda qs, tokens, limit, scope=None, visible=None: seen.append(
        (scope, visible)) or [])
    query.search(spread.sysadmin, "河")
    assert query.scope_lexemes(spread.sysadmin, ["proposal"]) is None  # proposals may lie anywhere for them
    query.search(spread.sysadmin, "河", query.Filters(kind="proposal"))
    query.search(spread.sysadmin, "河", query.Filters(year=2026))  # another filter: how much it leaves is unknown
    query.search(spread.member, "河")
    assert seen[:3] == [(None, 1.0), (None, 0.5), (None, None)]
    assert seen[3][0] and seen[3][1] is None


def in_scope(scope, tokens=("典农",)):
    """(kind, committee) of the entries the full-text index finds for ``tokens`` within ``scope``, by both reads."""
    everything = SearchEntry.objects.all()
    newest = index.newest_matching_ids(everything, list(tokens), 100, scope=scope)
    matched = index.match(everything, list(tokens), scope=scope).values_list("pk", flat=True)
    assert sorted(newest) == sorted(matched)
    return set(SearchEntry.objects.filter(pk__in=newest).values_list("kind", "committee_id"))


def test_the_fulltext_index_itself_narrows_to_the_scope(spread):
    # Not through the visibility condition: the queryset holds every entry, so only the index's scope narrows.
    district, city = spread.district.pk, spread.city.pk
    assert in_scope(None) >= {("proposal", district), ("opinion", district), ("opinion", city)}
    assert in_scope([("opinion", [city])]) == {("opinion", city)}
    assert in_scope([("opinion", [district, city]), ("document", [district])]) == {
        ("opinion", district), ("opinion", city), ("document", district)}
    assert in_scope([("member", [city])], tokens=("资料",)) == set()


def test_the_scope_in_the_index_follows_an_entrys_committee_and_kind(spread):
    entry = SearchEntry.objects.get(kind="document")
    SearchEntry.objects.filter(pk=entry.pk).update(committee=spread.city)
    assert in_scope([("document", [spread.city.pk])]) == {("document", spread.city.pk)}
    assert in_scope([("document", [spread.district.pk])]) == set()
    SearchEntry.objects.filter(pk=entry.pk).update(kind="archived")
    assert in_scope([("document", [spread.city.pk])]) == set()
    assert in_scope([("archived", [spread.city.pk])]) == {("archived", spread.city.pk)}
    SearchEntry.objects.filter(pk=entry.pk).delete()
    assert in_scope([("archived", [spread.city.pk])]) == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
