"""社情民意 in the one search box: each committee's copy is an entry, re-indexed on commit, and found only by the
office of that committee and by the report's author; nobody else gets a title, a count or a snippet."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xieshang.opinions import actions, dates
from xieshang.opinions.models import ReportCopy
from xieshang.org.models import RoleGrant
from xieshang.search import query
from xieshang.search.models import SearchEntry
from xieshang.testing import make_user

SECRET = "关于加强农村饮用水安全保障的建议"
BODY = {"situation": "部分乡镇自来水管网老化，夏季多次停水。", "analysis": "维护资金不足。",
        "suggestion": "建议设立农村供水管护专项资金。"}


def titles(user, text, kind="opinion"):
    return [e.title for e in query.search(user, text, query.Filters(kind=kind))]


def count(user, text, kind=""):
    return query.search(user, text, query.Filters(kind=kind)).count()


@pytest.fixture
def ow(personas, monkeypatch, django_capture_on_commit_callbacks):
    """A report by the member, submitted and edited at the district, with the index written on commit."""
    p = personas
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2026, 3, 2))
    p.city_editor = make_user("city_editor")
    RoleGrant.objects.create(user=p.city_editor, committee=p.city, role="info_editor")
    p.commit = lambda: django_capture_on_commit_callbacks(execute=True)
    with p.commit():
        p.report = actions.do_create_report(p.district, {"title": SECRET, **BODY}, actor=p.member)
        actions.do_submit_report(p.report, actor=p.member)
    p.copy = ReportCopy.objects.get(report=p.report)
    return p


def test_submitting_indexes_the_copy_on_commit(ow):
    entry = SearchEntry.objects.get(kind="opinion", object_id=ow.copy.pk)
    assert (entry.title, entry.committee_id, entry.parent_id, entry.status) == (
        SECRET, ow.district.pk, ow.report.pk, "pending")
    assert entry.year == 2026 and "乡镇自来水" in entry.body


def test_the_office_and_the_author_find_it(ow):
    for persona in ("info_editor", "info_signer", "committee_leader", "office_admin", "member", "sysadmin"):
        assert titles(getattr(ow, persona), "饮用水") == [SECRET], persona


@pytest.mark.parametrize("persona", ["cosigner", "informant", "other_staff", "outsider", "dept_handler",
                                     "other_dept_handler", "city_editor"])
def test_nobody_else_finds_it_or_counts_it(ow, persona):
    user = getattr(ow, persona)
    assert count(user, "饮用水") == 0
    assert count(user, "", kind="opinion") == 0


def test_an_informant_finds_their_own_report_only(ow):
    with ow.commit():
        report = actions.do_create_report(ow.district, {"title": "关于规范夜市占道经营的建议", **BODY},
                                          actor=ow.informant)
        actions.do_submit_report(report, actor=ow.informant)
    assert titles(ow.informant, "夜市") == ["关于规范夜市占道经营的建议"]
    assert titles(ow.informant, "自来水") == ["关于规范夜市占道经营的建议"]
    assert titles(ow.member, "夜市") == []
    assert sorted(titles(ow.info_editor, "自来水")) == sorted([SECRET, "关于规范夜市占道经营的建议"])


def test_a_department_with_a_dispatch_still_finds_nothing(ow):
    with ow.commit():
        actions.do_edit_copy(ow.copy, actor=ow.info_editor)
        actions.do_sign_copy(ow.copy, actor=ow.info_signer)
        actions.do_dispatch_copy(ow.copy, [{"kind": "department", "name": "", "department": ow.dept_a}],
                                 actor=ow.info_editor)
    entry = SearchEntry.objects.get(kind="opinion", object_id=ow.copy.pk)
    assert entry.departments == f" {ow.dept_a.pk} " and entry.status == "signed"
    assert count(ow.dept_handler, "饮用水") == 0
    assert count(ow.dept_handler, "", kind="opinion") == 0


def test_forwarding_up_gives_the_city_its_own_entry_and_nothing_below(ow):
    with ow.commit():
        actions.do_edit_copy(ow.copy, actor=ow.info_editor)
        actions.do_sign_copy(ow.copy, actor=ow.info_signer)
        city_copy = actions.do_forward_to_parent(ow.copy, actor=ow.info_editor)
    found = list(query.search(ow.city_editor, "饮用水", query.Filters(kind="opinion")))
    assert [(e.object_id, e.committee_id) for e in found] == [(city_copy.pk, ow.city.pk)]
    # The district office finds its own copy, not the city's; the author finds the report once.
    assert [e.object_id for e in query.search(ow.info_editor, "饮用水", query.Filters(kind="opinion"))] == [
        ow.copy.pk]
    assert [e.object_id for e in query.search(ow.member, "饮用水", query.Filters(kind="opinion"))] == [ow.copy.pk]
    assert count(ow.other_staff, "饮用水") == 0


def test_a_rewrite_is_reindexed_and_a_refused_one_is_not(ow):
    with ow.commit():
        actions.do_edit_copy(ow.copy, data={"title": "关于完善农村供水管护机制的建议"}, actor=ow.info_editor)
    assert titles(ow.info_editor, "管护机制") == ["关于完善农村供水管护机制的建议"]
    assert titles(ow.info_editor, "安全保障") == []
    with ow.commit(), pytest.raises(ValidationError):
        actions.do_edit_copy(ow.copy, data={"title": ""}, actor=ow.info_editor)
    entry = SearchEntry.objects.get(kind="opinion", object_id=ow.copy.pk)
    assert (entry.title, entry.status) == ("关于完善农村供水管护机制的建议", "edited")


def test_a_traditional_script_query_finds_the_simplified_report(ow):
    assert titles(ow.info_editor, "農村飲用水") == [SECRET]
    assert titles(ow.info_editor, "鄉鎮自來水管網") == [SECRET]
    assert titles(ow.other_staff, "農村飲用水") == []


def test_the_api_and_the_page_leak_nothing_to_another_committee(ow, client, login):
    login(client, ow.other_staff)
    data = client.get("/api/v1/search", {"q": "饮用水"}).json()
    assert data == {"count": 0, "count_is_lower_bound": False, "limit": 20, "offset": 0, "items": []}
    body = client.get(reverse("search:search"), {"q": "饮用水"}).content.decode()
    assert SECRET not in body and "乡镇自来水" not in body
    login(client, ow.outsider)
    body = client.get(reverse("search:search"), {"q": "饮用水", "kind": "opinion"}).content.decode()
    assert SECRET not in body and "乡镇自来水" not in body
    login(client, ow.info_editor)
    data = client.get("/api/v1/search", {"q": "自來水", "kind": "opinion"}).json()
    assert data["count"] == 1 and data["items"][0]["title"] == SECRET
    assert "<mark>" in data["items"][0]["snippet_html"]
    assert data["items"][0]["url"] == reverse("opinions:copy", args=["district", ow.copy.pk])


def test_withdrawing_the_report_deletes_nothing_but_keeps_it_for_the_office(ow):
    with ow.commit():
        actions.do_return_copy(ow.copy, reason="请补充。", actor=ow.info_editor)
        ow.report.refresh_from_db()
        actions.do_withdraw_report(ow.report, actor=ow.member)
    entry = SearchEntry.objects.get(kind="opinion", object_id=ow.copy.pk)
    assert entry.status == "withdrawn"
    assert titles(ow.info_editor, "饮用水") == [SECRET]

