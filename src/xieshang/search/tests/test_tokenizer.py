"""The whole-text tokeniser (normalize.tokens_and_words) against the run-by-run one it replaced, kept here as the
reference: the same tokens and the same words, on the seed speech, Traditional and mixed text, and after a
committee's dictionary changes. The same for the punctuation step of normalize."""

import unicodedata

from itertools import compress
from operator import add
from pathlib import Path

import pytest

from django.conf import settings

from xieshang.search import actions, normalize
from xieshang.search.models import DictionaryTerm

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"  # as library/tests/test_library.py


def reference_dictionary_words(run, freq):
    if len(run) < 3:
        return []
    out = []
    n = len(run)
    contains = freq.__contains__
    trigrams = list(map(add, map(add, run, run[1:]), run[2:]))
    for i in compress(range(len(trigrams)), map(contains, trigrams)):
        if freq[trigrams[i]]:
            out.append(trigrams[i])
        end = i + 4
        while end <= n:
            fragment = run[i:end]
            f = freq.get(fragment)
            if f is None:
                break
            if f:
                out.append(fragment)
            end += 1
    return out


def reference_tokens_and_words(norm):
    freq = normalize._jieba().FREQ
    contains = freq.__contains__
    tokens, words = [], []
    for run in normalize.TOKEN_RE.findall(norm):
        if run[0] > "z":
            tokens.extend(run)
            if len(run) > 1:
                pairs = list(map(add, run, run[1:]))
                tokens.extend(pairs)
                words.extend(filter(contains, pairs))
                if len(run) > 2:
                    longer = reference_dictionary_words(run, freq)
                    tokens.extend(longer)
                    words.extend(longer)
        else:
            tokens.append(run)
            # The old code took Latin words of 3+ characters only; now, as content_words always did, also the
            # 2-character ones jieba knows (4s, or a committee's term 5G).
            if (len(run) >= 3 or (len(run) == 2 and run in freq)) and not run.isdigit():
                words.append(run)
    return list(dict.fromkeys(tokens)), list(dict.fromkeys(words))


TEXTS = [
    "关于加强老旧小区改造的建议",
    "住房和城乡建设局牵头,PM2.5监测。中华人民共和国成立七十周年",
    "加強民主監督和民主评议,計程車與軟體產業 2025年第3季度 covid-19 区(qū)委",
    "河", "政协", "中华人民", "", "a b 12 abc 123", "4S店的售后服务 ok 12 pc",
]


LONG = (
    "各位委員、同志們：今天我們召開區委政協工作會議，深入學習貫徹習近平新時代中國特色社會主義思想，"
    "圍繞「十四五」規劃和2035年遠景目標，加強民主監督，推動生態環境保護、老舊小區改造加裝電梯、"
    "典農河水質綜合治理、黃河流域高質量發展等重點工作。區(qū)委書記_總書記*%強調，要堅持問題導向，"
    "PM2.5平均濃度下降到28微克/立方米；中华人民共和国成立七十五周年，住房和城乡建设局牵头落实。"
    "【责任编辑：张三】 上一篇 下一篇 扫一扫分享 — 版权所有 © 2025 ……"
)


def texts():
    """Built-in texts, and the seed speech's paragraphs when ../shared/seeds is beside the checkout."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    paragraphs = [p for text in seeds for p in text.split("\n") if p.strip()]
    return [*TEXTS, LONG, *LONG.split("，"), *paragraphs, "\n".join(seeds)]


def check_same_as_reference(texts):
    for text in texts:
        norm = normalize.normalize(text)
        tokens, words = normalize.tokens_and_words(norm)
        ref_tokens, ref_words = reference_tokens_and_words(norm)
        assert len(tokens) == len(set(tokens)) and len(words) == len(set(words)), text
        assert set(tokens) == set(ref_tokens), text
        assert set(words) == set(ref_words), text
        assert words == normalize.content_words(tokens), text


def reference_normalize(text):
    if not text:
        return ""
    text = normalize.to_simplified(unicodedata.normalize("NFKC", text))
    return text.translate(str.maketrans(normalize.PUNCTUATION)).lower()


def test_normalize_equals_the_translate_reference():
    for text in [*texts(), "《政協章程》、“三個提高”。ABC「引號」【注】——…·・　〜～"]:
        assert normalize.normalize(text) == reference_normalize(text), text


@pytest.mark.django_db
def test_tokens_and_words_equal_the_run_by_run_reference():
    check_same_as_reference(texts())


@pytest.mark.django_db
def test_the_tables_follow_the_committees_dictionary(personas):
    text = "关于典农河滨水空间与黄河外滩整治的建议"
    before, _ = normalize.tokens_and_words(normalize.normalize(text))
    assert "典农河滨" not in before
    actions.do_add_dictionary_term(personas.district, "典農河濱", actor=personas.office_admin)
    tokens, words = normalize.tokens_and_words(normalize.normalize(text))
    assert "典农河滨" in tokens and "典农河滨" in words
    check_same_as_reference([text, *TEXTS])
    actions.do_remove_dictionary_term(DictionaryTerm.objects.get(word="典农河滨"), actor=personas.office_admin)
    tokens, _ = normalize.tokens_and_words(normalize.normalize(text))
    assert "典农河滨" not in tokens
    check_same_as_reference([text, *TEXTS])


@pytest.mark.django_db
def test_two_character_latin_words_jieba_knows_are_words(personas):
    # The stored words followed a narrower rule than content_words: 4S and a committee's 5G were left out.
    assert "4s" in normalize.tokens_and_words(normalize.normalize("4S店的售后服务"))[1]
    text = "关于加快5G基站建设的建议"
    assert "5g" not in normalize.tokens_and_words(normalize.normalize(text))[1]
    actions.do_add_dictionary_term(personas.district, "5G", actor=personas.office_admin)
    tokens, words = normalize.tokens_and_words(normalize.normalize(text))
    assert "5g" in words and words == normalize.content_words(tokens)


@pytest.mark.django_db
def test_a_term_added_after_one_that_was_rolled_back_is_loaded(personas):
    # The rolled-back term was loaded by this process; the next term can get its id back (SQLite) and the same
    # count: the dictionary's version must still change.
    from django.db import transaction

    text = "关于典农河滨水空间与黄河外滩区整治的建议"
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.do_add_dictionary_term(personas.district, "典农河滨", actor=personas.office_admin)
        assert "典农河滨" in normalize.tokens_and_words(normalize.normalize(text))[0]
        raise RuntimeError("rolled back")
    actions.do_add_dictionary_term(personas.district, "黄河外滩区", actor=personas.office_admin)
    tokens, _ = normalize.tokens_and_words(normalize.normalize(text))
    assert "黄河外滩区" in tokens and "典农河滨" not in tokens
