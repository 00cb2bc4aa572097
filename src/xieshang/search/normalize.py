"""Chinese text normalisation and tokenisation: one path for indexed text and for queries.

``normalize(text)``: NFKC (full-width → half-width, compatibility ideographs → unified), OpenCC ``tw2sp``
(Traditional → Simplified, with Taiwan phrasing such as 計程車 → 出租车; it includes the ``t2s`` tables),
unified punctuation and lower-case Latin.

``index_tokens(text)``: the normalised text as a set of tokens: every single Han character and character bigram
of each Han run, the dictionary words (jieba's, with the committee-managed terms) of 3+ characters found in it,
plus Latin/digit words. No segmentation runs at index time (it was 60 % of the indexing cost); queries and
similar-item texts are still cut with jieba (search mode).
``query_tokens(text)``: what a query must match: for each Han run its bigrams (or the single character),
for each Latin/digit run the word. Because every bigram of a document is indexed, a document that contains the
query literally always matches (docs/adr/0006-search.md).
"""

import re
import threading
import unicodedata
from itertools import compress
from operator import add

_lock = threading.Lock()
_converter = None
_tokenizer = None
_dictionary_version = None

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han runs and Latin/digit runs; everything else separates tokens.
TOKEN_RE = re.compile(rf"[{HAN}]+|[0-9a-z]+")
HAN_RE = re.compile(rf"^[{HAN}]+$")

# Chinese punctuation that NFKC leaves alone, mapped to one ASCII form each.
PUNCTUATION = str.maketrans({
    "。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "《": '"', "》": '"', "〈": '"', "〉": '"', "【": "[", "】": "]", "〔": "[", "〕": "]", "—": "-", "–": "-",
    "…": "...", "·": " ", "・": " ", "　": " ", "〜": "~", "～": "~",
})


def _opencc():
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("tw2sp")
    return _converter


def to_simplified_chars(text):
    """Traditional → Simplified character by character (OpenCC ``t2s``), for text shown to people.

    ``tw2sp`` also rewrites phrases (智慧 → 智能, 資訊 → 信息): right for matching, since queries get the same
    rewrite, but wrong in a mainland text that was merely written in Traditional characters.
    """
    global _char_converter
    if _char_converter is None:
        import opencc

        _char_converter = opencc.OpenCC("t2s")
    return _char_converter.convert(text) if text else ""


_char_converter = None


def to_simplified(text):
    """Traditional (standard, Hong Kong or Taiwan usage) → Simplified; Simplified text is left unchanged."""
    return _opencc().convert(text) if text else ""


def normalize(text):
    """The normalised form of ``text``: Simplified, half-width, unified punctuation, lower-case."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return text.translate(PUNCTUATION).lower()


def _jieba():
    """The process's jieba tokenizer with the current custom dictionary loaded (reloaded when it changes)."""
    global _tokenizer, _dictionary_version
    from . import dictionary

    version = dictionary.version()
    if _tokenizer is not None and version == _dictionary_version:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _tokenizer = tokenizer
        if version != _dictionary_version:
            dictionary.load_into(_tokenizer)
            _dictionary_version = version
    return _tokenizer


def words(normalized):
    """jieba search-mode words of already normalised text (Han and Latin/digit words only)."""
    out = []
    for word in _jieba().cut_for_search(normalized):
        word = word.strip()
        if word and TOKEN_RE.fullmatch(word):
            out.append(word)
    return out


def dictionary_words(run, freq, min_len=3):
    """Every word of ``freq`` (jieba's dictionary, with the committee's terms) of 3+ characters that occurs in
    the Han run, wherever it starts.

    jieba keeps every prefix of its words in ``FREQ`` (with frequency 0), so a scan from a position stops at the
    first fragment that starts no word. The first test (is this 3-character fragment in the dictionary?) runs
    for every position at C speed (``map``/``compress``); only the positions that pass are extended in Python.
    Segmenting instead (jieba's DAG and best path in Python) costs some fifteen times more. Words that cross a
    word boundary are included, as the bigrams always were: the index needs no segmentation, only the words.
    """
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


def tokens_and_words(norm):
    """(index tokens, content words) of normalised text, each distinct and in first-seen order.

    Tokens: per Han run its characters, its bigrams and the dictionary words of 3+ characters in it; each
    Latin/digit word. Words (for similarity): the tokens that are words: 3+ characters, or 2 characters that
    jieba knows (the other bigrams cross word boundaries); no numbers.
    """
    freq = _jieba().FREQ
    contains = freq.__contains__
    tokens, words = [], []
    for run in TOKEN_RE.findall(norm):
        if run[0] > "z":  # a Han run (TOKEN_RE yields Han runs and [0-9a-z] runs only)
            tokens.extend(run)
            if len(run) > 1:
                pairs = list(map(add, run, run[1:]))
                tokens.extend(pairs)
                words.extend(filter(contains, pairs))
                if len(run) > 2:
                    longer = dictionary_words(run, freq)
                    tokens.extend(longer)
                    words.extend(longer)
        else:
            tokens.append(run)
            if len(run) >= 3 and not run.isdigit():
                words.append(run)
    return list(dict.fromkeys(tokens)), list(dict.fromkeys(words))


def index_tokens(text, *, normalized=False):
    """The distinct tokens of ``text`` for the index, in first-seen order (see :func:`tokens_and_words`)."""
    return tokens_and_words(text if normalized else normalize(text))[0]


def content_words(tokens):
    """The index tokens that are words, for similarity: 3+ characters, or 2 characters that jieba knows (the
    other two-character tokens are bigrams across word boundaries); no numbers."""
    freq = _jieba().FREQ
    return [t for t in tokens if (len(t) >= 3 or (len(t) == 2 and t in freq)) and not t.isdigit()]


def query_terms(text):
    """The query's terms after normalisation: Han runs and Latin/digit words, in order, without repeats."""
    seen = {}
    for run in TOKEN_RE.findall(normalize(text)):
        seen.setdefault(run, None)
    return list(seen)


def query_tokens(text):
    """The tokens a document must all contain to match ``text`` (AND): bigrams of Han runs, or the character."""
    seen = {}
    for term in query_terms(text):
        if HAN_RE.match(term) and len(term) > 1:
            for i in range(len(term) - 1):
                seen.setdefault(term[i : i + 2], None)
        else:
            seen.setdefault(term, None)
    return list(seen)


def bigrams(normalized):
    """The set of character bigrams of the Han runs of normalised text (for title similarity)."""
    out = set()
    for run in TOKEN_RE.findall(normalized):
        if HAN_RE.match(run):
            if len(run) == 1:
                out.add(run)
            out.update(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.add(run)
    return out
