"""Cleaning imported text for the library: what is cut, what is kept but marked, what is flagged.

:func:`clean` returns the cleaned text as *segments*, each ``(kind, text)``:

- ``text``: ordinary text, converted to Simplified character by character (OpenCC ``t2s``; the index applies
  its own phrase-level conversion on top) and without stray pinyin annotations (``區(qū)`` → 区);
- ``placeholder``: a mark left where a name or figure was removed (``_总书记``, ``*%``), kept and marked;
- ``mojibake``: a stretch that decoded with the wrong encoding, kept for the reader but flagged and not indexed;
- ``cut``: a paywall notice (``……(…省略1460字…)……``) replaced by a short marker.

Site navigation at the end (上一篇/下一篇/相关栏目 …) is dropped. The document title, when the text starts with
a ``标题:`` line, is returned separately. Everything works on the Simplified form, so the same rules apply to
text imported in either script.
"""

import re
from dataclasses import dataclass, field

from xieshang.search.normalize import to_simplified_chars

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
SYLLABLE = re.compile(
    r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ui|ao|ou|iu|ie|"
    r"ve|ue|er|an|en|in|un|vn|ia|ua|uo|a|o|e|i|u|v|ü)$"
)
# A Han character followed by its pinyin in parentheses (ASCII or full-width).
# Pinyin in parentheses (ASCII or full-width): after a Han character; a toned syllable anywhere (a character
# lost to mojibake may have left its annotation behind).
PINYIN = re.compile(rf"(?<=[{HAN}])[(（]([a-z{TONED}ü]{{1,7}})[)）]|[(（]([a-z]{{0,6}}[{TONED}][a-zü]{{0,6}})[)）]")
PAYWALL = re.compile(r"…{1,3}\s*[(（][^()（）]{0,80}?(?:省略|未完|全文共|正式会员|完整阅读)[^()（）]{0,120}[)）]\s*…{0,3}")
NAVIGATION = re.compile(r"(?:上一篇|下一篇|相关栏目|相关文章|返回首页|热门文章)\s*[:：]")
PLACEHOLDER = re.compile(rf"_+(?=[{HAN}])|\*+%?|(?<![0-9a-zA-Z])%")
TITLE_LINE = re.compile(r"^\s*标题\s*[:：]\s*(.+?)\s*[|｜]?\s*(?:\n|$)")
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
# Characters that text decoded with the wrong encoding is full of, and ordinary Chinese prose hardly uses.
ODD = re.compile(r"[\u0080-\u00ff\u2460-\u24ff\u2500-\u257f\ue000-\uf8ff\uf900-\ufaff\ufffd?{}\[\]|\\^`~]")


@dataclass
class Cleaned:
    title: str = ""
    segments: list = field(default_factory=list)
    flags: list = field(default_factory=list)

    @property
    def text(self):
        """The cleaned text, placeholders and flagged stretches included (for display)."""
        return "".join(t for _k, t in self.segments)

    @property
    def index_text(self):
        """The text that is indexed: ordinary text and placeholders, without mojibake or cut markers."""
        return "".join(t for k, t in self.segments if k in ("text", "placeholder"))


def strip_pinyin(text):
    """Remove pinyin annotations written after a character: ``区(qū)`` → ``区``."""

    def repl(m):
        syllable = m.group(1) or m.group(2)
        if any(c in TONED for c in syllable):
            return ""
        return "" if len(syllable) >= 2 and SYLLABLE.match(syllable) else m.group(0)

    return PINYIN.sub(repl, text)


def _common_chars():
    """Characters of the words in jieba's dictionary (a frequency-weighted set of ordinary Chinese)."""
    global _COMMON
    if _COMMON is None:
        from xieshang.search.normalize import _jieba

        freq = {}
        for word, n in _jieba().FREQ.items():
            if n:
                for ch in word:
                    freq[ch] = freq.get(ch, 0) + n
        _COMMON = {ch for ch, n in freq.items() if n >= 2000}
    return _COMMON


_COMMON = None


def mojibake_score(sentence):
    """How likely ``sentence`` is text decoded with the wrong encoding, 0–1.

    Two signals: the share of characters from ranges that mis-decoded GBK/Big5/UTF-8 produces (Latin-1,
    enclosed alphanumerics, box drawing, private use, compatibility ideographs, stray ASCII symbols), and the
    share of Han characters that are rare in ordinary Chinese.
    """
    chars = [c for c in sentence if not c.isspace()]
    if len(chars) < 8:
        return 0.0
    odd = len(ODD.findall(sentence)) / len(chars)
    han = [c for c in chars if re.match(rf"[{HAN}]", c)]
    common = _common_chars()
    rare = (sum(1 for c in han if c not in common) / len(han)) if han else 0.0
    return min(1.0, odd * 3 + rare * 1.5)


MOJIBAKE_THRESHOLD = 0.5


def _split_marked(text):
    """Segments of ordinary text and placeholders."""
    out, last = [], 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > last:
            out.append(("text", text[last : m.start()]))
        out.append(("placeholder", m.group(0)))
        last = m.end()
    if last < len(text):
        out.append(("text", text[last:]))
    return out


def _navigation_tail(text):
    """The first navigation marker that starts the trailing block: short, and without a full stop in it."""
    for m in NAVIGATION.finditer(text):
        tail = text[m.start() :]
        if len(tail) <= NAVIGATION_MAX and "。" not in tail:
            return m
    return None


NAVIGATION_MAX = 400


def clean(raw):
    """Clean ``raw`` imported text; see the module docstring for the result."""
    result = Cleaned()
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = strip_pinyin(text)
    text = to_simplified_chars(text)
    m = TITLE_LINE.match(text)
    if m:
        result.title = m.group(1).strip()
        text = text[m.end() :]
    nav = _navigation_tail(text)
    if nav:
        result.flags.append({"kind": "navigation", "excerpt": text[nav.start() : nav.start() + 60]})
        text = text[: nav.start()].rstrip()
    pieces, last = [], 0
    for m in PAYWALL.finditer(text):
        pieces.append(("body", text[last : m.start()]))
        pieces.append(("cut", m.group(0)))
        last = m.end()
    pieces.append(("body", text[last:]))
    for kind, piece in pieces:
        if kind == "cut":
            result.segments.append(("cut", "……"))
            result.flags.append({"kind": "paywall", "excerpt": piece.strip()[:80]})
            continue
        for sentence in SENTENCE_END.split(piece):
            if not sentence:
                continue
            if mojibake_score(sentence) >= MOJIBAKE_THRESHOLD:
                result.segments.append(("mojibake", sentence))
                result.flags.append({"kind": "mojibake", "excerpt": sentence.strip()[:40]})
            else:
                result.segments.extend(_split_marked(sentence))
    placeholders = [t for k, t in result.segments if k == "placeholder"]
    if placeholders:
        result.flags.append({"kind": "placeholder", "count": len(placeholders),
                             "excerpt": " ".join(dict.fromkeys(placeholders))[:40]})
    # Merge neighbours of one kind so the page renders few elements.
    merged = []
    for kind, piece in result.segments:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + piece)
        else:
            merged.append((kind, piece))
    result.segments = merged
    return result
