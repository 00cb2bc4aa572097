"""The public portal: published proposals only, their sent replies, and never anyone's contact details."""

import re

import pytest
from django.urls import reverse

from xieshang.org.models import Department, Member
from xieshang.proposals import actions
from xieshang.proposals.models import Proposal
from xieshang.testing import login

pytestmark = pytest.mark.django_db

PHONES = ("13800000001", "010-12345678", "13911112222", "010-88886666")


@pytest.fixture
def site(world):
    p = world
    # Contact details everywhere they can hide: the member, the department, the reply and the proposal.
    Member.objects.filter(pk=p.member_row.pk).update(email="wang@example.org", address="东城区和平里1号",
                                                    phone="010-88886666")
    Department.objects.filter(pk=p.dept_a.pk).update(contact_phone="13911112222", address="东城区环保路9号")
    published = p.flow.replied(title="关于加快老旧小区加装电梯的建议")
    actions.do_set_public_consent(published, consent=True, actor=p.member)
    p.published = published
    p.refused = p.flow.replied(title="关于不公开事项的建议")
    actions.do_set_public_consent(p.refused, consent=False, reason="涉及个人隐私", actor=p.member)
    p.in_review = p.flow.in_review(title="关于审查中事项的建议")
    Proposal.objects.filter(pk=p.in_review.pk).update(public_consent=True)
    p.draft = p.flow.draft(title="关于草稿事项的建议")
    return p


def test_home_lists_committees_with_published_proposals(site, client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "示范市东城区政协" in html and reverse("portal:proposal_list", args=["district"]) in html
    assert "示范市西城区政协" not in html


def test_the_list_shows_only_published_proposals_without_login(site, client):
    response = client.get(reverse("portal:proposal_list", args=["district"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于加快老旧小区加装电梯的建议" in html
    for title in ("关于不公开事项的建议", "关于审查中事项的建议", "关于草稿事项的建议"):
        assert title not in html


def test_search_by_title_and_filters(site, client):
    url = reverse("portal:proposal_list", args=["district"])
    assert "加装电梯" in client.get(url, {"q": "电梯"}).content.decode()
    assert "加装电梯" not in client.get(url, {"q": "停车"}).content.decode()
    assert "加装电梯" in client.get(url, {"session": site.session.pk, "category": "社会"}).content.decode()
    assert "加装电梯" not in client.get(url, {"category": "经济"}).content.decode()
    assert client.get(url, {"session": "abc"}).status_code == 404


def test_detail_shows_the_text_and_the_published_reply(site, client):
    response = client.get(reverse("portal:proposal_detail", args=["district", site.published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本区老旧小区加装电梯进展缓慢" in html and "建议设立专项补贴" in html
    assert "经研究，已列入年度民生实事项目。" in html
    assert "东环函〔2026〕5号" in html and "区生态环境局" in html and "王建国" in html


@pytest.mark.parametrize("name", ["refused", "in_review", "draft"])
def test_unpublished_proposals_are_404(site, client, name):
    response = client.get(reverse("portal:proposal_detail", args=["district", getattr(site, name).pk]))
    assert response.status_code == 404


def test_unpublished_is_404_even_for_staff_signed_in(site, client):
    login(client, site.proposal_staff)
    response = client.get(reverse("portal:proposal_detail", args=["district", site.refused.pk]))
    assert response.status_code == 404


def test_a_proposal_under_another_committees_code_is_404(site, client):
    response = client.get(reverse("portal:proposal_detail", args=["other", site.published.pk]))
    assert response.status_code == 404
    assert client.get(reverse("portal:proposal_list", args=["nosuch"])).status_code == 404


def test_no_contact_details_anywhere_in_the_html(site, client):
    pages = [reverse("portal:home"), reverse("portal:proposal_list", args=["district"]),
             reverse("portal:proposal_detail", args=["district", site.published.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        for secret in PHONES + ("wang@example.org", "和平里", "环保路", "钱经办"):
            assert secret not in html, (url, secret)
        assert not re.search(r"1[3-9]\d{9}", html), url
        assert "联系电话" not in html and "联系人" not in html


def test_reply_waiting_for_review_is_not_shown(site, client):
    p = site
    proposal = p.flow.assigned(title="关于答复待审核的建议", co=False)
    p.flow.reply(proposal, outcome="B")
    Proposal.objects.filter(pk=proposal.pk).update(public_consent=True)
    html = client.get(reverse("portal:proposal_detail", args=["district", proposal.pk])).content.decode()
    assert "承办单位尚未答复" in html and "经研究，已列入年度民生实事项目。" not in html


def test_pages_are_mobile_ready_and_carry_no_inline_script(site, client):
    html = client.get(reverse("portal:proposal_detail", args=["district", site.published.pk])).content.decode()
    assert 'name="viewport"' in html
    assert "<script>" not in html and "style=" not in html and " onclick" not in html
