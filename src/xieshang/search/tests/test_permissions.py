"""A search never returns, counts or snippets what the user may not see (page and API)."""

import pytest
from django.urls import reverse

from xieshang.library import actions as library_actions
from xieshang.search import index, query
from xieshang.search.models import DictionaryTerm

SECRET = "机密河道整治方案"
pytestmark = pytest.mark.usefixtures("match_path")


def count(user, text, kind=""):
    return query.search(user, text, query.Filters(kind=kind)).count()


@pytest.fixture
def corpus(world):
    w = world
    w.filed = w.add(SECRET + "提案", "涉及机密河道的正文")
    w.draft = w.add(SECRET + "草稿", "草稿正文机密河道", status="draft", actor=w.cosigner)
    w.document = library_actions.do_import_document(w.district, title=SECRET + "资料", text="机密河道资料正文。",
                                                    actor=w.office_admin)
    index.rebuild(["document", "member"])
    return w


def test_outsider_finds_nothing_and_counts_nothing(corpus):
    assert count(corpus.outsider, "机密河道") == 0
    assert count(corpus.outsider, "") == 0


def test_other_committee_staff_sees_nothing_of_this_committee(corpus):
    assert count(corpus.other_staff, "机密河道") == 0
    assert count(corpus.other_staff, "王建国") == 0


def test_member_does_not_see_another_members_draft(corpus):
    found = [e.title for e in query.search(corpus.member, "机密河道")]
    assert SECRET + "草稿" not in found
    assert count(corpus.member, "草稿正文") == 0


def test_author_sees_own_draft(corpus):
    assert [e.title for e in query.search(corpus.cosigner, "草稿正文")] == [SECRET + "草稿"]


def test_office_sees_filed_proposals_but_not_drafts(corpus):
    found = {e.title for e in query.search(corpus.proposal_staff, "机密河道")}
    assert found == {SECRET + "提案", SECRET + "资料"}


def test_department_sees_only_assigned_proposals(corpus):
    assert count(corpus.dept_handler, "机密河道", kind="proposal") == 0


def test_member_sees_the_library_and_the_directory_of_own_committee(corpus):
    assert count(corpus.member, "机密河道资料") == 1
    assert count(corpus.member, "李秀英") == 1


def test_page_never_leaks_title_snippet_or_count(corpus, client, login):
    login(client, corpus.outsider)
    body = client.get(reverse("search:search"), {"q": "机密河道"}).content.decode()
    assert "机密" not in body.replace('value="机密河道"', "")
    assert "找到 0 条结果" in body
    login(client, corpus.member)
    body = client.get(reverse("search:search"), {"q": "草稿正文"}).content.decode()
    assert SECRET + "草稿" not in body
    assert "找到 0 条结果" in body


def test_api_never_leaks_to_other_committee(corpus, client, login):
    login(client, corpus.other_staff)
    data = client.get("/api/v1/search", {"q": "机密河道"}).json()
    assert data == {"count": 0, "count_is_lower_bound": False, "limit": 20, "offset": 0, "items": []}


def test_filter_by_a_committee_one_cannot_see_gives_an_error_not_data(corpus, client, login):
    login(client, corpus.other_staff)
    response = client.get("/api/v1/search", {"q": "机密河道", "committee": "district"})
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["member", "dept_handler", "outsider", "other_staff"])
def test_dictionary_page_is_refused_without_the_right(corpus, client, login, persona):
    login(client, getattr(corpus, persona))
    url = reverse("search:dictionary", args=["district"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"word": "典农河"}).status_code == 403
    assert not DictionaryTerm.objects.exists()


def test_office_admin_manages_the_dictionary(corpus, client, login):
    login(client, corpus.office_admin)
    url = reverse("search:dictionary", args=["district"])
    assert client.post(url, {"word": "典農河"}).status_code == 302
    assert list(DictionaryTerm.objects.values_list("word", flat=True)) == ["典农河"]
    response = client.post(url, {"word": "典农河"})
    assert response.status_code == 422 and "已在词典中" in response.content.decode()
    assert client.post(url, {"word": "a b,c"}).status_code == 422
    client.post(reverse("search:dictionary_sync", args=["district"]))
    assert {"区生态环境局", "区教育局", "经济界"} <= set(DictionaryTerm.objects.values_list("word", flat=True))
    term = DictionaryTerm.objects.get(word="典农河")
    client.post(reverse("search:dictionary_remove", args=["district", term.pk]))
    assert not DictionaryTerm.objects.filter(word="典农河").exists()


@pytest.mark.parametrize("persona", ["member", "cosigner", "proposal_staff", "office_admin", "dept_handler",
                                     "other_staff", "outsider"])
def test_the_condition_for_some_kinds_is_the_whole_condition_narrowed_to_them(corpus, persona):
    from xieshang.search.models import SearchEntry

    user = getattr(corpus, persona)
    everything = SearchEntry.objects.filter(query.visible_q(user))
    for kinds in (["document"], ["proposal"], ["proposal", "reply"], ["member", "opinion"]):
        narrowed = SearchEntry.objects.filter(query.visible_q(user, kinds))
        assert set(narrowed.values_list("pk", flat=True)) == set(
            everything.filter(kind__in=kinds).values_list("pk", flat=True)), (persona, kinds)
