"""A proposal's whole life in a real browser: drafting, co-signing, review, assignment, two rounds of handling
and rating, archive and publication on the public portal."""

import datetime

import pytest
from helpers import expect_status, op, open_as
from playwright.sync_api import expect

from xieshang.org.models import Session, Term
from xieshang.proposals import dates
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.conftest import load_2026

TODAY = datetime.date(2026, 3, 2)  # inside the seeded calendar, so every due date can be computed
TITLE = "关于加快老旧小区加装电梯的建议"


@pytest.fixture
def world(site, monkeypatch):
    load_2026()
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    term = Term.objects.create(committee=site.district, number=10, start_date=datetime.date(2022, 1, 1),
                               is_current=True)
    site.session = Session.objects.create(term=term, number=5, year=2026, plenary_start=datetime.date(2026, 1, 20),
                                          plenary_end=datetime.date(2026, 1, 23))
    return site


def reply_round(page, outcome, body):
    form = op(page, "reply")
    form.locator("select[name$=outcome]").select_option(outcome)
    form.locator("textarea[name$=body]").fill(body)
    form.locator("input[name$=signer]").fill("赵局长")
    form.locator("input[name$=contact_name]").fill("钱经办")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("答复已提交")


def approve_and_send(staff, dept, detail):
    staff.goto(detail)
    form = op(staff, "review_reply")
    form.locator("input[value=yes]").check()
    form.locator("button[type=submit]").click()
    expect(staff.locator("body")).to_contain_text("答复审核意见已保存")
    dept.goto(detail)
    op(dept, "send").locator("button[type=submit]").click()
    expect(dept.locator("body")).to_contain_text("答复已发出")


def test_a_joint_proposal_goes_from_draft_to_archive_and_the_portal(world, browser, screenshot_dir):
    site = world
    base = site.url
    code = site.district.code

    # 1. The member drafts a joint proposal and invites the co-signer.
    member = open_as(browser, site, site.member, staff=False)
    member.goto(f"{base}/c/{code}/proposals/new/")
    member.fill("#id_title", TITLE)
    member.fill("#id_situation", "本区老旧小区加装电梯进展缓慢。")
    member.fill("#id_analysis", "资金分摊与意见协调难。")
    member.fill("#id_suggestion", "建议设立专项补贴并建立协调机制。")
    member.select_option("#id_category", "社会")
    member.locator("input[name=suggested_departments][value='%d']" % site.dept_a.pk).check()
    member.select_option("#id_cosigners", label="李秀英")
    member.locator("form.proposal-form button[type=submit]").click()
    expect(member.locator("h1")).to_have_text(TITLE)
    expect_status(member, "草稿")
    expect(member.locator("[data-testid=proposers]")).to_contain_text("待确认")
    detail = member.url
    proposal = Proposal.objects.get(title=TITLE)
    member.screenshot(path=str(screenshot_dir / "proposal-draft.png"), full_page=True)

    # Submitting too early explains why.
    op(member, "submit").locator("button[type=submit]").click()
    expect(member.locator(".errorbox")).to_contain_text("位联名人未确认")

    # 2. The co-signer finds the invitation in 我的提案 and confirms.
    cosigner = open_as(browser, site, site.cosigner, staff=False)
    cosigner.goto(f"{base}/c/{code}/proposals/mine/")
    cosigner.locator("[data-testid=invitations] a", has_text=TITLE).click()
    sign = op(cosigner, "sign")
    sign.locator("input[value=yes]").check()
    sign.locator("button[type=submit]").click()
    expect(cosigner.locator("[data-testid=proposers]")).to_contain_text("已确认")

    # 3. The member submits.
    member.goto(detail)
    op(member, "submit").locator("button[type=submit]").click()
    expect_status(member, "已提交待预审")

    # 4. Staff pre-review, file and assign it from the register.
    staff = open_as(browser, site, site.proposal_staff, staff=True)
    staff.goto(f"{base}/c/{code}/proposals/")
    expect(staff.locator("h1")).to_have_text("提案登记簿")
    staff.locator("[data-testid=register] a", has_text=TITLE).click()
    op(staff, "pass").locator("button[type=submit]").click()
    expect_status(staff, "待审定")
    file_form = op(staff, "file")
    file_form.locator("select[name$=category]").select_option("社会")
    file_form.locator("button[type=submit]").click()
    expect_status(staff, "已立案")
    assign = op(staff, "assign")
    assign.locator("select[name$=leads]").select_option(str(site.dept_a.pk))
    assign.locator("button[type=submit]").click()
    expect_status(staff, "已交办")
    expect(staff.locator("[data-testid=assignment]")).to_contain_text(site.dept_a.name)

    # 5. The department records first contact and replies with class A.
    dept = open_as(browser, site, site.dept_handler, staff=True)
    dept.goto(f"{base}/c/{code}/proposals/assignments/")
    dept.locator("[data-testid=my-assignments] a", has_text=TITLE).click()
    contact = op(dept, "first_contact")
    contact.locator("input[name$='-on']").fill(TODAY.isoformat())
    contact.locator("textarea[name$=note]").fill("电话联系提案人，听取意见。")
    contact.locator("button[type=submit]").click()
    expect_status(dept, "办理中")
    reply_round(dept, "A", "经研究，已列入年度民生实事项目。")
    approve_and_send(staff, dept, detail)
    dept.goto(detail)
    expect_status(dept, "已答复待评价")

    # 6. The proposer rates 不满意: the proposal goes back for re-handling.
    member.goto(detail)
    expect(member.locator("[data-testid=reply]")).to_contain_text("已列入年度民生实事项目")
    rate = op(member, "rate")
    rate.locator("input[value=dissatisfied]").check()
    rate.locator("textarea[name$=comment]").fill("尚未落实资金。")
    rate.locator("button[type=submit]").click()
    expect_status(member, "重新办理")

    # 7. The department re-handles and replies again; the proposer rates 满意 and the case is archived.
    dept.goto(detail)
    reply_round(dept, "A", "补贴资金已落实，首批 20 台电梯开工。")
    approve_and_send(staff, dept, detail)
    member.goto(detail)
    rate = op(member, "rate")
    rate.locator("input[value=satisfied]").check()
    rate.locator("button[type=submit]").click()
    expect(member.locator("body")).to_contain_text("感谢您的评价")
    expect_status(member, "已答复待评价")  # every proposer of a joint proposal rates: the co-signer too
    cosigner.goto(detail)
    rate = op(cosigner, "rate")
    rate.locator("input[value=satisfied]").check()
    rate.locator("button[type=submit]").click()
    expect_status(cosigner, "已归档")
    member.goto(detail)
    expect_status(member, "已归档")
    expect(member.locator("[data-testid=ratings]")).to_contain_text("不满意")
    expect(member.locator("[data-testid=ratings]")).to_contain_text("满意")
    expect(member.locator(".timeline")).to_contain_text("归档")

    # 8. The proposer consents to publication and the proposal appears on the public portal.
    consent = op(member, "consent")
    consent.locator("input[value=yes]").check()
    consent.locator("button[type=submit]").click()
    expect(member.locator("body")).to_contain_text("公开意见已保存")
    member.screenshot(path=str(screenshot_dir / "proposal-archived.png"), full_page=True)

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/portal/{code}/proposals/{proposal.pk}/")
    expect(public.locator("body")).to_contain_text(TITLE)
    expect(public.locator("body")).to_contain_text("补贴资金已落实")

    # On a phone the detail page and the register fit the screen (tables scroll inside their wrappers).
    for page, path in ((member, detail), (staff, f"{base}/c/{code}/proposals/")):
        page.set_viewport_size({"width": 375, "height": 812})
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    member.screenshot(path=str(screenshot_dir / "proposal-phone.png"), full_page=True)

    proposal.refresh_from_db()
    assert proposal.status == "archived" and proposal.round == 2
    for page in (member, cosigner, staff, dept):
        csp = [e for e in page.console_errors if "Content Security Policy" in e]
        assert not csp, csp
        page.context.close()
    public.context.close()
