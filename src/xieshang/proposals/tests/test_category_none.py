"""The statistics' 未分类 (uncategorised) figure links to exactly the proposals without a category.

``category=none`` in the register's filters (page, export and API) selects the proposals whose category is
empty; before, the figure linked with an empty category, which filtered nothing and listed every proposal.
"""

import pytest

from xieshang.proposals import stats
from xieshang.proposals.exports import CATEGORY_NONE, RegisterFilters, filter_register
from xieshang.proposals.models import Proposal

from .test_register_filters import REGISTER, api_ids, export_titles, more, page_ids, titles_of  # noqa: F401
from .test_stats import data  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncategorised(more):  # noqa: F811  (the imported fixture)
    """Two received proposals without a category (one filed), besides the categorised ones."""
    p = more
    p.bare = [p.flow.in_review(title="关于无类别一的建议"), p.flow.filed(title="关于无类别二的建议")]
    Proposal.objects.filter(pk__in=[x.pk for x in p.bare]).update(category="")
    return p


def test_the_uncategorised_figure_links_to_exactly_its_proposals(client, login, uncategorised):
    p = uncategorised
    login(client, p.proposal_staff)
    report = stats.report(stats.Scope(p.district, session=p.session))
    row = next(r for r in report.categories if not r["key"])
    assert (row["label"], row["received"], row["filed"]) == ("未分类", 2, 1)
    assert f"category={CATEGORY_NONE}" in row["url"] and row["url"].startswith(REGISTER)
    everything, _body = page_ids(client, {})
    ids, _body = page_ids(client, row["url"].split("?", 1)[1] + "&per=100")
    assert len(ids) == row["received"]
    assert ids == {x.pk for x in p.bare} and ids < everything
    filed_ids, _body = page_ids(client, row["filed_url"].split("?", 1)[1] + "&per=100")
    assert len(filed_ids) == row["filed"] and filed_ids == {p.bare[1].pk}
    # The same selection through the export and the API.
    query = {"session": str(p.session.pk), "category": CATEGORY_NONE}
    assert export_titles(client, query) == titles_of(ids)
    assert api_ids(client, p.proposal_staff, query) == ids


def test_category_none_selects_only_empty_categories(uncategorised):
    p = uncategorised
    filters = RegisterFilters.from_mapping({"category": "none"})
    assert filters.category == CATEGORY_NONE
    selected = set(filter_register(Proposal.objects.filter(committee=p.district), filters).values_list("pk", flat=True))
    assert selected == {x.pk for x in p.bare}
