"""The register's filters: one definition for the page, the export and the API, and every statistics link.

Data: the statistics tests' constructed session (``test_stats.data``: a–h received, one draft, one proposal of
another committee) plus a collective proposal without a first proposer, a draft withdrawn before it was ever
submitted, and a proposal of an earlier year.
"""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from xieshang.api.routers.proposals import ProposalFilters
from xieshang.api.tests.helpers import bearer
from xieshang.org.models import Department, Session
from xieshang.proposals import actions, stats, workbench
from xieshang.proposals.exports import RegisterFilters
from xieshang.proposals.models import Assignment, Proposal, Proposer, Status

from .test_stats import data  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

REGISTER = "/c/district/proposals/"
EXPORT = "/c/district/proposals/files/register.xlsx"
API = "/api/v1/committees/district/proposals"
API_PARAMS = set(ProposalFilters.model_fields)
ROW_LINK = re.compile(r'<a href="/c/district/proposals/(\d+)/">')


@pytest.fixture
def more(data):
    p = data
    p.collective = Proposal.objects.create(committee=p.district, session=p.session, title="关于集体的建议",
                                           kind=Proposal.Kind.COLLECTIVE, status=Status.FILED, case_number=90,
                                           category="社会", submitted_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
                                           created_by=p.proposal_staff)
    p.discarded = p.flow.draft(title="关于放弃的草稿")
    actions.do_withdraw_proposal(p.discarded, reason="不写了", actor=p.member)
    earlier = Session.objects.create(term=p.session.term, number=4, year=2025,
                                     plenary_start=datetime.date(2025, 1, 20), plenary_end=datetime.date(2025, 1, 23))
    p.earlier = Proposal.objects.create(committee=p.district, session=earlier, title="关于去年的建议",
                                        status=Status.SUBMITTED, category="经济", created_by=p.member,
                                        submitted_at=datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC))
    Proposer.objects.create(proposal=p.earlier, member=p.member_row, user=p.member, name="王建国", role="first")
    return p


def page_ids(client, query):
    if isinstance(query, str):  # a query string, as a link carries it
        response = client.get(f"{REGISTER}?{query}")
    else:
        response = client.get(REGISTER, query if isinstance(query, list) else list(query.items()) + [("per", 100)])
    assert response.status_code == 200
    body = response.content.decode()
    table = body[body.index('data-testid="register"'):]
    return {int(pk) for pk in ROW_LINK.findall(table)}, body


def export_titles(client, query):
    response = client.get(EXPORT, query)
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    column = rows[0].index("案由")
    return {row[column] for row in rows[1:]}


def api_ids(client, user, query):
    response = client.get(API, {**query, "limit": 100}, headers=bearer(user))
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def titles_of(ids):
    return set(Proposal.objects.filter(pk__in=ids).values_list("title", flat=True))


def expected_cases(p):
    c = p.cases
    sector = p.sector.pk
    return [
        ({"session": p.session.pk}, {*"abcdefgh", "collective"}),
        ({"year": 2025}, {"earlier"}),
        ({"status": "review"}, {"h"}),
        ({"category": "经济"}, {"c", "d", "earlier"}),
        ({"category": "不存在的类别"}, set()),
        ({"department": p.dept_b.pk}, {"a"}),
        ({"sector": sector}, {*"abcdefgh", "earlier"}),
        ({"sector": "none"}, {"collective"}),
        ({"proposer_type": "joint"}, {"h"}),
        ({"proposer_type": "collective"}, {"collective"}),
        ({"outcome": "B"}, {"b"}),
        ({"outcome": "A"}, {"a"}),  # b was drafted as A but reviewed to B
        ({"rating": "satisfied"}, {"a"}),
        ({"timing": "regular"}, {*"abcdefgh", "earlier"}),
        ({"key": "1"}, {"a"}),
        ({"proposer": "王建国"}, {*"abcdefgh", "earlier"}),
        ({"q": "关于d"}, {"d"}),
        ({"department": p.dept_a.pk, "outcome": "A"}, {"a"}),
        ({"department": p.dept_b.pk, "outcome": "A"}, set()),  # dept_b is only a co-handler of a
    ], c


def resolve(p, names):
    objects = {**p.cases, "collective": p.collective, "earlier": p.earlier}
    return {objects[n].pk for n in names}


def test_each_parameter_narrows_the_page_the_export_and_the_api_alike(client, login, more):
    p = more
    actions.do_select_key_proposal(p.cases["a"], leader_name="李主席", actor=p.proposal_staff)
    Proposal.objects.filter(pk__in=[x.pk for x in p.cases.values()] + [p.earlier.pk]).update(timing="regular")
    login(client, p.proposal_staff)
    everything, _body = page_ids(client, {})
    assert everything == resolve(p, {*"abcdefgh", "collective", "earlier"})  # never a draft, nor p.discarded
    cases, _c = expected_cases(p)
    for query, names in cases:
        want = resolve(p, names)
        got, body = page_ids(client, query)
        assert got == want, query
        assert "fielderror" not in body, query  # an unknown category is not an error either
        assert got < everything, query
        assert export_titles(client, query) == titles_of(want), query
        if set(query) <= API_PARAMS:
            assert api_ids(client, p.proposal_staff, query) == want, query


def test_status_can_be_given_several_times(client, login, more):
    p = more
    login(client, p.proposal_staff)
    query = [("status", "declined"), ("status", "merged"), ("per", 100)]
    ids, _body = page_ids(client, query)
    assert ids == resolve(p, {"d", "e"})
    assert export_titles(client, query) == titles_of(ids)
    assert RegisterFilters(status="review").status == ("review",)  # the API's single value still works


def test_every_statistics_link_lists_exactly_the_proposals_counted(client, login, more):
    p = more
    login(client, p.proposal_staff)
    scope = stats.Scope(p.district, session=p.session)
    report = stats.report(scope)
    checked = []

    def check(url, count):
        assert url.startswith(REGISTER)
        ids, _body = page_ids(client, url.split("?", 1)[1] + "&per=100")
        assert len(ids) == count, url
        assert set(Proposal.objects.filter(pk__in=ids).filter(scope.proposal_q()).values_list("pk", flat=True)) == ids
        checked.append(url)
        return ids

    for row in report.summary:
        check(row["url"], row["count"])
    for row in report.kinds + report.categories + report.sectors:
        check(row["url"], row["received"])
        check(row["filed_url"], row["filed"])
    for row in report.departments:
        check(row["url"], row["assignments"])
        for cell in row["outcome_cells"] + row["rating_cells"]:
            check(cell["url"], cell["count"])
    assert len(checked) > 30
    # Spot checks with known answers, not only counts.
    sectors = {r["key"]: r for r in report.sectors}
    assert check(sectors[None]["url"], 1) == {p.collective.pk}
    dept_a = next(r for r in report.departments if r["department_id"] == p.dept_a.pk)
    assert check(dept_a["outcome_urls"]["B"], 1) == {p.cases["b"].pk}
    assert check(dept_a["rating_urls"]["basically"], 1) == {p.cases["b"].pk}
    received = next(r for r in report.summary if r["key"] == "received")
    assert p.discarded.pk not in check(received["url"], received["count"])


def test_year_links_select_the_years_sessions(client, login, more):
    p = more
    login(client, p.proposal_staff)
    report = stats.report(stats.Scope(p.district, year=2025))
    received = next(r for r in report.summary if r["key"] == "received")
    ids, _body = page_ids(client, received["url"].split("?", 1)[1])
    assert received["count"] == 1 and ids == {p.earlier.pk}


@pytest.mark.parametrize("field,value", [("sector", "999999"), ("department", "OTHER_DEPT"),
                                         ("session", "OTHER_SESSION"), ("status", "nonsense"),
                                         ("outcome", "Z"), ("rating", "great")])
def test_a_value_the_form_refuses_is_shown_as_an_error_and_not_applied(client, login, more, field, value):
    p = more
    other_dept = Department.objects.filter(committee=p.other).first()
    value = value.replace("OTHER_SESSION", str(p.other_session.pk)).replace(
        "OTHER_DEPT", str(other_dept.pk if other_dept else 999999))
    login(client, p.proposal_staff)
    everything, _body = page_ids(client, {})
    ids, body = page_ids(client, {field: value})
    assert "fielderror" in body
    assert ids == everything


def test_the_register_refuses_outsiders_and_other_committees_staff(client, login, more):
    p = more
    for persona in (p.outsider, p.other_staff):
        login(client, persona)
        response = client.get(REGISTER, {"sector": "none"})
        assert response.status_code == 403
        assert "关于集体的建议" not in response.content.decode()


def test_a_deep_page_shows_its_rows_newest_first_with_their_first_proposer(client, login, more):
    p = more
    for i in range(12):
        extra = Proposal.objects.create(committee=p.district, session=p.session, title=f"关于第{i}件事的建议",
                                        status=Status.SUBMITTED, serial=100 + i, created_by=p.member)
        Proposer.objects.create(proposal=extra, member=p.cosigner_row, name=f"提案人{i}", role="first")
    login(client, p.proposal_staff)
    ordered = list(Proposal.objects.filter(committee=p.district).exclude(status=Status.DRAFT)
                   .exclude(pk=p.discarded.pk).order_by("-id").values_list("pk", flat=True))
    response = client.get(REGISTER, {"per": 10, "page": 2})
    body = response.content.decode()
    table = body[body.index('data-testid="register"'):]
    assert len(ordered) > 20
    assert [int(pk) for pk in ROW_LINK.findall(table)] == ordered[10:20]
    # The newest twelve are 11..0: 11..2 fill page 1, 1 and 0 open page 2, each with its own first proposer.
    assert "提案人1<" in table and "提案人0<" in table and "提案人2<" not in table


def test_the_attention_queue_lists_objections_and_extension_requests_once_each(client, login, more):
    p = more
    a_lead = p.cases["c"].assignments.get(role="lead")
    Assignment.objects.filter(pk=a_lead.pk).update(status="objected", objection_reason="不属于本单位职责",
                                                  extension="requested",
                                                  extension_due=datetime.date(2026, 9, 1))
    other = p.cases["a"].assignments.get(role="co")
    Assignment.objects.filter(pk=other.pk).update(extension="requested", extension_due=datetime.date(2026, 8, 1))
    login(client, p.proposal_staff)
    body = client.get(REGISTER).content.decode()
    queue = body[body.index('data-testid="pending-objections"'):body.index("</section>",
                                                                          body.index('data-testid="pending-objections"'))]
    assert queue.count("<li>") == 2
    assert "不属于本单位职责" in queue and "申请延期至 2026-08-01" in queue and "申请延期至 2026-09-01" in queue


def test_drafts_to_finish_lists_a_draft_once_for_its_author_and_first_proposer(more):
    p = more
    draft = p.flow.draft(title="关于未完成的建议")
    items = [i for i in workbench.drafts_to_finish(p.member) if "关于未完成的建议" in i.title]
    assert len(items) == 1  # created by the member, who is also its first proposer
    Proposal.objects.filter(pk=draft.pk).update(created_by=p.proposal_staff)
    assert [i.title for i in workbench.drafts_to_finish(p.member) if "关于未完成的建议" in i.title]
    assert not [i for i in workbench.drafts_to_finish(p.cosigner) if "关于未完成的建议" in i.title]


def test_the_api_refuses_a_sector_that_is_neither_an_id_nor_none(client, login, personas):
    login(client, personas.proposal_staff)
    response = client.get("/api/v1/committees/district/proposals", {"sector": "abc"})
    assert response.status_code == 422
    assert client.get("/api/v1/committees/district/proposals", {"sector": "none"}).status_code == 200


def test_non_ascii_digits_in_a_numeric_filter_are_ignored_not_a_crash():
    """``"²".isdigit()`` is true but ``int("²")`` fails: such values are dropped like any other nonsense."""
    from django.http import QueryDict

    from xieshang.proposals.exports import RegisterFilters

    params = RegisterFilters.from_mapping(QueryDict("session=²&year=٣&sector=²&department=7"))
    assert (params.session, params.year, params.sector, params.department) == (None, None, None, 7)
