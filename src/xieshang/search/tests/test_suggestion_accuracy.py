"""Accuracy of department suggestions: the order kept, the figures, the page and the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xieshang.api.tests.helpers import call
from xieshang.org.models import Department
from xieshang.search import actions
from xieshang.search.models import AccuracyFigures, SuggestionRecord
from xieshang.testing import PERSONA_NAMES


PROPOSAL_OFFICE = {"proposal_staff", "office_admin", "sysadmin"}
OUTSIDE = {"other_staff", "informant", "outsider"}
API = "/api/v1/committees/district/department-suggestions/accuracy"


def local(*args):
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def decisions(history):
    """Six decisions in 2026 (two in its first hours local time, still 2025 in UTC: the year is the local one)
    and one in 2025, one of them recorded before the order was kept, and one of another committee."""
    w = history
    a, b = w.dept_a, w.dept_b
    c = w.dept_c = Department.objects.create(committee=w.district, name="区水务局", kind="government")
    d = w.dept_d = Department.objects.create(committee=w.district, name="区城管局", kind="government")
    e = w.dept_e = Department.objects.create(committee=w.district, name="区住建局", kind="government")

    def record(suggested, chosen, at, order_kept=True, proposal=None, committee=None):
        r = actions.do_record_suggestion(committee or w.district, (proposal or w.new_river).pk, suggested=suggested,
                                         chosen=chosen, actor=None if committee else w.proposal_staff)
        SuggestionRecord.objects.filter(pk=r.pk).update(
            decided_at=at, suggested_order=r.suggested_order if order_kept else None)
        return r

    w.records = [
        record([a, b], [a], local(2026, 1, 1, 7)),  # accepted, top-1, top-3
        record([a, b], [b], local(2026, 3, 2, 9)),  # accepted, top-3 only
        record([a], [b], local(2026, 3, 3, 9), proposal=w.lift),  # overridden, missed
        record([], [a], local(2026, 1, 1, 6)),  # no suggestion (overridden)
        record([b], [b], local(2026, 3, 5, 9), order_kept=False),  # old record: no top-1, top-3 hit
        record([a, b, c, d], [e, a], local(2026, 3, 6, 9)),  # overridden (e), top-1 and top-3 hit
        record([b, a], [c], local(2025, 12, 31, 23, 30), proposal=w.river),  # 2025, overridden, missed
    ]
    record([w.dept_other], [w.dept_other], local(2026, 3, 1, 9), committee=w.other)
    return w


def figures_of(f):
    return {"decisions": f.decisions, "accepted": (f.accepted.count, f.accepted.of),
            "overridden": (f.overridden.count, f.overridden.of), "top1": (f.top1.count, f.top1.of),
            "top3": (f.top3.count, f.top3.of), "no_suggestion": (f.no_suggestion.count, f.no_suggestion.of),
            "order_unknown": f.order_unknown}


Y2026 = {"decisions": 6, "accepted": (3, 6), "overridden": (3, 6), "top1": (2, 4), "top3": (4, 5),
         "no_suggestion": (1, 6), "order_unknown": 1}
Y2025 = {"decisions": 1, "accepted": (0, 1), "overridden": (1, 1), "top1": (0, 1), "top3": (0, 1),
         "no_suggestion": (0, 1), "order_unknown": 0}
OVERALL = {"decisions": 7, "accepted": (3, 7), "overridden": (4, 7), "top1": (2, 5), "top3": (4, 6),
           "no_suggestion": (1, 7), "order_unknown": 1}


def test_a_decision_keeps_the_order_of_the_suggestion(history):
    a, b = history.dept_a, history.dept_b
    record = actions.do_record_suggestion(history.district, history.new_river.pk, suggested=[b, a, b], chosen=[a],
                                          actor=history.proposal_staff)
    assert record.suggested_order == [b.pk, a.pk]
    assert SuggestionRecord.objects.get(pk=record.pk).suggested_in_order() == [b, a]


def test_the_page_keeps_the_posted_order(client, login, history):
    a, b = history.dept_a, history.dept_b
    login(client, history.proposal_staff)
    url = reverse("search:suggestion_decide", args=["district", history.new_river.pk])
    assert client.post(url, {"suggested": [b.pk, a.pk], "chosen": [a.pk]}).status_code == 302
    assert SuggestionRecord.objects.get().suggested_order == [b.pk, a.pk]


def test_a_record_without_the_order_has_none_and_lists_by_name(history):
    record = SuggestionRecord.objects.create(committee=history.district, object_id=history.new_river.pk,
                                             decision="accepted")
    record.suggested.set([history.dept_b, history.dept_a])
    assert record.suggested_order is None
    assert record.suggested_in_order() == sorted([history.dept_a, history.dept_b], key=lambda d: d.name)


def test_the_figures_per_year_and_overall(decisions):
    overall, years = SuggestionRecord.objects.filter(committee=decisions.district).accuracy()
    assert list(years) == [2026, 2025]
    assert figures_of(years[2026]) == Y2026
    assert figures_of(years[2025]) == Y2025
    assert figures_of(overall) == OVERALL
    assert (overall.top1.percent, overall.top3.percent, years[2026].accepted.percent) == (40.0, 66.7, 50.0)


def test_top3_looks_at_the_first_three_suggestions_only():
    f = AccuracyFigures()
    f.add("overridden", [1, 2, 3, 4], {1, 2, 3, 4}, {4})
    f.add("accepted", [1, 2, 3, 4], {1, 2, 3, 4}, {3})
    assert (f.top3.count, f.top3.of, f.top1.count, f.top1.of) == (1, 2, 0, 2)
    assert AccuracyFigures().top1.percent is None


def test_the_figures_take_three_queries_whatever_the_number_of_records(decisions, django_assert_num_queries):
    with django_assert_num_queries(3):
        SuggestionRecord.objects.filter(committee=decisions.district).accuracy()


def figure(body, name):
    """The text of one figure of the page."""
    start = body.index(f'data-figure="{name}"')
    return " ".join(body[start:body.index("</span></span>", start)].split())


def test_the_page_shows_the_figures_with_their_counts(client, login, decisions):
    login(client, decisions.proposal_staff)
    response = client.get(reverse("search:suggestion_accuracy", args=["district"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "40%" in figure(body, "top1") and "（2/5）" in figure(body, "top1")
    assert "66.7%" in figure(body, "top3") and "（4/6）" in figure(body, "top3")
    assert "（3/7）" in figure(body, "accepted") and "（4/7）" in figure(body, "overridden")
    assert "（1/7）" in figure(body, "no-suggestion")
    assert 'data-testid="order-unknown"' in body and "不计入首选命中率" in body
    assert 'data-year="2026"' in body and 'data-year="2025"' in body
    assert "西城区公安分局" not in body


def test_the_page_for_one_year(client, login, decisions):
    login(client, decisions.proposal_staff)
    response = client.get(reverse("search:suggestion_accuracy", args=["district"]), {"year": 2025})
    body = response.content.decode()
    assert "（0/1）" in figure(body, "top1") and ">1<" in body[body.index('data-figure="decisions"'):][:40]
    overridden = body[body.index('data-testid="accuracy-overridden"'):]
    assert decisions.river.title in overridden
    assert decisions.lift.title not in overridden and decisions.new_river.title not in overridden
    assert 'data-testid="order-unknown"' not in body


def test_the_latest_overrides_show_suggested_and_chosen_who_and_when(client, login, decisions):
    login(client, decisions.proposal_staff)
    body = client.get(reverse("search:suggestion_accuracy", args=["district"]), {"year": 2026}).content.decode()
    overridden = body[body.index('data-testid="accuracy-overridden"'):]
    assert reverse("proposals:detail", args=["district", decisions.lift.pk]) in overridden
    assert "1. 区生态环境局<br>2. 区教育局<br>3. 区水务局<br>4. 区城管局" in overridden
    assert "2026-03-06 09:00" in overridden and "2026-03-01" not in overridden
    assert decisions.proposal_staff.username in overridden


def test_a_bad_year_is_a_form_error(client, login, decisions):
    login(client, decisions.proposal_staff)
    response = client.get(reverse("search:suggestion_accuracy", args=["district"]), {"year": "20x6"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()


def test_no_record_yet(client, login, history):
    login(client, history.proposal_staff)
    body = client.get(reverse("search:suggestion_accuracy", args=["district"])).content.decode()
    assert "还没有记录任何承办单位选择" in body and "—" in figure(body, "top1")


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_proposal_office_sees_the_page(client, login, decisions, persona):
    login(client, getattr(decisions, persona))
    response = client.get(reverse("search:suggestion_accuracy", args=["district"]))
    assert response.status_code == (200 if persona in PROPOSAL_OFFICE else 403)


def test_the_page_is_linked_from_the_suggestion_panel_and_the_dictionary(client, login, history):
    url = reverse("search:suggestion_accuracy", args=["district"])
    login(client, history.proposal_staff)
    assert url in client.get(reverse("search:proposal_panel", args=["district", history.new_river.pk])).content.decode()
    assert url in client.get(reverse("search:dictionary", args=["district"])).content.decode()
    login(client, history.info_editor)  # manages the dictionary, does not decide suggestions
    assert url not in client.get(reverse("search:dictionary", args=["district"])).content.decode()


def api_figures(data):
    return {k: (tuple((v["count"], v["of"])) if isinstance(v, dict) else v) for k, v in data.items() if k != "year"}


def test_the_api_gives_the_same_figures(client, decisions):
    response = call(client, "GET", API, decisions.proposal_staff)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["year"] is None and api_figures(data["figures"]) == api_figures(data["overall"]) == OVERALL
    assert [(y["year"], api_figures(y)) for y in data["years"]] == [(2026, Y2026), (2025, Y2025)]
    assert data["overall"]["top3"]["percent"] == 66.7
    latest = data["latest_overridden"]
    assert [row["proposal_id"] for row in latest] == [decisions.new_river.pk, decisions.lift.pk,
                                                      decisions.new_river.pk, decisions.river.pk]
    assert [d["name"] for d in latest[0]["suggested"]] == ["区生态环境局", "区教育局", "区水务局", "区城管局"]
    assert latest[1]["proposal_title"] == decisions.lift.title and latest[1]["decided_by"] == "proposal_staff"
    assert latest[2]["suggested"] == [] and [d["id"] for d in latest[2]["chosen"]] == [decisions.dept_a.pk]


def test_the_api_for_one_year(client, decisions):
    data = call(client, "GET", API + "?year=2025", decisions.proposal_staff).json()
    assert data["year"] == 2025 and api_figures(data["figures"]) == Y2025
    assert [row["proposal_id"] for row in data["latest_overridden"]] == [decisions.river.pk]
    empty = call(client, "GET", API + "?year=2020", decisions.proposal_staff).json()
    assert empty["figures"]["decisions"] == 0 and empty["figures"]["top1"]["percent"] is None


@pytest.mark.parametrize("query", ["?year=1800", "?year=abc", "?year=3000"])
def test_the_api_refuses_a_bad_year(client, decisions, query):
    response = call(client, "GET", API + query, decisions.proposal_staff)
    assert response.status_code == 422 and "year" in response.json()["errors"]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_proposal_office_gets_the_figures(client, decisions, persona):
    response = call(client, "GET", API, getattr(decisions, persona))
    if persona in PROPOSAL_OFFICE:
        assert response.status_code == 200
    else:
        assert response.status_code == (404 if persona in OUTSIDE else 403)
        assert set(response.json()) == {"detail"}
