"""我的待办 page with long department lists: only the most urgent items are built, the rest counted, exactly.

The page calls the department providers with ``limit`` (core.workbench); the API's list calls them without.
Both must agree: same groups, same totals, same overdue counts, the same most urgent items shown.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.core import workbench
from xieshang.org import roles
from xieshang.proposals import workbench as providers

DAYS = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"]


def grouped(user, today, *, limited):
    """The page's groups, with the providers' limit honoured or (as reference) every item built."""
    if limited:
        return workbench.groups_for(user, today)
    original = workbench.accepts_limit
    try:
        workbench.accepts_limit = lambda provider: False
        return workbench.groups_for(user, today)
    finally:
        workbench.accepts_limit = original


def summary(groups):
    return [(g.kind, [(i.title, i.due, i.overdue) for i in g.items], g.total, g.overdue) for g in groups]


@pytest.fixture
def busy(world, monkeypatch):
    """Five proposals assigned a week apart (lead: dept_a, co: dept_b), the last two replies with the co-signer."""
    p = world
    monkeypatch.setattr(workbench, "MAX_SHOWN_PER_GROUP", 2)
    p.proposals = []
    for n, day in enumerate(DAYS):
        p.clock.set(day)
        proposal = p.flow.assigned(title=f"案件{n}")
        if n >= 3:
            p.flow.reply(proposal)
        p.proposals.append(proposal)
    return p


@pytest.mark.parametrize("today", ["2026-03-31", "2026-04-20", "2026-06-12", "2026-07-31"])
def test_the_limited_page_agrees_with_building_every_item(busy, today):
    p = busy
    p.clock.set(today)
    day = p.clock()
    for user in (p.dept_handler, p.other_dept_handler):
        full = grouped(user, day, limited=False)
        assert summary(grouped(user, day, limited=True)) == summary(full)
        assert any(g.hidden for g in full)


def test_the_most_urgent_are_shown_and_the_overdue_rest_counted(busy):
    p = busy
    p.clock.set("2026-06-12")  # the reply dues of the first proposals have passed
    rows = list(providers.assignments_to_handle(p.dept_handler, limit=2))
    items, more = rows[:-1], rows[-1]
    all_items = list(providers.assignments_to_handle(p.dept_handler))
    assert len(all_items) == 3  # cases 3 and 4 wait for the co-signer: nothing for the lead to do
    dues = sorted(i.due for i in all_items)
    assert [i.due for i in items] == dues[:2]
    assert isinstance(more, workbench.MoreItems) and more.kind == "proposals.assignment" and more.count == 1
    assert more.overdue == sum(1 for d in dues[2:] if d < p.clock())
    cosign = list(providers.replies_to_cosign(p.other_dept_handler, limit=1))
    assert [type(x).__name__ for x in cosign] == ["TodoItem", "MoreItems"] and cosign[1].count == 1
    assert cosign[0].title == "待会签答复：《案件3》"  # the earlier reply due first


def test_a_short_list_has_nothing_more(world):
    p = world
    p.flow.assigned(title="唯一")
    rows = list(providers.assignments_to_handle(p.dept_handler, limit=30))
    assert [type(x).__name__ for x in rows] == ["TodoItem", "MoreItems"]
    assert rows[1].count == 0 and rows[1].overdue == 0
    (group,) = [g for g in workbench.groups_for(p.dept_handler, p.clock()) if g.kind == "proposals.assignment"]
    assert group.total == 1 and group.hidden == 0


@pytest.mark.parametrize("provider", [providers.assignments_to_handle, providers.replies_to_cosign])
def test_a_limited_provider_runs_the_same_queries_however_long_the_list(world, provider):
    p = world

    def measure():
        out = []
        for user in (p.dept_handler, p.other_dept_handler):
            roles.forget(user)
            with CaptureQueriesContext(connection) as ctx:
                list(provider(user, limit=2))
            out.append(len(ctx.captured_queries))
        return out

    p.flow.reply(p.flow.assigned(title="一"))
    p.flow.assigned(title="二")
    small = measure()
    for n in range(4):
        p.flow.reply(p.flow.assigned(title=f"多{n}"))
        p.flow.assigned(title=f"又{n}")
    assert measure() == small
