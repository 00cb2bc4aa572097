"""The bulk indexing path (process pool, raw writes, full-text index rebuilt once) and the bounded ranking.

Both must give exactly what the row-by-row path gives; CI runs this file on SQLite and PostgreSQL.
"""

import pytest

from django.db import connection

from xieshang.search import index, normalize, query
from xieshang.search.models import SearchEntry

TEXTS = [
    ("关于加强民主监督工作的建议", "围绕区委中心工作开展民主监督。"),
    ("關於推動計程車電動化的建議", "建議擴大軟體與網路基礎設施投資。"),
    ("关于老旧小区加装电梯的建议", "老旧小区加装电梯资金分摊难、意见协调难。"),
    ("关于河道保洁的建议", "西河桥区域环境面貌整治提升,PM2.5浓度为47微克。"),
]
QUERIES = ["民主监督", "出租车", "软件", "河", "电梯", "pm2.5", "区", "不存在的词语"]


def snapshot():
    return {e.object_id: (e.tokens, e.terms, e.norm_title, e.body) for e in SearchEntry.objects.filter(kind="proposal")}


def found(user, text):
    return [(e.kind, e.object_id) for e in query.search(user, text)]


@pytest.mark.parametrize("workers", [1, 2])
def test_bulk_rebuild_with_deferred_fulltext_equals_row_by_row_indexing(world, workers):
    for title, body in TEXTS:
        world.add(title, body)
    expected_rows = snapshot()
    expected = {text: found(world.proposal_staff, text) for text in QUERIES}
    assert expected["河"] and expected["出租车"]

    counts = index.rebuild(["proposal"], workers=workers, defer=True)

    assert counts["proposal"] == len(TEXTS)
    assert snapshot() == expected_rows
    for text in QUERIES:
        assert found(world.proposal_staff, text) == expected[text], text
    # The full-text index is maintained row by row again afterwards (triggers / GIN index restored).
    new = world.add("关于典农河水质提升的建议")
    assert found(world.proposal_staff, "典农河") == [("proposal", new.pk)]
    SearchEntry.objects.filter(kind="proposal", object_id=new.pk).delete()
    assert found(world.proposal_staff, "典农河") == []
    if connection.vendor == "sqlite":
        # Built without merging as it went, then merged: a sound index, with FTS5's merge defaults back.
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
            cursor.execute("SELECT k, v FROM search_fts_config WHERE k IN ('automerge', 'crisismerge')")
            assert dict(cursor.fetchall()) == {"automerge": index.FTS5_AUTOMERGE,
                                               "crisismerge": index.FTS5_CRISISMERGE}


def test_a_failed_bulk_load_restores_the_fulltext_index(world):
    from django.db import transaction

    world.add("关于河道保洁的建议")
    with pytest.raises(RuntimeError), transaction.atomic(), index.fulltext_deferred():
        SearchEntry.objects.all().delete()
        raise RuntimeError("boom")
    assert len(found(world.proposal_staff, "河道")) == 1
    new = world.add("关于典农河水质提升的建议")
    assert found(world.proposal_staff, "典农河") == [("proposal", new.pk)]


def test_entries_changed_inside_a_deferred_block_are_indexed_as_they_end_up(world):
    """Inside fulltext_deferred, entries from before the block and entries inserted in it are each updated and
    deleted; at the end the full-text index holds exactly the entries as they are."""
    from django.db import transaction

    from xieshang.proposals.models import Proposal

    kept = world.add("关于河道保洁的建议")
    retitled = world.add("关于路灯维修的建议")
    dropped = world.add("关于公园绿化的建议")
    with transaction.atomic(), index.fulltext_deferred():
        made = world.add("关于典农河水质提升的建议")
        renamed = world.add("关于菜市场改造的建议")
        removed = world.add("关于停车位规划的建议")
        for p, title in ((retitled, "关于夜间照明的建议"), (renamed, "关于农贸市场升级的建议")):
            Proposal.objects.filter(pk=p.pk).update(title=title)
            index.reindex("proposal", p.pk)
        SearchEntry.objects.filter(kind="proposal", object_id__in=[dropped.pk, removed.pk]).delete()
    expected = {"河道": [kept], "典农河": [made], "照明": [retitled], "路灯": [], "农贸市场": [renamed],
                "菜市场": [], "公园": [], "停车位": []}
    for text, proposals in expected.items():
        assert found(world.proposal_staff, text) == [("proposal", p.pk) for p in proposals], text
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")


def test_entries_store_their_words_for_similarity(world):
    p = world.add("关于老旧小区加装电梯的建议", "住房和城乡建设局牵头,PM2.5监测。")
    entry = SearchEntry.objects.get(kind="proposal", object_id=p.pk)
    words = entry.terms.split()
    assert {"小区", "电梯", "城乡建设", "pm2"} <= set(words)
    assert "梯的" not in words  # a bigram across words is a token, not a word
    assert not any(w.isdigit() for w in words)
    assert words == normalize.content_words(entry.tokens.split())


def test_dictionary_words_are_found_wherever_they_start():
    assert "城乡建设" in normalize.dictionary_words("住房和城乡建设局")
    assert "建设局" in normalize.dictionary_words("住房和城乡建设局")
    assert normalize.dictionary_words("河道") == []  # shorter than three characters
    assert normalize.dictionary_words("城乡 建设局") == ["建设局"]  # not across Han runs


def test_results_beyond_the_window_are_counted_as_a_lower_bound(world, monkeypatch):
    monkeypatch.setattr(query, "RANK_WINDOW", 3)
    made = [world.add(f"关于河道治理的第{i}条建议") for i in range(5)]
    body_only = world.add("关于环境整治的建议", "河道保洁")  # newest, but the title has no match
    results = query.search(world.proposal_staff, "河道")
    assert results.is_capped
    assert results.count() == 3
    # Ranked within the 3 newest matches: title matches first, then newer first.
    assert [e.object_id for e in results] == [made[4].pk, made[3].pk, body_only.pk]
    exact = query.search(world.proposal_staff, "环境整治")
    assert not exact.is_capped and exact.count() == 1


def test_the_results_are_counted_without_a_query_until_they_are_filtered_further(world, django_assert_num_queries):
    made = [world.add(f"关于河道治理的第{i}条建议") for i in range(3)]
    results = query.search(world.proposal_staff, "河道")
    with django_assert_num_queries(0):
        assert results.count() == 3  # the window read by the search
        assert results.order_by("id").count() == 3
    narrowed = results.filter(object_id=made[0].pk)
    with django_assert_num_queries(1):
        assert narrowed.count() == 1
    with django_assert_num_queries(1):
        assert results[:2].count() == 2
    with django_assert_num_queries(1):
        assert results.exclude(object_id=made[0].pk).count() == 2
    with django_assert_num_queries(1):
        assert results.extra(where=["1 = 0"]).count() == 0
    assert results.none().count() == 0
    assert results.complex_filter({"object_id": made[1].pk}).count() == 1
    assert sorted(e.object_id for e in results) == sorted(p.pk for p in made)


def test_the_search_page_says_when_the_count_is_a_lower_bound(world, client, login, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr(query, "RANK_WINDOW", 3)
    for i in range(4):
        world.add(f"关于河道治理的第{i}条建议")
    login(client, world.proposal_staff)
    body = client.get(reverse("search:search"), {"q": "河道"}).content.decode()
    assert "找到超过 3 条结果" in body
    assert body.count('search-hit"') == 3
    exact = client.get(reverse("search:search"), {"q": "第1条"}).content.decode()
    assert "找到 1 条结果" in exact and "超过" not in exact


def test_the_api_says_when_the_count_is_a_lower_bound(world, client, monkeypatch):
    from xieshang.api.tests.helpers import call

    monkeypatch.setattr(query, "RANK_WINDOW", 3)
    for i in range(4):
        world.add(f"关于河道治理的第{i}条建议")
    capped = call(client, "GET", "/api/v1/search?q=河道", world.proposal_staff).json()
    assert (capped["count"], capped["count_is_lower_bound"], len(capped["items"])) == (3, True, 3)
    exact = call(client, "GET", "/api/v1/search?q=第1条", world.proposal_staff).json()
    assert (exact["count"], exact["count_is_lower_bound"]) == (1, False)
