"""Fixtures for the similar-items and department-suggestion API and accuracy tests (import them by name)."""

import pytest

from xieshang.search import index


@pytest.fixture
def history(world):
    """Last year's filed proposals handled by a department each, and a new one on the river (no department)."""
    w = world
    w.lift = w.add("关于加快老旧小区加装电梯的建议", "本区老旧小区加装电梯进展缓慢,资金分摊和居民意见协调困难。",
                   session=w.old_session)
    w.river = w.add("关于典农河水质综合治理的建议", "典农河水质长期为劣五类,沿岸排污口需要整治。",
                    session=w.old_session)
    w.lift.suggested_departments.add(w.dept_b)
    w.river.suggested_departments.add(w.dept_a)
    index.reindex("proposal", w.lift.pk)
    index.reindex("proposal", w.river.pk)
    w.new_river = w.add("关于治理典农河污染的建议", "沿岸排污口整治。")
    return w
