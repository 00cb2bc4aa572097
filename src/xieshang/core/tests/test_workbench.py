"""我的待办: the provider registry, grouping, overdue marking and the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xieshang.core import workbench
from xieshang.core.workbench import TodoItem
from xieshang.org import actions

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the duration of a test (the real one is restored afterwards)."""
    monkeypatch.setattr(workbench, "_PROVIDERS", [])
    monkeypatch.setattr(workbench, "_KIND_LABELS", dict(workbench._KIND_LABELS))
    return workbench


def _item(kind, title, due=None, **kw):
    return TodoItem(kind=kind, title=title, url="/x/", due=due, **kw)


def test_items_come_soonest_due_first_and_undated_last(registry):
    registry.register(lambda user: [_item("lab.a", "无期限"), _item("lab.a", "六月底", datetime.date(2026, 6, 30))])
    registry.register(lambda user: [_item("lab.b", "六月初", datetime.date(2026, 6, 1))])
    assert [i.title for i in registry.items_for(None)] == ["六月初", "六月底", "无期限"]


def test_registering_the_same_provider_twice_keeps_one(registry):
    def provider(user):
        return [_item("lab.a", "一项")]

    registry.register(provider)
    registry.register(provider)
    assert registry.providers() == [provider]
    assert len(registry.items_for(None)) == 1
    registry.unregister(provider)
    assert registry.items_for(None) == []


def test_providers_receive_the_user(registry):
    seen = []
    registry.register(lambda user: seen.append(user) or [])
    registry.items_for("someone")
    assert seen == ["someone"]


def test_a_failing_provider_does_not_hide_the_others(registry, caplog):
    def broken(user):
        raise RuntimeError("boom")

    registry.register(broken)
    registry.register(lambda user: [_item("lab.a", "还在")])

    class U:
        pk = 1

    assert [i.title for i in registry.items_for(U())] == ["还在"]
    assert "boom" in caplog.text


def test_groups_are_by_kind_ordered_by_their_most_urgent_item_with_overdue_counted(registry):
    registry.register_kind("lab.reply", "待答复")
    registry.register(
        lambda user: [
            _item("lab.reply", "下周", datetime.date(2026, 6, 17)),
            _item("lab.reply", "昨天", datetime.date(2026, 6, 9)),
            _item("lab.unnamed", "今天", TODAY),
            _item("lab.flagged", "标记逾期", overdue=True),
        ]
    )
    groups = registry.groups_for(None, TODAY)
    assert [(g.kind, g.label) for g in groups] == [
        ("lab.reply", "待答复"), ("lab.unnamed", "lab.unnamed"), ("lab.flagged", "lab.flagged")
    ]
    assert [(i.title, i.overdue) for i in groups[0].items] == [("昨天", True), ("下周", False)]
    assert groups[0].overdue == 1
    assert groups[1].items[0].overdue is False  # due today is not overdue yet
    assert groups[2].overdue == 1


@pytest.mark.django_db
def test_the_page_groups_items_and_highlights_the_overdue(client, login, personas, registry):
    registry.register_kind("lab.reply", "待答复的事项")
    registry.register(
        lambda user: [
            _item("lab.reply", "逾期的事", timezone.localdate() - datetime.timedelta(days=2), committee="东城区政协"),
            _item("lab.reply", "未到期的事", timezone.localdate() + datetime.timedelta(days=3)),
        ]
        if user == personas.member
        else []
    )
    login(client, personas.member)
    response = client.get(reverse("workbench"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "待答复的事项" in html and "东城区政协" in html
    assert '<li class="overdue" data-testid="todo-item">' in html and "已逾期（截止" in html
    assert html.count('data-testid="todo-item"') == 2
    assert "1 项已逾期" in html


@pytest.mark.django_db
def test_the_page_has_an_empty_state(client, login, personas, registry):
    login(client, personas.outsider)
    html = client.get(reverse("workbench")).content.decode()
    assert 'data-testid="todo-empty"' in html


@pytest.mark.django_db
def test_the_workbench_needs_sign_in(client):
    response = client.get(reverse("workbench"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_the_organisations_failed_import_reaches_only_its_uploader(client, login, personas):
    actions.do_record_import(
        personas.district, "members", "委员名单.xlsx", status="failed", row_count=3,
        errors=[{"row": 2, "message": "缺少姓名"}], actor=personas.office_admin,
    )
    login(client, personas.office_admin)
    html = client.get(reverse("workbench")).content.decode()
    assert "委员名单.xlsx" in html and "导入失败待处理" in html
    client.logout()
    login(client, personas.auditor)
    assert "委员名单.xlsx" not in client.get(reverse("workbench")).content.decode()


def test_a_long_group_shows_its_most_urgent_items_and_counts_the_rest(client, login, personas, registry, monkeypatch):
    monkeypatch.setattr(workbench, "MAX_SHOWN_PER_GROUP", 3)
    today = timezone.localdate()
    registry.register(lambda user: [
        _item("lab.many", f"事项{i}", today + datetime.timedelta(days=i - 2)) for i in range(7)
    ] if user == personas.member else [])
    (group,) = workbench.groups_for(personas.member, today)
    assert [i.title for i in group.items] == ["事项0", "事项1", "事项2"]
    assert (group.total, group.hidden, group.overdue) == (7, 4, 2)
    login(client, personas.member)
    html = client.get(reverse("workbench")).content.decode()
    assert html.count('data-testid="todo-item"') == 3
    assert "另有 4 项未列出" in html


def test_a_provider_taking_limit_builds_only_the_shown_items_and_counts_the_rest(registry, monkeypatch):
    monkeypatch.setattr(workbench, "MAX_SHOWN_PER_GROUP", 2)
    calls = []

    def long_list(user, limit=None):
        calls.append(limit)
        items = [_item("lab.long", f"第{i}项", TODAY + datetime.timedelta(days=i - 3)) for i in range(6)]
        if limit is None:
            return items
        # items 0–2 are overdue (before TODAY); the provider shows two and counts the other four, one overdue.
        return items[:limit] + [workbench.MoreItems(kind="lab.long", count=4, overdue=1)]

    registry.register(long_list)
    registry.register(lambda user: [_item("lab.old", "旧式", TODAY)])  # a provider without ``limit``
    (long, old) = registry.groups_for(None, TODAY)
    assert calls == [2]
    assert [i.title for i in long.items] == ["第0项", "第1项"]
    assert (long.total, long.hidden, long.overdue) == (6, 4, 3)
    assert (old.total, old.hidden, old.overdue) == (1, 0, 0)
    # Without a limit (the API's list) every item is built, and no MoreItems leaks out.
    assert [i.title for i in registry.items_for(None) if i.kind == "lab.long"] == [f"第{i}项" for i in range(6)]
    assert calls == [2, None]


def test_limit_is_passed_only_to_providers_that_take_it(registry):
    def positional(user):
        return [_item("lab.a", "甲")]

    def keyword_only(user, *, limit=None):
        return [_item("lab.b", "乙")] if limit == workbench.MAX_SHOWN_PER_GROUP else []

    def by_kwargs(user, **kwargs):  # a catch-all is not a promise to honour ``limit``
        assert not kwargs
        return [_item("lab.c", "丙")]

    for provider in (positional, keyword_only, by_kwargs):
        registry.register(provider)
    assert sorted(g.kind for g in registry.groups_for(None, TODAY)) == ["lab.a", "lab.b", "lab.c"]
    assert not workbench.accepts_limit(positional) and workbench.accepts_limit(keyword_only)
    assert not workbench.accepts_limit(by_kwargs)


def test_a_more_items_marker_alone_still_makes_a_group_and_zero_adds_nothing(registry):
    registry.register_kind("lab.only", "只有计数")

    def provider(user, limit=None):
        return [workbench.MoreItems(kind="lab.only", count=3, overdue=2), workbench.MoreItems(kind="lab.none", count=0)]

    registry.register(provider)
    (group,) = registry.groups_for(None, TODAY)
    assert (group.kind, group.label, group.items, group.total, group.overdue, group.hidden) == (
        "lab.only", "只有计数", [], 3, 2, 3)
