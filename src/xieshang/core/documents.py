"""Building blocks shared by every generated official document (.docx via python-docx, PDF via WeasyPrint).

Apps build their own documents (proposals' reply letters, the 社情民意 bulletin and yearly notice) from these:

- :func:`in_chinese`: official documents are written in Simplified Chinese whatever the reader's interface
  language (the strings stay marked for translation so that a deployment can adapt the wording);
- :func:`chinese_number` and :func:`date_text`: 届/次 numerals and GB/T 9704 dates (Arabic numerals, no zeros);
- :func:`new_docx`: an A4 document with the GB/T 9704-2012 margins (37 mm top, 28 mm left, 156 × 225 mm text
  block, no page number on the first page) and :func:`docx_paragraph`, :func:`set_fonts`, :func:`double_rule`
  (the red thick-over-thin line under an organ's name), :func:`docx_bytes`;
- :func:`render_pdf` / :func:`pdf_document`: HTML and CSS laid out by WeasyPrint with the server's CJK fonts
  (Noto Serif/Sans CJK SC from fontconfig; nothing is fetched);
- :func:`download`: an attachment response with an RFC 6266 file name.

python-docx and WeasyPrint are imported inside the functions: they are heavy and only document downloads need them.
"""

import functools
import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

RED = "C00000"
BODY_FONT_DOCX = "仿宋"
TITLE_FONT_DOCX = "宋体"
HEADING_FONT_DOCX = "黑体"
LATIN_FONT_DOCX = "Times New Roman"
LINE_PITCH_PT = 28.95  # 22 lines of 16 pt text in the 225 mm text block

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"

DIGITS = "〇一二三四五六七八九"


def in_chinese(func):
    """Run ``func`` with Simplified Chinese active: an official document does not follow the reader's UI language."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return func(*args, **kwargs)

    return wrapper


def chinese_number(n):
    """1 → 一, 10 → 十, 15 → 十五, 23 → 二十三 (for 届 and 次, which are below 100)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
    return str(n)


def date_text(day):
    """2026年3月2日: Arabic numerals, no padding zeros (GB/T 9704 §7.3.5.3)."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def paragraphs(text):
    """The non-empty lines of ``text``, stripped: one document paragraph each."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------------ .docx

def set_fonts(run, east_asian, size_pt, *, bold=False, color=None):
    """Give ``run`` its East Asian font (仿宋, 宋体, 黑体…), a Latin font, a size and optionally bold/colour."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = LATIN_FONT_DOCX
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def double_rule(paragraph, color=RED):
    """A double line under ``paragraph`` (thick over thin, red by default), as a paragraph border."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thickThinSmallGap")
    bottom.set(qn("w:sz"), "24")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def single_rule(paragraph, *, top=False, color="000000"):
    """A thin line under (or over) ``paragraph``, e.g. around the 报送/抄送 block at the end of a document."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = paragraph._p.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        paragraph._p.get_or_add_pPr().append(borders)
    line = OxmlElement("w:top" if top else "w:bottom")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), "6")
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def new_docx(*, top_mm=37):
    """An empty A4 document with the GB/T 9704 margins and no page number on the first page."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(top_mm), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.different_first_page_header_footer = True
    return document


def docx_paragraph(document, align=None, *, indent=False, space_after=0, line_pt=LINE_PITCH_PT):
    """A new paragraph on the document's line pitch; ``indent`` gives the two-character first-line indent."""
    from docx.shared import Pt

    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    fmt.line_spacing = Pt(line_pt)
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)  # two 16 pt characters
    return p


def docx_bytes(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ PDF

def pdf_document(html, css):
    """The laid-out WeasyPrint document (pages and boxes) of ``html`` with the stylesheet ``css``."""
    from weasyprint import CSS, HTML

    return HTML(string=html).render(stylesheets=[CSS(string=css)])


def render_pdf(html, css):
    """``html`` with the stylesheet ``css`` as PDF bytes (A4 when the CSS says so)."""
    from weasyprint import CSS, HTML

    return HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])


def pdf_text(document):
    """The text of a laid-out WeasyPrint document, page by page (for tests and checks; no PDF reader needed)."""
    pages = []
    for page in document.pages:
        parts = []
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            text = getattr(box, "text", None)
            if isinstance(text, str):
                parts.append(text)
            children = getattr(box, "children", None)
            if children:
                stack.extend(reversed(list(children)))
        pages.append("".join(parts))
    return pages


# ------------------------------------------------------------------------------------------------ responses

def download(content, content_type, filename):
    """An attachment response for ``content``; RFC 6266: an ASCII fallback and the UTF-8 name; never cached."""
    response = HttpResponse(content, content_type=content_type)
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response
