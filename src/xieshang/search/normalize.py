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

_lock = threading.Lock()
_converter = None
_tokenizer = None
_dictionary_version = None

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Han runs and Latin/digit runs; everything else separates tokens.
TOKEN_RE = re.compile(rf"[{HAN}]+|[0-9a-z]+")
HAN_RE = re.compile(rf"^[{HAN}]+$")

# Chinese punctuation that NFKC leaves alone, mapped to one ASCII form each.
PUNCTUATION = {
    "。": ".", "、": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "《": '"', "》": '"', "〈": '"', "〉": '"', "【": "[", "】": "]", "〔": "[", "〕": "]", "—": "-", "–": "-",
    "…": "...", "·": " ", "・": " ", "　": " ", "〜": "~", "～": "~",
}
# Replaced through a regular expression, which skips the text between marks in C: str.translate looks every character
# up in the table (on a 250-character text 21 µs of the 100 µs normalising takes, against 2.4 µs).
PUNCTUATION_RE = re.compile("[" + re.escape("".join(PUNCTUATION)) + "]")


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
    return PUNCTUATION_RE.sub(lambda m: PUNCTUATION[m.group()], text).lower()


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


class WordTables:
    """What the tokeniser asks of jieba's dictionary (with the committee's terms), as small tables built once per
    dictionary version: a look-up in a table of 100,000 or 200,000 keys stays in the processor's cache far more often
    than one in jieba's ``FREQ`` of 500,000 (words and every prefix of them): 250 bigram look-ups of a text took
    122 µs in ``FREQ``, 44 µs in ``pairs``, on a machine where the whole tokenising took some 650 µs.

    ``pairs``: every two-character key of ``FREQ`` (a word or the start of one: "a bigram jieba knows").
    ``longer``: {first three characters: the words of 3+ characters starting with them}, words with a frequency
    (a prefix or a deleted word has frequency 0).
    """

    def __init__(self, freq):
        self.pairs = frozenset(w for w in freq if len(w) == 2)
        longer = {}
        for word, f in freq.items():
            if f and len(word) >= 3:
                longer.setdefault(word[:3], []).append(word)
        self.longer = {start: tuple(words) for start, words in longer.items()}


_tables = {"key": None, "tables": None}


def word_tables():
    """The :class:`WordTables` of the current dictionary (rebuilt when it changes)."""
    tokenizer = _jieba()
    key = (id(tokenizer), _dictionary_version)
    if _tables["key"] != key:
        _tables["tables"] = WordTables(tokenizer.FREQ)
        _tables["key"] = key
    return _tables["tables"]


# Every character, every overlapping bigram and trigram of the Han runs, found by the regex engine in one pass.
HAN_CHAR_RE = re.compile(rf"[{HAN}]")
HAN_PAIR_RE = re.compile(rf"(?=([{HAN}]{{2}}))")
HAN_TRIPLE_RE = re.compile(rf"(?=([{HAN}]{{3}}))")
LATIN_RE = re.compile(r"[0-9a-z]+")


def dictionary_words(norm, tables=None):
    """Every dictionary word of 3+ characters (jieba's, with the committee's terms) that occurs in normalised text,
    wherever it starts, in order of first occurrence of its first three characters.

    Words that cross a word boundary are included, as the bigrams always were: the index needs no segmentation
    (jieba's DAG and best path in Python cost some fifteen times more). A word made of Han characters only occurs
    inside one Han run, so testing the whole text for it is the same as testing the run.
    """
    longer = (tables or word_tables()).longer
    out = []
    for start in filter(longer.__contains__, dict.fromkeys(HAN_TRIPLE_RE.findall(norm))):
        for word in longer[start]:
            if len(word) == 3 or word in norm:
                out.append(word)
    return out


def tokens_and_words(norm):
    """(index tokens, content words) of normalised text, each distinct.

    Tokens: every Han character, every bigram of a Han run and the dictionary words of 3+ characters in it
    (:func:`dictionary_words`); each Latin/digit word. Words (for similarity): the tokens that are words: 3+
    characters, or 2 characters that jieba knows (the other bigrams cross word boundaries; 4s, or a committee's 5g);
    no numbers: the rule of :func:`content_words`. Every step
    runs in C over the whole text (regular expressions, ``dict.fromkeys``, ``filter``); only the 3+ character
    words, a few per text, are looked at one by one.
    """
    tables = word_tables()
    pairs = list(dict.fromkeys(HAN_PAIR_RE.findall(norm)))
    longer = dictionary_words(norm, tables)
    latin = list(dict.fromkeys(LATIN_RE.findall(norm)))
    tokens = [*dict.fromkeys(HAN_CHAR_RE.findall(norm)), *pairs, *longer, *latin]
    words = [*filter(tables.pairs.__contains__, pairs), *longer,
             *(w for w in latin if (len(w) >= 3 or w in tables.pairs) and not w.isdigit())]
    return tokens, words


def index_tokens(text, *, normalized=False):
    """The distinct tokens of ``text`` for the index, in first-seen order (see :func:`tokens_and_words`)."""
    return tokens_and_words(text if normalized else normalize(text))[0]


def content_words(tokens):
    """The index tokens that are words, for similarity: 3+ characters, or 2 characters that jieba knows (the
    other two-character tokens are bigrams across word boundaries: ``WordTables.pairs``); no numbers."""
    pairs = word_tables().pairs
    return [t for t in tokens if (len(t) >= 3 or (len(t) == 2 and t in pairs)) and not t.isdigit()]


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
