"""The database's full-text match (FTS5 on SQLite, tsvector on PostgreSQL) equals the reference semantics.

CI runs this file on both databases (XS_DATABASE_URL), so both give the same results on the same corpus:
an entry matches when it holds every query token, and the order is title hits, then date, then id.
"""

import pytest

from django.db import connection

from xieshang.proposals.models import Proposal
from xieshang.search import index, normalize, query
from xieshang.search.models import SearchEntry
from xieshang.search.registry import Doc

CORPUS = [
    ("关于加强民主监督工作的建议", "围绕区委中心工作开展民主监督,推动年度评议部门工作。"),
    ("關於推動計程車電動化的建議", "建議擴大軟體與網路基礎設施投資。"),
    ("关于典农河水质提升的建议", "典农河水质保持在Ⅴ类甚至劣Ⅴ类,需要综合治理。"),
    ("关于治理PM2.5污染的建议", "ＰＭ１０浓度为112微克/立方米,PM2.5浓度为47微克/立方米。"),
    ("关于老旧小区加装电梯的建议", "老旧小区加装电梯资金分摊难、意见协调难。"),
    ("关于老旧小区停车难的建议", "小区停车位不足,占用消防通道。"),
    ("關於加強社區治理的建議", "完善黨委領導、政府負責、民主協商、社會協同的社會治理體系。"),
    ("关于收入和平均工资统计的建议", "统计口径应当统一。"),
    ("关于发展外向型经济的建议", "用好石嘴山保税物流中心和中亚铁路货运班列。"),
    ("关于河道保洁的建议", "西河桥区域环境面貌整治提升。"),
    ("政协委员履职情况通报", "委员提交提案、参加视察、民主监督情况。"),
    ("关于着力稳定就业的建议", "著力穩定就業創業,促進教育醫療等民生小切口。"),
]
QUERIES = ["民主监督", "民主監督", "計程車", "出租车", "软件", "河", "政协", "政協", "pm2.5", "ＰＭ２．５", "老旧小区 电梯",
           "小区", "治理", "和平", "保税物流", "着力", "著力", "委员 视察", "不存在的词语组合", "Ⅴ类", "112", "区"]


def reference(entries, text):
    tokens = set(normalize.query_tokens(text))
    terms = normalize.query_terms(text)
    hits = [e for e in entries if tokens <= set(e.tokens.split())]
    hits.sort(key=lambda e: e.id, reverse=True)
    hits.sort(key=lambda e: (e.date is None, -(e.date.timestamp() if e.date else 0)))
    hits.sort(key=lambda e: -sum(1 for t in terms if t in e.norm_title))
    return [e.id for e in hits]


@pytest.fixture
def corpus(world):
    for title, body in CORPUS:
        world.add(title, body)
    return world


@pytest.mark.usefixtures("match_path")
def test_the_database_match_equals_the_reference_semantics(corpus):
    entries = list(SearchEntry.objects.filter(kind="proposal"))
    assert len(entries) == len(CORPUS)
    for text in QUERIES:
        got = [e.id for e in query.search(corpus.proposal_staff, text, query.Filters(kind="proposal"))]
        assert got == reference(entries, text), text


def test_the_expected_documents_are_found(corpus):
    def found(text):
        return [e.title for e in query.search(corpus.proposal_staff, text, query.Filters(kind="proposal"))]

    assert found("出租车") == ["關於推動計程車電動化的建議"]
    assert found("软件") == ["關於推動計程車電動化的建議"]
    assert set(found("政协")) == {"政协委员履职情况通报"}
    assert set(found("河")) == {"关于典农河水质提升的建议", "关于河道保洁的建议"}
    assert found("著力") == found("着力") == ["关于着力稳定就业的建议"]
    assert found("不存在的词语组合") == []


@pytest.mark.usefixtures("match_path")
def test_a_member_sees_the_same_matches_whichever_path_answers(corpus):
    visible = set(Proposal.objects.visible_to(corpus.member).values_list("pk", flat=True))
    entries = [e for e in SearchEntry.objects.filter(kind="proposal") if e.object_id in visible]
    assert entries
    for text in QUERIES:
        got = [e.id for e in query.search(corpus.member, text, query.Filters(kind="proposal"))]
        assert got == reference(entries, text), text


def test_without_a_scope_the_walk_is_chosen_for_tokens_common_on_a_large_index(monkeypatch):
    # GIN: share · entries rows; walk: limit / share · WALK_VISIBLE · PK_ROW_COST (= limit / share · 2).
    monkeypatch.setattr(index, "_lexeme_stats", lambda: ({"学": 0.6, "生": 0.5, "专": 0.02}, 1_000_000))
    assert index.walk_plan(["学"], 1001) == "walk"  # 600,000 against 3,337
    assert index.walk_plan(["学", "生"], 1001) == "walk"  # 0.3 together: 300,000 against 6,673
    assert index.walk_plan(["专"], 1001) == "index"  # 20,000 against 100,100
    assert index.walk_plan(["学", "罕见"], 1001) == "index"  # a token missing from the statistics is rare
    monkeypatch.setattr(index, "_lexeme_stats", lambda: ({"学": 0.6}, 2_000))
    assert index.walk_plan(["学"], 1001) == "index"  # a small index: the GIN index reads few rows (1,200) anyway


def test_a_user_known_to_see_every_entry_is_walked_sooner(monkeypatch):
    # walk: limit / share / visible · PK_ROW_COST; the sysadmin sees every entry (visible 1, not 1 / 20).
    monkeypatch.setattr(index, "_lexeme_stats", lambda: ({"专": 0.02, "罕": 0.002, "@kdocument": 0.8}, 1_000_000))
    assert index.walk_plan(["专"], 1001) == "index"  # 20,000 against 100,100
    assert index.walk_plan(["专"], 1001, visible=1.0) == "walk"  # 20,000 against 5,005
    assert index.walk_plan(["罕"], 1001, visible=1.0) == "index"  # 2,000 against 50,050
    assert index.share_of_kinds(["document"]) == 0.8 and index.share_of_kinds(None) == 1.0


def test_with_a_scope_the_committees_are_walked_when_the_gin_rows_in_it_are_more(monkeypatch):
    # In scope: each (kind, committee)'s share of the entries; GIN: (share + SCOPE_POSTINGS_COST) · in-scope rows;
    # committees: per pair at most limit / share rows; walk: limit / share · entries / in-scope · PK_ROW_COST.
    stats = {"学": 0.6, "合": 0.3, "连": 0.09, "@kdocument": 1.0, "@kmember": 0.001, "@c1": 0.05, "@c2": 0.05}
    monkeypatch.setattr(index, "_lexeme_stats", lambda: (stats, 1_000_000))
    one_committee = [("document", [1])]  # 50,000 entries in scope
    assert index.walk_plan(["学"], 1001, one_committee) == "committees"  # 1,668 rows against 35,000 (GIN), 3,337
    assert index.walk_plan(["合"], 1001, one_committee) == "committees"  # 3,337 against 20,000 (GIN), 6,673
    assert index.walk_plan(["连"], 1001, one_committee) == "index"  # 9,500 against 11,122 and 22,244
    assert index.walk_plan(["学"], 1001, [("member", [1, 2])]) == "index"  # 100 in scope: GIN 70, committees 100
    assert index.walk_plan(["学"], 1001, [("document", [7])]) == "index"  # a committee missing from the statistics
    # A document committee and the member directories of seven more: walked pair by pair (2,018 rows against 3,313
    # along the primary key); one more pair and they are too many to walk one by one (each repeats the visibility
    # condition): the primary key instead.
    stats.update({f"@c{c}": 0.05 for c in range(2, 10)})
    eight = [("document", [1]), ("member", list(range(2, 9)))]
    assert index.walk_plan(["学"], 1001, eight) == "committees"
    assert index.walk_plan(["学"], 1001, [("document", [1]), ("member", list(range(2, 10)))]) == "walk"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_the_shares_come_from_postgresql_statistics(corpus, monkeypatch):
    monkeypatch.setitem(index._stats, "at", None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    shares, entries = index._lexeme_stats()
    all_entries = list(SearchEntry.objects.all())
    all_tokens = [e.tokens.split() for e in all_entries]
    assert entries == len(all_tokens)
    assert shares["建议"] == pytest.approx(sum("建议" in t for t in all_tokens) / len(all_tokens), abs=0.01)
    # The scope lexemes' shares come from the committee and kind columns.
    district = sum(e.committee_id == corpus.district.pk for e in all_entries) / len(all_entries)
    assert shares[f"@c{corpus.district.pk}"] == pytest.approx(district, abs=0.01)
    assert shares["@kproposal"] == pytest.approx(
        sum(e.kind == "proposal" for e in all_entries) / len(all_entries), abs=0.01)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the walk is PostgreSQL's")
def test_the_walk_declines_a_condition_that_needs_a_join_and_the_index_answers(corpus, monkeypatch):
    monkeypatch.setattr(index, "walk_plan", lambda *args, **kwargs: "walk")
    qs = SearchEntry.objects.filter(committee__name=corpus.district.name)
    assert index._newest_by_walk(qs, ["小区"], 10) is None
    expected = sorted((e.id for e in SearchEntry.objects.all() if "小区" in e.tokens.split()), reverse=True)
    assert index.newest_matching_ids(qs, ["小区"], 10) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the walk is PostgreSQL's")
def test_the_walk_reads_the_same_matches_from_the_text_as_the_tsvector_holds(corpus):
    # A title longer than the stored one: 电梯 and 典农 only in its cut-off tail, so only the tsvector knows them.
    # (No kind has such titles today: written directly, as the index would write one.)
    long_title = "关于" + "加强基层社会治理" * 40 + "加装电梯典农" + "的建议"
    doc = Doc(committee_id=corpus.district.pk, title=long_title, body="正文没有这些词。", year=2026)
    index.write_entries([("document", 99999, index.entry_values(doc))])
    table = SearchEntry._meta.db_table
    texts = [*QUERIES, "电梯", "典农", "电梯 pm2", "pm2", "5 微克", "基层 治理", "梯典"]
    for text in texts:
        tokens = normalize.query_tokens(text)
        if not tokens:
            continue
        sql, params = index.walk_match(tokens)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT id FROM "{table}" WHERE {sql} ORDER BY id', params)
            walked = [pk for (pk,) in cursor.fetchall()]
            cursor.execute(f'SELECT id FROM "{table}" WHERE tsv @@ %s::tsquery ORDER BY id', [index.match_query(tokens)])
            assert walked == [pk for (pk,) in cursor.fetchall()], text
    entry = SearchEntry.objects.get(title__startswith="关于加强基层社会治理")
    assert len(entry.norm_title) == index.TITLE_MAX and "电梯" in entry.tokens.split()
    assert entry.pk in index._newest_by_walk(SearchEntry.objects.all(), ["电梯"], 10)
