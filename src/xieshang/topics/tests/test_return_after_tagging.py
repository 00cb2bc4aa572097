"""Saving tags without JavaScript returns to the page the user came from: the widget posts a safe ``next``, and
without one a report returns to the tagging committee's copy page (never to a page that would not be found)."""

import pytest
from django.urls import reverse

from xieshang.opinions import testing as ot
from xieshang.topics import actions, queries
from xieshang.topics.models import Topic

HTMX = {"HTTP_HX_REQUEST": "true"}


def widget_url(obj, kind, committee):
    return reverse("topics:tags", args=[committee, kind, obj.pk])


@pytest.fixture
def chain(world, monkeypatch):
    """A district report signed and forwarded: a district copy and a city copy, with the city's topics."""
    p = world
    ot.pin_today(monkeypatch, "2026-06-01")
    ot.add_chain_staff(p)
    actions.ensure_defaults(p.city)
    p.city_topic = {t.name: t for t in Topic.objects.filter(committee=p.city)}
    p.district_copy = ot.signed_copy(p, data={"title": "关于农村饮水安全的建议", "situation": "饮水安全隐患多。"})
    p.city_copy = ot.forward(p, p.district_copy)
    p.report = p.district_copy.report
    return p


def names(committee, report):
    return [t.name for t in queries.tags_of(committee, "opinion", report)]


def test_a_plain_save_at_the_city_returns_to_the_city_copy_which_opens(chain, client, login):
    p = chain
    login(client, p.city_editor)
    response = client.post(widget_url(p.report, "opinion", "city"), {"topics": [p.city_topic["开放"].pk]})
    copy_page = reverse("opinions:copy", args=["city", p.city_copy.pk])
    assert response.status_code == 302 and response.url == copy_page
    assert names(p.city, p.report) == ["开放"]
    # The page it returns to exists for the city's editor (the report page under the city's code would not).
    assert client.get(copy_page).status_code == 200
    assert client.get(reverse("opinions:detail", args=["city", p.report.pk])).status_code == 404


def test_a_plain_save_at_the_district_returns_to_the_district_copy(chain, client, login):
    p = chain
    login(client, p.info_editor)
    response = client.post(widget_url(p.report, "opinion", "district"), {"topics": [p.topic["民生"].pk]})
    assert response.url == reverse("opinions:copy", args=["district", p.district_copy.pk])


def test_the_widget_posts_the_page_that_loaded_it_as_next(chain, client, login):
    p = chain
    login(client, p.city_editor)
    copy_page = reverse("opinions:copy", args=["city", p.city_copy.pk])
    body = client.get(widget_url(p.report, "opinion", "city"),
                      HTTP_HX_CURRENT_URL=f"http://testserver{copy_page}?tab=2", **HTMX).content.decode()
    # Both forms (the checkboxes and each one-click suggestion) carry it.
    assert body.count(f'name="next" value="{copy_page}?tab=2"') == body.count("<form ") >= 1


def test_without_a_loading_page_the_widget_posts_the_copy_page(chain, client, login):
    p = chain
    login(client, p.city_editor)
    body = client.get(widget_url(p.report, "opinion", "city")).content.decode()  # the <noscript> link
    assert f'name="next" value="{reverse("opinions:copy", args=["city", p.city_copy.pk])}"' in body


def test_a_posted_next_on_this_site_is_where_the_save_returns(chain, client, login):
    p = chain
    login(client, p.city_editor)
    back = reverse("opinions:copy", args=["city", p.city_copy.pk]) + "?from=queue"
    response = client.post(widget_url(p.report, "opinion", "city"),
                           {"topics": [p.city_topic["开放"].pk], "next": back})
    assert response.status_code == 302 and response.url == back


@pytest.mark.parametrize("bad", ["https://evil.example/phish", "//evil.example/x", "javascript:alert(1)",
                                 "http://evil.example/opinions/", "\\\\evil.example"])
def test_a_next_off_this_site_is_ignored_for_the_copy_page(chain, client, login, bad):
    p = chain
    login(client, p.city_editor)
    response = client.post(widget_url(p.report, "opinion", "city"),
                           {"topics": [p.city_topic["开放"].pk], "next": bad})
    assert response.url == reverse("opinions:copy", args=["city", p.city_copy.pk])
    # And a loading page on another host is never offered as next.
    body = client.get(widget_url(p.report, "opinion", "city"), HTTP_HX_CURRENT_URL=bad, **HTMX).content.decode()
    assert "evil" not in body and "javascript:" not in body


def test_a_refused_plain_save_also_returns_to_next_and_writes_nothing(chain, client, login):
    p = chain
    login(client, p.city_editor)
    back = reverse("opinions:copy", args=["city", p.city_copy.pk])
    response = client.post(widget_url(p.report, "opinion", "city"),
                           {"topics": [p.topic["民生"].pk], "next": back}, follow=True)  # the district's topic
    assert response.redirect_chain == [(back, 302)]
    assert "所选专题不存在或不属于本政协组织" in response.content.decode()
    assert names(p.city, p.report) == []


def test_a_proposal_still_returns_to_its_page(world, client, login):
    p = world
    lift = p.add("关于加快老旧小区加装电梯的建议", "老旧小区加装电梯进展缓慢。")
    login(client, p.proposal_staff)
    response = client.post(widget_url(lift, "proposal", "district"), {"topics": [p.topic["民生"].pk]})
    assert response.url == reverse("proposals:detail", args=["district", lift.pk])
    body = client.get(widget_url(lift, "proposal", "district")).content.decode()
    assert f'name="next" value="{reverse("proposals:detail", args=["district", lift.pk])}"' in body
