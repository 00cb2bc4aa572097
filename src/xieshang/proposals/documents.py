"""The reply letter (答复函) and the co-handling opinion (会办意见) as .docx and PDF, in the letter layout.

The layout follows the essentials of GB/T 9704-2012's 信函格式 (domain.md §12): A4 with a 37 mm top and 28 mm
left margin and a 156 × 225 mm text block; the issuing organ's name in red at the top over a red double line
(thick above thin); the document number (``机关代字〔2026〕5号``) right-aligned under it; the outcome class
printed at the top right of the first page; the title "关于…第N号提案的答复" (or "…的会办意见") in a bold serif;
the salutation to the proposer(s); the body in 3号 (16 pt) with two-character indents; the signer, the seal
area and the date in Arabic numerals; the contact name and phone at the end; no page number on the first page.

Fonts: the PDF is set in Noto Serif CJK SC (a 宋/仿宋-like serif), falling back to Noto Sans CJK SC, both from
the server's fontconfig; nothing is fetched. The .docx names 仿宋 for the body and 宋体 for the title as
East Asian fonts, which Word and WPS on the recipients' machines map to their installed faces.

Contract::

    letter = reply_letter(reply)             # a Letter (the text of the document)
    letter = co_opinion_letter(assignment)   # for a co-handling assignment with its opinion sent
    data = as_docx(letter)                   # bytes
    data = as_pdf(letter)                    # bytes

Callers check who may download first (see :func:`may_download_reply` and :func:`may_download_opinion`).

The documents are official Chinese letters: they are written in Simplified Chinese whatever the language of
the interface that asks for them (the strings stay marked so that a deployment can adapt the wording).
"""

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.documents import (  # noqa: F401  (re-exported: imports.py and tests read them from here)
    BODY_FONT_DOCX,
    RED,
    TITLE_FONT_DOCX,
    chinese_number,
    date_text,
    in_chinese,
)
from xieshang.core.documents import double_rule as _double_rule
from xieshang.core.documents import paragraphs as _paragraphs
from xieshang.core.documents import set_fonts as _set_fonts

from . import rules as proposal_rules
from .models import Assignment, AssignmentStatus, Proposer, Reply


@dataclass
class Letter:
    """Everything the document shows, as plain text; both formats are rendered from it."""

    kind: str  # "reply" or "co_opinion"
    organ: str
    title: str
    doc_number: str
    outcome: str
    salutation: str
    paragraphs: list = field(default_factory=list)
    signer: str = ""
    date: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    filename: str = "letter"


def _session_label(proposal):
    """东城区政协十届五次会议 (committee short name, term and session in Chinese numerals)."""
    committee = proposal.committee.short_name or proposal.committee.name
    return _("%(committee)s%(term)s届%(n)s次会议") % {
        "committee": committee, "term": chinese_number(proposal.session.term.number),
        "n": chinese_number(proposal.session.number)}


def _proposal_label(proposal):
    return _("%(session)s第%(case)d号提案") % {"session": _session_label(proposal), "case": proposal.case_number or 0}


def _salutation(proposal):
    if proposal.kind == proposal.Kind.COLLECTIVE and proposal.collective_name:
        return proposal.collective_name + "："
    names = [row.name for row in proposal.proposers.all() if row.signature == Proposer.Signature.CONFIRMED]
    return "、".join(_("%(name)s委员") % {"name": name} for name in names) + "："


def _day(dt):
    return timezone.localdate(dt) if dt else timezone.localdate()


@in_chinese
def reply_letter(reply):
    """The reply letter of ``reply`` (a Reply): issued by its lead department, class printed top right."""
    assignment = reply.assignment
    proposal = assignment.proposal
    intro = _("您提出的《%(title)s》（%(label)s）收悉，现答复如下：") % {
        "title": proposal.title, "label": _proposal_label(proposal)}
    return Letter(
        kind="reply", organ=assignment.department.name,
        title=_("关于%(label)s的答复") % {"label": _proposal_label(proposal)},
        doc_number=reply.doc_number, outcome=reply.final_outcome, salutation=_salutation(proposal),
        paragraphs=[intro, *_paragraphs(reply.body)], signer=reply.signer, date=date_text(_day(reply.sent_at)),
        contact_name=reply.contact_name, contact_phone=reply.contact_phone,
        filename=f"reply-{proposal.case_number or proposal.pk}-{assignment.department_id}-r{reply.round}",
    )


@in_chinese
def co_opinion_letter(assignment):
    """The co-handling opinion of ``assignment`` (a co assignment), addressed to the lead department(s)."""
    proposal = assignment.proposal
    leads = [a.department.name for a in proposal.assignments.all()
             if a.is_lead and a.status != AssignmentStatus.WITHDRAWN]
    department = assignment.department
    return Letter(
        kind="co_opinion", organ=department.name,
        title=_("关于%(label)s的会办意见") % {"label": _proposal_label(proposal)},
        doc_number="", outcome="", salutation="、".join(leads) + "：" if leads else "",
        paragraphs=[_("关于《%(title)s》，我单位会办意见如下：") % {"title": proposal.title},
                    *_paragraphs(assignment.opinion)],
        signer="", date=date_text(_day(assignment.opinion_sent_at)),
        contact_name=department.contact_name, contact_phone=department.contact_phone,
        filename=f"co-opinion-{proposal.case_number or proposal.pk}-{department.pk}",
    )


# ------------------------------------------------------------------------------------------------ who may download

def may_download_reply(user, reply):
    """The office and the departments working on the proposal at any stage; the proposers once it is sent."""
    proposal = reply.assignment.proposal
    if not user.has_perm("proposals.view_proposal", proposal):
        return False
    if proposal_rules.is_office_reader(user, proposal) or proposal_rules.works_on_proposal(user, proposal):
        return True
    return reply.status == Reply.ReviewStatus.SENT and proposal_rules.is_listed_proposer(user, proposal)


def may_download_opinion(user, assignment):
    """The office and the departments working on the proposal, once the opinion has been sent."""
    proposal = assignment.proposal
    if assignment.role != Assignment.Role.CO or not assignment.opinion_sent_at:
        return False
    return user.has_perm("proposals.view_proposal", proposal) and (
        proposal_rules.is_office_reader(user, proposal) or proposal_rules.works_on_proposal(user, proposal))


# ------------------------------------------------------------------------------------------------ .docx

@in_chinese
def as_docx(letter):
    """The letter as a .docx document (bytes)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.different_first_page_header_footer = True  # no page number on the first page

    def paragraph(align=None, *, indent=False, space_after=0):
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
        fmt.line_spacing = Pt(28.95)  # 22 lines in the 225 mm text block
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = Pt(32)  # two 16 pt characters
        return p

    if letter.outcome:
        p = paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
        _set_fonts(p.add_run(letter.outcome), "黑体", 16, bold=True)
    p = paragraph(WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    _set_fonts(p.add_run(letter.organ), TITLE_FONT_DOCX, 26, bold=True, color=RED)
    _double_rule(p)
    if letter.doc_number:
        p = paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
        _set_fonts(p.add_run(letter.doc_number), BODY_FONT_DOCX, 16)
    paragraph()
    p = paragraph(WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
    p.paragraph_format.line_spacing = Pt(36)
    _set_fonts(p.add_run(letter.title), TITLE_FONT_DOCX, 22, bold=True)
    if letter.salutation:
        _set_fonts(paragraph().add_run(letter.salutation), BODY_FONT_DOCX, 16)
    for text in letter.paragraphs:
        _set_fonts(paragraph(indent=True).add_run(text), BODY_FONT_DOCX, 16)
    paragraph()
    paragraph()
    signature = paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(64)
    _set_fonts(signature.add_run(letter.organ), BODY_FONT_DOCX, 16)
    if letter.signer:
        p = paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(64)
        _set_fonts(p.add_run(_("签发人：%(name)s") % {"name": letter.signer}), BODY_FONT_DOCX, 16)
    p = paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.right_indent = Pt(64)
    _set_fonts(p.add_run(_("（盖章）")), BODY_FONT_DOCX, 16)
    p = paragraph(WD_ALIGN_PARAGRAPH.RIGHT)
    p.paragraph_format.right_indent = Pt(64)  # the date is right-indented four characters
    _set_fonts(p.add_run(letter.date), BODY_FONT_DOCX, 16)
    if letter.contact_name or letter.contact_phone:
        paragraph()
        contact = _("（联系人：%(name)s；联系电话：%(phone)s）") % {
            "name": letter.contact_name, "phone": letter.contact_phone}
        _set_fonts(paragraph().add_run(contact), BODY_FONT_DOCX, 16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ PDF

def as_html(letter):
    """The letter as the HTML WeasyPrint lays out (with its stylesheet from :func:`stylesheet`)."""
    return render_to_string("proposals/docs/letter.html", {"letter": letter})


def stylesheet():
    return render_to_string("proposals/docs/letter.css")


@in_chinese
def as_pdf(letter):
    """The letter as a PDF (bytes), A4, laid out by WeasyPrint with the server's CJK fonts."""
    from weasyprint import CSS, HTML

    return HTML(string=as_html(letter)).write_pdf(stylesheets=[CSS(string=stylesheet())])


def render_pdf_document(letter):
    """The laid-out WeasyPrint document (pages and boxes), for checks that need more than the bytes."""
    from weasyprint import CSS, HTML

    return HTML(string=as_html(letter)).render(stylesheets=[CSS(string=stylesheet())])
