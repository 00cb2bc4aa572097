import pytest

from xieshang.search import normalize
from xieshang.search.normalize import index_tokens, query_tokens


def test_traditional_becomes_simplified():
    assert normalize.normalize("區委政協工作會議") == "区委政协工作会议"


def test_taiwan_vocabulary_is_converted_by_phrase():
    assert normalize.normalize("計程車") == "出租车"
    assert normalize.normalize("軟體") == "软件"
    assert normalize.normalize("網路") == "网络"


def test_simplified_text_is_left_unchanged():
    text = "关于加强老旧小区改造的建议"
    assert normalize.normalize(text) == text


def test_mixed_script_text_is_normalised_to_one_form():
    assert normalize.normalize("加強民主監督和民主评议") == "加强民主监督和民主评议"


def test_full_width_letters_digits_and_punctuation_become_half_width():
    assert normalize.normalize("ＰＭ２．５濃度，上升１２％！") == "pm2.5浓度,上升12%!"


def test_chinese_punctuation_is_unified_and_latin_lower_cased():
    assert normalize.normalize("《政協章程》、“三個提高”。ABC") == '"政协章程","三个提高".abc'


def test_index_tokens_hold_characters_bigrams_and_words():
    tokens = set(index_tokens("民主监督工作"))
    assert {"民", "主", "监", "督"} <= tokens
    assert {"民主", "主监", "监督", "督工", "工作"} <= tokens
    assert "民主监督" in tokens or "监督" in tokens


def test_query_tokens_of_a_short_query():
    assert query_tokens("河") == ["河"]
    assert query_tokens("政協") == ["政协"]
    assert query_tokens("区委 政协 民主监督") == ["区委", "政协", "民主", "主监", "监督"]


def test_every_query_token_of_a_literal_substring_is_indexed():
    text = "各界别委员围绕典农河水质提升和污染防治开展专题调研协商"
    tokens = set(index_tokens(text))
    for start in range(len(text)):
        for end in range(start + 1, min(len(text), start + 8) + 1):
            assert set(query_tokens(text[start:end])) <= tokens, text[start:end]


def test_query_with_only_punctuation_has_no_tokens():
    assert query_tokens("，。！ ") == []


@pytest.mark.django_db
def test_a_dictionary_term_keeps_a_word_whole(personas):
    from xieshang.search import actions

    before = normalize.words(normalize.normalize("惠农区石嘴山保税物流中心"))
    assert "石嘴山保税物流中心" not in before
    actions.do_add_dictionary_term(personas.district, "石嘴山保稅物流中心", actor=personas.office_admin)
    after = normalize.words(normalize.normalize("惠农区石嘴山保税物流中心"))
    assert "石嘴山保税物流中心" in after
