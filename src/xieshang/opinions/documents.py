"""The 社情民意 bulletin issue (.docx and PDF) and the yearly notice 通报 (.docx), in the official layout.

An **issue** (期) of the committee's bulletin: the masthead (the bulletin's name, setting
``opinions.bulletin_name``, in red), 第N期 (a draft shows 未编号), the committee and the date over a red double
line; then each article: a single report prints its copy's *current version* (the title, then 情况 / 分析 / 建议
under headings, then the 报送人 line); a comprehensive report (综合) prints its own title and text and the list of
reports it was built from. At the end, between thin lines, the 报送 block (leaders and the parent committee the
issue's reports were sent to), the 抄送 block (departments) and the signer (签发人).

The **yearly notice** (关于 N 年度社情民意信息工作情况的通报) is built from :mod:`xieshang.opinions.stats`: the
counts submitted / adopted per level / instructed per level, rankings by member, collective body, liaison group
and informant, and the list of the instructed reports.

The layout follows GB/T 9704-2012's essentials (A4, 37 mm top and 28 mm left margins, red organ line, 3号 仿宋
body with two-character indents, dates in Arabic numerals) with the shared pieces of :mod:`xieshang.core.documents`;
the PDF is laid out by WeasyPrint with the server's Noto CJK fonts. Documents are always in Simplified Chinese
(:func:`~xieshang.core.documents.in_chinese`), whatever the reader's interface language.

Contract::

    doc = bulletin(issue)         # a Bulletin (plain text of the document)
    bulletin_docx(doc), bulletin_pdf(doc)   # bytes
    notice = yearly_notice(committee, year) # a Notice
    notice_docx(notice)                     # bytes

Callers check who may download first (:func:`may_download_bulletin`; the notice needs ``opinions.view_stats``).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from xieshang.core.documents import (
    BODY_FONT_DOCX,
    HEADING_FONT_DOCX,
    RED,
    TITLE_FONT_DOCX,
    date_text,
    docx_bytes,
    docx_paragraph,
    double_rule,
    in_chinese,
    new_docx,
    paragraphs,
    pdf_document,
    render_pdf,
    set_fonts,
    single_rule,
)

from . import dates, stats
from . import settings as local
from .models import BulletinEntry, BulletinStatus, Dispatch, Report

LEAD_KINDS = (Dispatch.Kind.COMMITTEE_LEADER, Dispatch.Kind.PARTY_LEADER, Dispatch.Kind.GOVERNMENT_LEADER,
              Dispatch.Kind.PARENT)
ORDINALS = "一二三四五六七八九十"


def _ordinal(i):
    return ORDINALS[i] if i < len(ORDINALS) else str(i + 1)


# ------------------------------------------------------------------------------------------------ bulletin

@dataclass
class Article:
    """One article of an issue: its title, sections ``[(heading or "", [paragraphs])]``, byline and sources."""

    kind: str
    title: str
    sections: list = field(default_factory=list)
    byline: str = ""
    sources: list = field(default_factory=list)


@dataclass
class Bulletin:
    """Everything an issue shows, as plain text; both formats are rendered from it."""

    name: str
    number: str
    committee: str
    date: str
    articles: list = field(default_factory=list)
    report_to: list = field(default_factory=list)
    copy_to: list = field(default_factory=list)
    signer: str = ""
    is_draft: bool = False
    filename: str = "bulletin"


def author_label(report):
    """The 报送人 of a report as printed: the collective body's name, or the person's name (with 特邀信息员)."""
    if report.author_kind == Report.AuthorKind.COLLECTIVE:
        return report.collective_name or report.author_name
    if report.author_kind == Report.AuthorKind.INFORMANT:
        return _("%(name)s（特邀信息员）") % {"name": report.author_name}
    return report.author_name


def _single(entry, copy):
    version = copy.version
    sections = [(str(heading), paragraphs(text)) for heading, text in (
        (_("情况"), version.situation), (_("分析"), version.analysis), (_("建议"), version.suggestion))
        if paragraphs(text)]
    sections = [(f"{_ordinal(i)}、{heading}", texts) for i, (heading, texts) in enumerate(sections)]
    return Article(kind=entry.kind, title=version.title, sections=sections,
                   byline=_("（报送人：%(name)s）") % {"name": author_label(copy.report)})


def _comprehensive(entry, copies):
    sources = [_("《%(title)s》（%(name)s）") % {"title": c.version.title, "name": author_label(c.report)}
               for c in copies]
    return Article(kind=entry.kind, title=entry.title, sections=[("", paragraphs(entry.body))], sources=sources)


def _unique(names):
    seen, out = set(), []
    for name in names:
        if name and name not in seen:
            seen.add(name)
            out.append(name)
    return out


@in_chinese
def bulletin(issue):
    """The issue ``issue`` (a BulletinIssue) as a :class:`Bulletin`; a fixed number of queries whatever its size."""
    committee = issue.committee
    entries = list(BulletinEntry.objects.filter(issue=issue).prefetch_related(
        "copies__version", "copies__report", "copies__dispatches").order_by("order", "pk"))
    articles, dispatches = [], []
    for entry in entries:
        copies = sorted(entry.copies.all(), key=lambda c: c.pk)
        for copy in copies:
            dispatches.extend(copy.dispatches.all())
        if entry.kind == BulletinEntry.Kind.SINGLE and copies:
            articles.append(_single(entry, copies[0]))
        else:
            articles.append(_comprehensive(entry, copies))
    dispatches.sort(key=lambda d: (d.sent_at, d.pk))
    is_draft = issue.status != BulletinStatus.PUBLISHED or not issue.number
    number = (_("%(year)d年第%(number)d期") % {"year": issue.year, "number": issue.number} if not is_draft
              else _("%(year)d年（未编号）") % {"year": issue.year})
    day = issue.published_on or dates.today()
    return Bulletin(
        name=str(local.value(committee, local.BULLETIN_NAME) or _("社情民意")), number=number,
        committee=committee.name, date=date_text(day), articles=articles,
        report_to=_unique(d.recipient_name for d in dispatches if d.kind in LEAD_KINDS),
        copy_to=_unique(d.recipient_name for d in dispatches if d.kind == Dispatch.Kind.DEPARTMENT),
        signer=issue.signer_name, is_draft=is_draft,
        filename=f"opinions-{committee.code}-{issue.year}-{issue.number or f'draft-{issue.pk}'}",
    )


def may_download_bulletin(user, issue):
    """Editors and signers of the issue's committee at any time; its other office roles once it is published."""
    committee = issue.committee
    if user.has_perm("opinions.manage_bulletin", committee) or user.has_perm("opinions.publish_bulletin", committee):
        return True
    return issue.status == BulletinStatus.PUBLISHED and user.has_perm("opinions.view_queue", committee)


@in_chinese
def bulletin_docx(doc):
    """The issue as a .docx document (bytes)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    document = new_docx(top_mm=30)
    p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, line_pt=60)
    set_fonts(p.add_run(doc.name), TITLE_FONT_DOCX, 42, bold=True, color=RED)
    p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    set_fonts(p.add_run(doc.number), BODY_FONT_DOCX, 16)
    p = docx_paragraph(document, space_after=4)
    p.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    set_fonts(p.add_run(doc.committee), BODY_FONT_DOCX, 14)
    set_fonts(p.add_run("\t" + doc.date), BODY_FONT_DOCX, 14)
    double_rule(p)
    for article in doc.articles:
        docx_paragraph(document)
        p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, space_after=12, line_pt=36)
        set_fonts(p.add_run(article.title), TITLE_FONT_DOCX, 22, bold=True)
        for heading, texts in article.sections:
            if heading:
                set_fonts(docx_paragraph(document, indent=True).add_run(heading), HEADING_FONT_DOCX, 16)
            for text in texts:
                set_fonts(docx_paragraph(document, indent=True).add_run(text), BODY_FONT_DOCX, 16)
        if article.sources:
            set_fonts(docx_paragraph(document, indent=True).add_run(_("信息来源：")), HEADING_FONT_DOCX, 16)
            for i, source in enumerate(article.sources, 1):
                set_fonts(docx_paragraph(document, indent=True).add_run(f"{i}. {source}"), BODY_FONT_DOCX, 16)
        if article.byline:
            p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
            set_fonts(p.add_run(article.byline), BODY_FONT_DOCX, 16)
    docx_paragraph(document)
    lines = distribution_lines(doc)
    lines.append(_("签发人：%(name)s") % {"name": doc.signer} if doc.signer else _("签发人："))
    for i, line in enumerate(lines):
        p = docx_paragraph(document)
        p.paragraph_format.left_indent = Pt(14)
        set_fonts(p.add_run(line), BODY_FONT_DOCX, 14)
        if i == 0:
            single_rule(p, top=True)
        if i == len(lines) - 1:
            single_rule(p)
    return docx_bytes(document)


def distribution_lines(doc):
    """The 报送 and 抄送 lines of an issue (only those with recipients)."""
    lines = []
    if doc.report_to:
        lines.append(_("报送：%(names)s。") % {"names": "，".join(doc.report_to)})
    if doc.copy_to:
        lines.append(_("抄送：%(names)s。") % {"names": "，".join(doc.copy_to)})
    return lines


def bulletin_html(doc):
    return render_to_string("opinions/documents/bulletin.html", {"doc": doc, "distribution": distribution_lines(doc)})


def bulletin_css():
    return render_to_string("opinions/documents/bulletin.css")


@in_chinese
def bulletin_pdf(doc):
    """The issue as a PDF (bytes), A4, laid out by WeasyPrint with the server's CJK fonts."""
    return render_pdf(bulletin_html(doc), bulletin_css())


@in_chinese
def bulletin_pdf_document(doc):
    """The laid-out WeasyPrint document, for checks that need the pages (see core.documents.pdf_text)."""
    return pdf_document(bulletin_html(doc), bulletin_css())


# ------------------------------------------------------------------------------------------------ yearly notice

@dataclass
class Notice:
    """The yearly notice as plain text and tables (``[(title, header, rows)]``)."""

    organ: str
    title: str
    salutation: str
    paragraphs: list
    tables: list
    closing: list
    date: str
    filename: str


def _counts_by_level(figures, key):
    parts = [_("%(level)s%(n)d篇次") % {"level": c["label"], "n": c[key]} for c in figures.levels if c[key]]
    return "、".join(parts)


def _ranking(rows, limit, *, extra=None):
    out = []
    for i, r in enumerate([r for r in rows if r["submitted"] or r["adopted"] or r["instructed"]][:limit], 1):
        line = [str(i), r["label"]]
        if extra:
            line.append(r.get(extra) or "")
        out.append(line + [str(r["submitted"]), str(r["adopted"]), str(r["instructed"])])
    return out


@in_chinese
def yearly_notice(committee, year, *, limit=30):
    """The notice of ``year`` for ``committee``; the rankings list at most ``limit`` rows each."""
    scope = stats.Scope(committee, year)
    figures = stats.figures(scope)
    counts = figures.counts
    kinds = {r["key"]: r["submitted"] for r in figures.author_kinds}
    intro = _("%(year)d年，本会委员、各参加单位、各界别、各联络组和特邀信息员共报送社情民意信息%(n)d篇，"
              "其中委员报送%(m)d篇，集体报送%(c)d篇，特邀信息员报送%(i)d篇。") % {
        "year": year, "n": counts["submitted"], "m": kinds.get(Report.AuthorKind.MEMBER, 0),
        "c": kinds.get(Report.AuthorKind.COLLECTIVE, 0), "i": kinds.get(Report.AuthorKind.INFORMANT, 0)}
    def of_which(key):
        return _("，其中%(levels)s") % {"levels": _counts_by_level(figures, key)} if counts[key] else ""

    used = _("全年被采用%(n)d篇（%(t)d篇次）%(levels)s；获领导批示%(i)d篇（%(it)d篇次）%(ilevels)s。") % {
        "n": counts["adopted_reports"], "t": counts["adopted"], "levels": of_which("adopted"),
        "i": counts["instructed_reports"], "it": counts["instructed"], "ilevels": of_which("instructed")}
    texts = [intro, used, _("现将有关情况通报如下。")]
    header = [_("序号"), _("名称"), _("报送"), _("采用"), _("批示")]
    tables = [
        (_("一、委员报送和采用情况"), [_("序号"), _("姓名"), _("界别"), _("报送"), _("采用"), _("批示")],
         _ranking(figures.members, limit, extra="sector")),
        (_("二、集体报送和采用情况"), header, _ranking(figures.collectives, limit)),
        (_("三、各联络组报送和采用情况"), header, _ranking(figures.liaison_groups, limit)),
        (_("四、特邀信息员报送和采用情况"), [_("序号"), _("姓名"), _("工作单位"), _("报送"), _("采用"), _("批示")],
         _ranking(figures.informants, limit, extra="unit")),
    ]
    instructions = stats.instructed_reports(scope)
    header = [_("序号"), _("标题"), _("报送人"), _("批示层级"), _("批示领导"), _("批示日期")]
    tables.append((_("五、获领导批示的信息"), header,
                   [[str(i), ins.copy.version.title, author_label(ins.copy.report),
                     str(stats.LEVEL_LABELS.get(ins.level, ins.level)),
                     " ".join(x for x in (ins.leader_title, ins.leader_name) if x), date_text(ins.instructed_on)]
                    for i, ins in enumerate(instructions, 1)]))
    return Notice(
        organ=committee.name,
        title=_("关于%(year)d年度社情民意信息工作情况的通报") % {"year": year},
        salutation=_("各位委员，各参加单位，各界别、各联络组，各位特邀信息员："),
        paragraphs=texts, tables=tables,
        closing=[_("希望受到通报的单位和个人再接再厉，希望各位委员和特邀信息员围绕党委政府中心工作和群众关切，"
                   "及时反映社情民意，为推动本地经济社会发展建言献策。")],
        date=date_text(dates.today()), filename=f"opinions-notice-{committee.code}-{year}",
    )


@in_chinese
def notice_docx(notice):
    """The yearly notice as a .docx document (bytes)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = new_docx()
    p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, space_after=4, line_pt=40)
    set_fonts(p.add_run(notice.organ), TITLE_FONT_DOCX, 26, bold=True, color=RED)
    double_rule(p)
    docx_paragraph(document)
    p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, space_after=16, line_pt=36)
    set_fonts(p.add_run(notice.title), TITLE_FONT_DOCX, 22, bold=True)
    set_fonts(docx_paragraph(document).add_run(notice.salutation), BODY_FONT_DOCX, 16)
    for text in notice.paragraphs:
        set_fonts(docx_paragraph(document, indent=True).add_run(text), BODY_FONT_DOCX, 16)
    for title, header, rows in notice.tables:
        set_fonts(docx_paragraph(document, indent=True).add_run(title), HEADING_FONT_DOCX, 16)
        if not rows:
            set_fonts(docx_paragraph(document, indent=True).add_run(_("无。")), BODY_FONT_DOCX, 16)
            continue
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            set_fonts(cell.paragraphs[0].add_run(str(text)), HEADING_FONT_DOCX, 12)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                set_fonts(cell.paragraphs[0].add_run(str(text)), BODY_FONT_DOCX, 12)
        docx_paragraph(document)
    for text in notice.closing:
        set_fonts(docx_paragraph(document, indent=True).add_run(text), BODY_FONT_DOCX, 16)
    docx_paragraph(document)
    for text in (notice.organ, notice.date):
        p = docx_paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(64)
        set_fonts(p.add_run(text), BODY_FONT_DOCX, 16)
    return docx_bytes(document)
