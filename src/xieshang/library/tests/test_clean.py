from xieshang.library.clean import clean, mojibake_score, strip_pinyin

MOJIBAKE = "指明?si肪丁⒚魅妨巳撾瘛M,也对政协工作提畴h誦履勘晷亂。政协要蛻仰“准”茁汒}沾笫、蛻仰“实”字扭住重点。"


def test_pinyin_annotations_are_removed():
    assert strip_pinyin("在區(qū)委政協(xié)工作會議上") == "在區委政協工作會議上"
    assert strip_pinyin("全区（qū）上下") == "全区上下"


def test_parentheses_that_are_not_pinyin_are_kept():
    assert strip_pinyin("石嘴山保税物流中心(B型)") == "石嘴山保税物流中心(B型)"
    assert strip_pinyin("第(3)项") == "第(3)项"


def test_traditional_text_is_converted_to_simplified():
    assert clean("加強民主監督。").text == "加强民主监督。"


def test_placeholders_are_kept_but_marked():
    result = clean("深入学习_总书记重要讲话,增长*%。")
    assert ("placeholder", "_") in result.segments
    assert ("placeholder", "*%") in result.segments
    assert result.text == "深入学习_总书记重要讲话,增长*%。"
    assert [f["kind"] for f in result.flags] == ["placeholder"]


def test_paywall_notice_is_cut_and_flagged():
    result = clean("推动了政 ……(快文网http://www.example.net省略1460字,正式会员可完整阅读)…… 深刻理解新时代要求。")
    assert "省略" not in result.index_text
    assert "深刻理解" in result.index_text
    assert ("cut", "……") in result.segments
    assert result.flags[0]["kind"] == "paywall"


def test_site_navigation_at_the_end_is_dropped():
    body = "正文内容。" * 30
    result = clean(body + " 上一篇:在市政协常委会会议上的讲话 下一篇:在县委政协工作会议上的讲话 相關欄目:黨委 政協")
    assert result.text == body
    assert result.flags[0]["kind"] == "navigation"


def test_a_navigation_word_early_in_the_text_is_kept():
    text = "上一篇:本文回顾了历史。" + "正文内容。" * 30
    assert clean(text).text == text


def test_mojibake_is_detected_and_not_indexed():
    result = clean("这些都为我们厘清了思路。" + MOJIBAKE + "重要讲话精神落地见效。")
    kinds = [k for k, _t in result.segments]
    assert "mojibake" in kinds
    assert "肪丁" not in result.index_text
    assert "厘清了思路" in result.index_text and "落地见效" in result.index_text
    assert any(f["kind"] == "mojibake" for f in result.flags)


def test_ordinary_prose_is_not_mojibake():
    for sentence in ["政协要充分调动各界别委员,特别是发挥好经济界委员眼界广、思路宽的优势。",
                     "PM10浓度为112微克/立方米,上升12%。",
                     "近年来我们封关运营了石嘴山保税物流中心(B型),开通了中亚铁路货运班列。"]:
        assert mojibake_score(sentence) < 0.5, sentence


def test_title_line_is_taken_as_the_title():
    result = clean("標題:在區(qū)委政協(xié)工作會議上的講話 |\n正文。")
    assert result.title == "在区委政协工作会议上的讲话"
    assert result.text == "正文。"


def test_display_text_is_converted_by_character_not_by_taiwan_phrase():
    # 智慧 is the same word in both scripts; the Taiwan phrase table would turn it into 智能.
    assert clean("中華兒女智慧和力量。").text == "中华儿女智慧和力量。"
