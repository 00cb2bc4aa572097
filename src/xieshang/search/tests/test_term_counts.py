"""TermCount follows the entries (every way they are written or removed), and similar-item checks probe the
index with the words the fewest entries hold. CI runs this file on SQLite and PostgreSQL."""

from collections import Counter

import pytest

from xieshang.proposals.models import Proposal
from xieshang.search import index, similar
from xieshang.search.models import SearchEntry, TermCount

TEXTS = [
    ("关于老旧小区加装电梯的建议", "老旧小区加装电梯资金分摊难、意见协调难。"),
    ("关于老旧小区停车难的建议", "小区停车位不足,占用消防通道。"),
    ("关于河道保洁的建议", "西河桥区域环境面貌整治提升。"),
]


def stored():
    return {t.term: t.entries for t in TermCount.objects.all() if t.entries}


def expected():
    counts = Counter()
    for terms in SearchEntry.objects.values_list("terms", flat=True):
        counts.update(terms.split())
    return dict(counts)


@pytest.fixture
def corpus(world):
    world.proposals = [world.add(title, body) for title, body in TEXTS]
    return world


def test_indexing_counts_the_entries_holding_each_word(corpus):
    assert stored() == expected()
    assert stored()["小区"] == 2 and stored()["电梯"] == 1


def test_re_indexing_a_changed_text_moves_the_counts(corpus):
    lift = corpus.proposals[0]
    Proposal.objects.filter(pk=lift.pk).update(title="关于河道清淤的建议", situation="河道淤积严重。")
    index.reindex("proposal", lift.pk)
    counts = stored()
    assert counts == expected()
    assert "电梯" not in counts and counts["小区"] == 1 and counts["河道"] == 2


def test_re_indexing_the_same_text_changes_nothing(corpus):
    before = stored()
    index.reindex("proposal", corpus.proposals[0].pk)
    assert stored() == before


def test_removing_an_entry_uncounts_its_words(corpus):
    Proposal.objects.filter(pk=corpus.proposals[1].pk).delete()
    index.reindex("proposal", corpus.proposals[1].pk)
    assert stored() == expected()
    assert stored()["小区"] == 1 and "停车" not in stored()


@pytest.mark.parametrize("kinds", [None, ["proposal"]])
def test_a_rebuild_counts_exactly_once(corpus, kinds):
    TermCount.objects.create(term="陈旧的词", entries=7)  # left by an entry removed outside the index
    index.rebuild(kinds, workers=1, defer=True)
    counts = stored()
    assert {k: v for k, v in counts.items() if k != "陈旧的词"} == expected()
    assert ("陈旧的词" in counts) == bool(kinds)  # a full rebuild recounts from scratch


def test_the_bulk_path_in_processes_counts_like_the_row_path(corpus):
    before = stored()
    index.rebuild(["proposal"], workers=2, defer=False)
    assert stored() == before


def test_recount_fills_the_table_from_the_entries(corpus):
    TermCount.objects.all().delete()
    assert index.recount_terms() == len(expected())
    assert stored() == expected()


def test_a_count_never_drops_below_zero(corpus):
    index.count_terms({"电梯": -5, "从未出现": -1})
    assert TermCount.objects.get(term="电梯").entries == 0
    assert TermCount.objects.get(term="从未出现").entries == 0
    assert similar.probe_words(["电梯", "从未出现"]) == []


def test_probes_are_the_words_fewest_entries_hold_and_never_absent_ones(corpus):
    # 小区 is in two entries, 电梯 and 分摊 in one; 停车场 in none (probing it would find nothing).
    probe = similar.probe_words(["小区", "电梯", "分摊", "停车场"])
    assert probe == [*sorted(["电梯", "分摊"], key=lambda w: (-similar.idf(w), w)), "小区"]
    assert similar.probe_words(["停车场"]) == []


def test_a_word_common_across_word_boundaries_is_not_probed_first(world, monkeypatch):
    # 天安 is rarer than 电梯 in general writing (higher IDF) but every entry about 天安门 holds it.
    for i in range(4):
        world.add(f"关于天安门广场游客服务第{i}号的建议", "天安门广场游客多,需要完善服务。")
    world.add("关于老旧小区加装电梯的建议", "老旧小区加装电梯难,天安社区需要支持。")
    assert similar.idf("天安") > similar.idf("电梯")
    monkeypatch.setattr(similar, "PROBE_WORDS", 1)
    assert similar.probe_words(["天安", "电梯"]) == ["电梯"]
    found = similar.similar(world.proposal_staff, world.district.pk, "老旧小区电梯", "加装电梯天安", limit=1)
    assert found[0].entry.title == "关于老旧小区加装电梯的建议"


def test_a_text_without_content_words_is_matched_by_its_title_characters(world):
    # No word of two or more characters: the title's characters are the probes, looked up in the tokens.
    world.add("河、湖、渠", "")
    world.add("关于老旧小区加装电梯的建议", "老旧小区加装电梯难。")
    assert similar.text_words("河 湖") == set()
    found = similar.similar(world.proposal_staff, world.district.pk, "河 湖", "", limit=3)
    assert [m.entry.title for m in found] == ["河、湖、渠"]
