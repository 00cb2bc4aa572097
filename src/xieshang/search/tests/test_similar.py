import pytest
from django.urls import reverse

from xieshang.search import similar
from xieshang.search.models import SuggestionRecord

from .conftest import add_handled_last_year


@pytest.fixture
def past(world):
    w = add_handled_last_year(world)
    w.school = w.add("关于缓解中小学上下学交通拥堵的建议", "学校周边接送车辆多,交通拥堵严重。")
    return w


def test_a_near_duplicate_written_differently_is_found_first(past):
    matches = similar.similar(past.proposal_staff, past.district.pk, "關於老舊社區增設電梯的提案",
                              "老舊小區加裝電梯難,主要是費用分攤和鄰里協調。")
    assert matches[0].entry.object_id == past.lift.pk
    # Above the default threshold (25%), so the panel shows it.
    assert matches[0].score >= 0.25
    assert "电梯" in matches[0].shared_terms


def test_an_unrelated_text_finds_nothing_above_the_threshold(past):
    matches = similar.similar(past.proposal_staff, past.district.pk, "关于发展夜间经济的建议", "繁荣夜市消费。",
                              threshold=0.25)
    assert matches == []


def test_similar_items_respect_permissions(past):
    assert similar.similar(past.other_staff, past.district.pk, "老旧小区加装电梯") == []
    assert similar.similar(past.outsider, past.district.pk, "老旧小区加装电梯") == []


def test_department_suggestion_comes_from_similar_past_proposals(past):
    suggestions = similar.suggest_departments(past.proposal_staff, past.district.pk, "关于治理典农河污染的建议",
                                              "沿岸排污口整治。")
    assert suggestions[0].department == past.dept_a
    assert suggestions[0].reasons[0].entry.object_id == past.river.pk


def test_similar_panel_appears_while_typing(past, client, login):
    login(client, past.member)
    response = client.get(reverse("search:similar", args=["district"]),
                          {"title": "关于老旧小区增设电梯的建议", "situation": "加装电梯"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "关于加快老旧小区加装电梯的建议" in body
    assert "相似度" in body


def test_similar_panel_is_refused_to_other_committee(past, client, login):
    login(client, past.other_staff)
    response = client.get(reverse("search:similar", args=["district"]), {"title": "老旧小区加装电梯"})
    assert response.status_code == 403


def test_staff_record_accepting_and_overriding_a_suggestion(past, client, login):
    login(client, past.proposal_staff)
    panel = client.get(reverse("search:proposal_panel", args=["district", past.school.pk]))
    assert panel.status_code == 200
    url = reverse("search:suggestion_decide", args=["district", past.school.pk])
    client.post(url, {"suggested": [past.dept_a.pk], "chosen": [past.dept_a.pk]})
    client.post(url, {"suggested": [past.dept_a.pk], "chosen": [past.dept_b.pk]})
    assert list(SuggestionRecord.objects.order_by("id").values_list("decision", flat=True)) == [
        "accepted", "overridden"]
    assert client.post(url, {"suggested": [past.dept_a.pk]}).status_code == 422
    assert client.post(url, {"chosen": [past.dept_other.pk]}).status_code == 422
    assert SuggestionRecord.objects.count() == 2


@pytest.mark.parametrize("persona", ["member", "dept_handler", "other_staff", "outsider"])
def test_only_proposal_staff_record_suggestions(past, client, login, persona):
    login(client, getattr(past, persona))
    url = reverse("search:suggestion_decide", args=["district", past.school.pk])
    assert client.post(url, {"chosen": [past.dept_a.pk]}).status_code in (403, 404)
    assert not SuggestionRecord.objects.exists()


def test_the_draft_form_and_the_detail_page_load_the_similar_items_panels(past, client, login):
    login(client, past.member)
    form = client.get(reverse("proposals:new", args=["district"])).content.decode()
    assert reverse("search:similar", args=["district"]) in form
    assert 'hx-include="#id_title, #id_situation, #id_analysis, #id_suggestion"' in form
    login(client, past.proposal_staff)
    detail = client.get(reverse("proposals:detail", args=["district", past.school.pk])).content.decode()
    assert reverse("search:proposal_panel", args=["district", past.school.pk]) in detail


def test_the_vector_length_is_stored_at_index_time_and_the_score_is_the_cosine(past):
    from xieshang.search.models import SearchEntry

    entry = SearchEntry.objects.get(kind="proposal", object_id=past.lift.pk)
    words = set(entry.terms.split())
    assert words and entry.norm == pytest.approx(similar.terms_norm(words))
    title, body = "关于老旧小区加装电梯的建议", "加装电梯资金分摊难,居民意见协调困难。"
    match = next(m for m in similar.similar(past.proposal_staff, past.district.pk, title, body)
                 if m.entry.pk == entry.pk)
    q_words = similar.text_words(similar.normalize.normalize(title + " " + body))
    expected, shared = similar.cosine(q_words, words)
    assert match.body_score == pytest.approx(expected)
    assert match.shared_terms == shared[:6]


def test_an_entry_indexed_before_the_stored_length_scores_the_same(past):
    from xieshang.search.models import SearchEntry

    title, body = "关于老旧小区加装电梯的建议", "加装电梯资金分摊难,居民意见协调困难。"
    before = [(m.entry.pk, m.score) for m in similar.similar(past.proposal_staff, past.district.pk, title, body)]
    assert before
    SearchEntry.objects.update(norm=None)
    after = [(m.entry.pk, m.score) for m in similar.similar(past.proposal_staff, past.district.pk, title, body)]
    assert after == before


def test_the_migration_fills_the_length_of_existing_entries(past):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from xieshang.search.models import SearchEntry

    fill = importlib.import_module("xieshang.search.migrations.0005_entry_norm").fill_norms
    stored = dict(SearchEntry.objects.values_list("pk", "norm"))
    assert len(stored) >= 3 and all(v is not None for v in stored.values())
    SearchEntry.objects.update(norm=None)
    fill(apps, SimpleNamespace(connection=connection))  # the function uses the editor's connection only
    assert dict(SearchEntry.objects.values_list("pk", "norm")) == pytest.approx(stored)


def test_an_unrelated_proposal_gets_no_department_suggestion(past):
    # Nothing handled before is about fireworks; weakly similar neighbours (a shared 建议) do not vote.
    assert similar.similar(past.proposal_staff, past.district.pk, "关于春节烟花爆竹燃放管理的建议", "烟花爆竹燃放时段。",
                           kinds=("proposal",))
    assert similar.suggest_departments(past.proposal_staff, past.district.pk, "关于春节烟花爆竹燃放管理的建议",
                                       "烟花爆竹燃放时段。") == []
