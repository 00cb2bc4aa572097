"""The database's full-text match (FTS5 on SQLite, tsvector on PostgreSQL) equals the reference semantics.

CI runs this file on both databases (XS_DATABASE_URL), so both give the same results on the same corpus:
an entry matches when it holds every query token, and the order is title hits, then date, then id.
"""

import pytest

from xieshang.search import normalize, query
from xieshang.search.models import SearchEntry

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
