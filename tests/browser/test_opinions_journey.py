"""A 社情民意 report's whole way in a real browser, across two committee levels and a district department.

An appointed informant (特邀信息员, not a member) submits a report; the district editor, who also signs off,
rewrites it, signs it and forwards it to the city; the city editor checks, signs and adopts it and records a
city leader's instruction that gives a district department a follow-up task; the department reports back; the
informant then sees the whole chain on the report's page: both levels, the adoption, the instruction and the
department's response, with the original text intact.
"""

import datetime

import pytest
from django.urls import reverse
from helpers import expect_status, op, open_as
from playwright.sync_api import expect

from xieshang.opinions import dates
from xieshang.opinions.models import (
    CopyStatus,
    FollowUp,
    FollowUpStatus,
    Report,
    ReportCopy,
    ReportEvent,
    ReportVersion,
)
from xieshang.org.models import RoleGrant
from xieshang.testing import give_totp, make_user

# A working day early enough that the follow-up's 15 working days stay inside the loaded calendar (2026).
TODAY = datetime.date(2026, 11, 2)
TITLE = "关于电动自行车进楼入户充电隐患的建议"
REWRITTEN = "关于加快建设小区电动自行车集中充电设施的建议"
SITUATION = "近期多个老旧小区发生电动自行车在楼道充电引发的火情，群众反映强烈。"
SUGGESTION = "建议在老旧小区统一建设集中充电棚，并开展入户宣传。"
RESPONSE = "已会同街道完成 32 个小区排查，首批 12 个集中充电棚本月建成投用。"


@pytest.fixture
def world(site, monkeypatch):
    """The personas, with the district editor also holding the signer's role, and a city editor who signs too."""
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    RoleGrant.objects.create(user=site.info_editor, committee=site.district, role=RoleGrant.Role.INFO_SIGNER)
    site.city_editor = make_user("city_editor", "吴市编")
    for role in (RoleGrant.Role.INFO_EDITOR, RoleGrant.Role.INFO_SIGNER):
        RoleGrant.objects.create(user=site.city_editor, committee=site.city, role=role)
    give_totp(site.city_editor)
    return site


def submit(page, name):
    op(page, name).locator("button[type=submit]").click()


def test_an_informants_report_goes_to_the_city_and_a_department_reports_back(world, browser, screenshot_dir):
    site = world
    base = site.url
    district, city = site.district.code, site.city.code

    # 1. The informant (not a member, no second factor) writes and submits a report.
    informant = open_as(browser, site, site.informant, staff=False)
    informant.goto(base + reverse("opinions:new", args=[district]))
    expect(informant.locator("#id_member")).to_have_count(0)  # no "on behalf of" choices for an informant
    informant.fill("#id_title", TITLE)
    informant.fill("#id_situation", SITUATION)
    informant.fill("#id_analysis", "楼道充电线路老化，缺乏集中充电设施。")
    informant.fill("#id_suggestion", SUGGESTION)
    informant.locator("button[name=submit]").click()
    expect(informant.locator("h1")).to_have_text(TITLE)
    expect_status(informant, "已提交")
    detail = informant.url
    report = Report.objects.get(title=TITLE)
    assert report.author_kind == Report.AuthorKind.INFORMANT and report.informant == site.informant_row

    # 2. The district editor finds it in the queue, rewrites it, signs it off and forwards it to the city.
    editor = open_as(browser, site, site.info_editor, staff=True)
    editor.goto(base + reverse("opinions:queue", args=[district]))
    editor.locator("[data-testid=queue] a", has_text=TITLE).click()
    expect_status(editor, "待核稿")
    edit = op(editor, "edit")
    edit.locator("input[name=edit-title]").fill(REWRITTEN)
    edit.locator("textarea[name=edit-suggestion]").fill(SUGGESTION + "同时将充电设施建设纳入老旧小区改造计划。")
    edit.locator("textarea[name=edit-note]").fill("调整标题，补充建议。")
    edit.locator("button[type=submit]").click()
    expect_status(editor, "已核稿待签发")
    expect(editor.locator("h1")).to_have_text(REWRITTEN)
    submit(editor, "sign")
    expect_status(editor, "已签发")
    submit(editor, "forward")
    expect(editor.locator("body")).to_contain_text("已报送上级政协")
    expect(editor.locator("[data-testid=above]")).to_contain_text(site.city.name)

    # 3. The city editor checks and signs the city's copy, adopts it and records a city leader's instruction
    #    that asks the district's department to act.
    city_editor = open_as(browser, site, site.city_editor, staff=True)
    city_editor.goto(base + reverse("opinions:queue", args=[city]))
    city_editor.locator("[data-testid=queue] a", has_text=REWRITTEN).click()
    expect_status(city_editor, "待核稿")
    submit(city_editor, "edit")
    expect_status(city_editor, "已核稿待签发")
    submit(city_editor, "sign")
    expect_status(city_editor, "已签发")
    adopt = op(city_editor, "adopt")
    adopt.locator("select[name=adopt-kind]").select_option("single")
    adopt.locator("input[name=adopt-adopted_by]").fill("示范市委办公室")
    adopt.locator("input[name=adopt-adopted_on]").fill(TODAY.isoformat())
    adopt.locator("button[type=submit]").click()
    expect_status(city_editor, "已采用")
    instruct = op(city_editor, "instruct")
    instruct.locator("input[name=instruct-leader_name]").fill("张建华")
    instruct.locator("input[name=instruct-leader_title]").fill("副市长")
    instruct.locator("textarea[name=instruct-text]").fill("请东城区抓紧建设集中充电设施，消除安全隐患。")
    instruct.locator("input[name=instruct-instructed_on]").fill(TODAY.isoformat())
    instruct.locator(f"input[name=instruct-departments][value='{site.dept_a.pk}']").check()
    instruct.locator("button[type=submit]").click()
    expect(city_editor.locator("body")).to_contain_text("领导批示已登记")
    expect(city_editor.locator("[data-testid=instructions]")).to_contain_text(site.dept_a.name)
    city_editor.screenshot(path=str(screenshot_dir / "opinions-city-copy.png"), full_page=True)

    # 4. The district department finds its task and reports what it did.
    dept = open_as(browser, site, site.dept_handler, staff=True)
    dept.goto(base + reverse("opinions:follow_ups", args=[district]))
    dept.locator("[data-testid=follow-ups] a", has_text=TITLE).click()
    expect_status(dept, "待办理")
    respond = op(dept, "respond")
    respond.locator("textarea[name=respond-response]").fill(RESPONSE)
    respond.locator("button[type=submit]").click()
    expect_status(dept, "已反馈")

    # 5. The informant sees the whole chain: both levels, the city's adoption, the leader's instruction and the
    #    department's response, and still their own text.
    informant.goto(detail)
    chain = informant.locator("[data-testid=chain]")
    levels = chain.locator("[data-testid=level]")
    expect(levels).to_have_count(2)
    expect(levels.nth(0)).to_have_attribute("data-committee", district)
    expect(levels.nth(1)).to_have_attribute("data-committee", city)
    city_level = chain.locator(f"[data-testid=level][data-committee={city}]")
    expect(city_level).to_contain_text("已采用")
    expect(city_level.locator("[data-testid=adoptions]")).to_contain_text("示范市委办公室")
    expect(city_level.locator("[data-testid=instructions]")).to_contain_text("张建华")
    expect(city_level.locator("[data-testid=follow-up]")).to_contain_text(site.dept_a.name)
    expect(city_level.locator("[data-testid=follow-up]")).to_contain_text(RESPONSE)
    expect(informant.locator(".opinion-body")).to_contain_text(SUGGESTION)
    informant.screenshot(path=str(screenshot_dir / "opinions-informant-chain.png"), full_page=True)

    # On a phone the informant's page fits the screen.
    informant.set_viewport_size({"width": 375, "height": 812})
    informant.goto(detail)
    assert informant.evaluate("document.documentElement.scrollWidth") <= 375

    # What the pages did is what the database holds.
    origin = ReportCopy.objects.get(report=report, committee=site.district)
    upper = ReportCopy.objects.get(report=report, committee=site.city)
    assert origin.status == CopyStatus.SIGNED and upper.status == CopyStatus.ADOPTED
    assert upper.received_from == origin and upper.version == origin.version
    assert origin.version.kind == ReportVersion.Kind.EDIT and origin.version.title == REWRITTEN
    assert report.versions.get(number=1).title == TITLE  # the author's text is kept
    follow_up = FollowUp.objects.get(report=report)
    assert follow_up.department == site.dept_a and follow_up.status == FollowUpStatus.REPORTED
    assert follow_up.due_on.year == 2026 and follow_up.assigned_on == TODAY
    assert set(ReportEvent.objects.filter(report=report).values_list("kind", "level")) == {
        ("submitted", "county"), ("adopted", "city"), ("instructed", "city")}
    for page in (informant, editor, city_editor, dept):
        csp = [e for e in page.console_errors if "Content Security Policy" in e]
        assert not csp, csp
        page.context.close()
