"""The similar-items panel fills in while a member types a 社情民意 report on a phone."""

from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from xieshang.opinions import testing as ot

ELEVATOR = {"title": "关于加快老旧小区加装电梯的建议",
            "situation": "本区老旧小区加装电梯进展缓慢，老年居民上下楼困难。",
            "analysis": "资金分摊难、低层住户意见难统一。",
            "suggestion": "建议设立专项补贴，建立街道协调机制。"}


def test_the_panel_appears_while_typing_a_report(site, phone, monkeypatch):
    """A member's earlier report on the same issue appears after a pause (indexed on commit, as in production),
    and nothing on the page breaks the CSP."""
    ot.pin_today(monkeypatch, "2026-06-01")
    ot.submitted_copy(site, data=ELEVATOR)
    errors = []
    phone.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    client = Client()
    client.force_login(site.member)
    phone.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    phone.goto(site.url + reverse("opinions:new", args=["district"]))
    panel = phone.locator("[data-testid=similar-panel]")
    expect(panel.locator("[data-testid=similar-none]")).to_be_visible()  # loaded empty on arrival
    phone.fill("#id_title", "关于老旧小区加装电梯补贴的建议")
    phone.locator("#id_situation").press_sequentially("老旧小区加装电梯难", delay=20)
    expect(panel.locator(".similar-list")).to_contain_text(ELEVATOR["title"])
    expect(panel).to_contain_text("相似度")
    # (the only resource missing on the test server is /favicon.ico; scripts and CSP must not complain)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e or "Error" in e]
