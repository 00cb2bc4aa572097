"""Chinese text normalisation and tokenisation: one path for indexed text and for queries.

``normalize(text)``: NFKC (full-width → half-width, compatibility ideographs → unified), OpenCC ``tw2sp``
(Traditional → Simplified, with Taiwan phrasing such as 計程車 → 出租车; it includes the ``t2s`` tables),
unified punctuation and lower-case Latin.

``index_tokens(text)``: the normalised text as a set of tokens: jieba words (search mode, with the
committee-managed dictionary), every character bigram of each Han run and every single Han character, plus
Latin/digit words. ``query_tokens(text)``: what a query must match: for each Han run its bigrams (or the
single character), for each Latin/digit run the word. Because every bigram of a document is indexed, a
document that contains the query literally always matches (docs/adr/0006-search.md).
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


def _han_pieces(run):
    """Single characters and bigrams of one Han run."""
    pieces = list(run)
    pieces.extend(run[i : i + 2] for i in range(len(run) - 1))
    return pieces


def index_tokens(text, *, normalized=False):
    """The distinct tokens of ``text`` for the index, in first-seen order."""
    norm = text if normalized else normalize(text)
    seen = {}
    for run in TOKEN_RE.findall(norm):
        if HAN_RE.match(run):
            for piece in _han_pieces(run):
                seen.setdefault(piece, None)
        else:
            seen.setdefault(run, None)
    for word in words(norm):
        seen.setdefault(word, None)
    return list(seen)


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
