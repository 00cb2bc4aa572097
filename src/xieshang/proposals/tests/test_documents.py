"""The reply letter and the co-handling opinion, opened back with their readers, and who may download them."""

import io
import shutil
import subprocess

import pytest
from docx import Document

from xieshang.proposals import actions, documents
from xieshang.testing import PERSONA_NAMES


@pytest.fixture
def sent_reply(world):
    proposal = world.flow.replied(joint=True)  # co-handled by dept_b, outcome A, sent
    return world.flow.lead(proposal).replies.get()


def docx_text(data):
    document = Document(io.BytesIO(data))
    return document, "\n".join(p.text for p in document.paragraphs)


def test_chinese_numbers_for_terms_and_sessions():
    assert [documents.chinese_number(n) for n in (1, 5, 10, 13, 20, 21)] == ["一", "五", "十", "十三", "二十", "二十一"]
    assert str(documents.date_text(__import__("datetime").date(2026, 3, 2))) == "2026年3月2日"


def test_the_reply_letter_docx_has_the_letter_essentials(sent_reply):
    document, text = docx_text(documents.as_docx(documents.reply_letter(sent_reply)))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "A"  # outcome class first, top right
    assert document.paragraphs[0].alignment == 2  # RIGHT
    assert paragraphs[1] == "区生态环境局"
    organ_run = document.paragraphs[1].runs[0]
    assert str(organ_run.font.color.rgb) == "C00000" and organ_run.font.bold
    assert "thickThinSmallGap" in document.paragraphs[1]._p.xml  # the red double line
    assert paragraphs[2] == "东环函〔2026〕5号"
    assert "关于东城区政协十届五次会议第1号提案的答复" in text
    assert "王建国委员、李秀英委员：" in text
    assert "经研究，已列入年度民生实事项目。" in text
    assert "签发人：赵局长" in text and "（盖章）" in text
    assert "联系人：钱经办；联系电话：010-12345678" in text
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_the_letter_stays_chinese_when_the_reader_uses_english(sent_reply):
    from django.utils import translation

    with translation.override("en"):
        _document, text = docx_text(documents.as_docx(documents.reply_letter(sent_reply)))
        assert translation.get_language() == "en"
    assert "关于东城区政协十届五次会议第1号提案的答复" in text
    assert "现答复如下" in text


def test_the_reviewed_class_is_printed_not_the_drafted_one(world):
    proposal = world.flow.assigned(co=False)
    reply = world.flow.reply(proposal, outcome="A")
    actions.do_review_reply(reply, approve=True, outcome="C", actor=world.proposal_staff)
    letter = documents.reply_letter(reply)
    assert letter.outcome == "C"
    _document, text = docx_text(documents.as_docx(letter))
    assert text.startswith("C\n")


def test_the_reply_letter_pdf_is_a4_with_the_text(sent_reply):
    letter = documents.reply_letter(sent_reply)
    data = documents.as_pdf(letter)
    assert data.startswith(b"%PDF-")
    rendered = documents.render_pdf_document(letter)
    assert len(rendered.pages) >= 1
    page = rendered.pages[0]
    assert round(page.width * 25.4 / 96) == 210 and round(page.height * 25.4 / 96) == 297
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        assert "第1号提案的答复" in text.replace(" ", "")
    else:
        html = documents.as_html(letter)
        assert "关于东城区政协十届五次会议第1号提案的答复" in html and 'class="outcome">A<' in html


def test_a_long_reply_runs_onto_more_pages(world):
    proposal = world.flow.assigned(co=False)
    reply = world.flow.reply(proposal)
    reply.body = "\n".join(["本段为答复正文，说明办理情况与下一步安排。" * 6] * 30)
    assert len(documents.render_pdf_document(documents.reply_letter(reply)).pages) >= 2


def test_the_co_opinion_is_addressed_to_the_lead_department(world):
    proposal = world.flow.assigned(co=True)
    co = world.flow.co(proposal)
    actions.do_send_co_opinion(co, opinion="同意主办单位意见。\n建议加强协调。", actor=world.other_dept_handler)
    letter = documents.co_opinion_letter(co)
    document, text = docx_text(documents.as_docx(letter))
    assert "关于东城区政协十届五次会议第1号提案的会办意见" in text
    assert "区生态环境局：" in text and "建议加强协调。" in text
    assert document.paragraphs[0].text == "区教育局"
    assert documents.as_pdf(letter).startswith(b"%PDF-")


def test_a_collective_proposal_is_greeted_by_its_body_name(world):
    proposal = world.flow.assigned(co=False)
    proposal.kind, proposal.collective_name = "collective", "民建东城区委"
    assert documents._salutation(proposal) == "民建东城区委："


# Who may download ----------------------------------------------------------------------------------------

REPLY_READERS = {"member", "cosigner", "proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader",
                 "auditor", "sysadmin", "dept_leader", "dept_handler", "other_dept_handler"}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_the_sent_reply_downloads_only_for_those_who_may_see_it(client, login, world, sent_reply, persona):
    login(client, getattr(world, persona))
    response = client.get(f"/c/district/proposals/files/reply/{sent_reply.pk}.docx")
    if persona in REPLY_READERS:
        assert response.status_code == 200
        assert response.content.startswith(b"PK")
        assert "attachment" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


def test_the_reply_downloads_as_pdf(client, login, world, sent_reply):
    login(client, world.member)
    response = client.get(f"/c/district/proposals/files/reply/{sent_reply.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_an_unsent_reply_is_not_downloadable_by_the_proposers(client, login, world):
    proposal = world.flow.assigned(co=False)
    reply = world.flow.reply(proposal)
    login(client, world.member)
    assert client.get(f"/c/district/proposals/files/reply/{reply.pk}.docx").status_code == 404
    login(client, world.dept_handler)
    assert client.get(f"/c/district/proposals/files/reply/{reply.pk}.docx").status_code == 200


def test_a_reply_is_not_found_under_another_committee_or_format(client, login, world, sent_reply):
    login(client, world.sysadmin)
    assert client.get(f"/c/other/proposals/files/reply/{sent_reply.pk}.docx").status_code == 404
    assert client.get(f"/c/district/proposals/files/reply/{sent_reply.pk}.exe").status_code == 404


@pytest.mark.parametrize("persona", ["proposal_staff", "dept_handler", "other_dept_handler", "member", "outsider",
                                     "other_staff"])
def test_the_co_opinion_downloads_for_the_office_and_departments_only(client, login, world, persona):
    proposal = world.flow.assigned(co=True)
    co = world.flow.co(proposal)
    login(client, getattr(world, persona))
    url = f"/c/district/proposals/files/opinion/{co.pk}.docx"
    assert client.get(url).status_code == 404  # not sent yet: nothing to download
    actions.do_send_co_opinion(co, opinion="同意。", actor=world.other_dept_handler)
    expected = 200 if persona in {"proposal_staff", "dept_handler", "other_dept_handler"} else 404
    assert client.get(url).status_code == expected
