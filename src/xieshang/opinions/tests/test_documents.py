"""The bulletin issue (.docx/PDF) and the yearly notice (.docx), opened back, and who may download them."""

import datetime
import io

import pytest
from django.utils import translation
from docx import Document

from xieshang.core.documents import pdf_text
from xieshang.opinions import actions, documents
from xieshang.opinions.testing import BODY, editor_of, forward, sign, signed_copy, submitted_copy
from xieshang.org.models import CommitteeSetting
from xieshang.testing import PERSONA_NAMES

D = datetime.date.fromisoformat
REWRITTEN = {**BODY, "title": "关于加快推进老旧小区加装电梯的建议",
             "situation": "编辑核稿后的情况：全区已加装电梯三十部。\n仍有大量小区未启动。",
             "analysis": "", "suggestion": "编辑核稿后的建议：设立专项补贴。"}


@pytest.fixture
def issue(chain):
    """A draft issue at the district: a single article (rewritten by the editor and sent to leaders and a
    department) and a comprehensive one built from the informant's and the cosigner's reports."""
    single = sign(chain, submitted_copy(chain), data=REWRITTEN)
    actions.do_dispatch_copy(single, [
        {"kind": "committee_leader", "name": "区政协主席"},
        {"kind": "government_leader", "name": "区政府区长"},
        {"kind": "department", "name": "", "department": chain.dept_a},
    ], actor=chain.info_editor)
    forward(chain, single)
    a = signed_copy(chain, actor=chain.informant, data={"title": "关于菜市场改造的建议"})
    b = signed_copy(chain, actor=chain.cosigner, data={"title": "关于农贸市场管理的建议"})
    actions.do_dispatch_copy(b, [{"kind": "committee_leader", "name": "区政协主席"}], actor=chain.info_editor)
    issue = actions.do_create_bulletin(chain.district, actor=chain.info_editor)
    actions.do_add_bulletin_entry(issue, [single], kind="single", actor=chain.info_editor)
    actions.do_add_bulletin_entry(issue, [a, b], kind="comprehensive", title="关于改进农贸市场管理的综合建议",
                                  body="综合各方反映如下。\n一是改造设施。\n二是加强管理。", actor=chain.info_editor)
    return issue


@pytest.fixture
def published(issue, chain):
    return actions.do_publish_bulletin(issue, signer_name="张主席", published_on=D("2026-06-01"),
                                       actor=chain.info_signer)


def docx_text(data):
    document = Document(io.BytesIO(data))
    return document, [p.text for p in document.paragraphs]


def test_the_published_issue_docx_has_the_masthead_articles_and_distribution(published):
    document, lines = docx_text(documents.bulletin_docx(documents.bulletin(published)))
    text = "\n".join(lines)
    assert lines[0] == "社情民意"
    masthead = document.paragraphs[0].runs[0]
    assert str(masthead.font.color.rgb) == "C00000" and masthead.font.bold
    assert lines[1] == "2026年第1期"
    assert lines[2] == "示范市东城区政协\t2026年6月1日"
    assert "thickThinSmallGap" in document.paragraphs[2]._p.xml
    # The single article prints the copy's current (edited) version, with its headings; an empty part is left out.
    assert "关于加快推进老旧小区加装电梯的建议" in lines
    assert "关于加快老旧小区加装电梯的建议" not in text  # the author's original title is not printed
    start = lines.index("关于加快推进老旧小区加装电梯的建议")
    assert lines[start + 1:start + 6] == ["一、情况", "编辑核稿后的情况：全区已加装电梯三十部。",
                                          "仍有大量小区未启动。",
                                          "二、建议", "编辑核稿后的建议：设立专项补贴。"]
    assert "（报送人：王建国）" in lines
    # The comprehensive article: its own title and text, then the reports it was built from.
    assert "关于改进农贸市场管理的综合建议" in lines and "二是加强管理。" in lines
    assert "1. 《关于菜市场改造的建议》（陈信息（特邀信息员））" in lines
    assert "2. 《关于农贸市场管理的建议》（李秀英）" in lines
    # 报送 (leaders and the parent committee, without repeats), 抄送 (departments), the signer.
    assert "报送：区政协主席，区政府区长，示范市政协。" in lines
    assert "抄送：区生态环境局。" in lines
    assert lines[-1] == "签发人：张主席"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 28


def test_a_draft_issue_has_no_number_yet(issue):
    doc = documents.bulletin(issue)
    assert doc.is_draft and doc.number == "2026年（未编号）" and doc.filename.endswith(f"draft-{issue.pk}")
    _document, lines = docx_text(documents.bulletin_docx(doc))
    assert lines[1] == "2026年（未编号）" and lines[-1] == "签发人："


def test_the_bulletin_name_comes_from_the_committee_setting(published, chain):
    CommitteeSetting.objects.create(committee=chain.district, key="opinions.bulletin_name", value="东城社情民意")
    _document, lines = docx_text(documents.bulletin_docx(documents.bulletin(published)))
    assert lines[0] == "东城社情民意"


def test_the_issue_stays_chinese_when_the_reader_uses_english(published):
    with translation.override("en"):
        doc = documents.bulletin(published)
        _document, lines = docx_text(documents.bulletin_docx(doc))
        assert translation.get_language() == "en"
    assert lines[1] == "2026年第1期" and "一、情况" in lines and lines[-1] == "签发人：张主席"


def test_the_issue_pdf_is_a4_with_the_text(published):
    doc = documents.bulletin(published)
    data = documents.bulletin_pdf(doc)
    assert data.startswith(b"%PDF-")
    rendered = documents.bulletin_pdf_document(doc)
    page = rendered.pages[0]
    assert round(page.width * 25.4 / 96) == 210 and round(page.height * 25.4 / 96) == 297
    text = "".join(pdf_text(rendered))
    for expected in ("社情民意", "2026年第1期", "关于加快推进老旧小区加装电梯的建议", "一、情况", "（报送人：王建国）",
                     "关于改进农贸市场管理的综合建议", "抄送：区生态环境局。", "签发人：张主席"):
        assert expected in text, expected


def test_the_issue_is_read_in_a_fixed_number_of_queries(published, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        doc = documents.bulletin(published)
    assert len(doc.articles) == 2


def test_a_long_issue_runs_onto_more_pages(published):
    doc = documents.bulletin(published)
    doc.articles[0].sections[0][1].extend(["本段为情况说明，反映群众关切的具体问题。" * 6] * 30)
    assert len(documents.bulletin_pdf_document(doc).pages) >= 2


# Who may download ----------------------------------------------------------------------------------------

DRAFT_READERS = {"info_editor", "info_signer", "office_admin", "sysadmin"}
PUBLISHED_READERS = DRAFT_READERS | {"proposal_staff", "committee_leader", "auditor"}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_draft_issue_downloads_only_for_editors_and_signers(client, login, chain, issue, persona):
    login(client, getattr(chain, persona))
    response = client.get(f"/c/district/opinions/files/bulletin/{issue.pk}.docx")
    if persona in DRAFT_READERS:
        assert response.status_code == 200 and response.content.startswith(b"PK")
        assert "attachment" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_a_published_issue_downloads_for_the_committees_office_roles(client, login, chain, published, persona):
    login(client, getattr(chain, persona))
    response = client.get(f"/c/district/opinions/files/bulletin/{published.pk}.pdf")
    if persona in PUBLISHED_READERS:
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert "opinions-district-2026-1.pdf" in response["Content-Disposition"]
    else:
        assert response.status_code == 404


def test_an_issue_is_not_found_under_another_committee_or_by_another_level(client, login, chain, published):
    login(client, chain.sysadmin)
    assert client.get(f"/c/other/opinions/files/bulletin/{published.pk}.docx").status_code == 404
    assert client.get("/c/district/opinions/files/bulletin/999999.docx").status_code == 404
    login(client, chain.city_editor)  # the parent committee's editor: not its issue
    assert client.get(f"/c/district/opinions/files/bulletin/{published.pk}.docx").status_code == 404
    client.logout()
    response = client.get(f"/c/district/opinions/files/bulletin/{published.pk}.docx")
    assert response.status_code == 302 and "login" in response["Location"]


# The yearly notice ---------------------------------------------------------------------------------------

@pytest.fixture
def year_2026(chain, published):
    """The published issue's adoptions (3 at the district), a city adoption and a city leader's instruction."""
    copy = published.entries.get(kind="single").copies.get().forwarded_to
    sign(chain, copy)
    actions.do_adopt_copy(copy, kind="single", adopted_by="示范市政协", adopted_on=D("2026-06-01"),
                          actor=editor_of(chain, copy.committee))
    actions.do_record_instruction(copy, leader_name="张市长", leader_title="副市长", text="请市住建局研究。",
                                  instructed_on=D("2026-06-01"), actor=chain.city_editor)
    submitted_copy(chain, data={"title": "关于增设公交线路的建议"})
    return chain


def test_the_yearly_notice_counts_ranks_and_lists_the_instructed_reports(year_2026):
    notice = documents.yearly_notice(year_2026.district, 2026)
    document, lines = docx_text(documents.notice_docx(notice))
    text = "\n".join(lines)
    assert lines[0] == "示范市东城区政协"
    assert "thickThinSmallGap" in document.paragraphs[0]._p.xml
    assert "关于2026年度社情民意信息工作情况的通报" in lines
    assert "共报送社情民意信息4篇，其中委员报送3篇，集体报送0篇，特邀信息员报送1篇。" in text
    assert "全年被采用3篇（4篇次），其中县（区）级3篇次、市级1篇次；获领导批示1篇（1篇次），其中市级1篇次。" in text
    members = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert members[0] == ["序号", "姓名", "界别", "报送", "采用", "批示"]
    assert members[1] == ["1", "王建国", "经济界", "2", "2", "1"]
    assert members[2] == ["2", "李秀英", "经济界", "1", "1", "0"]
    assert "二、集体报送和采用情况" in lines and lines.count("无。") == 2  # no collective or group rows
    instructed = [[c.text for c in row.cells] for row in document.tables[-1].rows]
    assert instructed[1] == ["1", "关于加快推进老旧小区加装电梯的建议", "王建国", "市级", "副市长 张市长",
                             "2026年6月1日"]
    assert len(document.tables) == 3  # members, informants, instructions (no collective or group rows)


def test_the_notice_downloads_for_whoever_sees_the_statistics(client, login, year_2026):
    login(client, year_2026.info_editor)
    response = client.get("/c/district/opinions/files/notice/2026.docx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "opinions-notice-district-2026.docx" in response["Content-Disposition"]
    for persona in ("member", "informant", "dept_leader", "other_staff", "city_editor"):
        login(client, getattr(year_2026, persona))
        assert client.get("/c/district/opinions/files/notice/2026.docx").status_code == 403, persona
    login(client, year_2026.sysadmin)
    assert client.get("/c/no-such/opinions/files/notice/2026.docx").status_code == 404
    assert client.get("/c/district/opinions/files/notice/1800.docx").status_code == 404
